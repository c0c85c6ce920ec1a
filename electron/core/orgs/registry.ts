/**
 * The registry of health organizations providing HTMP: rows, search, import (CSV, XLSX through
 * exceljs), export, the organizations eligible for a code on a date (point 31) and the provider
 * chosen on a case. Written only through ctx.store.
 */
import type ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { CaseProvider, ConclusionRef, EligibleOrg, ExportFile, ImportResult, OrgList, OrgView, OrgsSettings } from '../../../shared/contract/orgs';
import { MAX_IMPORT_BYTES } from '../../../shared/contract/orgs';
import { kzToday } from '../../../shared/domain/kz-time';
import { checkImportRows, IMPORT_COLUMNS, orgQueryTokens, orgSearchText, parseCsv, validateOrg, writeCsv, type OrgClean, type OrgInput, type OrgLevel } from '../../../shared/domain/orgs';
import type { RegionId } from '../../../shared/domain/regions';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { lazyRequire } from '../lazy-require';
import { eligibleFromIndex } from './eligibility';
import { nameBasedUuid, type Row, type SqlValue } from '../store';
import { readSettings } from '../services/app';
import { assertCaseEditable } from '../services/cases';
import { decodeCursor, encodeCursor } from '../cursor';

export interface OrgRow {
  id: string;
  created_at: string;
  updated_at: string;
  bin: string;
  name_kk: string;
  name_ru: string;
  region: RegionId;
  level: OrgLevel;
  address: string | null;
  phone: string | null;
  email: string | null;
  head: string | null;
  search_text: string;
}

// Made at first use, not at import (a collator loads ICU's collation data at every start).
const made: Partial<Record<'kk' | 'ru', Intl.Collator>> = {};
const collators = {
  get kk(): Intl.Collator {
    return (made.kk ??= new Intl.Collator('kk'));
  },
  get ru(): Intl.Collator {
    return (made.ru ??= new Intl.Collator('ru'));
  },
};

