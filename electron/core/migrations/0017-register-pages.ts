import type { Migration } from './types';

/**
 * The register's date filters at 100,000 cases (issue 17): the index of `received_date` carries
 * what a page of the register needs to be chosen without reading a case — the status, the code
 * and both sort keys (`coalesce(due_date, '~'), received_at, id`, see 0013-register).
 *
 * With it, "received in May 2025", "code X received in Q1" and their counts read index entries
 * only; the register's query picks the page's 50 ids from the index first and reads just those
 * cases (services/cases.ts `listCases`). Measured on the bench's 100,000 real cases: a month's
 * page 213 ms → 2 ms, code + quarter 143 ms → a few ms, its count 210 ms → 1 ms. It replaces the
 * one-column `cases_received`, which it covers.
 */
export const m0017RegisterPages: Migration = {
  version: 17,
  name: 'register-pages',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS cases_received;
      CREATE INDEX IF NOT EXISTS cases_received_key ON cases (received_date, status, htmp_code, coalesce(due_date, '~'), received_at, id);
    `);
  },
};
