import type { Migration } from './types';

/**
 * The catalogue: the HTMP list editions, their entries and the ДСМ-238 characteristics are
 * reference data shipped in assets/catalogue (replaced as a whole by the loader, never edited);
 * local translations, notes and the user's in-force date of an edition are user data (Store).
 */
export const m0002Catalogue: Migration = {
  version: 2,
  name: 'catalogue',
  up(db) {
    db.exec(`
      -- Reference data (assets/catalogue, loaded by electron/core/catalogue/loader.ts).
      CREATE TABLE catalogue_editions (
        id TEXT PRIMARY KEY,
        order_number TEXT NOT NULL,
        order_date TEXT NOT NULL,
        order_title TEXT NOT NULL,          -- JSON {kk?, ru?}
        registration TEXT,                  -- JSON {number, date} or NULL
        in_force_from TEXT NOT NULL,        -- as shipped
        in_force_note TEXT NOT NULL,
        in_force_chosen INTEGER NOT NULL CHECK (in_force_chosen IN (0, 1)),
        languages TEXT NOT NULL,            -- JSON ["kk"]
        notes TEXT NOT NULL,                -- JSON [string]
        source TEXT NOT NULL,               -- JSON {file, sha256}
        section_titles TEXT NOT NULL        -- JSON {"1": {kk?, ru?}, ...}
      ) STRICT;

      CREATE TABLE catalogue_entries (
        edition_id TEXT NOT NULL REFERENCES catalogue_editions (id) ON DELETE CASCADE,
        section INTEGER NOT NULL CHECK (section IN (1, 2, 3)),
        position INTEGER NOT NULL,
        code TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        name TEXT NOT NULL,
        PRIMARY KEY (edition_id, section, position),
        UNIQUE (edition_id, section, code)
      ) STRICT;
      CREATE INDEX catalogue_entries_code ON catalogue_entries (code);

      CREATE TABLE catalogue_characteristics (
        code TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('unique', 'main')),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,                 -- JSON {kk?, ru?}
        staff TEXT NOT NULL,                -- JSON {text, requirements[]}
        devices TEXT NOT NULL,              -- JSON {text, items[]}
        notes TEXT NOT NULL                 -- JSON ["*", "**"]
      ) STRICT;

      -- Footnotes and the source of the characteristics; the content hash of the loaded data.
      CREATE TABLE catalogue_info (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- User data (written through the Store, logged in change_log).
      CREATE TABLE catalogue_translations (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        code TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('kk', 'ru')),
        text TEXT NOT NULL
      ) STRICT;
      CREATE INDEX catalogue_translations_code ON catalogue_translations (code, lang);

      CREATE TABLE catalogue_notes (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        code TEXT NOT NULL,
        text TEXT NOT NULL
      ) STRICT;
      CREATE INDEX catalogue_notes_code ON catalogue_notes (code);

      -- The user's in-force date of an edition whose date the data only chose (inForceChosen).
      CREATE TABLE catalogue_edition_dates (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        edition_id TEXT NOT NULL,
        in_force_from TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
    `);
  },
};
