import type { Migration } from './types';

/**
 * The organizations area (ДСМ-238 points 22-31, appendices 1-3): the registry of health
 * organizations that provide HTMP, their applications (app. 1), the conclusions of conformity
 * (app. 3) with their counters, the updates of points 29-30, and the provider chosen on a case.
 *
 * Every table is user data written through the Store (change_log), so it travels in sync bundles
 * and backups. Rules that keep sync simple:
 * - No UNIQUE on natural keys that two laptops may create independently: an organization's id is
 *   derived from its BIN, a conclusion's from its application, a counter's from its year, a case
 *   provider's from its case (nameBasedUuid), so the same thing created twice is one row merged
 *   field by field. A BIN that still appears twice (edited on one laptop) is shown as a duplicate.
 * - No foreign keys: rows arrive by sync in any order.
 * - An issued conclusion (`issued_at` set) and a concluded application (`locked_at` set) never
 *   change again, locally or by sync (electron/core/exchange/sync.ts lock rules); a reissue is a
 *   new conclusion that names the old one in `supersedes_id`.
 *
 * JSON columns: staff, devices, permits (the application's declared data, shared/domain/
 * conformity.ts); decisions (the assessor's per-requirement decisions); statement (canonical JSON
 * of the issued conclusion, its SHA-256 in `sha256`); details of an update.
 */
export const m0011Orgs: Migration = {
  version: 11,
  name: 'orgs',
  up(db) {
    db.exec(`
      -- search_text: folded 'bin name_kk name_ru address phone' (shared/domain/orgs.ts orgSearchText).
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        bin TEXT NOT NULL CHECK (length(bin) = 12),
        name_kk TEXT NOT NULL,
        name_ru TEXT NOT NULL,
        region TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('republican', 'regional', 'city', 'private')),
        address TEXT,
        phone TEXT,
        email TEXT,
        head TEXT,
        search_text TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX organizations_bin ON organizations (bin);
      CREATE INDEX organizations_region ON organizations (region, level);

      CREATE TABLE org_applications (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        org_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        code TEXT NOT NULL,
        first_time INTEGER NOT NULL DEFAULT 0 CHECK (first_time IN (0, 1)),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'received', 'concluded')),
        received_on TEXT,
        assessment_due TEXT,
        staff TEXT NOT NULL DEFAULT '[]',
        devices TEXT NOT NULL DEFAULT '[]',
        permits TEXT NOT NULL DEFAULT '[]',
        planned_volume INTEGER,
        note TEXT,
        locked_at TEXT
      ) STRICT;
      CREATE INDEX org_applications_org ON org_applications (org_id, year, code);
      CREATE INDEX org_applications_year ON org_applications (year, status);

      CREATE TABLE org_conclusions (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        application_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        year INTEGER NOT NULL,
        code TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued')),
        decisions TEXT NOT NULL DEFAULT '[]',
        staff_justification TEXT NOT NULL DEFAULT '',
        devices_justification TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        staff_conform INTEGER CHECK (staff_conform IS NULL OR staff_conform IN (0, 1)),
        devices_conform INTEGER CHECK (devices_conform IS NULL OR devices_conform IN (0, 1)),
        overall_conform INTEGER CHECK (overall_conform IS NULL OR overall_conform IN (0, 1)),
        number TEXT,
        number_year INTEGER,
        number_seq INTEGER,
        issued_on TEXT,
        valid_from TEXT,
        valid_to TEXT,
        signer_name TEXT,
        signer_position TEXT,
        supersedes_id TEXT,
        statement TEXT,
        sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
        issued_at TEXT
      ) STRICT;
      CREATE INDEX org_conclusions_application ON org_conclusions (application_id);
      CREATE INDEX org_conclusions_org ON org_conclusions (org_id, year);
      CREATE INDEX org_conclusions_number ON org_conclusions (number);
      CREATE INDEX org_conclusions_supersedes ON org_conclusions (supersedes_id) WHERE supersedes_id IS NOT NULL;
      -- Who may receive a patient for a code on a date (point 31): every column the answer needs, so
      -- the eligibility index (electron/core/orgs/eligibility.ts) is read from this index alone.
      -- Issued conclusions never change, so keeping it costs nothing after their issue.
      CREATE INDEX org_conclusions_eligible ON org_conclusions (code, valid_from, valid_to, org_id, number, year, issued_on) WHERE state = 'issued' AND overall_conform = 1;

      -- The last conclusion number given in a year. Only ever increases.
      CREATE TABLE conformity_counters (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        year INTEGER NOT NULL,
        last_number INTEGER NOT NULL CHECK (last_number >= 0)
      ) STRICT;

      -- kind: point 29 (staff_left, staff_replaced, device_fault; due = event + 10 working days) or
      -- point 30 (code_changed, name_changed; due = application + 30 calendar days).
      CREATE TABLE org_updates (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        conclusion_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('staff_left', 'staff_replaced', 'device_fault', 'code_changed', 'name_changed')),
        event_on TEXT NOT NULL,
        due_on TEXT NOT NULL,
        done_on TEXT,
        subject TEXT NOT NULL DEFAULT '',
        new_code TEXT,
        note TEXT,
        new_conclusion_id TEXT
      ) STRICT;
      CREATE INDEX org_updates_conclusion ON org_updates (conclusion_id);
      CREATE INDEX org_updates_open ON org_updates (done_on, due_on);

      -- The provider chosen on a case from the registry (one row per case).
      CREATE TABLE case_providers (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL,
        org_id TEXT
      ) STRICT;
      CREATE INDEX case_providers_case ON case_providers (case_id);
      CREATE INDEX case_providers_org ON case_providers (org_id);
    `);
  },
};
