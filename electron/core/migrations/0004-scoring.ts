import type { Migration } from './types';

/**
 * The scoring area's schema: scoring sheets (ДСМ-134 rules point 2), inputs of the criteria of
 * leaving the HTMP list (rules points 3-4) and the edited region-to-zone grouping.
 *
 * Only what the user entered is stored (levels, years, rationale, counts, tariffs); totals, means
 * and criteria results are recomputed from the rules on every read.
 */
export const m0004Scoring: Migration = {
  version: 4,
  name: 'scoring',
  up(db) {
    db.exec(`
      -- One evaluator's sheet for one technology. technology_key groups sheets of the same
      -- technology: 'code:<HTMP code>' or 'new:<normalized name>' for a proposed technology.
      -- innovation_level is always set; innovation_years is set when the level was derived from years.
      CREATE TABLE scoring_sheets (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        technology_key TEXT NOT NULL,
        technology_code TEXT,
        technology_name TEXT NOT NULL DEFAULT '',
        innovation_level INTEGER NOT NULL CHECK (innovation_level BETWEEN 1 AND 4),
        innovation_years REAL CHECK (innovation_years IS NULL OR innovation_years >= 0),
        resource_level INTEGER NOT NULL CHECK (resource_level BETWEEN 1 AND 4),
        uniqueness_level INTEGER NOT NULL CHECK (uniqueness_level BETWEEN 1 AND 4),
        complexity_level INTEGER NOT NULL CHECK (complexity_level BETWEEN 1 AND 4),
        rationale_innovation TEXT NOT NULL DEFAULT '',
        rationale_resource TEXT NOT NULL DEFAULT '',
        rationale_uniqueness TEXT NOT NULL DEFAULT '',
        rationale_complexity TEXT NOT NULL DEFAULT '',
        evaluator TEXT NOT NULL,
        scored_on TEXT NOT NULL
      ) STRICT;
      CREATE INDEX scoring_sheets_technology ON scoring_sheets (technology_key, scored_on);

      -- Inputs of the transfer criteria for one technology and year. Money in tiyn.
      -- regions: JSON [{region, regionalCases, republicanCases}]; list_tariffs: JSON [int].
      CREATE TABLE transfer_inputs (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        code TEXT NOT NULL,
        year INTEGER NOT NULL,
        regions TEXT NOT NULL,
        tariff INTEGER NOT NULL,
        list_tariffs TEXT NOT NULL,
        cases_per_year INTEGER NOT NULL,
        population INTEGER NOT NULL,
        lethal_or_complicated INTEGER NOT NULL,
        UNIQUE (code, year)
      ) STRICT;

      -- The commission's edit of the region-to-zone grouping (one row, id 'zones'); no row means
      -- the shipped default. config: JSON {regions: [{id, zone}]}, checked by parseZoneConfig.
      CREATE TABLE zone_config (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        config TEXT NOT NULL
      ) STRICT;
    `);
  },
};
