import type Database from 'better-sqlite3';
import { reclaimSpace, VACUUM_MAX_BYTES } from '../db-space';
import type { Migration } from './types';

/**
 * Database size, second step (issue 17): three tables stored shorter, nothing they hold lost.
 *
 * - `report_facts` (derived, never synchronised: electron/core/aftercare/facts.ts) becomes a
 *   WITHOUT ROWID table keyed by `(received_date, case_id)`: the table IS the dashboard's range
 *   index (the covering index `report_facts_received` and the rowid table held every column
 *   twice). `received_date` is '' for a case without one (a key column cannot be NULL; every
 *   query compares it with a date, which '' never matches; `factFromRow` reads '' as null). The
 *   provider's name, the same few names on every row, moves to `report_providers` (one row per
 *   name; `report_facts.provider_no` points to it; readers join through `FACTS_SQL`). The indexes
 *   of the other dates keep only the rows that have the date (every query asks for a range).
 *   The rows are copied, so the facts stay valid (`meta.report_facts_key` is kept).
 * - `case_documents` becomes a WITHOUT ROWID table keyed by its `id`: the rowid B-tree and the
 *   separate index of the id were two trees for one key. The Store's SQL (`WHERE id = ?`) and
 *   every reader are unchanged; `document_files.document_id` still references `case_documents(id)`.
 *
 * - `audit_log` keeps its two HMAC-SHA256 hashes as their 32 bytes (BLOB), not 64 hex digits: a
 *   fifth of every row. The chain and its verification are the same (auth/audit.ts reads and
 *   writes the bytes; the head in `meta` stays hex); the append-only triggers are recreated.
 *
 * Tables are rebuilt the one way that keeps every other table's foreign keys satisfied: the rows
 * are copied to a temporary table, the table is dropped and created again under its own name
 * (so its SQL text is the one a new installation gets, as the backup schema check requires) and
 * the rows copied back; foreign keys are checked at the commit (`defer_foreign_keys`). One
 * transaction with the other migrations: killed midway, nothing of it is kept. Idempotent: a table
 * already in the new layout is left alone. Neither table has triggers.
 */

const FACTS_COLUMNS = [
  'case_id', 'status', 'received_date', 'htmp_code', 'section', 'funding', 'provider_no', 'inpatient', 'outcome', 'reason', 'decided_on',
  'review_due', 'review_wd', 'review_on_time', 'operation_date', 'complications', 'disability', 'death', 'death_date', 'survival_one_year',
  'follow_up_due',
];

const CREATE_FACTS = `
  CREATE TABLE report_providers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  ) STRICT;
  CREATE TABLE report_facts (
    case_id TEXT NOT NULL,
    status TEXT NOT NULL,
    received_date TEXT NOT NULL,
    htmp_code TEXT NOT NULL,
    section INTEGER,
    funding TEXT,
    provider_no INTEGER NOT NULL,
    inpatient INTEGER NOT NULL,
    outcome TEXT,
    reason TEXT,
    decided_on TEXT,
    review_due TEXT,
    review_wd INTEGER,
    review_on_time INTEGER,
    operation_date TEXT,
    complications INTEGER,
    disability INTEGER,
    death INTEGER,
    death_date TEXT,
    survival_one_year INTEGER,
    follow_up_due TEXT,
    PRIMARY KEY (received_date, case_id)
  ) STRICT, WITHOUT ROWID;
`;

const FACTS_INDEXES = `
  CREATE UNIQUE INDEX report_facts_case ON report_facts (case_id);
  CREATE INDEX report_facts_decided ON report_facts (decided_on) WHERE decided_on IS NOT NULL;
  CREATE INDEX report_facts_operation ON report_facts (operation_date) WHERE operation_date IS NOT NULL;
  CREATE INDEX report_facts_death ON report_facts (death_date) WHERE death_date IS NOT NULL;
  CREATE INDEX report_facts_follow_up ON report_facts (follow_up_due) WHERE follow_up_due IS NOT NULL;
`;

const CREATE_DOCUMENTS = `
  CREATE TABLE case_documents (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
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

const DOCUMENTS_INDEXES = `
  CREATE INDEX case_documents_case ON case_documents (case_id, position);
