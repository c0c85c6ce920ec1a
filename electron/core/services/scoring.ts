import type { Handlers, CoreContext } from '../context';
import type {
  CsvImportResult,
  ScoringMethods,
  ScoringSheetView,
  SaveSheetArgs,
  ScoreArgs,
  ScoreView,
  TechnologyRef,
  TechnologySummary,
  TransferRecord,
  TransferReport,
  TransferReportRow,
  ZoneConfigView,
} from '../../../shared/contract/scoring';
import type { DocLang, ScoringSheetDoc, ScoringSensitivityRow } from '../../../shared/documents';
import {
  CRITERION_IDS,
  LEVELS,
  meanOfSheets,
  pointsHundredths,
  isIncluded,
  scoreSheet,
  sensitivity,
  type CriterionId,
  type Level,
  type ScoreSheet,
} from '../../../shared/domain/scoring';
import { evaluateTransfer, type TransferInput, type TransferResult } from '../../../shared/domain/transfer';
import { DEFAULT_ZONE_CONFIG, parseZoneConfig, type ZoneConfig } from '../../../shared/domain/regions';
import { AppFailure, type AppError } from '../../../shared/result';
import { kzNow } from '../../../shared/domain/kz-time';
import type { Row, TableSpec } from '../store';
import { nameBasedUuid } from '../store';
import { readSettings } from './app';
import { catalogueLookup, htmpNames } from './catalogue-lookup';
import { parseTransferCsv } from '../scoring/transfer-csv';

/** Tables of user data owned by the scoring area (written only through the Store). */
export const scoringTables: TableSpec[] = [
  {
    name: 'scoring_sheets',
    columns: [
      'technology_key',
      'technology_code',
      'technology_name',
      'innovation_level',
      'innovation_years',
      'resource_level',
      'uniqueness_level',
      'complexity_level',
      'rationale_innovation',
      'rationale_resource',
      'rationale_uniqueness',
      'rationale_complexity',
      'evaluator',
      'scored_on',
    ],
  },
  {
    name: 'transfer_inputs',
    columns: ['code', 'year', 'regions', 'tariff', 'list_tariffs', 'cases_per_year', 'population', 'lethal_or_complicated'],
  },
  { name: 'zone_config', columns: ['config'] },
];

const ZONE_ROW_ID = 'zones';

// ---------------------------------------------------------------------------------------------
// Scoring sheets

/** Score through the pure rules; a refusal becomes an AppFailure with the rules' code. */
function score(args: ScoreArgs): ScoreView {
  const r = scoreSheet({
    innovation: args.innovation as { level: Level } | { years: number },
    resource: { level: args.resource as Level },
    uniqueness: { level: args.uniqueness as Level },
    complexity: { level: args.complexity as Level },
  });
  if (!r.ok) throw new AppFailure(r.error.code, r.error.params);
  return { sheet: r.value, sensitivity: sensitivity(r.value) };
}

const collapse = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** The technology of a sheet: an HTMP code, or a new technology's name (grouped case-insensitively). */
export function technologyRef(code: string | undefined | null, name: string | undefined | null): TechnologyRef {
  const c = collapse(code ?? undefined);
  const n = collapse(name ?? undefined);
  if (c) return { key: `code:${c}`, code: c, name: n };
  if (n) return { key: `new:${n.toLocaleLowerCase('ru')}`, code: null, name: n };
  throw new AppFailure('scoring.technology_required', { field: 'technology' });
}

function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function rowToSheet(row: Row): ScoringSheetView {
  const years = row.innovation_years;
  const innovation = years === null || years === undefined ? { level: Number(row.innovation_level) as Level } : { years: Number(years) };
  const scores = {
    innovation,
    resource: Number(row.resource_level) as Level,
    uniqueness: Number(row.uniqueness_level) as Level,
    complexity: Number(row.complexity_level) as Level,
  };
  // Never trust a stored total: recompute from the stored levels.
  const view = score(scores);
  return {
    id: String(row.id),
    technology: { key: String(row.technology_key), code: row.technology_code === null ? null : String(row.technology_code), name: String(row.technology_name ?? '') },
    scores,
    rationale: {
      innovation: String(row.rationale_innovation ?? ''),
      resource: String(row.rationale_resource ?? ''),
      uniqueness: String(row.rationale_uniqueness ?? ''),
      complexity: String(row.rationale_complexity ?? ''),
    },
    evaluator: String(row.evaluator),
    date: String(row.scored_on),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    ...view,
  };
}

