import type {
  Characteristics,
  EditionPeriod,
  EditionRef,
  EditionSummary,
  LocalNote,
  LocalTranslation,
  LocalizedText,
  NamePair,
  NameSource,
  NameSources,
  SectionNo,
} from '../../../shared/contract/catalogue';
import type { Lang } from '../../../shared/contract';
import { addDays } from '../../../shared/domain/calendar';
import { SearchIndex, type SearchText } from '../../../shared/domain/search';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import type { Store } from '../store';
import type { NoteText } from '../../../shared/domain/note-text';
import { CHARACTERISTICS_SOURCE_ID, decodeNote } from './data';
import { ensureShippedCatalogue } from './loader';
import { catalogueGeneration, invalidateCatalogue } from './state';

export const LANG_LIST: readonly Lang[] = ['kk', 'ru'];

export interface EntryRow {
  section: SectionNo;
  position: number;
  code: string;
  lang: Lang;
  name: string;
}

export interface EditionModel {
  summary: EditionSummary;
  lang: Lang;
  /** Entries in section, position order. */
  entries: EntryRow[];
  /** Per code, its entries in section order. */
  byCode: Map<string, EntryRow[]>;
}

export interface LocalizedName {
  text: string;
  source: NameSource;
}

/** The user tables of the catalogue: a write to one of them invalidates the model. */
export const USER_TABLES = new Set(['catalogue_translations', 'catalogue_notes', 'catalogue_edition_dates']);

const parse = <T>(s: string | null): T => (s === null ? (null as T) : (JSON.parse(s) as T));

/**
 * Everything the catalogue knows, in memory: built from the database once and kept per
 * connection until the data changes. Lookups are map reads; the search index is built on the
 * first search.
 */
export class CatalogueModel {
  /** Editions by effective in-force date, oldest first. */
  readonly editions: EditionModel[] = [];
  readonly editionById = new Map<string, EditionModel>();
  readonly characteristics = new Map<string, Characteristics>();
  readonly translations = new Map<string, LocalTranslation[]>();
  readonly notes = new Map<string, LocalNote[]>();
  /** Every code any edition or the characteristics know, sorted as strings. */
  readonly codes: string[];
  private readonly codeIndex = new Map<string, number>();
  private index: SearchIndex | null = null;

  constructor(db: Db) {
    const edits = new Map<string, { date: string; reason: string; updatedAt: string }>();
    for (const r of db.prepare('SELECT edition_id, in_force_from, reason, updated_at FROM catalogue_edition_dates ORDER BY updated_at, id').all() as {
      edition_id: string;
      in_force_from: string;
      reason: string;
      updated_at: string;
    }[]) {
      edits.set(r.edition_id, { date: r.in_force_from, reason: r.reason, updatedAt: r.updated_at });
    }
    const rows = db.prepare('SELECT * FROM catalogue_editions').all() as Record<string, string | number | null>[];
    const entryStmt = db.prepare('SELECT section, position, code, lang, name FROM catalogue_entries WHERE edition_id = ? ORDER BY section, position');
    for (const r of rows) {
      const id = String(r.id);
      const languages = parse<Lang[]>(r.languages as string);
      const chosen = r.in_force_chosen === 1;
      const edit = chosen ? edits.get(id) : undefined;
      const entries = entryStmt.all(id) as EntryRow[];
      const counts = ([1, 2, 3] as SectionNo[])
        .map((section) => ({ section, entries: entries.filter((e) => e.section === section).length }))
        .filter((c) => c.entries > 0);
      const summary: EditionSummary = {
        id,
        order: String(r.order_number),
        orderDate: String(r.order_date),
        inForceFrom: edit?.date ?? String(r.in_force_from),
        languages,
        orderTitle: parse<LocalizedText>(r.order_title as string),
        registration: parse<{ number: string; date: string } | null>(r.registration as string | null),
        inForceShipped: String(r.in_force_from),
        inForceChosen: chosen,
        inForceNote: decodeNote(String(r.in_force_note)),
        inForceEdited: edit ? { reason: edit.reason, updatedAt: edit.updatedAt } : null,
        notes: parse<NoteText[]>(r.notes as string),
        source: parse<{ file: string; sha256: string }>(r.source as string),
        sectionTitles: { '1': {}, '2': {}, '3': {}, ...parse<Partial<Record<'1' | '2' | '3', LocalizedText>>>(r.section_titles as string) },
        counts,
      };
      const byCode = new Map<string, EntryRow[]>();
      for (const e of entries) {
        const list = byCode.get(e.code);
        if (list) list.push(e);
        else byCode.set(e.code, [e]);
      }
      const m: EditionModel = { summary, lang: languages[0] ?? 'ru', entries, byCode };
      this.editions.push(m);
      this.editionById.set(id, m);
    }
    this.editions.sort((a, b) => (a.summary.inForceFrom < b.summary.inForceFrom ? -1 : a.summary.inForceFrom > b.summary.inForceFrom ? 1 : a.summary.id < b.summary.id ? -1 : 1));

    const info = new Map(
      (db.prepare("SELECT key, value FROM catalogue_info WHERE key IN ('footnotes', 'characteristics_source')").all() as { key: string; value: string }[]).map(
        (r) => [r.key, r.value],
      ),
    );
    const footnotes = parse<Record<string, LocalizedText> | null>(info.get('footnotes') ?? null) ?? {};
    const chSource = parse<{ order: string; date: string; appendix: number; language: Lang } | null>(info.get('characteristics_source') ?? null);
    for (const r of db.prepare('SELECT * FROM catalogue_characteristics ORDER BY position').all() as Record<string, string | number>[]) {
      const name = parse<LocalizedText>(r.name as string);
      this.characteristics.set(String(r.code), {
        code: String(r.code),
        kind: r.kind as 'unique' | 'main',
        position: Number(r.position),
        name: { kk: name.kk ?? null, ru: name.ru ?? null },
        staff: parse(r.staff as string),
        devices: parse(r.devices as string),
        notes: parse<string[]>(r.notes as string).map((mark) => ({ mark, text: { kk: footnotes[mark]?.kk ?? null, ru: footnotes[mark]?.ru ?? null } })),
        source: chSource
          ? { order: chSource.order, date: chSource.date, appendix: chSource.appendix, language: chSource.language }
          : { order: '', date: '', appendix: 2, language: 'kk' },
      });
    }
    for (const r of db.prepare('SELECT id, code, lang, text, updated_at FROM catalogue_translations ORDER BY updated_at DESC, id').all() as {
      id: string;
      code: string;
      lang: Lang;
      text: string;
      updated_at: string;
    }[]) {
      const t: LocalTranslation = { id: r.id, code: r.code, lang: r.lang, text: r.text, updatedAt: r.updated_at };
      const list = this.translations.get(r.code);
      if (list) list.push(t);
      else this.translations.set(r.code, [t]);
    }
    for (const r of db.prepare('SELECT id, code, text, updated_at FROM catalogue_notes ORDER BY created_at, id').all() as {
      id: string;
      code: string;
      text: string;
      updated_at: string;
    }[]) {
      const n: LocalNote = { id: r.id, code: r.code, text: r.text, updatedAt: r.updated_at };
      const list = this.notes.get(r.code);
      if (list) list.push(n);
      else this.notes.set(r.code, [n]);
    }
    const all = new Set<string>();
    for (const e of this.editions) for (const c of e.byCode.keys()) all.add(c);
    for (const c of this.characteristics.keys()) all.add(c);
    this.codes = [...all].sort();
    this.codes.forEach((c, i) => this.codeIndex.set(c, i));
  }