export function orgView(r: OrgRow, duplicateBin = false): OrgView {
  return {
    id: r.id,
    bin: r.bin,
    nameKk: r.name_kk,
    nameRu: r.name_ru,
    region: r.region,
    level: r.level,
    address: r.address,
    phone: r.phone,
    email: r.email,
    head: r.head,
    duplicateBin,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function orgRow(ctx: CoreContext, id: string): OrgRow {
  const r = ctx.db.prepare('SELECT * FROM organizations WHERE id = ?').get(id) as OrgRow | undefined;
  if (!r) throw new AppFailure('orgs.not_found', { id });
  return r;
}

function duplicateBins(ctx: CoreContext, bins: string[]): Set<string> {
  if (bins.length === 0) return new Set();
  const rows = ctx.db
    .prepare(`SELECT bin FROM organizations WHERE bin IN (SELECT value FROM json_each(?)) GROUP BY bin HAVING count(*) > 1`)
    .all(JSON.stringify([...new Set(bins)])) as { bin: string }[];
  return new Set(rows.map((r) => r.bin));
}

export function orgViews(ctx: CoreContext, rows: OrgRow[]): OrgView[] {
  const dup = duplicateBins(ctx, rows.map((r) => r.bin));
  return rows.map((r) => orgView(r, dup.has(r.bin)));
}

const toRow = (o: OrgClean): Row => ({
  bin: o.bin,
  name_kk: o.nameKk,
  name_ru: o.nameRu,
  region: o.region,
  level: o.level,
  address: o.address,
  phone: o.phone,
  email: o.email,
  head: o.head,
  search_text: orgSearchText(o),
});

/** Refuses data that does not pass validateOrg, naming the first field and why. */
function clean(input: OrgInput): OrgClean {
  const r = validateOrg(input);
  if (!r.ok) {
    const e = r.errors[0]!;
    throw new AppFailure('orgs.invalid', { field: e.field, reason: e.code });
  }
  return r.value;
}

/** Creates or updates one organization. A BIN already in the registry (another organization) is refused. */
export function saveOrg(ctx: CoreContext, id: string | undefined, input: OrgInput): OrgView {
  const o = clean(input);
  const row = ctx.store.transaction(() => {
    const same = ctx.db.prepare('SELECT id FROM organizations WHERE bin = ? AND id <> ?').get(o.bin, id ?? '') as { id: string } | undefined;
    if (same) throw new AppFailure('orgs.duplicate_bin', { bin: o.bin });
    if (id === undefined) {
      // The id follows from the BIN: the same organization entered on two laptops is one row after sync.
      const newId = nameBasedUuid(`organizations/${o.bin}`);
      if (ctx.store.get('organizations', newId)) throw new AppFailure('orgs.duplicate_bin', { bin: o.bin });
      return ctx.store.insert('organizations', { id: newId, ...toRow(o) }) as unknown as OrgRow;
    }
    orgRow(ctx, id);
    return ctx.store.update('organizations', id, toRow(o)).row as unknown as OrgRow;
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'orgs', id: row.id } });
  return orgViews(ctx, [row])[0]!;
}

export function deleteOrg(ctx: CoreContext, id: string): boolean {
  const deleted = ctx.store.transaction(() => {
    orgRow(ctx, id);
    const used =
      (ctx.db.prepare('SELECT count(*) AS n FROM org_applications WHERE org_id = ?').get(id) as { n: number }).n +
      (ctx.db.prepare('SELECT count(*) AS n FROM org_conclusions WHERE org_id = ?').get(id) as { n: number }).n +
      (ctx.db.prepare('SELECT count(*) AS n FROM case_providers WHERE org_id = ?').get(id) as { n: number }).n;
    if (used > 0) throw new AppFailure('orgs.in_use', { id });
    return ctx.store.remove('organizations', id);
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'orgs', id } });
  return deleted;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

const ORGS_CURSOR = 1;

function encodeOrgsCursor(lang: 'kk' | 'ru', r: OrgRow): string {
  return encodeCursor([ORGS_CURSOR, 'orgs', lang, lang === 'ru' ? r.name_ru : r.name_kk, r.bin, r.id]);
}

function decodeOrgsCursor(text: string, lang: 'kk' | 'ru'): { name: string; bin: string; id: string } {
  const parts = decodeCursor(text, (p) => p.length === 6 && p[0] === ORGS_CURSOR && p[1] === 'orgs' && p[2] === lang && p.slice(3).every((x) => typeof x === 'string')) as string[];
  return { name: parts[3]!, bin: parts[4]!, id: parts[5]! };
}

/**
 * The registry page: every query word (folded like the catalogue) in the search text; sorted by
 * name in the language's collation, then BIN and id (a total order). Paged by key after a cursor
 * (`after`, the `next` of the previous page) or by offset. The name order is the collator's, which
 * SQLite cannot index, so the filtered rows are sorted here: a registry holds a few thousand
 * organizations; the key keeps pages exact while rows are added or removed between them.
 */
export function listOrgs(ctx: CoreContext, a: { query?: string | undefined; region?: string | undefined; level?: string | undefined; after?: string | undefined; offset?: number | undefined; limit?: number | undefined }, lang: 'kk' | 'ru' = 'kk'): OrgList {
  const cursor = a.after !== undefined ? decodeOrgsCursor(a.after, lang) : null;
  const where: string[] = [];
  const params: SqlValue[] = [];
  for (const tok of orgQueryTokens(a.query ?? '')) {
    where.push("search_text LIKE ? ESCAPE '\\'");
    params.push(`%${likeEscape(tok)}%`);
  }
  if (a.region) {
    where.push('region = ?');
    params.push(a.region);
  }
  if (a.level) {
    where.push('level = ?');
    params.push(a.level);
  }
  const sql = `SELECT * FROM organizations ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const rows = ctx.db.prepare(sql).all(...params) as OrgRow[];
  const key = lang === 'ru' ? 'name_ru' : 'name_kk';
  const collator = collators[lang];
  const order = (xName: string, xBin: string, xId: string, y: OrgRow): number => collator.compare(xName, y[key]) || (xBin < y.bin ? -1 : xBin > y.bin ? 1 : 0) || (xId < y.id ? -1 : xId > y.id ? 1 : 0);
  rows.sort((x, y) => order(x[key], x.bin, x.id, y));
  const limit = a.limit ?? 100;
  // After the cursor: the first row that sorts after it (binary search; the cursor's own row
  // may have been deleted meanwhile).
  let start = a.offset ?? 0;
  if (cursor) {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(cursor.name, cursor.bin, cursor.id, rows[mid]!) >= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = rows.slice(start, start + limit);
  const next = start + limit < rows.length && page.length > 0 ? encodeOrgsCursor(lang, page.at(-1)!) : null;
  return { items: orgViews(ctx, page), total: rows.length, offset: start, limit, next };
}

// ---------------------------------------------------------------------------------------------
// Import and export

function decode(contentBase64: string): Buffer {
  const s = contentBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw new AppFailure('orgs.import_unreadable', { reason: 'base64' });
  const buf = Buffer.from(s, 'base64');
  if (buf.length > MAX_IMPORT_BYTES) throw new AppFailure('orgs.import_too_large', { bytes: buf.length, maxMb: MAX_IMPORT_BYTES / 1024 / 1024 });
  return buf;
}

/** The text of a cell as the user sees it; a BIN typed as a number keeps its leading zeros. */
function cellText(cell: ExcelJS.Cell, column: string | undefined): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (column === 'bin' && Number.isInteger(v) && v >= 0 && v < 1e12) return String(v).padStart(12, '0');
    return String(v);
  }
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return v.result === undefined || v.result === null ? '' : String(v.result as unknown);
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
  return cell.text ?? '';
}

/** An XLSX may unpack to at most this (declared) size, in at most this many parts. */
const MAX_XLSX_UNPACKED = 200 * 1024 * 1024;
const MAX_XLSX_ENTRIES = 2000;

/**
 * Refuses a zip that declares more than MAX_XLSX_UNPACKED bytes or entries (a zip bomb) before
 * exceljs unpacks it. (The declared sizes are what a zip bomb usually gives away; exceljs stops at
 * a corrupt entry anyway.)
 */
function checkZip(buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(new AppFailure('orgs.import_unreadable', { reason: 'xlsx' }));
      let total = 0;
      let count = 0;
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        count++;
        if (total > MAX_XLSX_UNPACKED || count > MAX_XLSX_ENTRIES) {
          zip.close();
          return reject(new AppFailure('orgs.import_too_large', { bytes: total, maxMb: MAX_IMPORT_BYTES / 1024 / 1024 }));
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(new AppFailure('orgs.import_unreadable', { reason: 'xlsx' })));
      zip.readEntry();
    });
  });
}

/** exceljs, loaded when a workbook is read or made, not at every start of the core (it takes seconds). */
async function loadExcel(): Promise<typeof ExcelJS> {
  // A CommonJS require, not import(): lazy-require.ts says why (and the CLI's code cache loses
  // import()'s callback on Node 20: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
  return lazyRequire<typeof ExcelJS>('exceljs');
}

/** The cells of the first sheet of an XLSX file (header first). */
export async function readXlsx(buf: Buffer): Promise<string[][]> {
  await checkZip(buf);
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new AppFailure('orgs.import_unreadable', { reason: 'xlsx' });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const out: string[][] = [];
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (c, col) => {
    header[col - 1] = cellText(c, undefined).trim().toLowerCase();
  });
  const width = Math.max(header.length, sheet.columnCount);
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c), r === 1 ? undefined : header[c - 1]));
    out.push(cells);
  }
  return out;
}

/** Reads an import file by its name (.csv / .txt as UTF-8 CSV, .xlsx through exceljs). */
export async function readImportCells(fileName: string, contentBase64: string): Promise<string[][]> {
  const buf = decode(contentBase64);
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'xlsx') return readXlsx(buf);
  if (ext !== 'csv' && ext !== 'txt') throw new AppFailure('orgs.import_unreadable', { reason: 'extension' });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new AppFailure('orgs.import_unreadable', { reason: 'utf8' });
  }
  try {
    return parseCsv(text);
  } catch {
    throw new AppFailure('orgs.import_unreadable', { reason: 'quote' });
  }
}

/**
 * Imports the organizations of a file: every row checked first; with any error nothing is written
 * (a dry run reports the same counts and errors). A BIN already in the registry updates that
 * organization (its contacts and names), a new BIN creates one, all in ONE transaction.
 */
export async function importOrgs(ctx: CoreContext, a: { fileName: string; contentBase64: string; dryRun?: boolean | undefined }): Promise<ImportResult> {
  const cells = await readImportCells(a.fileName, a.contentBase64);
  const check = checkImportRows(cells);
  const dryRun = a.dryRun === true;
  const result: ImportResult = { dryRun, rows: check.rows.length + new Set(check.errors.filter((e) => e.row > 1).map((e) => e.row)).size, created: 0, updated: 0, unchanged: 0, errors: check.errors };
  const byBin = ctx.db.prepare('SELECT * FROM organizations WHERE bin = ? ORDER BY created_at, id LIMIT 1');
  const plan = check.rows.map(({ org }) => ({ org, existing: byBin.get(org.bin) as OrgRow | undefined }));
  for (const p of plan) {
    if (!p.existing) result.created++;
    else {
      const next = toRow(p.org);
      const same = Object.entries(next).every(([k, v]) => ((p.existing as unknown as Row)[k] ?? null) === (v ?? null));
      if (same) result.unchanged++;
      else result.updated++;
    }
  }
  if (check.errors.length > 0) {
    if (dryRun) return result;
    const e = check.errors[0]!;
    const rows = check.errors.slice(0, 20).map((x) => `${x.row}:${x.column ?? '-'}:${x.code}`).join(', ') + (check.errors.length > 20 ? ', …' : '');
    throw new AppFailure('orgs.import_invalid', { count: new Set(check.errors.map((x) => x.row)).size, row: e.row, column: e.column ?? '', reason: e.code, value: e.value, rows });
  }
  if (dryRun) return result;
  ctx.store.transaction(() => {
    for (const p of plan) {
      if (p.existing) ctx.store.update('organizations', p.existing.id, toRow(p.org));
      else {
        const id = nameBasedUuid(`organizations/${p.org.bin}`);
        if (ctx.store.get('organizations', id)) ctx.store.update('organizations', id, toRow(p.org));
        else ctx.store.insert('organizations', { id, ...toRow(p.org) });
      }
    }
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'orgs' } });
  return result;
}

const EXPORT_COLUMNS = [...IMPORT_COLUMNS, 'email', 'head'] as const;

/** The registry as CSV or XLSX with the import's columns (a file the import reads back). */
export async function exportOrgs(ctx: CoreContext, format: 'csv' | 'xlsx'): Promise<ExportFile> {
  const rows = ctx.db.prepare('SELECT * FROM organizations').all() as OrgRow[];
  rows.sort((x, y) => collators.kk.compare(x.name_kk, y.name_kk) || x.bin.localeCompare(y.bin));
  const values = rows.map((r) => [r.bin, r.name_kk, r.name_ru, r.region, r.level, r.address ?? '', r.phone ?? '', r.email ?? '', r.head ?? '']);
  // A spreadsheet opening the CSV would run a cell starting with = or @ (or + - followed by a
  // letter) as a formula: such cells are written with a leading apostrophe. XLSX cells are text.
  const safe = (v: string): string => (/^[=@\t\r]|^[+-](?![\d\s(])/.test(v) ? `'${v}` : v);
  const stamp = kzToday();
  if (format === 'csv') {
    return { fileName: `organizations-${stamp}.csv`, contentBase64: Buffer.from(writeCsv([[...EXPORT_COLUMNS], ...values.map((v) => v.map(safe))]), 'utf8').toString('base64'), count: rows.length };
  }
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'HTMP Commission Desk';
  const sheet = wb.addWorksheet('organizations');
  sheet.addRow([...EXPORT_COLUMNS]);
  for (const v of values) sheet.addRow(v);
  // BINs stay text (a leading zero is part of the number).
  sheet.getColumn(1).numFmt = '@';
  sheet.getRow(1).font = { bold: true };
  EXPORT_COLUMNS.forEach((_c, i) => {
    sheet.getColumn(i + 1).width = [14, 48, 48, 18, 12, 40, 18, 24, 30][i] ?? 16;
  });
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `organizations-${stamp}.xlsx`, contentBase64: buf.toString('base64'), count: rows.length };
}

