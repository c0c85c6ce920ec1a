import type { Migration } from './types';

/**
 * What follows a decision (ДСМ-238 points 36-42): the day the providing organization set the
 * hospitalization date, the discharge summary with its follow-up plan and its scans, the entries of
 * inpatients' refusals in the journal of point 40, and two DERIVED tables the Today screen, the
 * case list filter, the dashboard and the annual report read.
 *
 * User data (written through the Store): `cases.hospitalization_set_on`, `discharge_summaries`,
 * `aftercare_files`, `inpatient_refusal_entries`.
 *
 * Derived, never synchronised (electron/core/aftercare/facts.ts keeps them): `case_deadlines` (one
 * row per step with a due date: its due day and whether it is done; a partial index serves "overdue
 * now") and `report_facts` (one row per case: the dimensions and measures the reports count). They
 * are recomputed for a case on every change of its data, on this laptop or by sync, and rebuilt
 * whole when the calendar, the catalogue or their own version changes (`meta.report_facts_key`).
 * This migration leaves them empty: the first read builds them.
 */
export const m0007Aftercare: Migration = {
  version: 7,
  name: 'aftercare',
  up(db) {
    db.exec(`
      -- Point 38: the day the providing organization set the hospitalization date on the Portal.
      ALTER TABLE cases ADD COLUMN hospitalization_set_on TEXT;

      -- Point 41: the discharge summary («шығару эпикризі») sent after the care, with the
      -- recommendations for further treatment and the plan of joint follow-up. One per case.
      CREATE TABLE discharge_summaries (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL UNIQUE REFERENCES cases (id),
        received_on TEXT,
        recommendations TEXT,
        follow_up_plan TEXT
      ) STRICT;

      -- Files of the after-care steps (the discharge summary's scans), in the content store like
      -- the packet's files (a sha256 column: sync carries the content with the row).
      CREATE TABLE aftercare_files (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        kind TEXT NOT NULL CHECK (kind IN ('discharge_summary')),
        sha256 TEXT NOT NULL REFERENCES stored_files (sha256),
        name TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX aftercare_files_case ON aftercare_files (case_id);

      -- Point 40: a refusal of a patient already in hospital is entered in the journal of
      -- admissions and refusals of hospitalization (kept on the Portal). One per refusal decision.
      CREATE TABLE inpatient_refusal_entries (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        case_id TEXT NOT NULL REFERENCES cases (id),
        decision_id TEXT NOT NULL UNIQUE REFERENCES decisions (id),
        entered_on TEXT,
        entry_number TEXT,
        note TEXT
      ) STRICT;
      CREATE INDEX inpatient_refusal_entries_case ON inpatient_refusal_entries (case_id);

      -- Derived: the due day of each step with a deadline (points 38, 39, 42) of approved cases.
      CREATE TABLE case_deadlines (
        case_id TEXT NOT NULL,
        step TEXT NOT NULL CHECK (step IN ('hospitalization_date', 'inform', 'follow_up')),
        start_at TEXT NOT NULL,
        due_date TEXT NOT NULL,
        done INTEGER NOT NULL CHECK (done IN (0, 1)),
        done_on TEXT,
        calendar_confirmed INTEGER NOT NULL CHECK (calendar_confirmed IN (0, 1)),
        PRIMARY KEY (case_id, step)
      ) STRICT;
      CREATE INDEX case_deadlines_open ON case_deadlines (due_date, step) WHERE done = 0;

      -- Derived: one row per case for the reports (see electron/core/aftercare/facts.ts).
      CREATE TABLE report_facts (
        case_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        received_date TEXT,
        htmp_code TEXT NOT NULL,
        section INTEGER,
        funding TEXT,
        provider TEXT NOT NULL,
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
        follow_up_due TEXT
      ) STRICT;
      -- The dashboard counts cases received in a period: a covering index (every column it reads)
      -- keeps each of its GROUP BY queries to one range scan without table lookups.
      CREATE INDEX report_facts_received ON report_facts (
        received_date, status, section, funding, reason, review_wd, review_on_time, provider,
        operation_date, complications, disability, death, survival_one_year, follow_up_due
      );
      CREATE INDEX report_facts_decided ON report_facts (decided_on);
      CREATE INDEX report_facts_operation ON report_facts (operation_date);
      CREATE INDEX report_facts_death ON report_facts (death_date);
      CREATE INDEX report_facts_follow_up ON report_facts (follow_up_due);
    `);
  },
};
