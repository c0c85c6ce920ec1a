import type { Migration } from './types';

/**
 * The first-start guide and each user's preferences (issue 13).
 *
 * - `calendar_checks`: who confirmed that a year of the working-day calendar was checked against
 *   the official calendar, and when, with the hash of the year's data at that moment (a later
 *   change of the year's data voids the confirmation).
 * - `user_prefs`: a signed-in user's preferences (interface language, the members of the last
 *   decision), as JSON per key.
 * - `case_drafts`: a user's unsaved edits of a case form, offered back when the case is opened.
 *
 * Local to this installation like `users` (not user data that sync carries): they belong to a
 * user here and are written by the setup and prefs services only. They live in the encrypted
 * database, so backups keep them.
 *
 * `IF NOT EXISTS`: a test fixture that rolls a folder back to an earlier schema version (the
 * vault's wave-1 folder) leaves these tables in place, and the lead may renumber migrations.
 */
export const m0015Desk: Migration = {
  version: 15,
  name: 'desk',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS calendar_checks (
        year INTEGER PRIMARY KEY,
        data_sha256 TEXT NOT NULL,
        user_id TEXT,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE IF NOT EXISTS user_prefs (
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
      ) STRICT;

      CREATE TABLE IF NOT EXISTS case_drafts (
        user_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        base TEXT NOT NULL,
        form TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (user_id, case_id)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS case_drafts_case ON case_drafts (case_id);
    `);
  },
};
