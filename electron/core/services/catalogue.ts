import type {
  CatalogueMethods,
  CodeShow,
  DiffEntry,
  DiffRenamed,
  DiffResult,
  EditionSummary,
  HistoryEntry,
  LocalNote,
  LocalTranslation,
  SearchElsewhereItem,
  SearchResult,
  SearchResultItem,
  SectionNo,
} from '../../../shared/contract/catalogue';
import { kzToday } from '../../../shared/domain/kz-time';
import { addDays } from '../../../shared/domain/calendar';
import type { SearchHit } from '../../../shared/domain/search';
import type { Lang } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import { CatalogueModel, catalogueModel, editionRef, type EditionModel } from '../catalogue/model';
import type { CoreContext, Handlers } from '../context';
import type { TableSpec } from '../store';

/** Tables of user data owned by the catalogue area (written only through the Store). */
export const catalogueTables: TableSpec[] = [
  { name: 'catalogue_translations', columns: ['code', 'lang', 'text'] },
  { name: 'catalogue_notes', columns: ['code', 'text'] },
  { name: 'catalogue_edition_dates', columns: ['edition_id', 'in_force_from', 'reason'] },
];


type Model = CatalogueModel;
const SECTIONS: SectionNo[] = [1, 2, 3];

function editionOrFail(m: Model, id: string): EditionModel {
  const e = m.editionById.get(id);
  if (!e) throw new AppFailure('catalogue.unknown_edition', { id });
  return e;
}

function editionOnOrFail(m: Model, on: string): EditionModel {
  const e = m.editionOn(on);
  if (!e) throw new AppFailure('catalogue.no_edition', { date: on, first: m.editions[0]?.summary.inForceFrom ?? null });
  return e;
}

/** The code page: where the code stands on the date, names with their sources, every edition, characteristics. */
export function showCode(m: Model, code: string, on: string): CodeShow {
  if (!m.isKnown(code)) throw new AppFailure('catalogue.unknown_code', { code });
  const edition = editionOnOrFail(m, on);
  const entries = edition.byCode.get(code) ?? [];
  const history: HistoryEntry[] = m.editions.map((e) => ({
    edition: e.summary.id,
    inForceFrom: e.summary.inForceFrom,
    languages: e.summary.languages,
    sections: (e.byCode.get(code) ?? []).map((x) => ({
      section: x.section,
      position: x.position,
      name: { kk: x.lang === 'kk' ? x.name : null, ru: x.lang === 'ru' ? x.name : null },
    })),
  }));
  return {
    code,
    on,
    inForce: entries.length > 0,
    edition: editionRef(edition.summary),
    sections: entries.map((x) => ({ section: x.section, position: x.position, ...CatalogueModel.pairs(m.names(code, edition, x.section)) })),
    ...(() => {
      const p = CatalogueModel.pairs(m.names(code, edition));
      return { names: p.name, nameSource: p.nameSource };
    })(),
    history,
    characteristics: m.characteristics.get(code) ?? null,
    translations: m.translations.get(code) ?? [],
    localNotes: m.notes.get(code) ?? [],
  };
}

