import type { Migration } from './types';

/**
 * The register at 100,000 cases (issue 17), fifth step: the undecided cases' two indexes hold
 * the status too, so that a page or a count of them is read in the index alone.
 *
 * `cases_open_key` (due order) and `cases_open_received` (newest first) are partial indexes of
 * the undecided cases (draft, registered), but a query must still say `status IN ('draft',
 * 'registered')` to use one, and SQLite checks that term on each entry's row: "due today" read
 * the row of every case due that day (263 rows, each from a random page, at 100,000 cases) to
 * choose its page of 50, and "draft, newest first" read the row of every undecided case walked to
 * skip the registered ones. With the status as their last column, both are covering (as
 * `cases_open_code_key` of 0020-register already is): the rows read are the page's.
 *
 * Same names, so `INDEXED BY` and the bulk import's deferred indexes (exchange/bulk-indexes.ts)
 * are unchanged. Idempotent (the wave-1 encryption replays the migrations): dropped and made
 * again. About a tenth of the cases each; the two builds read the cases table once more.
 *
 * (The undecided cases' folded names in `cases_open_code_key` were tried too: undecided + code +
 * letters then read no `case_search` page, 82 -> 17 ms for its first call at 100,000 cases; but
 * about 80 bytes per undecided case took the database to 4.00 MB per 1,000 cases at 1,000, over
 * the 4 MB target; left out. docs/benchmarks.md, eighth pass.)
 */
export const m0024Register: Migration = {
  version: 24,
  name: 'register',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS cases_open_key;
      CREATE INDEX cases_open_key ON cases (coalesce(due_date, '~'), received_at, id, status) WHERE status IN ('draft', 'registered');
      DROP INDEX IF EXISTS cases_open_received;
      CREATE INDEX cases_open_received ON cases (received_at DESC, id, status) WHERE status IN ('draft', 'registered');
    `);
  },
};
