import type { Migration } from './types';

/**
 * The treatment-abroad area (shared/contract/abroad.ts): requests with the route snapshot they
 * follow, the completed steps, the files of each step, the letters stored as issued and the
 * per-year request counter.
 *
 * - `abroad_requests.route_snapshot`: the JSON of the route in force when the request started
 *   (steps, working days, actors, documents): a later route version never changes it.
 * - `abroad_steps`: one row per completed step; its id is derived from (request, step), so two
 *   laptops that complete the same step merge by sync instead of clashing.
 * - `abroad_files.sha256` names content in the file store, registered in `stored_files` (the
 *   cases area's table) exactly like case files, so sync carries the content with the row.
 * - `abroad_letters`: the statement of a printed letter, stored on its first rendering; `issued_at`
 *   makes sync leave it unchanged (see exchange/sync.ts lock rules).
 *
 * Self-contained: it assumes only `stored_files` of the cases migration. User data, written
 * through the Store (change_log), listed in abroadTables.
 */
export const m0009Abroad: Migration = {
  version: 9,
  name: 'abroad',
  up(db) {
    db.exec(`
      CREATE TABLE abroad_requests (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 1),
        started_on TEXT NOT NULL,
        iin TEXT NOT NULL,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        middle_name TEXT,
        birth_date TEXT NOT NULL,
        sex TEXT CHECK (sex IS NULL OR sex IN ('male', 'female')),
        category TEXT NOT NULL CHECK (category IN ('child', 'service_injury')),
        disease_group TEXT NOT NULL CHECK (disease_group IN ('gamma_knife_brain', 'vascular_endovascular', 'skull_base', 'eye_malignant', 'keratoprosthesis', 'transplantation', 'larynx_stenosis', 'trachea_stenosis')),
        transplant_kind TEXT,
        confirmations TEXT NOT NULL DEFAULT '{}',
        instruction_ref TEXT,
        diagnosis_icd10 TEXT NOT NULL DEFAULT '',
        diagnosis_text TEXT NOT NULL DEFAULT '',
        route_id TEXT NOT NULL,
        route_version INTEGER NOT NULL,
        route_snapshot TEXT NOT NULL,
        clinic TEXT,
        contract_date TEXT,
        notes TEXT
      ) STRICT;
      CREATE INDEX abroad_requests_started ON abroad_requests (started_on, year, seq);
      CREATE INDEX abroad_requests_iin ON abroad_requests (iin);

      CREATE TABLE abroad_steps (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        request_id TEXT NOT NULL REFERENCES abroad_requests (id),
        step INTEGER NOT NULL CHECK (step >= 1),
        completed_on TEXT NOT NULL,
        note TEXT
      ) STRICT;
      CREATE INDEX abroad_steps_request ON abroad_steps (request_id, step);

      CREATE TABLE abroad_files (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        request_id TEXT NOT NULL REFERENCES abroad_requests (id),
        step INTEGER NOT NULL CHECK (step >= 1),
        document TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES stored_files (sha256),
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0)
      ) STRICT;
      CREATE INDEX abroad_files_request ON abroad_files (request_id, step);

      CREATE TABLE abroad_letters (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        request_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('petition', 'cover_letter')),
        step INTEGER NOT NULL CHECK (step >= 1),
        number TEXT NOT NULL,
        statement TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        issued_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX abroad_letters_request ON abroad_letters (request_id, kind, step, created_at);
      CREATE INDEX abroad_letters_number ON abroad_letters (number);

      CREATE TABLE abroad_counters (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        year INTEGER NOT NULL UNIQUE,
        last_number INTEGER NOT NULL CHECK (last_number >= 0)
      ) STRICT;
    `);
  },
};