// ---------------------------------------------------------------------------------------------
// Eligibility (point 31)

interface EligibleRow extends OrgRow {
  c_id: string;
  c_number: string;
  c_year: number;
  c_code: string;
  c_valid_from: string;
  c_valid_to: string;
  c_issued_on: string;
  open_updates: number;
}

const conclusionRef = (r: EligibleRow): ConclusionRef => ({ id: r.c_id, number: r.c_number, year: r.c_year, code: r.c_code, validFrom: r.c_valid_from, validTo: r.c_valid_to, issuedOn: r.c_issued_on });

const ELIGIBLE_SQL = `
  SELECT o.*, c.id AS c_id, c.number AS c_number, c.year AS c_year, c.code AS c_code, c.valid_from AS c_valid_from,
         c.valid_to AS c_valid_to, c.issued_on AS c_issued_on,
         (SELECT count(*) FROM org_updates u WHERE u.conclusion_id = c.id AND u.done_on IS NULL) AS open_updates
    FROM org_conclusions c INDEXED BY org_conclusions_eligible
    JOIN organizations o ON o.id = c.org_id
   WHERE c.code = ? AND c.state = 'issued' AND c.overall_conform = 1 AND c.valid_from <= ? AND c.valid_to >= ?
     AND NOT EXISTS (SELECT 1 FROM org_conclusions s WHERE s.supersedes_id = c.id AND s.state = 'issued')`;

