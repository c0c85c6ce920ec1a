import type Database from 'better-sqlite3';
import { registerStoredFormFunctions } from '../stored-form';
import { m0021Size } from './0021-size';
import type { Migration } from './types';

/**
 * Database size, third step (issue 17): the documents of a case stored shorter (stored-form.ts).
 *
 * - `case_documents`: the id as its 16 bytes (it is also in every entry of `case_documents_case`)
 *   and both times as milliseconds (INTEGER) instead of 24 characters.
 * - `document_files`: `document_id` (it references `case_documents(id)`, so it takes the same
 *   form) and both times the same way.
 *
 * The columns are declared ANY: a value that is not the app's own text form (a UUID in lower case
 * with dashes, an ISO time from `toISOString`) is kept as it came, so every row reads back as the
 * same text. Rebuilt the way 0021 rebuilds tables: rows to a temporary table, the table dropped
 * and created again under its own name, rows copied back in key order, foreign keys checked at the
 * commit. One transaction with the other migrations (killed midway, nothing of it is kept);
 * idempotent (a table already converted is left alone); neither table has triggers.
 */

const CREATE_DOCUMENTS = `
  CREATE TABLE case_documents (
    id ANY PRIMARY KEY,
    created_at ANY NOT NULL,
    updated_at ANY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL CHECK (kind IN ('identity', 'referral', 'record_extract', 'test_results', 'other')),
    title TEXT,
    paper INTEGER NOT NULL DEFAULT 0 CHECK (paper IN (0, 1)),
    signatures TEXT NOT NULL DEFAULT '[]',
    seal INTEGER NOT NULL DEFAULT 0 CHECK (seal IN (0, 1)),
    clinical_diagnosis TEXT,
    items TEXT NOT NULL DEFAULT '[]'
  ) STRICT, WITHOUT ROWID;
`;
const DOCUMENTS_COLUMNS = ['id', 'created_at', 'updated_at', 'case_id', 'position', 'kind', 'title', 'paper', 'signatures', 'seal', 'clinical_diagnosis', 'items'];

const CREATE_FILES = `
  CREATE TABLE document_files (
    id TEXT PRIMARY KEY,
    created_at ANY NOT NULL,
    updated_at ANY NOT NULL,
    document_id ANY NOT NULL REFERENCES case_documents (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    sha256 TEXT NOT NULL REFERENCES stored_files (sha256),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL
  ) STRICT;
`;
const FILES_COLUMNS = ['id', 'created_at', 'updated_at', 'document_id', 'case_id', 'sha256', 'name', 'mime', 'size'];

const columnType = (db: Database.Database, table: string, column: string): string | undefined =>
  (db.prepare('SELECT type FROM pragma_table_info(?) WHERE name = ?').get(table, column) as { type: string } | undefined)?.type;

const converted = (col: string, forms: Record<string, 'uuid' | 'time'>): string =>
  forms[col] === 'uuid' ? `htmp_uuid_bytes(${col})` : forms[col] === 'time' ? `htmp_time_ms(${col})` : col;

export const m0023Size: Migration = {
  version: 23,
  name: 'size-document-keys',
  up(db) {
    const docsDone = columnType(db, 'case_documents', 'id') === 'ANY';
    const filesDone = columnType(db, 'document_files', 'document_id') === 'ANY';
    if (docsDone && filesDone) return;
    registerStoredFormFunctions(db);
    // document_files references case_documents: checked at the commit, when the rows are back.
    db.pragma('defer_foreign_keys = ON');
    const docForms = { id: 'uuid', created_at: 'time', updated_at: 'time' } as const;
    const fileForms = { document_id: 'uuid', created_at: 'time', updated_at: 'time' } as const;
    db.exec(`
      CREATE TEMP TABLE size_old_files AS SELECT * FROM main.document_files;
      DROP TABLE main.document_files;
    `);
    if (!docsDone) {
      db.exec(`
        CREATE TEMP TABLE size_old_documents AS SELECT * FROM main.case_documents;
        DROP TABLE main.case_documents;
        ${CREATE_DOCUMENTS}
        INSERT INTO case_documents (${DOCUMENTS_COLUMNS.join(', ')})
          SELECT ${DOCUMENTS_COLUMNS.map((c) => converted(c, docForms)).join(', ')} FROM size_old_documents ORDER BY 1;
        DROP TABLE size_old_documents;
        CREATE INDEX case_documents_case ON case_documents (case_id, position);
      `);
    }
    db.exec(`
      ${CREATE_FILES}
      INSERT INTO document_files (${FILES_COLUMNS.join(', ')})
        SELECT ${FILES_COLUMNS.map((c) => converted(c, filesDone ? {} : fileForms)).join(', ')} FROM size_old_files ORDER BY id;
      DROP TABLE size_old_files;
      CREATE INDEX document_files_document ON document_files (document_id);
      CREATE INDEX document_files_case ON document_files (case_id);
    `);
  },
  // The same packing as 0021 (one VACUUM up to VACUUM_MAX_BYTES in use, otherwise the free pages back).
  after: m0021Size.after!,
};
