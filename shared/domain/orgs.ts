/**
 * The registry of health organizations providing HTMP: validation of one organization and of the
 * rows of an import file (CSV or the cells of an XLSX sheet), and CSV reading and writing. Pure.
 *
 * Import policy: every row is checked before anything is written; one wrong row means nothing is
 * imported, and every wrong row is reported (row number as the spreadsheet shows it: the header is
 * row 1). Columns are named in the header (any order); unknown columns are refused, so a misspelt
 * optional column is not silently dropped.
 */
import { checkBinStructure, cleanBin, type BinReason } from './bin';
import { REGION_IDS, type RegionId } from './regions';
import { foldText } from './text-fold';

export const ORG_LEVELS = ['republican', 'regional', 'city', 'private'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

export const IMPORT_COLUMNS = ['bin', 'name_kk', 'name_ru', 'region', 'level', 'address', 'phone'] as const;
export const REQUIRED_COLUMNS = ['bin', 'name_kk', 'name_ru', 'region', 'level'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Largest import: rows (the registry of a country is a few hundred; the benchmark uses 5,000). */
export const MAX_IMPORT_ROWS = 20_000;
export const MAX_NAME = 500;
export const MAX_ADDRESS = 500;
export const MAX_PHONE = 64;

export interface OrgInput {
  bin: string;
  nameKk: string;
  nameRu: string;
  region: string;
  level: string;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  head?: string | null;
}

export interface OrgClean {
  bin: string;
  nameKk: string;
  nameRu: string;
  region: RegionId;
  level: OrgLevel;
  address: string | null;
  phone: string | null;
  email: string | null;
  head: string | null;
}

export type OrgField = 'bin' | 'nameKk' | 'nameRu' | 'region' | 'level' | 'address' | 'phone' | 'email' | 'head';

/** One problem of an organization's data: the field and a code (orgs:fieldErrors.<code>). */
export interface OrgFieldError {
  field: OrgField;
  code: 'required' | 'too_long' | `bin_${BinReason}` | 'unknown_region' | 'unknown_level' | 'bad_email';
}

const trimOrNull = (s: string | null | undefined): string | null => {
  const v = (s ?? '').replace(/\s+/g, ' ').trim();
  return v === '' ? null : v;
};

/** Checks an organization; returns its cleaned form or every problem found. */
export function validateOrg(input: OrgInput): { ok: true; value: OrgClean } | { ok: false; errors: OrgFieldError[] } {
  const errors: OrgFieldError[] = [];
  const bin = cleanBin(input.bin ?? '');
  if (bin === '') errors.push({ field: 'bin', code: 'required' });
  else {
    const b = checkBinStructure(bin);
    if (!b.valid) errors.push({ field: 'bin', code: `bin_${b.reason!}` });
  }
  const nameKk = trimOrNull(input.nameKk);
  const nameRu = trimOrNull(input.nameRu);
  if (nameKk === null) errors.push({ field: 'nameKk', code: 'required' });
  else if (nameKk.length > MAX_NAME) errors.push({ field: 'nameKk', code: 'too_long' });
  if (nameRu === null) errors.push({ field: 'nameRu', code: 'required' });
  else if (nameRu.length > MAX_NAME) errors.push({ field: 'nameRu', code: 'too_long' });
  const region = (input.region ?? '').trim().toLowerCase();
  if (region === '') errors.push({ field: 'region', code: 'required' });
  else if (!(REGION_IDS as readonly string[]).includes(region)) errors.push({ field: 'region', code: 'unknown_region' });
  const level = (input.level ?? '').trim().toLowerCase();
  if (level === '') errors.push({ field: 'level', code: 'required' });
  else if (!(ORG_LEVELS as readonly string[]).includes(level)) errors.push({ field: 'level', code: 'unknown_level' });
  const address = trimOrNull(input.address);
  if (address !== null && address.length > MAX_ADDRESS) errors.push({ field: 'address', code: 'too_long' });
  const phone = trimOrNull(input.phone);
  if (phone !== null && phone.length > MAX_PHONE) errors.push({ field: 'phone', code: 'too_long' });
  const email = trimOrNull(input.email);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push({ field: 'email', code: 'bad_email' });
  const head = trimOrNull(input.head);
  if (head !== null && head.length > MAX_NAME) errors.push({ field: 'head', code: 'too_long' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { bin, nameKk: nameKk!, nameRu: nameRu!, region: region as RegionId, level: level as OrgLevel, address, phone, email, head } };
}

/** The folded text an organization is searched by (the catalogue's letter folding: қ=к, ё=е, Latin look-alikes…). */
export function orgSearchText(o: { bin: string; nameKk: string; nameRu: string; address?: string | null; phone?: string | null }): string {
  return foldText([o.bin, o.nameKk, o.nameRu, o.address ?? '', o.phone ?? ''].join(' ')).replace(/\s+/g, ' ').trim();
}

/** The folded words of a query (each must occur in the search text). */
export function orgQueryTokens(query: string): string[] {
  return foldText(query).split(/[\s,;«»"()]+/).filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Import rows

/** A problem of an import file: a row (header = 1) and column, or the file itself (row 0). */
export interface ImportRowError {
  row: number;
  column: ImportColumn | string | null;
  code: string;
  value: string;
}

export interface ImportCheck {
  rows: { row: number; org: OrgClean }[];
  errors: ImportRowError[];
}

const FIELD_COLUMN: Record<OrgField, string> = { bin: 'bin', nameKk: 'name_kk', nameRu: 'name_ru', region: 'region', level: 'level', address: 'address', phone: 'phone', email: 'email', head: 'head' };

/**
 * Checks the cells of an import (first line = header). `cells[i]` is spreadsheet row i + 1.
 * Blank lines are skipped; a BIN twice in the file is an error on its second row.
 */
export function checkImportRows(cells: string[][]): ImportCheck {
  const errors: ImportRowError[] = [];
  const header = (cells[0] ?? []).map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length === 0) return { rows: [], errors: [{ row: 1, column: null, code: 'no_header', value: '' }] };
  header.forEach((h, i) => {
    if (h === '') errors.push({ row: 1, column: null, code: 'empty_column', value: String(i + 1) });
    else if (!(IMPORT_COLUMNS as readonly string[]).includes(h)) errors.push({ row: 1, column: h, code: 'unknown_column', value: h });
    else if (header.indexOf(h) !== i) errors.push({ row: 1, column: h, code: 'duplicate_column', value: h });
  });
  for (const c of REQUIRED_COLUMNS) if (!header.includes(c)) errors.push({ row: 1, column: c, code: 'missing_column', value: c });
  if (errors.length > 0) return { rows: [], errors };
  const dataRows = cells.length - 1;
  if (dataRows > MAX_IMPORT_ROWS) return { rows: [], errors: [{ row: 0, column: null, code: 'too_many_rows', value: String(dataRows) }] };

  const col = (row: string[], name: string): string => {
    const i = header.indexOf(name);
    return i < 0 ? '' : (row[i] ?? '');
  };
  const rows: ImportCheck['rows'] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < cells.length; i++) {
    const row = cells[i]!;
    if (row.every((c) => c.trim() === '')) continue;
    const extra = row.slice(header.length).find((c) => c.trim() !== '');
    if (extra !== undefined) errors.push({ row: i + 1, column: null, code: 'extra_cells', value: extra });
    const r = validateOrg({
      bin: col(row, 'bin'),
      nameKk: col(row, 'name_kk'),
      nameRu: col(row, 'name_ru'),
      region: col(row, 'region'),
      level: col(row, 'level'),
      address: col(row, 'address'),
      phone: col(row, 'phone'),
    });
    if (!r.ok) {
      for (const e of r.errors) errors.push({ row: i + 1, column: FIELD_COLUMN[e.field], code: e.code, value: col(row, FIELD_COLUMN[e.field]).slice(0, 80) });
      continue;
    }
    const first = seen.get(r.value.bin);
    if (first !== undefined) {
      errors.push({ row: i + 1, column: 'bin', code: 'duplicate_bin', value: `${r.value.bin} (${first})` });
      continue;
    }
    seen.set(r.value.bin, i + 1);
    rows.push({ row: i + 1, org: r.value });
  }
  if (rows.length === 0 && errors.length === 0) errors.push({ row: 0, column: null, code: 'no_rows', value: '' });
  return { rows, errors };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * Reads CSV text (RFC 4180: quoted fields with "" for a quote, line breaks inside quotes, CRLF or
 * LF). The separator is the one of `,` `;` or tab found most in the first line outside quotes
 * (spreadsheets in Kazakh and Russian locales save with `;`). A leading BOM is dropped.
 * Throws RangeError('csv.unclosed_quote') when a quote is never closed.
 */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  let sep = ',';
  let best = -1;
  for (const candidate of [',', ';', '\t']) {
    let n = 0;
    let q = false;
    for (const ch of firstLine) {
      if (ch === '"') q = !q;
      else if (!q && ch === candidate) n++;
    }
    if (n > best) {
      best = n;
      sep = candidate;
    }
  }
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
      i++;
      continue;
    }
    if (ch === sep) {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new RangeError('csv.unclosed_quote');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const csvCell = (v: string): string => (/[",;\r\n\t]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Writes rows as CSV (comma, CRLF, quoted where needed), with a BOM so spreadsheets read UTF-8. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