`;

// audit_log as in 0014-auth, its two hashes stored as their 32 bytes instead of 64 hex digits.
const CREATE_AUDIT = `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    user_name TEXT,
    action TEXT NOT NULL,
    method TEXT,
    outcome TEXT NOT NULL,
    case_id TEXT,
    patient_iin TEXT,
    host TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
  ) STRICT;
`;

const AUDIT_INDEXES = `
  CREATE INDEX audit_log_at ON audit_log (at);
  CREATE INDEX audit_log_user ON audit_log (user_id, seq);
  CREATE INDEX audit_log_iin ON audit_log (patient_iin, seq);
  CREATE INDEX audit_log_action ON audit_log (action, seq);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`;

const isWithoutRowid = (db: Database.Database, table: string): boolean =>
  /WITHOUT\s+ROWID\s*$/i.test(((db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined)?.sql ?? '').trim());

function rebuildFacts(db: Database.Database): void {
  if (isWithoutRowid(db, 'report_facts')) return;
  db.exec(`
    CREATE TEMP TABLE size_old_facts AS SELECT * FROM main.report_facts;
    DROP TABLE main.report_facts;
    ${CREATE_FACTS}
    INSERT INTO report_providers (name) SELECT DISTINCT provider FROM size_old_facts ORDER BY provider;
    INSERT INTO report_facts (${FACTS_COLUMNS.join(', ')})
      SELECT ${FACTS_COLUMNS.map((c) => (c === 'provider_no' ? 'p.id' : c === 'received_date' ? "coalesce(f.received_date, '')" : `f.${c}`)).join(', ')}
        FROM size_old_facts f JOIN report_providers p ON p.name = f.provider
       ORDER BY coalesce(f.received_date, ''), f.case_id;
    DROP TABLE size_old_facts;
    ${FACTS_INDEXES}
  `);
}

function rebuildDocuments(db: Database.Database): void {
  if (isWithoutRowid(db, 'case_documents')) return;
  db.exec(`
    CREATE TEMP TABLE size_old_documents AS SELECT * FROM main.case_documents;
    DROP TABLE main.case_documents;
    ${CREATE_DOCUMENTS}
    INSERT INTO case_documents SELECT * FROM size_old_documents ORDER BY id;
    DROP TABLE size_old_documents;
    ${DOCUMENTS_INDEXES}
  `);
}

function rebuildAudit(db: Database.Database): void {
  const hash = (db.prepare("SELECT type FROM pragma_table_info('audit_log') WHERE name = 'hash'").get() as { type: string } | undefined)?.type;
  if (hash !== 'TEXT') return;
  // DROP TABLE fires no trigger (the append-only ones go with the table and come back below).
  // A hash that is not hex (a row someone altered) keeps its bytes: verification still finds it.
  db.exec(`
    CREATE TEMP TABLE size_old_audit AS SELECT * FROM main.audit_log;
    DROP TABLE main.audit_log;
    ${CREATE_AUDIT}
    INSERT INTO audit_log (seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail, prev_hash, hash)
      SELECT seq, at, user_id, user_name, action, method, outcome, case_id, patient_iin, host, detail,
             coalesce(unhex(prev_hash), CAST(prev_hash AS BLOB)), coalesce(unhex(hash), CAST(hash AS BLOB))
        FROM size_old_audit ORDER BY seq;
    DROP TABLE size_old_audit;
    ${AUDIT_INDEXES}
  `);
}

export const m0021Size: Migration = {
  version: 21,
  name: 'size-layout',
  up(db) {
    // document_files references case_documents: checked at the commit, when the rows are back.
    db.pragma('defer_foreign_keys = ON');
    rebuildFacts(db);
    rebuildDocuments(db);
    rebuildAudit(db);
  },
  after(db) {
    // The rebuilt B-trees were filled in key order by page splits (about two thirds full) and
    // their old pages are free: one VACUUM (encrypted as before, in memory, skipped above
    // VACUUM_MAX_BYTES in use) packs them and gives the pages back; above, the free pages
    // alone are given back.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const used = ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
    if (used <= VACUUM_MAX_BYTES) {
      try {
        db.exec('VACUUM');
      } catch {
        /* another process writing: the free pages are given back below */
      }
    }
    reclaimSpace(db);
  },
};
