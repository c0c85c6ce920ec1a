import type { Migration } from './types';

/**
 * The reports area: when the annual report of point 42 of ДСМ-238 for a year was submitted to the
 * local health authority (it is due in the first quarter of the next year; the Today screen reminds
 * from January until it is marked submitted). User data, one row per year.
 */
export const m0008Reports: Migration = {
  version: 8,
  name: 'reports',
  up(db) {
    db.exec(`
      CREATE TABLE report_submissions (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        year INTEGER NOT NULL UNIQUE,
        submitted_on TEXT,
        note TEXT
      ) STRICT;
    `);
  },
};