/**
 * The organizations holding a valid (issued, conforming, not reissued) conclusion for a code on a
 * date, one entry per organization (its latest conclusion), sorted by name. Served from the
 * in-memory index of eligibility.ts; `eligibleOrgsSql` answers the same from SQL alone (the
 * benchmark's peer and a cross-check in the tests).
 */
export function eligibleOrgs(ctx: CoreContext, code: string, on: string, lang: 'kk' | 'ru' = 'kk'): EligibleOrg[] {
  return eligibleFromIndex(ctx, code, on, lang);
}

/** The same answer as eligibleOrgs, from the indexed SQL alone. */
export function eligibleOrgsSql(ctx: CoreContext, code: string, on: string, lang: 'kk' | 'ru' = 'kk'): EligibleOrg[] {
  const rows = ctx.db.prepare(ELIGIBLE_SQL).all(code, on, on) as EligibleRow[];
  const byOrg = new Map<string, EligibleRow>();
  for (const r of rows) {
    const prev = byOrg.get(r.id);
    if (!prev || r.c_issued_on > prev.c_issued_on) byOrg.set(r.id, r);
  }
  const list = [...byOrg.values()];
  const key = lang === 'ru' ? 'name_ru' : 'name_kk';
  list.sort((x, y) => collators[lang].compare(x[key], y[key]) || x.bin.localeCompare(y.bin));
  const views = orgViews(ctx, list);
  return list.map((r, i) => ({ org: views[i]!, conclusion: conclusionRef(r), openUpdates: r.open_updates }));
}