function getSheetRow(ctx: CoreContext, id: string): Row {
  const row = ctx.store.get('scoring_sheets', id);
  if (!row) throw new AppFailure('scoring.not_found', { id });
  return row;
}

export function saveSheet(ctx: CoreContext, args: SaveSheetArgs): ScoringSheetView {
  const technology = technologyRef(args.technology.code, args.technology.name);
  const evaluator = collapse(args.evaluator);
  if (!evaluator) throw new AppFailure('scoring.evaluator_required', { field: 'evaluator' });
  if (!isCalendarDate(args.date)) throw new AppFailure('scoring.invalid_date', { field: 'date', date: args.date });
  const view = score(args.scores as ScoreArgs);
  const innovation = view.sheet.criteria[0]!;
  const r = args.rationale ?? {};
  const values: Row = {
    technology_key: technology.key,
    technology_code: technology.code,
    technology_name: technology.name,
    innovation_level: innovation.level,
    innovation_years: 'years' in args.scores.innovation ? args.scores.innovation.years : null,
    resource_level: args.scores.resource,
    uniqueness_level: args.scores.uniqueness,
    complexity_level: args.scores.complexity,
    rationale_innovation: (r.innovation ?? '').trim(),
    rationale_resource: (r.resource ?? '').trim(),
    rationale_uniqueness: (r.uniqueness ?? '').trim(),
    rationale_complexity: (r.complexity ?? '').trim(),
    evaluator,
    scored_on: args.date,
  };
  const row = ctx.store.transaction(() => {
    if (args.id === undefined) return ctx.store.insert('scoring_sheets', values);
    getSheetRow(ctx, args.id);
    return ctx.store.update('scoring_sheets', args.id, values).row;
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
  return rowToSheet(row);
}

function listSheets(ctx: CoreContext, technologyKey?: string): ScoringSheetView[] {
  const rows = (
    technologyKey === undefined
      ? ctx.db.prepare('SELECT * FROM scoring_sheets ORDER BY technology_key, scored_on, created_at').all()
      : ctx.db.prepare('SELECT * FROM scoring_sheets WHERE technology_key = ? ORDER BY scored_on, created_at').all(technologyKey)
  ) as Row[];
  return rows.map(rowToSheet);
}

/** Sheets grouped by technology, each group with the exact mean of its totals. */
export function summary(ctx: CoreContext): TechnologySummary[] {
  const groups = new Map<string, ScoringSheetView[]>();
  for (const s of listSheets(ctx)) {
    const g = groups.get(s.technology.key) ?? [];
    g.push(s);
    groups.set(s.technology.key, g);
  }
  return [...groups.values()].map((sheets) => {
    const mean = meanOfSheets(sheets.map((s) => s.sheet));
    if (!mean.ok) throw new AppFailure(mean.error.code, mean.error.params);
    const latest = sheets[sheets.length - 1]!;
    // Show the most recent non-empty name for a coded technology.
    const name = [...sheets].reverse().find((s) => s.technology.name)?.technology.name ?? latest.technology.name;
    return { technology: { ...latest.technology, name }, sheets, mean: mean.value };
  });
}

/**
 * The hook for printing (protocols area): the data of one scoring sheet as a ScoringSheetDoc.
 * Points and totals are integer hundredths recomputed from the rules. `lang` picks which
 * catalogue name to prefer when only one language has one; both are given when known.
 */
export function scoringSheetDoc(ctx: CoreContext, sheetId: string, lang: DocLang = 'both'): ScoringSheetDoc {
  const view = rowToSheet(getSheetRow(ctx, sheetId));
  let name: ScoringSheetDoc['technology']['name'] = view.technology.name || view.technology.code || '';
  let names: NonNullable<ScoringSheetDoc['technology']['names']> | undefined;
  if (view.technology.code) {
    // The official names with their source: a Kazakh sheet prints the Kazakh name, and where the
    // list has none in that language, the other language's official name marked as such (never a
    // name of one language passed off as the other's).
    const official = htmpNames(ctx, view.technology.code, view.date);
    if (official.kk || official.ru) {
      names = official;
      name = { kk: official.kk?.text ?? official.ru?.text ?? '', ru: official.ru?.text ?? official.kk?.text ?? '' };
    }
  }
  void lang;
  const sens: ScoringSensitivityRow[] = [];
  for (const c of view.sheet.criteria) {
    for (const level of LEVELS) {
      if (level === c.level) continue;
      const total = view.sheet.totalHundredths - c.pointsHundredths + pointsHundredths(c.id, level);
      sens.push({ id: c.id, level, total, included: isIncluded(total) });
    }
  }
  const settings = readSettings(ctx);
  return {
    kind: 'scoring_sheet',
    technology: view.technology.code ? { code: view.technology.code, name, ...(names ? { names } : {}) } : { name },
    evaluator: view.evaluator,
    date: view.date,
    criteria: view.sheet.criteria.map((c) => ({
      id: c.id,
      level: c.level,
      value: c.valueHundredths,
      weight: c.weightHundredths,
      points: c.pointsHundredths,
      ...(c.band ? { band: c.band } : {}),
      rationale: view.rationale[c.id],
    })),
    total: view.sheet.totalHundredths,
    included: view.sheet.included,
    sensitivity: sens,
    // The letterhead in the document's language: printed when the names are set in both.
    ...(settings.commissionNameKk && settings.commissionNameRu && settings.authorityNameKk && settings.authorityNameRu
      ? { commission: { name: { kk: settings.commissionNameKk, ru: settings.commissionNameRu }, authority: { kk: settings.authorityNameKk, ru: settings.authorityNameRu } } }
      : {}),
    // Kazakhstan time, like every other document (not the laptop's zone).
    generatedAt: kzNow(),
  };
}

// ---------------------------------------------------------------------------------------------
// Zones

/** The grouping in force: the commission's edit if any, else the shipped default. */
export function zoneConfig(ctx: CoreContext): ZoneConfigView {
  const row = ctx.store.get('zone_config', ZONE_ROW_ID);
  if (!row) return { ...DEFAULT_ZONE_CONFIG, updatedAt: null };
  const parsed = parseZoneConfig(JSON.parse(String(row.config)) as unknown);
  // A stored edit that no longer parses (e.g. damaged by hand) falls back to the default, loudly.
  if (!parsed.ok) return { ...DEFAULT_ZONE_CONFIG, updatedAt: null };
  return { ...parsed.value, isDefault: sameAsDefault(parsed.value), updatedAt: String(row.updated_at) };
}

function sameAsDefault(config: ZoneConfig): boolean {
  return DEFAULT_ZONE_CONFIG.regions.every((d) => config.regions.find((r) => r.id === d.id)?.zone === d.zone);
}

function setZones(ctx: CoreContext, args: { regions?: { id: string; zone: string }[]; reset?: boolean }): ZoneConfigView {
  if (args.reset) {
    ctx.store.remove('zone_config', ZONE_ROW_ID);
  } else {
    if (!args.regions) throw new AppFailure('regions.invalid_config', { field: 'regions' });
    const parsed = parseZoneConfig({ isDefault: false, regions: args.regions });
    if (!parsed.ok) throw new AppFailure(parsed.error.code, parsed.error.params);
    const config = JSON.stringify({ regions: parsed.value.regions.map((r) => ({ id: r.id, zone: r.zone })) });
    ctx.store.transaction(() => {
      if (ctx.store.get('zone_config', ZONE_ROW_ID)) ctx.store.update('zone_config', ZONE_ROW_ID, { config });
      else ctx.store.insert('zone_config', { id: ZONE_ROW_ID, config });
    });
  }
  ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
  return zoneConfig(ctx);
}

// ---------------------------------------------------------------------------------------------
// Transfer criteria

function evaluate(input: TransferInput, config: ZoneConfig): TransferResult {
  const r = evaluateTransfer(input, config);
  if (!r.ok) throw new AppFailure(r.error.code, r.error.params);
  return r.value;
}

function normalizeInput(input: TransferInput): TransferInput {
  return { ...input, code: input.code.trim() };
}

function inputToRow(input: TransferInput): Row {
  return {
    code: input.code,
    year: input.year,
    regions: JSON.stringify(input.regions.map((r) => ({ region: r.region, regionalCases: r.regionalCases, republicanCases: r.republicanCases }))),
    tariff: input.tariff,
    list_tariffs: JSON.stringify(input.listTariffs),
    cases_per_year: input.casesPerYear,
    population: input.population,
    lethal_or_complicated: input.lethalOrComplicated,
  };
}

function rowToRecord(row: Row, config: ZoneConfig): TransferRecord {
  const input: TransferInput = {
    code: String(row.code),
    year: Number(row.year),
    regions: JSON.parse(String(row.regions)) as TransferInput['regions'],
    tariff: Number(row.tariff),
    listTariffs: JSON.parse(String(row.list_tariffs)) as number[],
    casesPerYear: Number(row.cases_per_year),
    population: Number(row.population),
    lethalOrComplicated: Number(row.lethal_or_complicated),
  };
  const r = evaluateTransfer(input, config);
  return {
    id: String(row.id),
    input,
    result: r.ok ? r.value : null,
    error: r.ok ? null : r.error,
    updatedAt: String(row.updated_at),
  };
}

function findInputRow(ctx: CoreContext, code: string, year: number): Row | undefined {
  return ctx.db.prepare('SELECT * FROM transfer_inputs WHERE code = ? AND year = ?').get(code, year) as Row | undefined;
}

/** Writes validated inputs (insert or update of the same technology and year); no transaction of its own. */
function upsertInput(ctx: CoreContext, input: TransferInput): Row {
  const values = inputToRow(input);
  const existing = findInputRow(ctx, input.code, input.year);
  if (existing) return ctx.store.update('transfer_inputs', String(existing.id), values).row;
  // One technology-year is one record on every laptop: a name-based id makes two laptops that
  // enter the same code and year write the same record, so sync merges (or flags a conflict)
  // field by field instead of failing on UNIQUE(code, year).
  return ctx.store.insert('transfer_inputs', { ...values, id: nameBasedUuid(`transfer_inputs/${input.code}/${input.year}`) });
}


function saveInputs(ctx: CoreContext, raw: TransferInput): TransferRecord {
  const input = normalizeInput(raw);
  const config = zoneConfig(ctx);
  evaluate(input, config); // refuses bad inputs before anything is written
  const row = ctx.store.transaction(() => upsertInput(ctx, input));
  ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
  return rowToRecord(row, config);
}

function listInputs(ctx: CoreContext, args: { code?: string; year?: number }): TransferRecord[] {
  const config = zoneConfig(ctx);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (args.code !== undefined) {
    where.push('code = ?');
    params.push(args.code.trim());
  }
  if (args.year !== undefined) {
    where.push('year = ?');
    params.push(args.year);
  }
  const sql = `SELECT * FROM transfer_inputs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code, year`;
  return (ctx.db.prepare(sql).all(...params) as Row[]).map((r) => rowToRecord(r, config));
}

/** Every technology with data: which meet all 4 criteria, 3, or fewer. */
export function transferReport(ctx: CoreContext, year?: number): TransferReport {
  const records = listInputs(ctx, year === undefined ? {} : { year });
  // Without a year: the latest year with data of each technology.
  const chosen = new Map<string, TransferRecord>();
  for (const r of records) {
    const key = year === undefined ? r.input.code : `${r.input.code}\u0000${r.input.year}`;
    const prev = chosen.get(key);
    if (!prev || r.input.year > prev.input.year) chosen.set(key, r);
  }
  const rows: TransferReportRow[] = [];
  const invalid: TransferReport['invalid'] = [];
  for (const r of chosen.values()) {
    if (!r.result) {
      invalid.push({ code: r.input.code, year: r.input.year, error: r.error as AppError });
      continue;
    }
    const c = r.result.criteria;
    rows.push({
      id: r.id,
      code: r.input.code,
      year: r.input.year,
      met: { transfer: c.transfer.met, cost: c.cost.met, rarity: c.rarity.met, outcomes: c.outcomes.met },
      metCount: r.result.metCount,
      leavesList: r.result.leavesList,
    });
  }
  rows.sort((a, b) => b.metCount - a.metCount || a.code.localeCompare(b.code, 'ru', { numeric: true }) || a.year - b.year);
  return {
    year: year ?? null,
    rows,
    meetsAll: rows.filter((r) => r.metCount === 4).length,
    meetsThree: rows.filter((r) => r.metCount === 3).length,
    fewer: rows.filter((r) => r.metCount < 3).length,
    invalid,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV of transfer inputs (parsed in ../scoring/transfer-csv)

/** CSV import of inputs: every row is checked first; any refused row means nothing is written. */
export function importCsv(ctx: CoreContext, text: string, dryRun = false): CsvImportResult {
  const config = zoneConfig(ctx);
  const parsed = parseTransferCsv(text);
  const errors = [...parsed.errors];
  const seen = new Map<string, number>();
  for (const { row, input } of parsed.rows) {
    const r = evaluateTransfer(input, config);
    if (!r.ok) {
      errors.push({ row, error: r.error });
      continue;
    }
    const key = `${input.code}\u0000${input.year}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ row, error: { code: 'transfer.csv_duplicate', params: { code: input.code, year: input.year, other: first } } });
      continue;
    }
    seen.set(key, row);
  }
  errors.sort((a, b) => a.row - b.row);
  const total = parsed.rows.length + parsed.skippedRows;
  if (errors.length > 0 || dryRun) return { imported: 0, rows: total, errors, dryRun };
  ctx.store.transaction(() => {
    for (const { input } of parsed.rows) upsertInput(ctx, input);
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
  return { imported: parsed.rows.length, rows: total, errors: [], dryRun };
}

// ---------------------------------------------------------------------------------------------

/** The scoring area's handlers, one per method of ScoringMethods. */
export const scoringHandlers: Pick<Handlers, keyof ScoringMethods> = {
  'scoring.list': (args, ctx) => listSheets(ctx, args.technologyKey),
  'scoring.get': (args, ctx) => rowToSheet(getSheetRow(ctx, args.id)),
  'scoring.save': (args, ctx) => saveSheet(ctx, args),
  'scoring.delete': (args, ctx) => {
    const deleted = ctx.store.remove('scoring_sheets', args.id);
    if (deleted) ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
    return { deleted };
  },
  'scoring.evaluate': (args) => score(args),
  'scoring.summary': (_args, ctx) => summary(ctx),
  'transfer.regions': (_args, ctx) => zoneConfig(ctx),
  'transfer.setZones': (args, ctx) => setZones(ctx, args),
  'transfer.saveInputs': (args, ctx) => saveInputs(ctx, args),
  'transfer.list': (args, ctx) => listInputs(ctx, args),
  'transfer.get': (args, ctx) => {
    const row = findInputRow(ctx, args.code.trim(), args.year);
    return row ? rowToRecord(row, zoneConfig(ctx)) : null;
  },
  'transfer.deleteInputs': (args, ctx) => {
    const deleted = ctx.store.remove('transfer_inputs', args.id);
    if (deleted) ctx.emit({ type: 'data.changed', payload: { area: 'scoring' } });
    return { deleted };
  },
  'transfer.evaluate': (args, ctx) => evaluate(normalizeInput(args), zoneConfig(ctx)),
  'transfer.report': (args, ctx) => transferReport(ctx, args.year),
  'transfer.importCsv': (args, ctx) => importCsv(ctx, args.text, args.dryRun ?? false),
};

export type { CriterionId, ScoreSheet };
export { CRITERION_IDS };
