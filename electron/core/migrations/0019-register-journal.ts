import type { Migration } from './types';

/**
 * Two corrections to 0018-register-counts:
 *
 * - The journal's page index gets its own name. 0018 created it as `decisions_refusals` with
 *   IF NOT EXISTS, but 0003-cases already has an index of that name (outcome, state, decided_on),
 *   so the journal paged through the old one and sorted the period's refusals for every page.
 *   `decisions_refusal_pages` holds the issued refusals in the journal's order (decided_on,
 *   protocol year and number, id): a page is read from it in order, its total counted in it.
 * - The per-status counts keep no row at zero: a status whose last case moved on leaves the
 *   table, so the counts kept by the triggers and those rebuilt from the cases are the same rows
 *   (an encryption in place or a restore compares row counts table by table).
 *
 * Idempotent (the wave-1 encryption replays the migrations): triggers dropped and created again,
 * the index created if absent, the counts rebuilt.
 */
export const m0019RegisterJournal: Migration = {
  version: 19,
  name: 'register-journal',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS decisions_refusal_pages ON decisions (decided_on, protocol_year, protocol_number, id) WHERE outcome = 'refused' AND state = 'issued';
      DROP TRIGGER IF EXISTS cases_count_ad;
      DROP TRIGGER IF EXISTS cases_count_au;
      CREATE TRIGGER cases_count_ad AFTER DELETE ON cases BEGIN
        UPDATE case_status_counts SET n = n - 1 WHERE status = old.status;
        DELETE FROM case_status_counts WHERE status = old.status AND n <= 0;
      END;
      CREATE TRIGGER cases_count_au AFTER UPDATE OF status ON cases WHEN new.status IS NOT old.status BEGIN
        UPDATE case_status_counts SET n = n - 1 WHERE status = old.status;
        DELETE FROM case_status_counts WHERE status = old.status AND n <= 0;
        INSERT INTO case_status_counts (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
      END;
      DELETE FROM case_status_counts;
      INSERT INTO case_status_counts (status, n) SELECT status, count(*) FROM cases GROUP BY status;
    `);
  },
};
