import type { Migration } from './types';

/**
 * The protocols area: the statement of every issued protocol, stored exactly as issued, so that
 * re-printing it later gives the same text and the same SHA-256 whatever happened to the case
 * data since, and a paper copy can be verified (`htmp protocol verify`).
 *
 * - `statement`: canonical JSON (shared/canonical-json.ts) of the protocol's statement (the
 *   ProtocolDoc without `generatedAt`); `sha256`: its SHA-256, as printed in the QR code.
 * - `lang` / `layout`: the variant printed when it was issued (any language can be printed later).
 * - No foreign keys to the cases tables and no UNIQUE on the decision: rows travel between laptops
 *   by sync in any order; when two statements exist for one decision the earliest stored is used.
 *
 * User data written through the Store (change_log).
 */
export const m0006Protocols: Migration = {
  version: 6,
  name: 'protocols',
  up(db) {
    db.exec(`
      CREATE TABLE protocol_statements (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL,
        decision_id TEXT NOT NULL,
        decision_version INTEGER NOT NULL CHECK (decision_version >= 1),
        number TEXT NOT NULL,
        protocol_date TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'refused')),
        lang TEXT NOT NULL CHECK (lang IN ('kk', 'ru', 'both')),
        layout TEXT NOT NULL CHECK (layout IN ('columns', 'sequential')),
        statement TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        issued_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX protocol_statements_decision ON protocol_statements (decision_id, created_at);
      CREATE INDEX protocol_statements_number ON protocol_statements (number);
      CREATE INDEX protocol_statements_date ON protocol_statements (protocol_date, number);
      CREATE INDEX protocol_statements_case ON protocol_statements (case_id, decision_version);
    `);
  },
};
