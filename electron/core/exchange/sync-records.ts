/**
 * What sync export and import share (docs/bundle-format.md, section 8): the records entries'
 * names and limits, lock rules, the check of one change or state line, the 16-byte keys of
 * `change_seen`, and the job records. The overview is in sync.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import type { CoreContext } from '../context';
import type { Row, SqlValue, TableSpec } from '../store';
import { isAttachmentColumn, SHA256_RE } from '../files';
import { changeFieldsToWire } from './wire';

/** The one records file of a 1.0 bundle; read whole, up to the 1.0 limit. */
export const LEGACY_CHANGES_PATH = 'records/changes.jsonl';
export const LEGACY_MAX_RECORDS_BYTES = 256 * 1024 * 1024;
/** 2.0: plaintext bytes the writer puts in one records entry (about a thousand changes). */
export const RECORDS_ENTRY_BYTES = 1024 * 1024;
/** 2.0: the most plaintext one records entry may hold; a reader refuses more. */
export const MAX_RECORDS_ENTRY_BYTES = 16 * 1024 * 1024;
/** 2.0 encrypted bundles: the attachments' hashes (their entry names are keyed, not the hash). */
export const FILES_INDEX = 'records/files.json';
export const RECORDS_RE = /^records\/(state|changes)-(\d{6})\.jsonl(\.enc)?$/;
export const recordsPath = (kind: 'state' | 'changes', n: number, encrypted: boolean): string => `records/${kind}-${String(n).padStart(6, '0')}.jsonl${encrypted ? '.enc' : ''}`;
/** meta key holding the highest seq compacted out of change_log. */
export const HORIZON_KEY = 'change_log_horizon';

// ---------------------------------------------------------------------------------------------
// Locks

export type LockRule = (table: string, row: Row) => boolean;

/**
 * Rows that never change by sync. Default: a row with a non-null `locked_at` or `issued_at`
 * (an issued protocol, a locked decision). Areas may add rules.
 */
const lockRules: LockRule[] = [(_t, row) => (row.locked_at ?? null) !== null || (row.issued_at ?? null) !== null];

export function registerLockRule(rule: LockRule): void {
  lockRules.push(rule);
}

export function isLocked(table: string, row: Row): boolean {
  return lockRules.some((r) => r(table, row));
}

// ---------------------------------------------------------------------------------------------
// Records

const NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;
const sqlValue = z.union([z.string(), z.number().finite(), z.null()]);

/** One change record (the documentation of the line format; lines are checked by parseChange). */
export const changeSchema = z.looseObject({
  seq: z.number().int().positive(),
  changeId: z.string().min(1).max(128),
  table: z.string().regex(NAME_RE),
  recordId: z.string().min(1).max(200),
  op: z.enum(['insert', 'update', 'delete']),
  fields: z.record(z.string().regex(NAME_RE), z.tuple([sqlValue, sqlValue])),
  installationId: z.string().min(1).max(128),
  at: z.string().min(1).max(64),
  resolves: z.array(z.string().min(1).max(128)).max(256).optional(),
});
export type SyncChange = z.infer<typeof changeSchema>;

/** 2.0: the current row, sent instead of history that was compacted (applied only where missing). */
export interface SyncState {
  changeId: string;
  table: string;
  recordId: string;
  values: Record<string, SqlValue>;
  installationId: string;
  at: string;
  /** Keys (32 hex digits) of the compacted changes the row contains. */
  covers?: string[];
}

export const syncMetaSchema = z.looseObject({
  since: z.number().int().min(0),
  upTo: z.number().int().min(0),
  acks: z.record(z.string(), z.number().int().min(0)).optional(),
  installations: z.record(z.string(), z.string().max(200)).optional(),
  recipients: z.array(z.string()).optional(),
});

export interface LogRow {
  seq: number;
  change_id: string;
  table_name: string;
  record_id: string;
  op: 'insert' | 'update' | 'delete';
  fields: string;
  installation_id: string;
  at: string;
  resolves: string | null;
}

