import type { Migration } from './types';

/**
 * Users and the audit trail (issue 10). Users are local to this installation (their keys live
 * in the keyring beside the database), so they are not user data that sync carries; every
 * change to them is in the audit trail instead. The audit trail is append-only: triggers refuse
 * UPDATE and DELETE, and each row's HMAC chains it to the previous one (see auth/audit.ts), so
 * a row edited or removed with another tool is found by `audit verify`.
 */
export const m0014Auth: Migration = {
  version: 14,
  name: 'auth',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'secretary', 'viewer')),
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
        -- JSON {salt, N, r, p, hash}: scrypt of the PIN (a PIN only unlocks a running session).
        pin TEXT,
        pin_failures INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- detail: JSON; prev_hash/hash: HMAC-SHA256 chain under a key derived from the data key.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        user_name TEXT,
        action TEXT NOT NULL,
        method TEXT,
        outcome TEXT NOT NULL,
        case_id TEXT,
        patient_iin TEXT,
        host TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_user ON audit_log (user_id, seq);
      CREATE INDEX audit_log_iin ON audit_log (patient_iin, seq);
      CREATE INDEX audit_log_action ON audit_log (action, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      -- Who made each local change (NULL for changes that came by sync or before users existed).
      ALTER TABLE change_log ADD COLUMN user_id TEXT;

      -- Who issued a protocol: the signed-in user (the secretary printed on it).
      ALTER TABLE decisions ADD COLUMN issued_by TEXT;
      ALTER TABLE decisions ADD COLUMN issued_by_name TEXT;
    `);
  },
};
