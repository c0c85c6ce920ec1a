import type { Migration } from './types';

/**
 * The cases area's schema: patients, cases (the register), the packet's documents and their
 * files, decisions with protocol numbers, the per-year protocol counters, portal events and the
 * follow-up after care. See shared/contract/cases.ts for the status model.
 *
 * Every table is user data written through the Store (change_log). Foreign keys do not cascade:
 * children are removed through the Store first, so every deletion is logged.
 *
 * `cases` carries a few columns derived on every save (received_date, due_date,
 * calendar_confirmed, complete, error/warning counts, search_text, outcome, protocol, portal
 * status) so the register can be filtered and sorted in SQL on 10,000 cases.
 */
export const m0003Cases: Migration = {
  version: 3,
  name: 'cases',
  up(db) {
    db.exec(`
      CREATE TABLE patients (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        iin TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        first_name TEXT NOT NULL DEFAULT '',
        middle_name TEXT,
        birth_date TEXT,
        sex TEXT CHECK (sex IS NULL OR sex IN ('male', 'female')),
        phone TEXT,
        primary_care_org TEXT,
        insured INTEGER CHECK (insured IS NULL OR insured IN (0, 1))
      ) STRICT;
      CREATE INDEX patients_iin ON patients (iin);

      -- received_at: local date-time as written; received_date: its date part (NULL when invalid).
      -- search_text: lower-cased 'iin last first middle' for the list's text query.
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        patient_id TEXT NOT NULL REFERENCES patients (id),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'registered', 'approved', 'refused')),
        registered_at TEXT,
        received_at TEXT NOT NULL DEFAULT '',
        received_date TEXT,
        channel TEXT CHECK (channel IS NULL OR channel IN ('paper', 'electronic', 'email')),
        htmp_code TEXT NOT NULL DEFAULT '',
        urgency TEXT CHECK (urgency IS NULL OR urgency IN ('planned', 'emergency')),
        inpatient INTEGER NOT NULL DEFAULT 0 CHECK (inpatient IN (0, 1)),
        diagnosis_icd10 TEXT NOT NULL DEFAULT '',
        diagnosis_text TEXT NOT NULL DEFAULT '',
        specialist_conclusion TEXT,
        provider_org TEXT,
        notes TEXT,
        due_date TEXT,
        calendar_confirmed INTEGER NOT NULL DEFAULT 1 CHECK (calendar_confirmed IN (0, 1)),
        complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
        error_count INTEGER NOT NULL DEFAULT 0,
        warning_count INTEGER NOT NULL DEFAULT 0,
        search_text TEXT NOT NULL DEFAULT '',
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('approved', 'refused')),
        reason TEXT CHECK (reason IS NULL OR reason IN ('no_indications', 'incomplete_packet', 'not_authentic')),
        decided_on TEXT,
        issued_on TEXT,
        protocol_year INTEGER,
        protocol_number INTEGER,
        portal_status TEXT CHECK (portal_status IS NULL OR portal_status IN ('to_export', 'exported', 'uploaded', 'accepted', 'rejected')),
        hospitalization_date TEXT,
        informed_channel TEXT CHECK (informed_channel IS NULL OR informed_channel IN ('voice', 'sms', 'cabinet', 'app')),
        informed_date TEXT
      ) STRICT;
      -- The register's order is (undated last, due date, received time, id): the *_order indexes
      -- serve it as is; the *_due ones serve "due today" / "overdue", where undated rows are out.
      CREATE INDEX cases_status_order ON cases (status, due_date IS NULL, due_date, received_at, id);
      CREATE INDEX cases_order ON cases (due_date IS NULL, due_date, received_at, id);
      CREATE INDEX cases_status_due ON cases (status, due_date, received_at, id);
      CREATE INDEX cases_due ON cases (due_date, received_at, id);
      CREATE INDEX cases_code ON cases (htmp_code, due_date);
      CREATE INDEX cases_received ON cases (received_date);
      CREATE INDEX cases_issued ON cases (issued_on);
      CREATE INDEX cases_patient ON cases (patient_id);

      -- signatures: JSON array of roles; items: JSON [{name, date}] (test results).
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
      ) STRICT;
      CREATE INDEX case_documents_case ON case_documents (case_id, position);

      -- Content-addressed store metadata: the bytes live in <data>/files/<sha256[0:2]>/<sha256>.
      CREATE TABLE stored_files (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        size INTEGER NOT NULL CHECK (size >= 0)
      ) STRICT;

      -- A file as attached to one document (name and type as given by the user).
      CREATE TABLE document_files (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        document_id TEXT NOT NULL REFERENCES case_documents (id),
        case_id TEXT NOT NULL REFERENCES cases (id),
        sha256 TEXT NOT NULL REFERENCES stored_files (sha256),
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX document_files_document ON document_files (document_id);
      CREATE INDEX document_files_case ON document_files (case_id);

      -- members: JSON [{name, role}]; packet_at_issue: JSON {complete, findings} taken at issue.
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        version INTEGER NOT NULL CHECK (version >= 1),
        outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'refused')),
        reason TEXT CHECK (reason IS NULL OR reason IN ('no_indications', 'incomplete_packet', 'not_authentic')),
        decided_on TEXT NOT NULL,
        members TEXT NOT NULL DEFAULT '[]',
        note TEXT,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued', 'superseded')),
        protocol_year INTEGER,
        protocol_number INTEGER,
        issued_at TEXT,
        supersedes_id TEXT REFERENCES decisions (id),
        superseded_by_id TEXT REFERENCES decisions (id),
        packet_at_issue TEXT,
        CHECK ((outcome = 'approved') = (reason IS NULL))
      ) STRICT;
      CREATE INDEX decisions_case ON decisions (case_id, version);
      -- Not UNIQUE: one laptop never gives a number twice (the counter only grows), but two
      -- laptops of a commission that both issue protocols offline can give the same number; sync
      -- must still carry both (they exist on paper) and the register shows the duplicate.
      CREATE INDEX decisions_protocol ON decisions (protocol_year, protocol_number);
      CREATE INDEX decisions_refusals ON decisions (outcome, state, decided_on);

      -- The last protocol number given in a year. Only ever increases: numbers are never reused.
      CREATE TABLE protocol_counters (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        year INTEGER NOT NULL UNIQUE,
        last_number INTEGER NOT NULL CHECK (last_number >= 0)
      ) STRICT;

      CREATE TABLE portal_events (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        status TEXT NOT NULL CHECK (status IN ('to_export', 'exported', 'uploaded', 'accepted', 'rejected')),
        at TEXT NOT NULL,
        note TEXT
      ) STRICT;
      CREATE INDEX portal_events_case ON portal_events (case_id, at);

      CREATE TABLE follow_ups (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL UNIQUE REFERENCES cases (id),
        operation_date TEXT,
        discharge_date TEXT,
        complications INTEGER CHECK (complications IS NULL OR complications IN (0, 1)),
        complications_note TEXT,
        disability INTEGER CHECK (disability IS NULL OR disability IN (0, 1)),
        death INTEGER CHECK (death IS NULL OR death IN (0, 1)),
        death_date TEXT,
        survival_one_year INTEGER CHECK (survival_one_year IS NULL OR survival_one_year IN (0, 1)),
        notes TEXT
      ) STRICT;
    `);
  },
};
