import type { Migration } from './types';

/**
 * The register at 100,000 cases (issue 17), sixth step: the index of the register newest first
 * (`cases_received_desc`) holds the status too.
 *
 * A decided status newest first ("approved, newest first": what the register shows after the
 * status filter and the other order are chosen) walks this index from the newest case and keeps
 * the cases of that status. The newest cases are the undecided ones (received in the last days,
 * not yet decided): at 100,000 cases the walk passed about 12,000 of them before the first
 * approved one, reading each one's row (a random page, decrypted) to learn its status: 37 ms for
 * the first call after sign-in. With the status as the last column the walk reads the index alone
 * (about 160 pages for those 12,000 entries). About 9 bytes more per case.
 *
 * Same name, so `INDEXED BY` and the bulk import's deferred indexes (exchange/bulk-indexes.ts)
 * are unchanged. Idempotent (the wave-1 encryption replays the migrations): dropped and made again.
 */
export const m0025Register: Migration = {
  version: 25,
  name: 'register',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS cases_received_desc;
      CREATE INDEX cases_received_desc ON cases (received_at DESC, id, status);
    `);
  },
};
