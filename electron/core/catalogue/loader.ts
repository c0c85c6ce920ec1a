import { AppFailure } from '../../../shared/result';
import type { Db } from '../db';
import type { NoteText } from '../../../shared/domain/note-text';
import { catalogueDataSchema, dataHash, decodeNote, encodeNote, readShippedCatalogue, shippedHash, type CatalogueData } from './data';
import { invalidateCatalogue } from './state';

export interface LoadOptions {
  /** Content hash recorded with the data (default: a hash of the data object). */
  hash?: string;
  /** Where the data came from: `shipped` (assets) or e.g. a bundle id. */
  source?: string;
  /** The shipped assets' hash, recorded when the data is the shipped data. */
  shippedHash?: string;
  /** Load even when the recorded hash equals this data's hash. */
  force?: boolean;
}

export interface LoadResult {
  changed: boolean;
  hash: string;
  editions: number;
  entries: number;
  characteristics: number;
}

const INFO_KEYS = ['data_hash', 'data_source', 'loaded_at', 'footnotes', 'characteristics_source', 'shipped_hash'] as const;

/** Checks what the schema cannot: unique ids, codes and positions. Throws catalogue.bad_data. */
function checkData(data: CatalogueData): void {
  const bad = (message: string): never => {
    throw new AppFailure('catalogue.bad_data', { message });
  };
  const ids = new Set<string>();
  for (const e of data.editions) {
    if (ids.has(e.id)) bad(`edition ${e.id} twice`);
    ids.add(e.id);
    const sections = new Set<number>();
    for (const s of e.sections) {
      if (sections.has(s.section)) bad(`${e.id}: section ${s.section} twice`);
      sections.add(s.section);
      const codes = new Set<string>();
      const positions = new Set<number>();
      for (const x of s.entries) {
        if (codes.has(x.code)) bad(`${e.id}: code ${x.code} twice in section ${s.section}`);
        if (positions.has(x.position)) bad(`${e.id}: position ${x.position} twice in section ${s.section}`);
        codes.add(x.code);
        positions.add(x.position);
      }
    }
    if (e.languages.length !== 1) bad(`${e.id}: an edition carries names in exactly one language`);
  }
  const codes = new Set<string>();
  for (const c of data.characteristics?.entries ?? []) {
    if (codes.has(c.code)) bad(`characteristics: code ${c.code} twice`);
    codes.add(c.code);
  }
}

/** The hash of the data now loaded, or null before the first load. */
export function loadedHash(db: Db): string | null {
  const r = db.prepare("SELECT value FROM catalogue_info WHERE key = 'data_hash'").get() as { value: string } | undefined;
  return r?.value ?? null;
}

/**
 * Replaces the catalogue's reference data (editions, entries, characteristics) with `input`, in
 * one transaction: all or nothing. User data (local translations, notes, the user's in-force
 * dates) lives in other tables and is kept. Used at start for the shipped assets and by the
 * exchange area for catalogue-update bundles. Unchanged data (same hash) is not rewritten.
 */