/** Search among the codes of the edition in force on the date (or of the edition asked for). */
export function searchCodes(
  m: Model,
  args: { query: string; on?: string; editionId?: string; section?: SectionNo; limit?: number },
  today = kzToday(),
): SearchResult {
  const on = args.on ?? today;
  const inForce = m.editionOn(on);
  const edition = args.editionId ? editionOrFail(m, args.editionId) : editionOnOrFail(m, on);
  const section = args.section;
  const names = (code: string, preferSection?: SectionNo) => CatalogueModel.pairs(m.names(code, edition, preferSection));
  const item = (code: string, match: SearchResultItem['match'], rest: Pick<SearchResultItem, 'partial' | 'missing' | 'typos'>): SearchResultItem => {
    const entries = edition.byCode.get(code) ?? [];
    const shown = section === undefined ? entries : entries.filter((e) => e.section === section);
    return {
      code,
      ...names(code, shown[0]?.section),
      sections: shown.map((e) => ({ section: e.section, position: e.position })),
      match,
      ...rest,
    };
  };
  const base = { on, edition: editionRef(edition.summary), inForce: inForce ? editionRef(inForce.summary) : null };
  const query = args.query.trim();
  if (query === '') {
    // No query: the edition's list in order (section, position), each code once.
    const limit = args.limit ?? 1000;
    const seen = new Set<string>();
    const results: SearchResultItem[] = [];
    for (const e of edition.entries) {
      if (section !== undefined && e.section !== section) continue;
      if (seen.has(e.code)) continue;
      seen.add(e.code);
      if (results.length < limit) results.push(item(e.code, 'list', { partial: false, missing: [], typos: [] }));
    }
    return { ...base, results, words: [], counts: { full: seen.size, partial: 0 }, elsewhere: [] };
  }
  const out = m.searchIndex().query(query, { limit: args.limit ?? 50, allow: m.allowMask(edition, section), othersLimit: 10 });
  const typos = (h: SearchHit) => h.typos.map((x) => ({ word: out.words[x.word]!.shown, as: x.as }));
  const results = out.hits.map((h) =>
    item(m.codes[h.doc]!, h.kind, { partial: !h.full, missing: h.missing.map((i) => out.words[i]!.shown), typos: typos(h) }),
  );
  const order = m.editions.indexOf(edition);
  const elsewhere = out.others.map((h): SearchElsewhereItem => {
    const code = m.codes[h.doc]!;
    const listed = m.periods(code);
    const here = edition.byCode.get(code) ?? [];
    const before = listed.filter((p) => m.editions.indexOf(m.editionById.get(p.edition.id)!) < order);
    const after = listed.filter((p) => m.editions.indexOf(m.editionById.get(p.edition.id)!) > order);
    let status: SearchElsewhereItem['status'] = 'never';
    let since: string | null = null;
    if (here.length > 0) status = 'otherSection';
    else if (before.length > 0) {
      status = 'removed';
      // The first day after the last earlier edition that listed it.
      const last = before[before.length - 1]!;
      since = last.to === null ? null : addDays(last.to, 1);
    } else if (after.length > 0) {
      status = 'later';
      since = after[0]!.from;
    }
    return {
      code,
      ...names(code),
      match: h.kind,
      typos: typos(h),
      status,
      listed,
      since,
      sections: [...new Set(here.map((e) => e.section))].sort(),
    };
  });
  return {
    ...base,
    results,
    words: out.words.map((w) => ({
      word: w.shown,
      optional: w.optional,
      found: w.found,
      foundElsewhere: w.foundElsewhere,
      abbreviation: w.abbreviation ? { kk: w.abbreviation.kk, ru: w.abbreviation.ru } : null,
    })),
    counts: { full: out.full, partial: out.partial },
    elsewhere,
  };
}

/** Per section: codes added and removed, and names changed in a language both editions carry. */
export function diffEditions(m: Model, fromId: string, toId: string): DiffResult {
  const from = editionOrFail(m, fromId);
  const to = editionOrFail(m, toId);
  const shared = from.summary.languages.filter((l) => to.summary.languages.includes(l));
  const added: DiffEntry[] = [];
  const removed: DiffEntry[] = [];
  const renamed: DiffRenamed[] = [];
  for (const section of SECTIONS) {
    const a = from.entries.filter((e) => e.section === section);
    const b = to.entries.filter((e) => e.section === section);
    const aCodes = new Map(a.map((e) => [e.code, e]));
    const bCodes = new Map(b.map((e) => [e.code, e]));
    for (const e of a) if (!bCodes.has(e.code)) removed.push({ section, code: e.code, position: e.position, name: e.name, lang: e.lang });
    for (const e of b) {
      const old = aCodes.get(e.code);
      if (!old) added.push({ section, code: e.code, position: e.position, name: e.name, lang: e.lang });
      else if (shared.includes(e.lang) && old.lang === e.lang && old.name !== e.name) {
        renamed.push({ section, code: e.code, lang: e.lang, from: old.name, to: e.name });
      }
    }
  }
  return { from: editionRef(from.summary), to: editionRef(to.summary), sharedLanguages: shared, added, removed, renamed };
}

