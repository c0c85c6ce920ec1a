import type { Migration } from './types';

/** Installation identity, local settings and the change log every user-data write appends to. */
export const m0001Base: Migration = {
  version: 1,
  name: 'base',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- One row per field-level change of user data: the audit trail, and what sync sends.
      -- fields: JSON object {column: [old, new]}; origin: NULL for local edits, else the bundle id.
      CREATE TABLE change_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        change_id TEXT NOT NULL UNIQUE,
        table_name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
        fields TEXT NOT NULL,
        installation_id TEXT NOT NULL,
        at TEXT NOT NULL,
        origin TEXT
      ) STRICT;
      CREATE INDEX change_log_record ON change_log (table_name, record_id);
    `);
  },
};
