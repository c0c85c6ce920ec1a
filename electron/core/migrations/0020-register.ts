import type { Migration } from './types';

/**
 * The register at 100,000 cases (issue 17), third step: the undecided cases of one HTMP code in
 * the register's order, and one full index fewer.
 *
 * - `cases_open_code_key`: the undecided cases (draft, registered) by code, then the register's
 *   sort key. "Undecided + code" (with or without a name) reads its page and counts its exact
 *   total in this index alone, instead of walking every undecided case (cases_open_key) or every
 *   case of the code (cases_code_key) and reading each case's row for the other column. Partial:
 *   about a tenth of the cases at a commission that decides its cases.
 * - `cases_status_received_desc` (status, received time descending: a full index) goes. The
 *   undecided statuses "newest first" are read from `cases_open_received` (0013-register), which
 *   holds the same entries for them; a decided status newest first walks `cases_received_desc`
 *   and keeps the cases of that status (approved and refused are most cases, so a page of 50 is
 *   found after a few dozen entries), its total from the kept counts (0018-register-counts).
 *
 * Idempotent (the wave-1 encryption replays the migrations): IF NOT EXISTS / IF EXISTS.
 */
export const m0020Register: Migration = {
  version: 20,
  name: 'register',
  up(db) {
    db.exec(`
      CREATE INDEX IF NOT EXISTS cases_open_code_key ON cases (htmp_code, coalesce(due_date, '~'), received_at, id, status) WHERE status IN ('draft', 'registered');
      DROP INDEX IF EXISTS cases_status_received_desc;
    `);
  },
};
