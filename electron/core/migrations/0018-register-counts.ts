import type { Migration } from './types';

/**
 * The register's totals at 100,000 cases (issue 17): the number of cases of each status, kept by
 * the database itself. An exact `count(*)` of "approved" reads 71,000 index entries (~10 ms at
 * 100,000 cases); this table answers the register's status-only and unfiltered totals from one
 * row per status.
 *
 * Kept by triggers on `cases` in the same transaction as every write to a case (the handlers,
 * sync, a restore, a raw SQL shell alike), so it is never out of date. Derived, local data like
 * `case_search` (0013-register): not a user table, not in the change log, not in sync bundles.
 * Rebuilt from the cases here (idempotent: the triggers and table are created if absent and the
 * counts recomputed).
 *
 * (The journal's page index and counts that drop a status at zero: 0019-register-journal.)
 */
export const m0018RegisterCounts: Migration = {
  version: 18,
  name: 'register-counts',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS case_status_counts (
        status TEXT PRIMARY KEY,
        n INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS cases_count_ai AFTER INSERT ON cases BEGIN
        INSERT INTO case_status_counts (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER IF NOT EXISTS cases_count_ad AFTER DELETE ON cases BEGIN
        UPDATE case_status_counts SET n = n - 1 WHERE status = old.status;
      END;
      CREATE TRIGGER IF NOT EXISTS cases_count_au AFTER UPDATE OF status ON cases WHEN new.status IS NOT old.status BEGIN
        UPDATE case_status_counts SET n = n - 1 WHERE status = old.status;
        INSERT INTO case_status_counts (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
      END;
      DELETE FROM case_status_counts;
      INSERT INTO case_status_counts (status, n) SELECT status, count(*) FROM cases GROUP BY status;
    `);
  },
};
