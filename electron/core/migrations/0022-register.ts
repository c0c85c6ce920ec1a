import type { Migration } from './types';

/**
 * The register at 100,000 cases (issue 17), fourth step: the number of cases of each HTMP code
 * and status, kept by the database itself.
 *
 * A code filter's exact total was a `count(*)` of `cases_code_key`: about 20,000 entries for the
 * most frequent code (27,000 for its prefix "37.*"), all read from disk and decrypted on the first
 * call after sign-in (29-47 ms at 100,000 cases). `case_code_counts` answers "code", "code +
 * statuses" and a code prefix (a range of codes) from a few rows, and gives the register the
 * codes of a prefix, so that its page is merged from one short walk per code (register.ts).
 *
 * Kept like `case_status_counts` (0018/0019): triggers on `cases` in the same transaction as
 * every write to a case (handlers, sync, restore, a raw SQL shell alike); no row at zero, so the
 * rows kept are the rows a rebuild makes. Derived, local data: not a user table, not in the
 * change log, not in sync bundles.
 *
 * Idempotent and kill-safe (the migration runs in one transaction; the wave-1 encryption replays
 * the migrations): the table created if absent, the triggers dropped and created again, the
 * counts rebuilt from the cases.
 */
export const m0022Register: Migration = {
  version: 22,
  name: 'register',
  up(db) {
    // Counted in cases_received_key (0017-register-pages), which holds both columns: the index
    // alone is read (0.2 s of CPU at 100,000 cases, cold), where SQLite's own choice reads every
    // case's row through cases_code_key (1.2 s).
    const covering = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'cases_received_key'").get() !== undefined;
    db.exec(`
      CREATE TABLE IF NOT EXISTS case_code_counts (
        htmp_code TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (htmp_code, status)
      ) STRICT, WITHOUT ROWID;
      DROP TRIGGER IF EXISTS cases_code_count_ai;
      DROP TRIGGER IF EXISTS cases_code_count_ad;
      DROP TRIGGER IF EXISTS cases_code_count_au;
      CREATE TRIGGER cases_code_count_ai AFTER INSERT ON cases BEGIN
        INSERT INTO case_code_counts (htmp_code, status, n) VALUES (new.htmp_code, new.status, 1) ON CONFLICT (htmp_code, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER cases_code_count_ad AFTER DELETE ON cases BEGIN
        UPDATE case_code_counts SET n = n - 1 WHERE htmp_code = old.htmp_code AND status = old.status;
        DELETE FROM case_code_counts WHERE htmp_code = old.htmp_code AND status = old.status AND n <= 0;
      END;
      CREATE TRIGGER cases_code_count_au AFTER UPDATE OF htmp_code, status ON cases WHEN new.htmp_code IS NOT old.htmp_code OR new.status IS NOT old.status BEGIN
        UPDATE case_code_counts SET n = n - 1 WHERE htmp_code = old.htmp_code AND status = old.status;
        DELETE FROM case_code_counts WHERE htmp_code = old.htmp_code AND status = old.status AND n <= 0;
        INSERT INTO case_code_counts (htmp_code, status, n) VALUES (new.htmp_code, new.status, 1) ON CONFLICT (htmp_code, status) DO UPDATE SET n = n + 1;
      END;
      DELETE FROM case_code_counts;
      INSERT INTO case_code_counts (htmp_code, status, n) SELECT htmp_code, status, count(*) FROM cases ${covering ? 'INDEXED BY cases_received_key' : ''} GROUP BY htmp_code, status;
    `);
  },
};