// ---------------------------------------------------------------------------------------------
// The provider of a case

interface CaseRowLite {
  id: string;
  htmp_code: string;
  provider_org: string | null;
}

/** The date the eligible list is for: the case's issued decision, else its draft decision, else today. */
function caseDate(ctx: CoreContext, caseId: string): { on: string; source: 'decision' | 'today' } {
  const d = ctx.db
    .prepare("SELECT decided_on FROM decisions WHERE case_id = ? AND state IN ('issued', 'draft') ORDER BY CASE state WHEN 'issued' THEN 0 ELSE 1 END, version DESC LIMIT 1")
    .get(caseId) as { decided_on: string } | undefined;
  return d ? { on: d.decided_on, source: 'decision' } : { on: kzToday(), source: 'today' };
}

/** The organization chosen on a case from the registry (null when none or it was deleted). */
export function caseProviderOrg(ctx: CoreContext, caseId: string): OrgRow | null {
  const link = ctx.db.prepare('SELECT org_id FROM case_providers WHERE case_id = ? ORDER BY updated_at DESC, id LIMIT 1').get(caseId) as { org_id: string | null } | undefined;
  if (!link?.org_id) return null;
  return (ctx.db.prepare('SELECT * FROM organizations WHERE id = ?').get(link.org_id) as OrgRow | undefined) ?? null;
}