/** A change_log row as one JSON line; the stored `fields` and `resolves` JSON are copied as they are. */
export function changeLine(r: LogRow): string {
  return (
    `{"seq":${r.seq},"changeId":${JSON.stringify(r.change_id)},"table":${JSON.stringify(r.table_name)},"recordId":${JSON.stringify(r.record_id)},` +
    `"op":${JSON.stringify(r.op)},"fields":${changeFieldsToWire(r.table_name, r.fields)},"installationId":${JSON.stringify(r.installation_id)},"at":${JSON.stringify(r.at)}` +
    `${r.resolves ? `,"resolves":${r.resolves}` : ''}}`
  );
}

const isSqlValue = (v: unknown): v is SqlValue => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isId = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;

/**
 * Checks one change line (the rules of changeSchema, written out: a sync of 100,000 cases has a
 * million lines) and the table and columns against this installation's Store. Returns a reason
 * instead of throwing, so the caller can name the entry and line.
 */
export function checkChange(v: unknown, tables: ReadonlyMap<string, KnownTable>): { ok: SyncChange } | { reason: string; field?: string; table?: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { reason: 'schema', field: '' };
  const c = v as Record<string, unknown>;
  if (typeof c.seq !== 'number' || !Number.isInteger(c.seq) || c.seq <= 0) return { reason: 'schema', field: 'seq' };
  if (!isId(c.changeId, 128)) return { reason: 'schema', field: 'changeId' };
  if (typeof c.table !== 'string' || !NAME_RE.test(c.table)) return { reason: 'schema', field: 'table' };
  if (!isId(c.recordId, 200)) return { reason: 'schema', field: 'recordId' };
  if (c.op !== 'insert' && c.op !== 'update' && c.op !== 'delete') return { reason: 'schema', field: 'op' };
  if (!isId(c.installationId, 128)) return { reason: 'schema', field: 'installationId' };
  if (!isId(c.at, 64)) return { reason: 'schema', field: 'at' };
  if (c.resolves !== undefined && (!Array.isArray(c.resolves) || c.resolves.length > 256 || !c.resolves.every((x) => isId(x, 128)))) return { reason: 'schema', field: 'resolves' };
  const f = c.fields;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) return { reason: 'schema', field: 'fields' };
  const spec = tables.get(c.table);
  if (!spec) return { reason: 'unknown_table', table: c.table };
  for (const [k, pair] of Object.entries(f as Record<string, unknown>)) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isSqlValue(pair[0]) || !isSqlValue(pair[1])) return { reason: 'schema', field: `fields.${k}` };
    if (!spec.writable.has(k)) return { reason: 'unknown_column', table: c.table, field: k };
  }
  return { ok: c as unknown as SyncChange };
}

/** A user table as the checks need it: the columns a remote change may write, as a set. */
export interface KnownTable extends TableSpec {
  writable: ReadonlySet<string>;
}

export function knownTables(specs: readonly TableSpec[]): Map<string, KnownTable> {
  return new Map(specs.map((t) => [t.name, { ...t, writable: new Set([...t.columns, 'created_at', 'updated_at']) }] as const));
}

export function checkState(v: unknown, tables: ReadonlyMap<string, KnownTable>): { ok: SyncState } | { reason: string; field?: string; table?: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { reason: 'schema', field: '' };
  const s = v as Record<string, unknown>;
  if (!isId(s.changeId, 128)) return { reason: 'schema', field: 'changeId' };
  if (typeof s.table !== 'string' || !NAME_RE.test(s.table)) return { reason: 'schema', field: 'table' };
  if (!isId(s.recordId, 200)) return { reason: 'schema', field: 'recordId' };
  if (!isId(s.installationId, 128)) return { reason: 'schema', field: 'installationId' };
  if (!isId(s.at, 64)) return { reason: 'schema', field: 'at' };
  const values = s.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return { reason: 'schema', field: 'values' };
  if (s.covers !== undefined && (!Array.isArray(s.covers) || s.covers.length > 100_000 || !s.covers.every((x) => typeof x === 'string' && /^[0-9a-f]{32}$/.test(x)))) return { reason: 'schema', field: 'covers' };
  const spec = tables.get(s.table);
  if (!spec) return { reason: 'unknown_table', table: s.table };
  for (const [k, x] of Object.entries(values as Record<string, unknown>)) {
    if (!isSqlValue(x)) return { reason: 'schema', field: `values.${k}` };
    if (!spec.writable.has(k)) return { reason: 'unknown_column', table: s.table, field: k };
  }
  return { ok: s as unknown as SyncState };
}

