/**
 * The plain reference database (`reference.sqlite`): a copy of the data that is not about
 * patients — the catalogue and its local notes, the working-day calendar, the settings, the
 * trusted catalogue publishers — so that the commands and screens that need no patient data
 * (catalogue, deadline, scoring, checking a case file or a bundle, the sign-in screen's
 * language) work before anyone signs in, from the CLI too.
 *
 * Why a copy and not a second database the app writes to: the encrypted database stays the one
 * source of truth with the schema every area migrates (areas keep writing reference tables the
 * way they always did, in one transaction with their other writes), and the copy is rebuilt
 * whole (written beside, renamed) whenever its fingerprint differs after a sign-in or a write
 * to those tables. It has the full schema (the same migrations) and only the tables named in
 * REFERENCE_TABLES filled; it is opened read-only, so nothing of a patient can be written to it.
 * The marker test scans it with the rest of the folder.
 *
 * To add a table of reference data (no patient in it), list it in REFERENCE_TABLES.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureShippedCatalogue } from './catalogue/loader';
import { latestSchemaVersion, migrate, openDatabase, type Db } from './db';
import { fsyncDir } from './vault/keyring';

export const REFERENCE_FILE = 'reference.sqlite';

/** Tables copied whole into the reference database. */
export const REFERENCE_TABLES: readonly string[] = [
  'catalogue_editions',
  'catalogue_entries',
  'catalogue_characteristics',
  'catalogue_info',
  'catalogue_translations',
  'catalogue_notes',
  'catalogue_edition_dates',
  'settings',
  'exchange_publishers',
  'exchange_catalogue_updates',
  'zone_config',
];

/** Rows of `meta` copied too (by key). */
export const REFERENCE_META_KEYS: readonly string[] = ['installation_id', 'calendar_override'];

export const referencePath = (dataDir: string): string => path.join(dataDir, REFERENCE_FILE);

const existing = (db: Db, schema: string): Set<string> =>
  new Set((db.prepare(`SELECT name FROM ${schema}.sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));

/** A cheap fingerprint of the reference data in a database (row counts and a hash of small tables). */
export function referenceFingerprint(db: Db): string {
  const have = existing(db, 'main');
  const parts: string[] = [];
  for (const t of REFERENCE_TABLES) {
    if (!have.has(t)) continue;
    const cols = (db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name);
    const stamp = cols.includes('updated_at') ? 'max(updated_at)' : cols.includes('applied_at') ? "max(applied_at) || group_concat(status)" : "''";
    const r = db.prepare(`SELECT count(*) AS n, ${stamp} AS s FROM "${t}"`).get() as { n: number; s: string | null };
    parts.push(`${t}:${r.n}:${r.s ?? ''}`);
  }
  for (const t of ['settings', 'catalogue_info']) {
    if (have.has(t)) parts.push(JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY key`).all()));
  }
  const meta = db.prepare(`SELECT key, value FROM meta WHERE key IN (${REFERENCE_META_KEYS.map(() => '?').join(', ')}) ORDER BY key`).all(...REFERENCE_META_KEYS);
  parts.push(JSON.stringify(meta));
  parts.push(String(db.pragma('user_version', { simple: true })));
  return parts.join('|');
}

function storedFingerprint(dataDir: string): string | null {
  const file = referencePath(dataDir);
  if (!fs.existsSync(file)) return null;
  try {
    const db = openDatabase(file, { readonly: true });
    try {
      return (db.prepare("SELECT value FROM meta WHERE key = 'reference_fingerprint'").pluck().get() as string | undefined) ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * Rebuilds the reference database from `source` (the open main database) when its fingerprint
 * changed, or from the shipped assets when there is no source. Returns true when it was written.
 */
export function refreshReference(dataDir: string, source: Db | null): boolean {
  const fp = source ? referenceFingerprint(source) : null;
  if (source && storedFingerprint(dataDir) === fp) return false;
  if (!source && fs.existsSync(referencePath(dataDir))) return false;
  const tmp = path.join(dataDir, `.reference-${randomUUID()}.tmp`);
  try {
    {
      const db = openDatabase(tmp);
      try {
        db.pragma('journal_mode = DELETE');
        migrate(db);
        if (!source) {
          ensureShippedCatalogue(db);
          db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('reference_fingerprint', 'shipped')").run();
        }
      } finally {
        db.close();
      }
    }
    if (source) {
      source.prepare('ATTACH DATABASE ? AS reference_copy KEY ?').run(tmp, '');
      try {
        const have = existing(source, 'main');
        source.transaction(() => {
          for (const t of REFERENCE_TABLES) {
            if (!have.has(t)) continue;
            source.exec(`DELETE FROM reference_copy."${t}"; INSERT INTO reference_copy."${t}" SELECT * FROM main."${t}"`);
          }
          const put = source.prepare('INSERT OR REPLACE INTO reference_copy.meta (key, value) SELECT key, value FROM main.meta WHERE key = ?');
          for (const k of REFERENCE_META_KEYS) put.run(k);
          source.prepare("INSERT OR REPLACE INTO reference_copy.meta (key, value) VALUES ('reference_fingerprint', ?)").run(fp);
        })();
      } finally {
        source.exec('DETACH DATABASE reference_copy');
      }
    }
    fs.renameSync(tmp, referencePath(dataDir));
    fsyncDir(dataDir);
    return true;
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}-journal`, { force: true });
  }
}

/** Opens the reference database read-only (building it from the shipped data if missing). */
export function openReference(dataDir: string): Db {
  if (fs.existsSync(referencePath(dataDir))) {
    const db = openDatabase(referencePath(dataDir), { readonly: true });
    if (db.pragma('user_version', { simple: true }) === latestSchemaVersion()) return db;
    // Written by an older build: rebuild it from the shipped data until the next sign-in.
    db.close();
    fs.rmSync(referencePath(dataDir), { force: true });
  }
  refreshReference(dataDir, null);
  return openDatabase(referencePath(dataDir), { readonly: true });
}
