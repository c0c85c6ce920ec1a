/**
 * Shorter stored forms of a few columns (issue 17, database size). The value every reader, the
 * change log, the sync wire, backups and exports see is unchanged (a UUID or an ISO time as text);
 * only the bytes in the table are shorter:
 *
 * - a UUID key (`uuid`): its 16 bytes (BLOB) instead of 36 characters — 20 bytes less in the row
 *   and again in every index that holds it;
 * - a time (`time`): milliseconds since 1970 (a 6-byte INTEGER, bound as a BigInt) instead of 24
 *   characters.
 *
 * Only the exact text the app writes is converted (a lower-case UUID with dashes; an ISO time as
 * `Date.toISOString` gives it); any other value (an id or time written by something else) is kept
 * as it came (the columns are declared ANY), so decoding always gives the stored text back. Byte
 * order of the 16 bytes is the order of the text, so `ORDER BY id` and `id > ?` page the same way
 * (values kept as text sort before all BLOBs, and before all INTEGERs for times after them: such
 * values do not occur from this app).
 *
 * The Store encodes and decodes by itself; a reader that queries one of these tables directly
 * encodes its parameters with `encodeValue` and decodes rows with `decodeRow` / `decodeValue`.
 * Which columns: `STORED_FORMS` (migration 0023-size converts an existing folder).
 */

export type Form = 'uuid' | 'time';

export const STORED_FORMS: Readonly<Record<string, Readonly<Record<string, Form>>>> = {
  case_documents: { id: 'uuid', created_at: 'time', updated_at: 'time' },
  document_files: { document_id: 'uuid', created_at: 'time', updated_at: 'time' },
};

/** A UUID as the app writes it (lower case, with dashes). */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export type StoredValue = string | number | bigint | null | Buffer | Uint8Array;

export function uuidToBytes(v: string): Buffer | null {
  return UUID_RE.test(v) ? Buffer.from(v.replace(/-/g, ''), 'hex') : null;
}

export function bytesToUuid(b: Uint8Array): string {
  const x = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The milliseconds of an ISO time exactly as `Date.toISOString` writes it, else null (so decoding
 * gives the same text back). Read digit by digit with the calendar checked (a sync import encodes
 * two times of each of tens of thousands of rows; parsing and printing a Date for each took about
 * 2 µs); years before 100 take the slow path (Date.UTC reads 0-99 as 1900-1999).
 */
export function timeToMs(v: string): number | null {
  if (!ISO_RE.test(v)) return null;
  const y = digits(v, 0, 4);
  if (y < 100) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) && new Date(ms).toISOString() === v ? ms : null;
  }
  const mo = digits(v, 5, 7);
  const d = digits(v, 8, 10);
  const h = digits(v, 11, 13);
  const mi = digits(v, 14, 16);
  const s = digits(v, 17, 19);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s, digits(v, 20, 23));
}

/** The number written by the ASCII digits v[from..to) (checked as digits by ISO_RE). */
function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (v.charCodeAt(i) - 48);
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The stored form of one value (anything that is not the app's own text form is kept as given). */
export function encodeAs(form: Form | undefined, v: unknown): unknown {
  if (form === undefined || typeof v !== 'string') return v;
  if (form === 'uuid') return uuidToBytes(v) ?? v;
  // A BigInt: better-sqlite3 binds a JS number as a REAL (8 bytes in an ANY column), a BigInt as
  // an INTEGER (6 bytes for today's milliseconds).
  const ms = timeToMs(v);
  return ms === null ? v : BigInt(ms);
}

/** The text form of one stored value. */
export function decodeAs(form: Form | undefined, v: unknown): unknown {
  if (form === undefined) return v;
  if (form === 'uuid') return v instanceof Uint8Array && v.byteLength === 16 ? bytesToUuid(v) : v;
  return typeof v === 'number' ? new Date(v).toISOString() : typeof v === 'bigint' ? new Date(Number(v)).toISOString() : v;
}

export function encodeValue(table: string, column: string, v: unknown): unknown {
  return encodeAs(STORED_FORMS[table]?.[column], v);
}

export function decodeValue(table: string, column: string, v: unknown): unknown {
  return decodeAs(STORED_FORMS[table]?.[column], v);
}

/** A row read from `table` with its columns in their text form (the same object, changed in place). */
export function decodeRow<T>(table: string, row: T): T {
  const forms = STORED_FORMS[table];
  if (!forms || row === undefined || row === null) return row;
  const r = row as Record<string, unknown>;
  for (const [c, f] of Object.entries(forms)) if (c in r) r[c] = decodeAs(f, r[c]);
  return row;
}

export function decodeRows<T>(table: string, rows: T[]): T[] {
  if (STORED_FORMS[table]) for (const r of rows) decodeRow(table, r);
  return rows;
}

/** SQL functions for migrations: `htmp_uuid_bytes(text)` and `htmp_time_ms(text)` (same rules). */
export function registerStoredFormFunctions(db: { function(name: string, opts: { deterministic: boolean }, fn: (v: unknown) => unknown): unknown }): void {
  db.function('htmp_uuid_bytes', { deterministic: true }, (v) => encodeAs('uuid', v));
  db.function('htmp_time_ms', { deterministic: true }, (v) => encodeAs('time', v));
}