export function attachmentsOf(table: string, fields: SyncChange['fields']): string[] {
  const out: string[] = [];
  for (const [col, [, v]] of Object.entries(fields)) if (isAttachmentColumn(col, table) && typeof v === 'string' && SHA256_RE.test(v)) out.push(v);
  return out;
}

/** A change id as the 16 bytes kept in `change_seen` (a UUID's own bytes; otherwise its SHA-256, cut). */
export function seenKey(changeId: string): Buffer {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(changeId)) return Buffer.from(changeId.replace(/-/g, ''), 'hex');
  return createHash('sha256').update(`change-id ${changeId}`).digest().subarray(0, 16);
}

export { addSeen, holds, recordKey } from './record-key';

/** Name of an attachment entry in an encrypted bundle: keyed, so the names do not reveal the hashes. */
export function sealedFilePath(contentKey: Buffer, sha256: string): string {
  return `files/${createHmac('sha256', contentKey).update(`file ${sha256}`).digest('hex')}.enc`;
}

export function changeLogHorizon(ctx: Pick<CoreContext, 'db'>): number {
  const v = ctx.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(HORIZON_KEY) as string | undefined;
  return v === undefined ? 0 : Number(v);
}

export function generator(ctx: CoreContext): { name: string; version: string } {
  return { name: 'htmp-desk', version: ctx.versions.app ?? '0.1.0' };
}

export function recordJob(
  ctx: Pick<CoreContext, 'db'>,
  j: { id: string; kind: string; direction: 'export' | 'import'; status?: 'done' | 'failed' | 'cancelled'; bundleId?: string | null; peer?: string | null; file?: string | null; sha256?: string | null; records?: number; attachments?: number; upToSeq?: number | null; error?: string | null; started: string; finished: string },
): void {
  ctx.db
    .prepare(
      `INSERT OR REPLACE INTO exchange_jobs (id, kind, direction, status, bundle_id, peer, file, sha256, records, attachments, up_to_seq, error, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(j.id, j.kind, j.direction, j.status ?? 'done', j.bundleId ?? null, j.peer ?? null, j.file ?? null, j.sha256 ?? null, j.records ?? 0, j.attachments ?? 0, j.upToSeq ?? null, j.error ?? null, j.started, j.finished);
}

/**
 * meta key of history received without change-log rows (sync-import.ts): `{"source": ID, "seq": N}`.
 * Changes received from the only peer `source` are applied as if compacted at once: their ids in
 * `change_seen`, no change-log row. `seq` is a change-log seq reserved for that import (no row
 * has it; later local changes come after it): a peer other than the source that has not
 * acknowledged it lacks those records, and gets the rows' current state (`records/state-*`), as
 * for compacted history; the source has them and gets nothing of them back.
 */
export const RECEIVED_KEY = 'change_log_received';

export interface ReceivedMark {
  source: string;
  seq: number;
}

export function receivedMark(ctx: Pick<CoreContext, 'db'>): ReceivedMark | null {
  const v = ctx.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(RECEIVED_KEY) as string | undefined;
  if (v === undefined) return null;
  const m = JSON.parse(v) as Partial<ReceivedMark>;
  return typeof m.source === 'string' && typeof m.seq === 'number' ? { source: m.source, seq: m.seq } : null;
}

/**
 * Reserves the next change-log seq (no row will have it) and records it as the mark of history
 * received without change-log rows from `source`. Inside the import's transaction.
 */
export function markReceived(ctx: Pick<CoreContext, 'db'>, source: string): number {
  const db = ctx.db;
  const used = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").pluck().get() as number | undefined;
  const seq = Math.max(used ?? 0, logTop(ctx)) + 1;
  if (used === undefined) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('change_log', ?)").run(seq);
  else db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'change_log'").run(seq);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(RECEIVED_KEY, JSON.stringify({ source, seq }));
  return seq;
}

/** The highest seq of this installation's log a peer can acknowledge: the last row, or the mark of received history. */
export function logTop(ctx: Pick<CoreContext, 'db'>): number {
  const n = (ctx.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number }).n;
  const v = ctx.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(RECEIVED_KEY) as string | undefined;
  if (v === undefined) return n;
  const m = JSON.parse(v) as Partial<ReceivedMark>;
  return typeof m.seq === 'number' ? Math.max(n, m.seq) : n;
}
