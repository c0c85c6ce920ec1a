import type { CsvRowError } from '../../../shared/contract/scoring';
import type { TransferInput } from '../../../shared/domain/transfer';
import { REGION_IDS, type RegionId } from '../../../shared/domain/regions';

// CSV of transfer inputs: parsed and checked row by row without touching the database (the
// scoring service evaluates the rows and writes them, all or nothing).

/**
 * The CSV layout: one row per technology and year, a header row naming the columns (any order,
 * case-insensitive). Separator `;`, `,` or tab, detected from the header. Money in tenge with up
 * to two decimals ("1250000", "1 250 000,50"), stored in tiyn; list_tariffs holds the tariffs of
 * all services of the list separated by `|`. Region columns are optional: `<region>_regional`
 * and `<region>_republican` for the 20 region ids; a region with both cells empty has no data.
 */
export const CSV_REQUIRED_COLUMNS = ['code', 'year', 'tariff', 'list_tariffs', 'cases_per_year', 'population', 'lethal_or_complicated'] as const;
export const CSV_REGION_COLUMNS: string[] = REGION_IDS.flatMap((id) => [`${id}_regional`, `${id}_republican`]);

/** Splits CSV text into records with the 1-based line each starts on (RFC 4180 quoting). */
function csvRecords(text: string, sep: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      touched = true;
    } else if (ch === sep) {
      cells.push(cell);
      cell = '';
      touched = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (touched || cells.some((c) => c.trim() !== '')) out.push({ line: start, cells });
      cells = [];
      cell = '';
      touched = false;
      line++;
      start = line;
    } else {
      cell += ch;
      if (ch.trim() !== '') touched = true;
    }
  }
  cells.push(cell);
  if (touched || cells.some((c) => c.trim() !== '')) out.push({ line: start, cells });
  return out;
}

const SPACES = /[\s\u00a0\u202f]/g;

/** Whole non-negative count ("12 500" allowed). */
function parseCount(raw: string): number | null {
  const s = raw.replace(SPACES, '');
  if (!/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

/** Tenge with up to two decimals, exactly to tiyn (no float arithmetic). */
export function tengeToTiyn(raw: string): number | null {
  const s = raw.replace(SPACES, '');
  const m = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function parseTransferCsv(text: string): {
  rows: { row: number; input: TransferInput }[];
  errors: CsvRowError[];
  skippedRows: number;
} {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const count = (c: string) => firstLine.split(c).length - 1;
  const sep = [';', '\t', ','].reduce((best, c) => (count(c) > count(best) ? c : best), ';');
  const records = csvRecords(clean, sep);
  const errors: CsvRowError[] = [];
  const header = records.shift();
  if (!header) return { rows: [], errors: [{ row: 1, error: { code: 'transfer.csv_empty' } }], skippedRows: 0 };
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  const known = new Set<string>([...CSV_REQUIRED_COLUMNS, ...CSV_REGION_COLUMNS]);
  for (const c of columns) {
    if (!known.has(c)) errors.push({ row: header.line, column: c, error: { code: 'transfer.csv_unknown_column', params: { column: c } } });
  }
  for (const c of CSV_REQUIRED_COLUMNS) {
    if (!columns.includes(c)) errors.push({ row: header.line, column: c, error: { code: 'transfer.csv_missing_column', params: { column: c } } });
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) errors.push({ row: header.line, column: dup, error: { code: 'transfer.csv_duplicate_column', params: { column: dup } } });
  if (errors.length > 0) return { rows: [], errors, skippedRows: records.length };
  if (records.length === 0) return { rows: [], errors: [{ row: 2, error: { code: 'transfer.csv_empty' } }], skippedRows: 0 };

  const rows: { row: number; input: TransferInput }[] = [];
  let skippedRows = 0;
  for (const rec of records) {
    const rowErrors: CsvRowError[] = [];
    if (rec.cells.length !== columns.length) {
      errors.push({ row: rec.line, error: { code: 'transfer.csv_cell_count', params: { row: rec.line, expected: columns.length, found: rec.cells.length } } });
      skippedRows++;
      continue;
    }
    const cell = (name: string): string => (rec.cells[columns.indexOf(name)] ?? '').trim();
    const bad = (column: string, kind: 'count' | 'money' | 'required') =>
      rowErrors.push({ row: rec.line, column, error: { code: `transfer.csv_bad_${kind}`, params: { row: rec.line, column, value: cell(column) } } });
    const count = (name: string): number => {
      const v = parseCount(cell(name));
      if (v === null) bad(name, 'count');
      return v ?? 0;
    };
    const money = (name: string): number => {
      const v = tengeToTiyn(cell(name));
      if (v === null) bad(name, 'money');
      return v ?? 0;
    };
    const code = cell('code');
    if (!code) bad('code', 'required');
    const year = count('year');
    const tariff = money('tariff');
    const listCell = cell('list_tariffs');
    const listTariffs: number[] = [];
    if (!listCell) bad('list_tariffs', 'money');
    else {
      for (const part of listCell.split('|')) {
        const v = tengeToTiyn(part);
        if (v === null) {
          bad('list_tariffs', 'money');
          break;
        }
        listTariffs.push(v);
      }
    }
    const regions: TransferInput['regions'] = [];
    for (const id of REGION_IDS) {
      const regCol = `${id}_regional`;
      const repCol = `${id}_republican`;
      const hasReg = columns.includes(regCol) && cell(regCol) !== '';
      const hasRep = columns.includes(repCol) && cell(repCol) !== '';
      if (!hasReg && !hasRep) continue;
      const regionalCases = hasReg ? count(regCol) : 0;
      const republicanCases = hasRep ? count(repCol) : 0;
      regions.push({ region: id as RegionId, regionalCases, republicanCases });
    }
    const input: TransferInput = {
      code,
      year,
      regions,
      tariff,
      listTariffs,
      casesPerYear: count('cases_per_year'),
      population: count('population'),
      lethalOrComplicated: count('lethal_or_complicated'),
    };
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      skippedRows++;
    } else rows.push({ row: rec.line, input });
  }
  return { rows, errors, skippedRows };
}