const changed = (ctx: CoreContext) => ctx.emit({ type: 'data.changed', payload: { area: 'catalogue' } });

function setInForce(ctx: CoreContext, editionId: string, date: string | null, reason: string): EditionSummary {
  const m = catalogueModel(ctx);
  const e = editionOrFail(m, editionId);
  if (!e.summary.inForceChosen) throw new AppFailure('catalogue.in_force_not_editable', { id: editionId });
  const rows = ctx.db.prepare('SELECT id FROM catalogue_edition_dates WHERE edition_id = ? ORDER BY updated_at DESC, id').all(editionId) as { id: string }[];
  ctx.store.transaction(() => {
    if (date === null || date === e.summary.inForceShipped) {
      for (const r of rows) ctx.store.remove('catalogue_edition_dates', r.id);
      return;
    }
    const [first, ...rest] = rows;
    for (const r of rest) ctx.store.remove('catalogue_edition_dates', r.id);
    if (first) ctx.store.update('catalogue_edition_dates', first.id, { in_force_from: date, reason });
    else ctx.store.insert('catalogue_edition_dates', { edition_id: editionId, in_force_from: date, reason });
  });
  changed(ctx);
  return editionOrFail(catalogueModel(ctx), editionId).summary;
}

function saveTranslation(ctx: CoreContext, code: string, lang: Lang, text: string): LocalTranslation {
  const m = catalogueModel(ctx);
  if (!m.isKnown(code)) throw new AppFailure('catalogue.unknown_code', { code });
  const existing = (m.translations.get(code) ?? []).filter((t) => t.lang === lang);
  const row = ctx.store.transaction(() => {
    const [first, ...rest] = existing;
    for (const r of rest) ctx.store.remove('catalogue_translations', r.id);
    return first ? ctx.store.update('catalogue_translations', first.id, { text }).row : ctx.store.insert('catalogue_translations', { code, lang, text });
  });
  changed(ctx);
  return { id: String(row.id), code, lang, text, updatedAt: String(row.updated_at) };
}

function saveNote(ctx: CoreContext, code: string, id: string | undefined, text: string): LocalNote {
  const m = catalogueModel(ctx);
  if (!m.isKnown(code)) throw new AppFailure('catalogue.unknown_code', { code });
  let row;
  if (id) {
    const before = ctx.store.get('catalogue_notes', id);
    if (!before || before.code !== code) throw new AppFailure('catalogue.unknown_note', { id });
    row = ctx.store.update('catalogue_notes', id, { text }).row;
  } else row = ctx.store.insert('catalogue_notes', { code, text });
  changed(ctx);
  return { id: String(row.id), code, text, updatedAt: String(row.updated_at) };
}

function removeRow(ctx: CoreContext, table: string, id: string): { removed: boolean } {
  const removed = ctx.store.remove(table, id);
  if (removed) changed(ctx);
  return { removed };
}

/** The catalogue area's handlers, one per method of CatalogueMethods. */
export const catalogueHandlers: Pick<Handlers, keyof CatalogueMethods> = {
  'catalogue.editions': (_args, ctx) => ({ editions: catalogueModel(ctx).editions.map((e) => e.summary) }),
  'catalogue.show': (args, ctx) => showCode(catalogueModel(ctx), args.code.trim(), args.on ?? kzToday()),
  'catalogue.search': (args, ctx) => searchCodes(catalogueModel(ctx), args),
  'catalogue.diff': (args, ctx) => diffEditions(catalogueModel(ctx), args.from, args.to),
  'catalogue.setInForce': (args, ctx) => setInForce(ctx, args.editionId, args.inForceFrom, args.reason ?? ''),
  'catalogue.saveTranslation': (args, ctx) => saveTranslation(ctx, args.code.trim(), args.lang, args.text),
  'catalogue.removeTranslation': (args, ctx) => removeRow(ctx, 'catalogue_translations', args.id),
  'catalogue.saveNote': (args, ctx) => saveNote(ctx, args.code.trim(), args.id, args.text),
  'catalogue.removeNote': (args, ctx) => removeRow(ctx, 'catalogue_notes', args.id),
};