export function caseProvider(ctx: CoreContext, caseId: string, lang: 'kk' | 'ru' = 'kk'): CaseProvider {
  const c = ctx.db.prepare('SELECT id, htmp_code, provider_org FROM cases WHERE id = ?').get(caseId) as CaseRowLite | undefined;
  if (!c) throw new AppFailure('conformity.case_not_found', { id: caseId });
  const { on, source } = caseDate(ctx, caseId);
  const code = c.htmp_code.trim();
  const eligible = code === '' ? [] : eligibleOrgs(ctx, code, on, lang);
  const chosenRow = caseProviderOrg(ctx, caseId);
  const chosen = chosenRow ? orgViews(ctx, [chosenRow])[0]! : null;
  const hit = chosen ? eligible.find((e) => e.org.id === chosen.id) ?? null : null;
  const legacy = c.provider_org?.trim() ?? '';
  return {
    caseId,
    code,
    on,
    onSource: source,
    chosen,
    chosenConclusion: hit?.conclusion ?? null,
    eligible,
    warning: code === '' ? 'no_code' : chosen && !hit ? 'no_conclusion' : null,
    legacyText: legacy !== '' && (!chosen || (legacy !== chosen.nameKk && legacy !== chosen.nameRu)) ? legacy : null,
    providerText: c.provider_org,
  };
}

/**
 * The provider text a registry organization gives a case: its name in the language the
 * commission keeps its records in (Settings → language; the other name when that one is empty).
 * One convention for every case, whatever language the screen that chose it was in.
 */
export function caseProviderText(ctx: CoreContext, org: Pick<OrgRow, 'name_kk' | 'name_ru'>): string {
  return readSettings(ctx).language === 'ru' ? org.name_ru || org.name_kk : org.name_kk || org.name_ru;
}

/**
 * Chooses (or clears) the registry organization of a case. One row per case (its id follows from
 * the case). The case's provider text follows the choice, so that everything that reads the text
 * (the register, the after-approval steps, exports) says the same: the registry's name when an
 * organization is chosen; cleared with the choice when it was that organization's name (a text
 * typed before the registry stays). An issued case is locked (cases.locked) like its form.
 */
export function setCaseProvider(ctx: CoreContext, caseId: string, orgId: string | null, lang: 'kk' | 'ru' = 'kk'): CaseProvider {
  ctx.store.transaction(() => {
    const c = ctx.db.prepare('SELECT provider_org FROM cases WHERE id = ?').get(caseId) as { provider_org: string | null } | undefined;
    if (!c) throw new AppFailure('conformity.case_not_found', { id: caseId });
    assertCaseEditable(ctx, caseId);
    const org = orgId !== null ? orgRow(ctx, orgId) : null;
    const previous = caseProviderOrg(ctx, caseId);
    const id = nameBasedUuid(`case_providers/${caseId}`);
    if (ctx.store.get('case_providers', id)) ctx.store.update('case_providers', id, { org_id: orgId });
    else ctx.store.insert('case_providers', { id, case_id: caseId, org_id: orgId });
    const text = c.provider_org?.trim() ?? '';
    const next = org ? caseProviderText(ctx, org) : previous && (text === previous.name_kk.trim() || text === previous.name_ru.trim()) ? null : c.provider_org;
    if (next !== c.provider_org) ctx.store.update('cases', caseId, { provider_org: next });
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'orgs', caseId } });
  return caseProvider(ctx, caseId, lang);
}

// ---------------------------------------------------------------------------------------------
// Settings (per installation, like the commission's names)

const SETTING_KEYS = { issuerKk: 'orgs.issuerKk', issuerRu: 'orgs.issuerRu', signerName: 'orgs.signerName', signerPosition: 'orgs.signerPosition' } as const;

export function readOrgsSettings(ctx: Pick<CoreContext, 'db'>): OrgsSettings {
  const rows = ctx.db.prepare("SELECT key, value FROM settings WHERE key LIKE 'orgs.%'").all() as { key: string; value: string }[];
  const m = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as string]));
  return {
    issuer: { kk: m.get(SETTING_KEYS.issuerKk) ?? '', ru: m.get(SETTING_KEYS.issuerRu) ?? '' },
    signer: { name: m.get(SETTING_KEYS.signerName) ?? '', position: m.get(SETTING_KEYS.signerPosition) ?? '' },
  };
}

export function updateOrgsSettings(ctx: CoreContext, a: Partial<Record<keyof typeof SETTING_KEYS, string>>): OrgsSettings {
  const at = new Date().toISOString();
  const put = ctx.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  ctx.db.transaction(() => {
    for (const [k, v] of Object.entries(a)) if (v !== undefined) put.run(SETTING_KEYS[k as keyof typeof SETTING_KEYS], JSON.stringify(v.trim()), at);
  })();
  ctx.emit({ type: 'data.changed', payload: { area: 'orgs' } });
  return readOrgsSettings(ctx);
}