export function loadCatalogue(db: Db, input: unknown, options: LoadOptions = {}): LoadResult {
  const parsed = catalogueDataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppFailure('catalogue.bad_data', { message: issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid' });
  }
  const data = parsed.data;
  checkData(data);
  const hash = options.hash ?? dataHash(data);
  const entries = data.editions.reduce((n, e) => n + e.sections.reduce((m, s) => m + s.entries.length, 0), 0);
  const result: LoadResult = { changed: false, hash, editions: data.editions.length, entries, characteristics: data.characteristics?.entries.length ?? 0 };
  if (!options.force && loadedHash(db) === hash) {
    if (options.shippedHash) putInfo(db, 'shipped_hash', options.shippedHash);
    return result;
  }
  db.transaction(() => {
    db.exec('DELETE FROM catalogue_entries; DELETE FROM catalogue_editions; DELETE FROM catalogue_characteristics;');
    const delInfo = db.prepare('DELETE FROM catalogue_info WHERE key = ?');
    for (const k of INFO_KEYS) if (k !== 'shipped_hash' || options.shippedHash) delInfo.run(k);
    const insEdition = db.prepare(
      `INSERT INTO catalogue_editions (id, order_number, order_date, order_title, registration, in_force_from, in_force_note, in_force_chosen, languages, notes, source, section_titles)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insEntry = db.prepare('INSERT INTO catalogue_entries (edition_id, section, position, code, lang, name) VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of data.editions) {
      const titles: Record<string, unknown> = {};
      for (const s of e.sections) titles[String(s.section)] = s.title;
      insEdition.run(
        e.id,
        e.order.number,
        e.order.date,
        JSON.stringify(e.order.title),
        e.registration ? JSON.stringify(e.registration) : null,
        e.inForceFrom,
        encodeNote(e.inForceNote),
        e.inForceChosen ? 1 : 0,
        JSON.stringify(e.languages),
        JSON.stringify(e.notes),
        JSON.stringify(e.source),
        JSON.stringify(titles),
      );
      const lang = e.languages[0]!;
      for (const s of e.sections) for (const x of s.entries) insEntry.run(e.id, s.section, x.position, x.code, lang, x.name);
    }
    if (data.characteristics) {
      const insCh = db.prepare('INSERT INTO catalogue_characteristics (code, kind, position, name, staff, devices, notes) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const c of data.characteristics.entries) {
        insCh.run(c.code, c.kind, c.position, JSON.stringify(c.name), JSON.stringify(c.staff), JSON.stringify(c.devices), JSON.stringify(c.notes));
      }
      putInfo(db, 'footnotes', JSON.stringify(data.characteristics.footnotes));
      putInfo(db, 'characteristics_source', JSON.stringify(data.characteristics.source));
    }
    putInfo(db, 'data_hash', hash);
    putInfo(db, 'data_source', options.source ?? 'data');
    putInfo(db, 'loaded_at', new Date().toISOString());
    if (options.shippedHash) putInfo(db, 'shipped_hash', options.shippedHash);
    // Data from elsewhere (a bundle) loaded before the shipped assets were ever checked: count
    // the current assets as seen, so they do not replace it until a build ships new ones.
    else if (!db.prepare("SELECT 1 FROM catalogue_info WHERE key = 'shipped_hash'").get()) putInfo(db, 'shipped_hash', shippedHash());
  })();
  invalidateCatalogue(db);
  return { ...result, changed: true };
}

function putInfo(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO catalogue_info (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

const ensured = new WeakMap<Db, string>();

/**
 * Loads the shipped assets when this database has never seen them or the build ships different
 * ones (compared by the hash of the asset files). Data loaded from a bundle stays until the next
 * build ships new assets. Checked once per connection.
 */
export function ensureShippedCatalogue(db: Db): LoadResult | null {
  const current = shippedHash();
  if (ensured.get(db) === current) return null;
  const row = db.prepare("SELECT value FROM catalogue_info WHERE key = 'shipped_hash'").get() as { value: string } | undefined;
  let result: LoadResult | null = null;
  if (row?.value !== current || loadedHash(db) === null) {
    const shipped = readShippedCatalogue();
    result = loadCatalogue(db, shipped.data, { hash: shipped.hash, source: 'shipped', shippedHash: shipped.hash });
  }
  ensured.set(db, current);
  return result;
}

/**
 * The reference data now loaded, as a data object of the same shape the loader takes (the
 * shipped in-force dates, not the user's edits). The exchange area can add an edition to it and
 * load the result, or export it.
 */
export function currentCatalogueData(db: Db): CatalogueData {
  const editions = (db.prepare('SELECT * FROM catalogue_editions ORDER BY in_force_from, id').all() as Record<string, string | number | null>[]).map((r) => {
    const titles = JSON.parse(String(r.section_titles)) as Record<string, { kk?: string; ru?: string }>;
    const entries = db.prepare('SELECT section, position, code, name FROM catalogue_entries WHERE edition_id = ? ORDER BY section, position').all(r.id) as {
      section: 1 | 2 | 3;
      position: number;
      code: string;
      name: string;
    }[];
    const sections = ([1, 2, 3] as const)
      .filter((s) => titles[String(s)] !== undefined || entries.some((e) => e.section === s))
      .map((s) => ({
        section: s,
        title: titles[String(s)] ?? {},
        entries: entries.filter((e) => e.section === s).map((e) => ({ position: e.position, code: e.code, name: e.name })),
      }));
    return {
      id: String(r.id),
      order: { number: String(r.order_number), date: String(r.order_date), title: JSON.parse(String(r.order_title)) as { kk?: string; ru?: string } },
      registration: r.registration === null ? null : (JSON.parse(String(r.registration)) as { number: string; date: string }),
      inForceFrom: String(r.in_force_from),
      inForceNote: decodeNote(String(r.in_force_note)),
      inForceChosen: r.in_force_chosen === 1,
      languages: JSON.parse(String(r.languages)) as ('kk' | 'ru')[],
      notes: JSON.parse(String(r.notes)) as NoteText[],
      source: JSON.parse(String(r.source)) as { file: string; sha256: string },
      sections,
    };
  });
  const info = new Map((db.prepare('SELECT key, value FROM catalogue_info').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const chRows = db.prepare('SELECT * FROM catalogue_characteristics ORDER BY position, code').all() as Record<string, string | number>[];
  const source = info.get('characteristics_source');
  const characteristics = source
    ? {
        source: JSON.parse(source) as NonNullable<CatalogueData['characteristics']>['source'],
        footnotes: JSON.parse(info.get('footnotes') ?? '{}') as Record<string, { kk?: string; ru?: string }>,
        entries: chRows.map((r) => ({
          code: String(r.code),
          kind: r.kind as 'unique' | 'main',
          position: Number(r.position),
          name: JSON.parse(String(r.name)) as { kk?: string; ru?: string },
          staff: JSON.parse(String(r.staff)) as NonNullable<CatalogueData['characteristics']>['entries'][number]['staff'],
          devices: JSON.parse(String(r.devices)) as NonNullable<CatalogueData['characteristics']>['entries'][number]['devices'],
          notes: JSON.parse(String(r.notes)) as string[],
        })),
      }
    : null;
  return catalogueDataSchema.parse({ editions, characteristics });
}