  isKnown(code: string): boolean {
    return this.codeIndex.has(code);
  }

  /** The edition in force on a date: the latest with inForceFrom <= date. */
  editionOn(date: string): EditionModel | null {
    let found: EditionModel | null = null;
    for (const e of this.editions) if (e.summary.inForceFrom <= date) found = e;
    return found;
  }

  /**
   * The best name per language: the given edition's, else the latest edition that has one, else
   * the characteristics, else a local translation. Never translated by machine.
   */
  names(code: string, edition: EditionModel | null, preferSection?: SectionNo): Record<Lang, LocalizedName | null> {
    const out: Record<Lang, LocalizedName | null> = { kk: null, ru: null };
    for (const lang of LANG_LIST) out[lang] = this.nameIn(code, lang, edition, preferSection);
    return out;
  }

  private nameIn(code: string, lang: Lang, edition: EditionModel | null, preferSection?: SectionNo): LocalizedName | null {
    const fromEdition = (e: EditionModel): LocalizedName | null => {
      if (e.lang !== lang) return null;
      const list = e.byCode.get(code);
      if (!list || list.length === 0) return null;
      const entry = (preferSection !== undefined ? list.find((x) => x.section === preferSection) : undefined) ?? list[0]!;
      return { text: entry.name, source: { kind: 'edition', id: e.summary.id } };
    };
    if (edition) {
      const n = fromEdition(edition);
      if (n) return n;
    }
    for (let i = this.editions.length - 1; i >= 0; i--) {
      const e = this.editions[i]!;
      if (e === edition) continue;
      const n = fromEdition(e);
      if (n) return n;
    }
    const ch = this.characteristics.get(code)?.name[lang];
    if (ch) return { text: ch, source: { kind: 'characteristics', id: CHARACTERISTICS_SOURCE_ID } };
    const local = this.translations.get(code)?.find((t) => t.lang === lang);
    if (local) return { text: local.text, source: { kind: 'local', id: local.id } };
    return null;
  }

  /** Splits a names record into the contract's name and nameSource pairs. */
  static pairs(names: Record<Lang, LocalizedName | null>): { name: NamePair; nameSource: NameSources } {
    return {
      name: { kk: names.kk?.text ?? null, ru: names.ru?.text ?? null },
      nameSource: { kk: names.kk?.source ?? null, ru: names.ru?.source ?? null },
    };
  }

