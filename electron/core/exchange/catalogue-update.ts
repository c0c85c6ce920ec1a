/**
 * Catalogue update bundles (kind `catalogue`): new editions of the HTMP list, the
 * characteristics and working-day calendar data, signed by a publisher key the installation
 * trusts (its own trust list, `exchange_publishers`). Previewed as a diff before applying; the
 * previous state is kept and can be restored.
 *
 * Layout: `records/editions/<id>.json` (one edition each, the assets/catalogue/editions format),
 * `records/characteristics.json` (optional, the assets format), `records/calendar.json`
 * (optional, the assets/calendar/kz.json format). The editions + characteristics form the
 * catalogue's whole reference data, applied through the catalogue area's loader
 * (`loadCatalogue`, replaced as a whole, user translations kept).
 *
 * The calendar is applied by `applyCalendarData` as this installation's local calendar (the
 * `calendar_override` meta key that electron/core/cases/calendar.ts reads before the shipped one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../shared/result';
import { parseCalendar } from '../../../shared/domain/calendar';
import { catalogueDataSchema, dataHash, decodeNote, type CatalogueData, type CharacteristicsData, type EditionData } from '../catalogue/data';
import { ensureShippedCatalogue, loadCatalogue } from '../catalogue/loader';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { CALENDAR_OVERRIDE_KEY } from '../cases/calendar';
import { assetsDir } from '../paths';
import { writeBundle, type BundleReader, type WriteBundleEntry, type WriteBundleResult } from './archive';
import { BundleError } from './errors';
import { fingerprint, publicKeyFromPrivate } from './keys';
import { safeSegment } from './manifest';
import { trustPublisher, type OpenedBundle } from './trust';

const EDITION_PREFIX = 'records/editions/';
const CHARACTERISTICS_PATH = 'records/characteristics.json';
const CALENDAR_PATH = 'records/calendar.json';
const MAX_JSON = 64 * 1024 * 1024;

export interface CatalogueUpdate {
  data: CatalogueData;
  calendar: unknown | null;
}

/** For a publisher's tool (and tests): writes a signed catalogue update bundle. */
export async function writeCatalogueBundle(opts: {
  file: string;
  publisher: { privateKey: string; name?: string };
  data: CatalogueData;
  calendar?: unknown;
  signal?: AbortSignal;
}): Promise<WriteBundleResult> {
  const data = catalogueDataSchema.parse(opts.data);
  const publicKey = publicKeyFromPrivate(opts.publisher.privateKey);
  const entries: WriteBundleEntry[] = data.editions.map((e) => ({
    path: `${EDITION_PREFIX}${safeSegment(e.id, 100)}.json`,
    role: 'record',
    source: { buffer: Buffer.from(JSON.stringify(e)) },
  }));
  if (data.characteristics) entries.push({ path: CHARACTERISTICS_PATH, role: 'record', source: { buffer: Buffer.from(JSON.stringify(data.characteristics)) } });
  if (opts.calendar !== undefined && opts.calendar !== null) entries.push({ path: CALENDAR_PATH, role: 'record', source: { buffer: Buffer.from(JSON.stringify(opts.calendar)) } });
  return writeBundle({
    file: opts.file,
    kind: 'catalogue',
    sender: { installationId: `publisher-${fingerprint(publicKey).replace(/ /g, '').slice(0, 16).toLowerCase()}`, publicKey, privateKey: opts.publisher.privateKey, ...(opts.publisher.name ? { name: opts.publisher.name } : {}) },
    meta: { editions: data.editions.map((e) => e.id), characteristics: data.characteristics !== null, calendar: opts.calendar !== undefined && opts.calendar !== null, hash: dataHash(data) },
    entries,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** Reads and validates the content of a catalogue bundle (every hash checked first). */
export async function readCatalogueBundle(reader: BundleReader, signal?: AbortSignal): Promise<CatalogueUpdate> {
  await reader.verifyAll(undefined, signal);
  const editions: unknown[] = [];
  for (const e of reader.entries) if (e.path.startsWith(EDITION_PREFIX) && e.path.endsWith('.json')) editions.push(await reader.readJson(e.path, { maxBytes: MAX_JSON }));
  const characteristics = reader.has(CHARACTERISTICS_PATH) ? await reader.readJson(CHARACTERISTICS_PATH, { maxBytes: MAX_JSON }) : null;
  const parsed = catalogueDataSchema.safeParse({ editions, characteristics });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleError('bundle.invalid_record', { path: EDITION_PREFIX, reason: 'schema', field: issue ? issue.path.join('.') : '' });
  }
  let calendar: unknown = null;
  if (reader.has(CALENDAR_PATH)) {
    calendar = await reader.readJson(CALENDAR_PATH, { maxBytes: MAX_JSON });
    const c = parseCalendar(calendar);
    if (!c.ok) throw new BundleError('bundle.invalid_record', { path: CALENDAR_PATH, reason: 'schema' });
  }
  return { data: parsed.data, calendar };
}

// --- current state ---------------------------------------------------------------------------

const j = <T>(s: string | null): T => (s === null ? (null as T) : (JSON.parse(s) as T));

/** The catalogue reference data now loaded, in the data format (for diffs and to restore). */
export function currentCatalogueData(db: Db): CatalogueData | null {
  ensureShippedCatalogue(db);
  const eds = db.prepare('SELECT * FROM catalogue_editions ORDER BY id').all() as Record<string, string | number | null>[];
  if (eds.length === 0) return null;
  const entries = db.prepare('SELECT section, position, code, name FROM catalogue_entries WHERE edition_id = ? ORDER BY section, position');
  const editions: EditionData[] = eds.map((e) => {
    const titles = j<Record<string, EditionData['sections'][number]['title']>>(e.section_titles as string);
    const rows = entries.all(e.id) as { section: 1 | 2 | 3; position: number; code: string; name: string }[];
    const sections = Object.keys(titles)
      .map(Number)
      .sort()
      .map((s) => ({ section: s as 1 | 2 | 3, title: titles[String(s)]!, entries: rows.filter((r) => r.section === s).map((r) => ({ position: r.position, code: r.code, name: r.name })) }));
    return {
      id: String(e.id),
      order: { number: String(e.order_number), date: String(e.order_date), title: j(e.order_title as string) },
      registration: j(e.registration as string | null),
      inForceFrom: String(e.in_force_from),
      inForceNote: decodeNote(String(e.in_force_note)),
      inForceChosen: e.in_force_chosen === 1,
      languages: j(e.languages as string),
      notes: j(e.notes as string),
      source: j(e.source as string),
      sections,
    };
  });
  const info = new Map((db.prepare("SELECT key, value FROM catalogue_info WHERE key IN ('footnotes', 'characteristics_source')").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
  const ch = db.prepare('SELECT * FROM catalogue_characteristics ORDER BY position, code').all() as Record<string, string | number>[];
  const characteristics: CharacteristicsData | null =
    info.has('characteristics_source') && ch.length > 0
      ? {
          source: j(info.get('characteristics_source')!),
          footnotes: j(info.get('footnotes') ?? '{}'),
          entries: ch.map((c) => ({
            code: String(c.code),
            kind: c.kind as 'unique' | 'main',
            position: Number(c.position),
            name: j(c.name as string),
            staff: j(c.staff as string),
            devices: j(c.devices as string),
            notes: j(c.notes as string),
          })),
        }
      : null;
  return { editions, characteristics };
}

const overrideDir = (dataDir: string): string => path.join(dataDir, 'catalogue-updates');

function localCalendarJson(db: Db): unknown | null {
  const v = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(CALENDAR_OVERRIDE_KEY) as string | undefined;
  return v === undefined ? null : (JSON.parse(v) as unknown);
}

function currentCalendar(db: Db): unknown {
  const local = localCalendarJson(db);
  if (local !== null) return local;
  const f = path.join(assetsDir(), 'calendar', 'kz.json');
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as unknown) : null;
}

// --- diff --------------------------------------------------------------------------------------

export interface CatalogueDiff {
  editions: { id: string; status: 'added' | 'changed' | 'same'; added: number; removed: number; renamed: number; sample: { section: number; code: string; change: 'added' | 'removed' | 'renamed'; before?: string; after?: string }[] }[];
  characteristics: { status: 'added' | 'changed' | 'same' | 'absent'; added: number; removed: number; changed: number; codes: string[] };
  calendar: { status: 'added' | 'changed' | 'same' | 'absent'; years: { year: number; status: 'added' | 'changed' | 'same' }[] };
}

const SAMPLE = 50;

export function diffCatalogue(current: CatalogueData | null, currentCal: unknown, update: CatalogueUpdate): CatalogueDiff {
  const editions: CatalogueDiff['editions'] = [];
  const byId = new Map((current?.editions ?? []).map((e) => [e.id, e]));
  for (const e of update.data.editions) {
    const old = byId.get(e.id);
    const d: CatalogueDiff['editions'][number] = { id: e.id, status: old ? 'same' : 'added', added: 0, removed: 0, renamed: 0, sample: [] };
    for (const s of e.sections) {
      const before = new Map((old?.sections.find((x) => x.section === s.section)?.entries ?? []).map((x) => [x.code, x.name]));
      const after = new Map(s.entries.map((x) => [x.code, x.name]));
      for (const [code, name] of after) {
        const b = before.get(code);
        if (b === undefined) {
          d.added++;
          if (old && d.sample.length < SAMPLE) d.sample.push({ section: s.section, code, change: 'added', after: name });
        } else if (b !== name) {
          d.renamed++;
          if (d.sample.length < SAMPLE) d.sample.push({ section: s.section, code, change: 'renamed', before: b, after: name });
        }
      }
      for (const [code, name] of before) {
        if (!after.has(code)) {
          d.removed++;
          if (d.sample.length < SAMPLE) d.sample.push({ section: s.section, code, change: 'removed', before: name });
        }
      }
    }
    if (old) {
      for (const s of old.sections) if (!e.sections.some((x) => x.section === s.section)) d.removed += s.entries.length;
      if (d.added + d.removed + d.renamed > 0 || JSON.stringify(old) !== JSON.stringify(e)) d.status = 'changed';
    }
    editions.push(d);
  }
  const ch: CatalogueDiff['characteristics'] = { status: 'absent', added: 0, removed: 0, changed: 0, codes: [] };
  if (update.data.characteristics) {
    const before = new Map((current?.characteristics?.entries ?? []).map((x) => [x.code, JSON.stringify(x)]));
    const after = new Map(update.data.characteristics.entries.map((x) => [x.code, JSON.stringify(x)]));
    for (const [code, v] of after) {
      const b = before.get(code);
      if (b === undefined) ch.added++;
      else if (b !== v) ch.changed++;
      else continue;
      if (ch.codes.length < SAMPLE) ch.codes.push(code);
    }
    for (const code of before.keys()) if (!after.has(code)) (ch.removed++, ch.codes.length < SAMPLE && ch.codes.push(code));
    ch.status = !current?.characteristics ? 'added' : ch.added + ch.removed + ch.changed > 0 || JSON.stringify(current.characteristics) !== JSON.stringify(update.data.characteristics) ? 'changed' : 'same';
  }
  const cal: CatalogueDiff['calendar'] = { status: 'absent', years: [] };
  if (update.calendar !== null) {
    const yb = ((currentCal as { years?: Record<string, unknown> } | null)?.years ?? {}) as Record<string, unknown>;
    const ya = ((update.calendar as { years?: Record<string, unknown> }).years ?? {}) as Record<string, unknown>;
    for (const y of Object.keys(ya).sort()) cal.years.push({ year: Number(y), status: yb[y] === undefined ? 'added' : JSON.stringify(yb[y]) === JSON.stringify(ya[y]) ? 'same' : 'changed' });
    cal.status = currentCal === null ? 'added' : JSON.stringify(currentCal) === JSON.stringify(update.calendar) ? 'same' : 'changed';
  }
  return { editions, characteristics: ch, calendar: cal };
}

// --- preview, apply, restore -----------------------------------------------------------------

export interface CataloguePreview extends CatalogueDiff {
  bundleId: string;
  publisher: { fingerprint: string; name: string | null; trustedNow: boolean };
  alreadyApplied: boolean;
}

export async function previewCatalogue(ctx: CoreContext, opened: OpenedBundle, signal?: AbortSignal): Promise<{ preview: CataloguePreview; update: CatalogueUpdate }> {
  const { reader, newSender } = opened;
  const update = await readCatalogueBundle(reader, signal);
  const diff = diffCatalogue(currentCatalogueData(ctx.db), currentCalendar(ctx.db), update);
  const applied = ctx.db.prepare("SELECT 1 FROM exchange_catalogue_updates WHERE bundle_id = ? AND status = 'applied'").get(reader.manifest.bundleId) !== undefined;
  return {
    update,
    preview: {
      ...diff,
      bundleId: reader.manifest.bundleId,
      publisher: { fingerprint: reader.fingerprint, name: reader.manifest.sender.name ?? null, trustedNow: newSender !== null },
      alreadyApplied: applied,
    },
  };
}

/**
 * THE apply step for catalogue data: loads editions + characteristics through the catalogue
 * area's loader (one transaction, user translations kept).
 */
export function applyCatalogueData(db: Db, data: CatalogueData, source: string): void {
  loadCatalogue(db, data, { source, force: true });
}

/**
 * THE apply step for calendar data: this installation's local calendar (meta `calendar_override`,
 * read by the working-day code before the shipped asset); null removes it.
 */
export function applyCalendarData(db: Db, calendar: unknown | null): void {
  if (calendar === null) db.prepare('DELETE FROM meta WHERE key = ?').run(CALENDAR_OVERRIDE_KEY);
  else db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CALENDAR_OVERRIDE_KEY, JSON.stringify(calendar));
}

export async function applyCatalogue(ctx: CoreContext, opened: OpenedBundle, signal?: AbortSignal): Promise<CataloguePreview & { applied: boolean }> {
  const { preview, update } = await previewCatalogue(ctx, opened, signal);
  if (preview.alreadyApplied) return { ...preview, applied: false };
  const m = opened.reader.manifest;
  const stateDir = path.join(overrideDir(ctx.dataDir), 'history', m.bundleId);
  fs.mkdirSync(stateDir, { recursive: true });
  const previousCalendar = localCalendarJson(ctx.db);
  fs.writeFileSync(path.join(stateDir, 'previous.json'), JSON.stringify({ data: currentCatalogueData(ctx.db), calendar: previousCalendar }));
  const summary = JSON.stringify({ editions: preview.editions.map((e) => `${e.id}:${e.status}`), characteristics: preview.characteristics.status, calendar: preview.calendar.status });
  ctx.db.transaction(() => {
    if (opened.newSender) trustPublisher(ctx, { publicKey: opened.newSender.publicKey, name: opened.newSender.name });
    applyCatalogueData(ctx.db, update.data, `bundle:${m.bundleId}`);
    if (update.calendar !== null) applyCalendarData(ctx.db, update.calendar);
    ctx.db
      .prepare("INSERT OR REPLACE INTO exchange_catalogue_updates (bundle_id, publisher_key, summary, applied_at, state_dir, status) VALUES (?, ?, ?, ?, ?, 'applied')")
      .run(m.bundleId, m.sender.publicKey, summary, new Date().toISOString(), stateDir);
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'catalogue' } });
  return { ...preview, applied: true };
}

export interface CatalogueState {
  current: { bundleId: string; appliedAt: string; summary: string } | null;
  history: { bundleId: string; appliedAt: string; status: string; summary: string }[];
  dir: string;
}

export function catalogueState(ctx: CoreContext): CatalogueState {
  const rows = ctx.db.prepare('SELECT bundle_id, applied_at, status, summary FROM exchange_catalogue_updates ORDER BY applied_at').all() as { bundle_id: string; applied_at: string; status: string; summary: string }[];
  const history = rows.map((r) => ({ bundleId: r.bundle_id, appliedAt: r.applied_at, status: r.status, summary: r.summary }));
  const cur = [...history].reverse().find((h) => h.status === 'applied');
  return { current: cur ? { bundleId: cur.bundleId, appliedAt: cur.appliedAt, summary: cur.summary } : null, history, dir: overrideDir(ctx.dataDir) };
}

/** Restores the state before the latest applied update. */
export function restoreCatalogue(ctx: CoreContext): CatalogueState {
  const last = ctx.db.prepare("SELECT bundle_id, state_dir FROM exchange_catalogue_updates WHERE status = 'applied' ORDER BY applied_at DESC LIMIT 1").get() as { bundle_id: string; state_dir: string } | undefined;
  if (!last) throw new AppFailure('exchange.catalogue_nothing_to_restore', {});
  const prev = JSON.parse(fs.readFileSync(path.join(last.state_dir, 'previous.json'), 'utf8')) as { data: CatalogueData | null; calendar: unknown | null };
  ctx.db.transaction(() => {
    if (prev.data) applyCatalogueData(ctx.db, prev.data, `restore:${last.bundle_id}`);
    applyCalendarData(ctx.db, prev.calendar);
    ctx.db.prepare("UPDATE exchange_catalogue_updates SET status = 'rolled_back' WHERE bundle_id = ?").run(last.bundle_id);
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'catalogue' } });
  return catalogueState(ctx);
}
