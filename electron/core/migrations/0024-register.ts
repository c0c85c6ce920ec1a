import { fold } from './0013-register';
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
 * `cases_open_code_key` (0020-register: the undecided cases by code) also holds each case's names
 * and IIN folded as `case_search.text` is (the same SQL expression of `cases.search_text`, which
 * the triggers of 0013-register fold into it). "Undecided + code + letters" checked each walked
 * case's names in `case_search` (two random pages per case: its case id's entry, then its row),
 * and counting up to 1,001 matches walked about 1,300 of them: 102 ms for the first call after
 * sign-in at 100,000 cases. Now the walk and its count read this index alone. Undecided cases
 * only: about 50 bytes more per undecided case.
 *
 * Same names, so `INDEXED BY` and the bulk import's deferred indexes (exchange/bulk-indexes.ts)
 * are unchanged. Idempotent (the wave-1 encryption replays the migrations): dropped and made
 * again. About a tenth of the cases each; the three builds read the cases table once more: 0.23 s
 * at 10,000 cases (a copy of the bench folder, under load; not measured at 100,000).
 */
/** The folded names and IIN of a case, as `cases_open_code_key` holds them (register.ts queries the same expression). */
export const OPEN_TEXT = fold('search_text');

export const m0024Register: Migration = {
  version: 24,
  name: 'register',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS cases_open_key;
      CREATE INDEX cases_open_key ON cases (coalesce(due_date, '~'), received_at, id, status) WHERE status IN ('draft', 'registered');
      DROP INDEX IF EXISTS cases_open_received;
      CREATE INDEX cases_open_received ON cases (received_at DESC, id, status) WHERE status IN ('draft', 'registered');
      DROP INDEX IF EXISTS cases_open_code_key;
      CREATE INDEX cases_open_code_key ON cases (htmp_code, coalesce(due_date, '~'), received_at, id, status, ${OPEN_TEXT}) WHERE status IN ('draft', 'registered');
    `);
  },
};