  /** The search index over every known code (names in all languages, local translations too). */
  searchIndex(): SearchIndex {
    if (this.index) return this.index;
    this.index = new SearchIndex(
      this.codes.map((code) => {
        const texts: SearchText[] = [];
        for (const e of this.editions) for (const x of e.byCode.get(code) ?? []) texts.push({ text: x.name, lang: x.lang });
        const ch = this.characteristics.get(code);
        if (ch?.name.kk) texts.push({ text: ch.name.kk, lang: 'kk' });
        if (ch?.name.ru) texts.push({ text: ch.name.ru, lang: 'ru' });
        for (const t of this.translations.get(code) ?? []) texts.push({ text: t.text, lang: t.lang });
        return { code, texts };
      }),
    );
    return this.index;
  }

  docOf(code: string): number | undefined {
    return this.codeIndex.get(code);
  }

  private readonly masks = new Map<string, Uint8Array>();

  /** Every edition that lists a code, oldest first, with the days each was in force. */
  periods(code: string): EditionPeriod[] {
    const out: EditionPeriod[] = [];
    this.editions.forEach((e, i) => {
      const entries = e.byCode.get(code);
      if (!entries || entries.length === 0) return;
      const next = this.editions[i + 1];
      out.push({
        edition: editionRef(e.summary),
        from: e.summary.inForceFrom,
        to: next ? addDays(next.summary.inForceFrom, -1) : null,
        sections: [...new Set(entries.map((x) => x.section))].sort(),
      });
    });
    return out;
  }

  /** The search filter: 1 for the codes of an edition (optionally of one section). */
  allowMask(edition: EditionModel, section?: SectionNo): Uint8Array {
    const key = `${edition.summary.id}|${section ?? ''}`;
    let mask = this.masks.get(key);
    if (!mask) {
      mask = new Uint8Array(this.codes.length);
      for (const e of edition.entries) if (section === undefined || e.section === section) mask[this.codeIndex.get(e.code)!] = 1;
      this.masks.set(key, mask);
    }
    return mask;
  }
}

export const editionRef = (s: EditionSummary): EditionRef => ({
  id: s.id,
  order: s.order,
  orderDate: s.orderDate,
  inForceFrom: s.inForceFrom,
  languages: s.languages,
});

interface Cached {
  model: CatalogueModel;
  generation: number;
  dataVersion: number;
  /** What the catalogue was built from (`catalogueStamp`), checked when another connection committed. */
  stamp: string;
}

const cache = new WeakMap<Db, Cached>();
const subscribed = new WeakSet<Store>();
const dataVersionStmt = new WeakMap<Db, { get(): unknown }>();

function dataVersion(db: Db): number {
  let s = dataVersionStmt.get(db);
  if (!s) {
    const stmt = db.prepare('PRAGMA data_version').pluck();
    s = { get: () => stmt.get() };
    dataVersionStmt.set(db, s);
  }
  return Number(s.get());
}

/**
 * The catalogue model of a core: loads the shipped data on first use (and when the build ships
 * new data), then serves from memory until a catalogue write on this connection, a Store change
 * to a catalogue user table, or a commit by another connection.
 */
export function catalogueModel(ctx: Pick<CoreContext, 'db' | 'store'>): CatalogueModel {
  const db = ctx.db;
  if (!subscribed.has(ctx.store)) {
    subscribed.add(ctx.store);
    ctx.store.onChange((c) => {
      if (USER_TABLES.has(c.table)) invalidateCatalogue(db);
    });
  }
  const cached = cache.get(db);
  const gen = catalogueGeneration(db);
  const dv = dataVersion(db);
  if (cached && cached.generation === gen) {
    if (cached.dataVersion === dv) return cached.model;
    // Another connection committed (a CLI command, the web host, another case import): most such
    // commits are cases, not the catalogue. Rebuilding on each would hold every writer's lock for
    // the time of a rebuild (issue 12.5: fifty parallel imports), so the catalogue's own stamp decides.
    if (cached.stamp === catalogueStamp(db)) {
      cached.dataVersion = dv;
      return cached.model;
    }
  }
  ensureShippedCatalogue(db);
  const model = new CatalogueModel(db);
  cache.set(db, { model, generation: catalogueGeneration(db), dataVersion: dataVersion(db), stamp: catalogueStamp(db) });
  return model;
}

/**
 * What the in-memory catalogue is built from, in one cheap read: the hash of the loaded catalogue
 * data (changes with an update or the shipped data) and the last logged change of the catalogue's
 * user tables (translations, notes, in-force dates; local or by sync).
 */
function catalogueStamp(db: Db): string {
  const row = db
    .prepare(
      `SELECT (SELECT value FROM catalogue_info WHERE key = 'data_hash') AS hash,
              (SELECT max(seq) FROM change_log WHERE table_name IN (${[...USER_TABLES].map((t) => `'${t}'`).join(', ')})) AS seq`,
    )
    .get() as { hash: string | null; seq: number | null };
  return `${row.hash ?? ''}/${row.seq ?? 0}`;
}
