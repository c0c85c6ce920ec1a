/**
 * Sync bundles between laptops of one commission (docs/bundle-format.md, section 8).
 *
 * Export: every change_log row after the recipients' acknowledged local seq (all rows without a
 * recipient), except a single recipient's own, including rows relayed from third laptops, as
 * `records/changes-NNNNNN.jsonl` entries of bounded size, plus the attachments those rows name.
 * When the history the recipient lacks was compacted away (every known peer had acknowledged
 * it), the current rows travel instead as `records/state-NNNNNN.jsonl`. Encrypted to the
 * recipients' X25519 keys (exchange/seal.ts); written in one pass, never whole in memory.
 *
 * Import: idempotent (bundle id and change id dedupe), order-tolerant (a change is applied only
 * when the local value is still the one it started from), atomic: every entry is verified
 * first, attachments are stored (content-addressed, verified), then ONE synchronous SQLite
 * transaction reads the record entries one at a time from the bundle file itself (bounded
 * memory, hashes checked again) and applies them without a savepoint per change. A field both
 * sides changed becomes a conflict; nothing is overwritten silently. Locked rows (issued
 * protocols) never change by sync: such changes are recorded as refused.
 */
import type { ExportView, ImportView } from '../../../shared/contract/exchange';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nameBasedUuid, type ChangeRecord, type Row, type SqlValue, type TableSpec } from '../store';
import { writeBundle, type BundleReader, type WriteBundleEntry } from './archive';
import { BundleError } from './errors';
import { deferFacts } from '../aftercare/facts';
import { withBulkCache } from '../db';
import { reclaimSpace } from '../db-space';
import { hasStoredFile, isAttachmentColumn, openStoredFile, SHA256_RE } from '../files';
import type { Job } from './jobs';
import { attachmentHashOf, attachmentPath, parseVersion } from './manifest';
import { chain, HashCheck, receiveFiles } from './import-files';
import { changeFieldsToWire, fieldsFromWire, hasWireForm, valuesFromWire, valuesToWire } from './wire';
import { boxFingerprint, decryptBuffer, encryptBuffer, encryptStream, entryKey, newEncryption, normaliseFingerprint, openContentKey } from './seal';
import { boxKeys, getPeer, identity, learnEncryptionKey, listPeers, senderSecret, trustPeer, type OpenedBundle, type PeerRow } from './trust';

/** The one records file of a 1.0 bundle; read whole, up to the 1.0 limit. */
export const LEGACY_CHANGES_PATH = 'records/changes.jsonl';
export const LEGACY_MAX_RECORDS_BYTES = 256 * 1024 * 1024;
/** 2.0: plaintext bytes the writer puts in one records entry (about a thousand changes). */
export const RECORDS_ENTRY_BYTES = 1024 * 1024;
/** 2.0: the most plaintext one records entry may hold; a reader refuses more. */
export const MAX_RECORDS_ENTRY_BYTES = 16 * 1024 * 1024;
/** 2.0 encrypted bundles: the attachments' hashes (their entry names are keyed, not the hash). */
export const FILES_INDEX = 'records/files.json';
const RECORDS_RE = /^records\/(state|changes)-(\d{6})\.jsonl(\.enc)?$/;
const recordsPath = (kind: 'state' | 'changes', n: number, encrypted: boolean): string => `records/${kind}-${String(n).padStart(6, '0')}.jsonl${encrypted ? '.enc' : ''}`;
/** meta key holding the highest seq compacted out of change_log. */
const HORIZON_KEY = 'change_log_horizon';

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

const syncMetaSchema = z.looseObject({
  since: z.number().int().min(0),
  upTo: z.number().int().min(0),
  acks: z.record(z.string(), z.number().int().min(0)).optional(),
  installations: z.record(z.string(), z.string().max(200)).optional(),
  recipients: z.array(z.string()).optional(),
});

interface LogRow {
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
function changeLine(r: LogRow): string {
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

function checkState(v: unknown, tables: ReadonlyMap<string, KnownTable>): { ok: SyncState } | { reason: string; field?: string; table?: string } {
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

function attachmentsOf(table: string, fields: SyncChange['fields']): string[] {
  const out: string[] = [];
  for (const [col, [, v]] of Object.entries(fields)) if (isAttachmentColumn(col, table) && typeof v === 'string' && SHA256_RE.test(v)) out.push(v);
  return out;
}

/** A change id as the 16 bytes kept in `change_seen` (a UUID's own bytes; otherwise its SHA-256, cut). */
export function seenKey(changeId: string): Buffer {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(changeId)) return Buffer.from(changeId.replace(/-/g, ''), 'hex');
  return createHash('sha256').update(`change-id ${changeId}`).digest().subarray(0, 16);
}

/** The 16-byte key of a record in `change_seen`. */
export function recordKey(table: string, recordId: string): Buffer {
  return createHash('sha256').update(`${table}/${recordId}`).digest().subarray(0, 16);
}

/** True when `ids` (16-byte keys one after the other) holds `key`. */
function holds(ids: Buffer, key: Buffer): boolean {
  for (let at = 0; at + 16 <= ids.length; at += 16) if (ids.compare(key, 0, 16, at, at + 16) === 0) return true;
  return false;
}

/** Adds compacted change ids (16-byte keys) to a record's entry in `change_seen`. */
export function addSeen(db: CoreContext['db'], record: Buffer, keys: Buffer[]): void {
  const cur = db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck().get(record) as Buffer | undefined;
  const fresh = keys.filter((k) => cur === undefined || !holds(cur, k));
  if (fresh.length === 0) return;
  db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?) ON CONFLICT(record) DO UPDATE SET ids = excluded.ids').run(record, Buffer.concat([cur ?? Buffer.alloc(0), ...fresh]));
}

/** Name of an attachment entry in an encrypted bundle: keyed, so the names do not reveal the hashes. */
function sealedFilePath(contentKey: Buffer, sha256: string): string {
  return `files/${createHmac('sha256', contentKey).update(`file ${sha256}`).digest('hex')}.enc`;
}

// ---------------------------------------------------------------------------------------------
// Export

/** What an export reports; the service adds the download name (and the referral index). */
export type ExportResult = Omit<ExportView, 'name' | 'index' | 'kind'> & { kind: 'sync' | 'backup' | 'referral' | 'catalogue' };

const PAGE = 2000;

export function changeLogHorizon(ctx: Pick<CoreContext, 'db'>): number {
  const v = ctx.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(HORIZON_KEY) as string | undefined;
  return v === undefined ? 0 : Number(v);
}

/** The peers a sync bundle is for: `--peer ID` and each `--for FINGERPRINT` (encryption or signing key). */
export function resolveRecipients(ctx: CoreContext, peer: string | undefined, fingerprints: readonly string[] = []): PeerRow[] {
  const peers = listPeers(ctx);
  const out = new Map<string, PeerRow>();
  if (peer !== undefined) {
    const p = getPeer(ctx, peer);
    if (!p) throw new AppFailure('exchange.unknown_peer', { peer });
    out.set(p.installation_id, p);
  }
  for (const text of fingerprints) {
    const fp = normaliseFingerprint(text);
    const p = fp === null ? undefined : peers.find((x) => x.fingerprint === fp || (x.encryption_key !== null && boxFingerprint(x.encryption_key) === fp));
    if (!p) throw new AppFailure('exchange.unknown_peer', { peer: text });
    out.set(p.installation_id, p);
  }
  return [...out.values()];
}

export interface ExportSyncOptions {
  file: string;
  /** A peer's installation id (the 1.0 option): the bundle is for it. */
  peer?: string | undefined;
  /** Fingerprints of the recipients' keys (as `bundle identity` shows them). */
  for?: readonly string[] | undefined;
  /** No recipient: a bundle with this installation's keys and acknowledgements only, no records. */
  introduce?: boolean | undefined;
  /** Tests only: a 2.0 bundle with records but without encryption (to show what encryption hides). */
  plain?: boolean;
  /** Tests only: smaller records entries. */
  recordsEntryBytes?: number;
  job: Job;
}

export async function exportSync(ctx: CoreContext, opts: ExportSyncOptions): Promise<ExportResult> {
  const { job } = opts;
  const started = new Date().toISOString();
  const recipients = resolveRecipients(ctx, opts.peer, opts.for ?? []);
  if (recipients.length === 0 && opts.introduce !== true && opts.plain !== true) throw new AppFailure('exchange.no_recipient', {});
  const encrypt = recipients.length > 0 && opts.plain !== true;
  if (encrypt) {
    for (const r of recipients) if (r.encryption_key === null) throw new AppFailure('exchange.peer_no_key', { peer: r.installation_id, name: r.name ?? r.installation_id, fingerprint: r.fingerprint });
  }
  const introduce = recipients.length === 0 && opts.introduce === true;
  const since = recipients.length > 0 ? Math.min(...recipients.map((r) => r.acked_seq)) : 0;
  const exclude = recipients.length === 1 ? recipients[0]!.installation_id : '';
  const upTo = introduce ? 0 : (ctx.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number }).n;
  const horizon = changeLogHorizon(ctx);
  const withState = !introduce && since < horizon;
  const userTables = ctx.store.tables();
  const userTableNames = new Set(userTables.map((t) => t.name));
  const bundleId = randomUUID();
  const sealed = encrypt ? newEncryption(recipients.map((r) => ({ publicKey: r.encryption_key!, installationId: r.installation_id })), bundleId) : null;
  const entryBytes = opts.recordsEntryBytes ?? RECORDS_ENTRY_BYTES;
  const me = identity(ctx);
  const page = ctx.db.prepare(
    `SELECT c.seq, c.change_id, c.table_name, c.record_id, c.op, c.fields, c.installation_id, c.at, r.resolves
       FROM change_log c LEFT JOIN exchange_resolutions r ON r.change_id = c.change_id
      WHERE c.seq > ? AND c.seq <= ? AND c.installation_id <> ? ORDER BY c.seq LIMIT ${PAGE}`,
  );
  const pendingTotal = introduce ? 0 : (ctx.db.prepare('SELECT count(*) AS n FROM change_log WHERE seq > ? AND seq <= ?').get(since, upTo) as { n: number }).n;

  let changes = 0;
  let states = 0;
  const hashes = new Set<string>();
  const present: string[] = [];
  const missingFiles: string[] = [];

  /**
   * Lines are written straight into the entry's buffer (bytes, outside the JS heap): no array of
   * strings survives long enough to be promoted, so memory stays flat however many rows there are.
   */
  class Lines {
    buf = Buffer.allocUnsafe(entryBytes + 4096);
    len = 0;
    /** Adds a line; returns the finished entry's bytes when the buffer is full. */
    add(line: string): Buffer | null {
      const need = Buffer.byteLength(line, 'utf8') + 1;
      let done: Buffer | null = null;
      if (this.len > 0 && this.len + need > this.buf.length) done = this.take();
      if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
      this.len += this.buf.write(line, this.len, 'utf8');
      this.buf[this.len++] = 0x0a;
      return done;
    }
    take(): Buffer {
      const out = this.buf.subarray(0, this.len);
      this.buf = Buffer.allocUnsafe(entryBytes + 4096);
      this.len = 0;
      return out;
    }
  }

  /** One records entry: plain (deflated by the zip) or deflated then encrypted. */
  const recordsEntry = (kind: 'state' | 'changes', n: number, plain: Buffer): WriteBundleEntry => {
    const path = recordsPath(kind, n, sealed !== null);
    if (sealed === null) return { path, role: 'record', source: { buffer: plain }, compressionLevel: 1 };
    const packed = encryptBuffer(entryKey(sealed.contentKey, bundleId, path), deflateRawSync(plain, { level: 1, chunkSize: 1 << 20 }));
    return { path, role: 'record', source: { buffer: packed }, compress: false };
  };

  function* stateEntries(): Generator<WriteBundleEntry> {
    let n = 0;
    const lines = new Lines();
    const tailInserts = ctx.db.prepare("SELECT record_id FROM change_log WHERE table_name = ? AND op = 'insert'").pluck();
    const covered = ctx.db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck();
    for (const t of userTables) {
      const rows = ctx.db.prepare(`SELECT * FROM ${t.name} WHERE id > ? ORDER BY id LIMIT 500`);
      // Rows whose insert is still in the log travel as changes (the tail is short once acknowledged).
      const inTail = new Set(tailInserts.all(t.name) as string[]);
      for (let last = ''; ; ) {
        job.throwIfCancelled();
        const batch = rows.all(last) as Row[];
        if (batch.length === 0) break;
        for (const row of batch) {
          const id = String(row.id);
          if (inTail.has(id)) continue; // its insert travels in the changes
          const values: Record<string, SqlValue> = {};
          for (const [k, v] of Object.entries(row)) {
            if (k === 'id') continue;
            values[k] = v;
            if (isAttachmentColumn(k, t.name) && typeof v === 'string' && SHA256_RE.test(v)) hashes.add(v);
          }
          const at = String(row.updated_at ?? row.created_at ?? started);
          // The compacted changes this row already contains: a laptop that takes the row takes
          // them as seen, so their copies relayed by others later change nothing.
          const ids = covered.get(recordKey(t.name, id)) as Buffer | undefined;
          const covers = ids === undefined ? [] : Array.from({ length: ids.length / 16 }, (_, i) => ids.toString('hex', i * 16, i * 16 + 16));
          const line = JSON.stringify({ changeId: nameBasedUuid(`state/${t.name}/${id}/${at}`), table: t.name, recordId: id, values: valuesToWire(t.name, values), installationId: ctx.installationId, at, ...(covers.length > 0 ? { covers } : {}) });
          states++;
          const full = lines.add(line);
          if (full) yield recordsEntry('state', ++n, full);
        }
        last = String(batch[batch.length - 1]!.id);
      }
    }
    if (lines.len > 0) yield recordsEntry('state', ++n, lines.take());
  }

  function* changeEntries(): Generator<WriteBundleEntry> {
    let n = 0;
    const lines = new Lines();
    for (let last = since; ; ) {
      job.throwIfCancelled();
      const rows = page.all(last, upTo, exclude) as LogRow[];
      if (rows.length === 0) break;
      for (const r of rows) {
        if (!userTableNames.has(r.table_name)) continue; // local notes (a peer's key change) never travel
        if (r.op !== 'delete' && r.fields.includes('sha256')) for (const h of attachmentsOf(r.table_name, JSON.parse(r.fields) as SyncChange['fields'])) hashes.add(h);
        changes++;
        const full = lines.add(changeLine(r));
        if (full) yield recordsEntry('changes', ++n, full);
      }
      last = rows[rows.length - 1]!.seq;
      job.progress('records', Math.min(changes, pendingTotal), pendingTotal);
    }
    if (lines.len > 0) yield recordsEntry('changes', ++n, lines.take());
  }

  async function* entries(): AsyncGenerator<WriteBundleEntry> {
    if (withState) yield* stateEntries();
    if (!introduce) yield* changeEntries();
    for (const h of [...hashes].sort()) (hasStoredFile(ctx.dataDir, h) ? present : missingFiles).push(h);
    let i = 0;
    for (const h of present) {
      job.progress('files', ++i, present.length);
      if (sealed === null) {
        yield { path: attachmentPath(h), role: 'attachment', source: { stream: () => openStoredFile(ctx.dataDir, h) }, compress: false };
      } else {
        const path = sealedFilePath(sealed.contentKey, h);
        const key = entryKey(sealed.contentKey, bundleId, path);
        // Checked on the way out: what is encrypted is exactly the content with this hash.
        yield { path, role: 'attachment', compress: false, source: { stream: () => chain(openStoredFile(ctx.dataDir, h), new HashCheck(h, `files/${h}`, 'attachment_content'), encryptStream(key)) } };
      }
    }
    if (sealed !== null) {
      const index = Buffer.from(JSON.stringify(present), 'utf8');
      const path = `${FILES_INDEX}.enc`;
      yield { path, role: 'record', compress: false, source: { buffer: encryptBuffer(entryKey(sealed.contentKey, bundleId, path), deflateRawSync(index, { level: 1, chunkSize: 1 << 20 })) } };
    }
  }

  const peers = listPeers(ctx);
  const installations: Record<string, string> = { [me.installationId]: me.name };
  for (const p of peers) if (p.name) installations[p.installation_id] = p.name;
  const meta = (): Record<string, unknown> => ({
    schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    since,
    upTo,
    changes,
    states,
    attachments: present.length,
    acks: Object.fromEntries(peers.map((p) => [p.installation_id, p.received_seq])),
    installations,
    recipients: recipients.map((r) => r.installation_id),
    ...(introduce ? { introduction: true } : {}),
    // Hashes name patient documents: an encrypted bundle only says how many are missing.
    ...(missingFiles.length > 0 ? (sealed === null ? { missingFiles } : { missingFiles: missingFiles.length }) : {}),
  });

  job.progress('records', 0, pendingTotal);
  const r = await writeBundle({
    file: opts.file,
    kind: 'sync',
    sender: senderSecret(ctx),
    meta,
    entries: entries(),
    signal: job.signal,
    generator: generator(ctx),
    bundleId,
    ...(sealed !== null ? { encryption: sealed.header } : {}),
  });
  job.progress('done', 1, 1);
  const finished = new Date().toISOString();
  ctx.db.transaction(() => {
    recordJob(ctx, { id: job.id, kind: 'sync', direction: 'export', bundleId: r.bundleId, peer: recipients.map((p) => p.installation_id).join(',') || null, file: r.file, sha256: r.sha256, records: changes + states, attachments: present.length, upToSeq: upTo, started, finished });
    for (const p of recipients) ctx.db.prepare('UPDATE exchange_peers SET last_export_at = ? WHERE installation_id = ?').run(finished, p.installation_id);
  })();
  return {
    file: r.file,
    kind: 'sync',
    bundleId: r.bundleId,
    records: changes + states,
    attachments: present.length,
    sha256: r.sha256,
    bytes: r.bytes,
    encrypted: sealed !== null,
    recipients: recipients.map((p) => ({ installationId: p.installation_id, name: p.name, fingerprint: p.fingerprint })),
    ...(missingFiles.length ? { missingFiles } : {}),
  };
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

// ---------------------------------------------------------------------------------------------
// Import

/** What an import reports: the same shape the API returns (shared/contract/exchange.ts). */
export type ImportResult = ImportView;

class DryRunRollback extends Error {}

interface RecordsEntry {
  path: string;
  kind: 'state' | 'changes';
  /** The most bytes the stored entry may have (a 1.0 file keeps its 1.0 limit). */
  maxBytes: number;
}

/** The records entries of a sync bundle in the order they are applied: states, then changes. */
export function recordsEntries(reader: BundleReader): RecordsEntry[] {
  const out: (RecordsEntry & { n: number })[] = [];
  for (const e of reader.entries) {
    if (e.path === LEGACY_CHANGES_PATH) out.push({ path: e.path, kind: 'changes', n: 0, maxBytes: LEGACY_MAX_RECORDS_BYTES });
    const m = RECORDS_RE.exec(e.path);
    if (m) out.push({ path: e.path, kind: m[1] as 'state' | 'changes', n: Number(m[2]), maxBytes: m[3] ? 2 * MAX_RECORDS_ENTRY_BYTES : MAX_RECORDS_ENTRY_BYTES });
  }
  return out.sort((a, b) => (a.kind === b.kind ? a.n - b.n : a.kind === 'state' ? -1 : 1));
}

interface Opened {
  reader: BundleReader;
  /** The content key of an encrypted bundle (null: plain). */
  contentKey: Buffer | null;
  chunkSize: number;
}

/** One records entry, synchronously: read (size and hash checked by the archive), decrypted, inflated. */
function readRecords(o: Opened, path: string, maxBytes: number): Buffer {
  const stored = o.reader.readEntrySync(path, { maxBytes });
  if (o.contentKey === null) return stored;
  const packed = decryptBuffer(entryKey(o.contentKey, o.reader.manifest.bundleId, path), stored, o.chunkSize, path);
  try {
    return inflateRawSync(packed, { maxOutputLength: MAX_RECORDS_ENTRY_BYTES, chunkSize: 1 << 20 });
  } catch (err) {
    if (err instanceof RangeError) throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit: MAX_RECORDS_ENTRY_BYTES }, { cause: err });
    throw new BundleError('bundle.hash_mismatch', { path, reason: 'corrupt' }, { cause: err });
  }
}

/** The lines of a JSON Lines buffer with their numbers, decoded one at a time. */
function* linesOf(buf: Buffer): Generator<[number, string]> {
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    line++;
    if (end > start) yield [line, buf.toString('utf8', start, end)];
    start = end + 1;
  }
}

const RESOLVES = Buffer.from('"resolves"');

/** Change ids that changes of this entry resolve (only lines that name `resolves` are parsed). */
function resolvedIn(buf: Buffer, into: Set<string>): void {
  for (let at = buf.indexOf(RESOLVES); at !== -1; at = buf.indexOf(RESOLVES, at + 1)) {
    const start = buf.lastIndexOf(0x0a, at) + 1;
    let end = buf.indexOf(0x0a, at);
    if (end === -1) end = buf.length;
    try {
      const v = JSON.parse(buf.toString('utf8', start, end)) as { resolves?: unknown };
      if (Array.isArray(v.resolves)) for (const id of v.resolves) if (typeof id === 'string') into.add(id);
    } catch {
      // a line that is not JSON is refused when it is applied
    }
    at = end;
  }
}

/**
 * Imports a trusted sync bundle. Order: open the content key (an encrypted bundle not addressed
 * to this installation is refused, `bundle.not_recipient`), verify every records entry (hash,
 * decryption, inflation), then every other entry in one pass that also writes the attachments
 * (hash of the stored bytes and of the decrypted content against its name) to hidden temporary
 * files of the store, shown only once all passed (`import-files.ts`), then apply all records in
 * ONE transaction, reading them entry by entry.
 */
export async function importSync(ctx: CoreContext, opened: OpenedBundle, opts: { dryRun: boolean; job: Job }): Promise<ImportResult> {
  const { reader, newSender } = opened;
  const { job, dryRun } = opts;
  const m = reader.manifest;
  const started = new Date().toISOString();
  const base: ImportResult = {
    kind: m.kind,
    bundleId: m.bundleId,
    imported: 0,
    unchanged: 0,
    conflicts: 0,
    refused: 0,
    attachments: 0,
    dryRun,
    alreadyImported: false,
    sender: { installationId: m.sender.installationId, name: m.sender.name ?? null, fingerprint: reader.fingerprint, trustedNow: newSender !== null && !dryRun },
    warnings: [],
  };
  const metaParsed = syncMetaSchema.safeParse(m.meta);
  if (!metaParsed.success) throw new BundleError('bundle.invalid_record', { path: 'manifest.json', reason: 'meta', field: metaParsed.error.issues[0]?.path.join('.') ?? '' });
  const meta = metaParsed.data;

  const previous = ctx.db.prepare('SELECT result FROM exchange_imports WHERE bundle_id = ?').get(m.bundleId) as { result: string } | undefined;
  if (previous) {
    const count = typeof m.meta.changes === 'number' ? m.meta.changes : 0;
    return { ...base, unchanged: count, alreadyImported: true, sender: { ...base.sender, trustedNow: false } };
  }

  const o: Opened = {
    reader,
    contentKey: m.encryption !== undefined ? openContentKey(m.encryption, boxKeys(ctx), m.bundleId) : null,
    chunkSize: m.encryption?.chunkSize ?? 0,
  };
  const plan = recordsEntries(reader);
  const major = parseVersion(m.version)?.major ?? 1;
  if (major < 2 && plan.some((p) => p.path !== LEGACY_CHANGES_PATH)) throw new BundleError('bundle.invalid_record', { path: plan.find((p) => p.path !== LEGACY_CHANGES_PATH)!.path, reason: 'unexpected_entry' });

  // Attachments: sha256 -> entry path. Plain bundles name them by hash; encrypted ones list the
  // hashes in their (encrypted) index and name each entry by a keyed hash of it.
  const files = new Map<string, string>();
  if (o.contentKey !== null) {
    const indexPath = `${FILES_INDEX}.enc`;
    if (reader.has(indexPath)) {
      let list: unknown;
      try {
        list = JSON.parse(readRecords(o, indexPath, 2 * MAX_RECORDS_ENTRY_BYTES).toString('utf8'));
      } catch (err) {
        if (err instanceof BundleError) throw err;
        throw new BundleError('bundle.invalid_record', { path: indexPath, reason: 'json' });
      }
      if (!Array.isArray(list) || !list.every((h) => typeof h === 'string' && SHA256_RE.test(h))) throw new BundleError('bundle.invalid_record', { path: indexPath, reason: 'schema' });
      for (const h of list as string[]) {
        const path = sealedFilePath(o.contentKey, h);
        if (!reader.has(path)) throw new BundleError('bundle.invalid_record', { path, reason: 'missing_entry' });
        files.set(h, path);
      }
    }
    const named = new Set(files.values());
    for (const e of reader.entries) {
      if (e.path.startsWith('files/') && !named.has(e.path)) throw new BundleError('bundle.invalid_record', { path: e.path, reason: 'undeclared_file' });
    }
  } else {
    for (const e of reader.entries) {
      const h = attachmentHashOf(e.path);
      if (h !== null) files.set(h, e.path);
    }
  }

  // 1. Verify every records entry before anything is written: nothing of a damaged bundle is
  // applied. Counts the lines (for progress) and gathers what changes of the bundle resolve.
  const planByPath = new Map(plan.map((p) => [p.path, p] as const));
  const bundleResolves = new Set<string>();
  let lines = 0;
  let verified = 0;
  job.progress('verify', 0, plan.length);
  for (const p of plan) {
    job.throwIfCancelled();
    const buf = readRecords(o, p.path, p.maxBytes);
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) lines++;
    if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) lines++;
    resolvedIn(buf, bundleResolves);
    job.progress('verify', ++verified, plan.length);
  }
  job.throwIfCancelled();

  // 2. Every other entry verified, attachments read once and staged in the file store (visible
  // only once all passed; content-addressed, so a stored file is harmless), then committed.
  const attachmentPaths = new Set(files.values());
  const others = reader.entries.map((e) => e.path).filter((p) => !planByPath.has(p) && !attachmentPaths.has(p) && p !== `${FILES_INDEX}.enc`);
  const received = await receiveFiles(ctx, o, files, others, { dryRun, job });
  try {
    job.throwIfCancelled();
    if (!dryRun) base.attachments += await received.commit(job.signal);
  } catch (err) {
    received.discard();
    throw err;
  }
  job.throwIfCancelled();

  const tables = knownTables(ctx.store.tables());
  const names: Record<string, string> = { ...(meta.installations ?? {}) };
  if (m.sender.name) names[m.sender.installationId] ??= m.sender.name;

  const st = {
    seen: ctx.db.prepare('SELECT 1 FROM change_log WHERE change_id = ? UNION ALL SELECT 1 FROM exchange_conflicts WHERE change_id = ? LIMIT 1'),
    compacted: ctx.db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck(),
    resolved: ctx.db.prepare('SELECT 1 FROM exchange_resolutions, json_each(exchange_resolutions.resolves) j WHERE j.value = ? LIMIT 1'),
    history: ctx.db.prepare('SELECT change_id, installation_id, at, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC'),
    last: ctx.db.prepare('SELECT change_id, installation_id, at, op FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC LIMIT 1'),
    openConflicts: ctx.db.prepare("SELECT change_id FROM exchange_conflicts WHERE status = 'open' AND table_name = ? AND record_id = ? AND (field = ? OR field = '*')"),
    addConflict: ctx.db.prepare(
      `INSERT OR IGNORE INTO exchange_conflicts (id, change_id, kind, table_name, record_id, field, base_value, local_value, remote_value, local_change_id,
         local_installation_id, local_at, remote_installation_id, remote_name, remote_at, bundle_id, status, resolution, resolved_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', NULL, NULL, ?)`,
    ),
    closeResolved: ctx.db.prepare(
      `UPDATE exchange_conflicts SET status = 'resolved', resolution = 'remote_resolution', resolved_at = ? WHERE status = 'open' AND change_id IN (SELECT value FROM json_each(?))`,
    ),
    addResolution: ctx.db.prepare('INSERT OR IGNORE INTO exchange_resolutions (change_id, resolves) VALUES (?, ?)'),
  };
  // The ids of compacted changes (change_seen): none on a new laptop until a state row brings
  // some, and then no key to compute and look up for each of its tens of thousands of changes.
  let anyCompacted = ctx.db.prepare('SELECT 1 FROM change_seen LIMIT 1').get() !== undefined;
  const seen = (c: { changeId: string; table: string; recordId: string }): boolean => {
    if (st.seen.get(c.changeId, c.changeId) !== undefined) return true;
    if (!anyCompacted) return false;
    const ids = st.compacted.get(recordKey(c.table, c.recordId)) as Buffer | undefined;
    return ids !== undefined && holds(ids, seenKey(c.changeId));
  };

  const lastLocal = (table: string, id: string, field: string | null): LocalChange | undefined => {
    for (const r of st.history.iterate(table, id) as Iterable<LocalChange & { op: string; fields: string }>) {
      if (field === null || r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[field] !== undefined) return r;
    }
    return undefined;
  };
  const deletedLocally = (table: string, id: string): LocalChange | undefined => {
    const r = st.last.get(table, id) as (LocalChange & { op: string }) | undefined;
    return r && r.op === 'delete' ? r : undefined;
  };
  const now = new Date().toISOString();
  const res = { ...base };
  const conflict = (c: SyncChange, kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued', field: string, baseV: SqlValue | undefined, local: SqlValue | undefined, remote: SqlValue | undefined, lc: LocalChange | undefined): void => {
    const r = st.addConflict.run(
      randomUUID(),
      c.changeId,
      kind,
      c.table,
      c.recordId,
      field,
      baseV === undefined ? null : JSON.stringify(baseV),
      local === undefined ? null : JSON.stringify(local),
      remote === undefined ? null : JSON.stringify(remote),
      lc?.change_id ?? null,
      lc?.installation_id ?? null,
      lc?.at ?? null,
      c.installationId,
      names[c.installationId] ?? null,
      c.at,
      m.bundleId,
      now,
    );
    if (r.changes > 0) {
      if (kind === 'locked') res.refused++;
      else res.conflicts++;
    }
  };
  const superseded = (c: SyncChange): boolean => bundleResolves.has(c.changeId) || st.resolved.get(c.changeId) !== undefined;
  const apply = (record: ChangeRecord): void => ctx.store.applyRemote(record, { savepoint: false });

  const applyState = (s: SyncState): void => {
    // No `seen` check needed: a state applied here made its row, and a row deleted since keeps
    // its delete in the log (deletes are never compacted).
    if (ctx.store.get(s.table, s.recordId) !== undefined || deletedLocally(s.table, s.recordId)) {
      res.unchanged++;
      return;
    }
    const fields: ChangeRecord['fields'] = {};
    for (const [k, v] of Object.entries(s.values)) fields[k] = [null, v];
    apply({ changeId: s.changeId, table: s.table, recordId: s.recordId, op: 'insert', fields, installationId: s.installationId, at: s.at, origin: m.bundleId });
    if (s.covers && s.covers.length > 0) {
      addSeen(ctx.db, recordKey(s.table, s.recordId), s.covers.map((h) => Buffer.from(h, 'hex')));
      anyCompacted = true;
    }
    res.imported++;
  };

  // Changes of a row that is not here (deleted, or never had): decided when the whole bundle is
  // applied, since its delete may come later in the same bundle (the row's insert compacted away
  // at the sender). A change its own author deleted afterwards is superseded, not a conflict; a
  // change of a row someone else deleted is the 'deleted' conflict.
  const orphans: SyncChange[] = [];
  const settleOrphans = (): void => {
    for (const c of orphans) {
      const gone = deletedLocally(c.table, c.recordId);
      if (gone && gone.installation_id === c.installationId && gone.at >= c.at) {
        res.unchanged++;
        continue;
      }
      conflict(c, 'deleted', '*', null, null, null, gone);
    }
    orphans.length = 0;
  };

  const applyOne = (c: SyncChange): void => {
    if (seen(c)) {
      res.unchanged++;
      return;
    }
    const row = ctx.store.get(c.table, c.recordId);
    const record: ChangeRecord = { changeId: c.changeId, table: c.table, recordId: c.recordId, op: c.op, fields: c.fields, installationId: c.installationId, at: c.at, origin: m.bundleId };
    if (c.op === 'insert' && !row) {
      if (deletedLocally(c.table, c.recordId)) {
        orphans.push(c);
        return;
      }
      apply(record);
      res.imported++;
      return;
    }
    if (c.op === 'delete') {
      if (!row) {
        // Never had the row, or it is gone already: remember the delete (a tombstone), so a
        // change of that row made before it, relayed later by another laptop, is known as older.
        if (!deletedLocally(c.table, c.recordId)) apply(record);
        res.unchanged++;
        return;
      }
      if (isLocked(c.table, row)) return conflict(c, 'locked', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      const spec = tables.get(c.table)!;
      const differs = spec.columns.some((col) => c.fields[col] !== undefined && (row[col] ?? null) !== c.fields[col]![0]);
      if (differs && !superseded(c)) return conflict(c, 'delete', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      apply(record);
      res.imported++;
      return;
    }
    // update (or an insert of a row that exists: field by field, against null)
    if (!row) {
      orphans.push(c);
      return;
    }
    const fields = Object.entries(c.fields).filter(([f]) => !(c.op === 'insert' && (f === 'created_at' || f === 'updated_at')));
    const changing = fields.filter(([f, [, n]]) => (row[f] ?? null) !== n);
    if (changing.length === 0) {
      // Already equal here: a resolution still settles the conflicts it names.
      if (c.resolves && c.resolves.length > 0) st.closeResolved.run(now, JSON.stringify(c.resolves));
      res.unchanged++;
      return;
    }
    if (isLocked(c.table, row)) {
      conflict(c, 'locked', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      return;
    }
    const applied: ChangeRecord['fields'] = {};
    // A change that issues (locks) the row on the other laptop: the issued version is the one on
    // paper, so it wins field by field; each local value it replaces is recorded (kind 'issued')
    // for the user to see and dismiss, never silently lost.
    const issuing = isLocked(c.table, Object.fromEntries(changing.map(([f, [, n]]) => [f, n])) as Row);
    for (const [f, [o0, n]] of changing) {
      const cur = row[f] ?? null;
      const baseV = c.op === 'insert' ? null : o0;
      if (cur === baseV) {
        applied[f] = [cur, n];
        continue;
      }
      if (issuing) {
        applied[f] = [cur, n];
        conflict(c, 'issued', f, baseV, cur, n, lastLocal(c.table, c.recordId, f));
        continue;
      }
      if (superseded(c)) continue;
      if (c.resolves && c.resolves.length > 0) {
        const lc = lastLocal(c.table, c.recordId, f);
        const open = (st.openConflicts.all(c.table, c.recordId, f) as { change_id: string }[]).map((x) => x.change_id);
        if ((lc && c.resolves.includes(lc.change_id)) || open.some((id) => c.resolves!.includes(id))) {
          applied[f] = [cur, n];
          continue;
        }
      }
      conflict(c, 'field', f, baseV, cur, n, lastLocal(c.table, c.recordId, f));
    }
    if (Object.keys(applied).length === 0) return;
    apply({ ...record, op: 'update', fields: applied });
    if (c.resolves && c.resolves.length > 0) {
      st.addResolution.run(c.changeId, JSON.stringify(c.resolves));
      st.closeResolved.run(now, JSON.stringify(c.resolves));
    }
    res.imported++;
  };

  // 3. One transaction: every record entry read again from the file (hash checked), applied
  // line by line. Foreign keys are checked at the commit, so the order of rows inside a bundle
  // (a state row before its parent) never matters; a violation refuses the whole bundle.
  const withResolves: string[][] = [];
  const applyAll = (): void => {
    ctx.db.pragma('defer_foreign_keys = ON');
    if (newSender) {
      const before = getPeer(ctx, newSender.installationId);
      const p = trustPeer(ctx, { installationId: newSender.installationId, publicKey: newSender.publicKey, name: newSender.name, encryptionKey: m.sender.encryptionKey ?? null, acceptKeyChange: newSender.acceptKeyChange ?? null });
      // A sender trusted from its bundle (a key replaced is recorded by trustPeer itself).
      if (!before) ctx.audit?.({ action: 'peer.trust', method: 'exchange.import', detail: { installationId: p.installation_id, name: p.name, fingerprint: p.fingerprint } });
    }
    learnEncryptionKey(ctx, m.sender.installationId, m.sender.publicKey, m.sender.encryptionKey);
    let done = 0;
    let prevSeq = 0;
    for (const p of plan) {
      const buf = readRecords(o, p.path, p.maxBytes);
      for (const [line, text] of linesOf(buf)) {
        if ((done & 1023) === 0) {
          if (job.signal.aborted) throw new AppFailure('bundle.cancelled');
          job.progress('apply', done, lines);
        }
        done++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'json' });
        }
        const checked = p.kind === 'state' ? checkState(value, tables) : checkChange(value, tables);
        if (!('ok' in checked)) throw new BundleError('bundle.invalid_record', { path: p.path, line, ...checked });
        // Columns stored in a compact form here travel plain (wire.ts).
        if (hasWireForm(checked.ok.table)) {
          if (p.kind === 'state') (checked.ok as SyncState).values = valuesFromWire(checked.ok.table, (checked.ok as SyncState).values);
          else (checked.ok as SyncChange).fields = fieldsFromWire(checked.ok.table, (checked.ok as SyncChange).fields);
        }
        try {
          if (p.kind === 'state') applyState(checked.ok as SyncState);
          else {
            const c = checked.ok as SyncChange;
            if (c.seq <= prevSeq) throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'order' });
            prevSeq = c.seq;
            applyOne(c);
            if (c.resolves && c.resolves.length > 0) withResolves.push(c.resolves);
          }
        } catch (err) {
          // A value the local schema refuses (type, constraint): the record is invalid, nothing is kept.
          const code = (err as { code?: unknown }).code;
          if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
            throw new BundleError('bundle.invalid_record', { path: p.path, line, reason: 'constraint', table: (value as { table?: string }).table ?? '', detail: code });
          }
          throw err;
        }
      }
    }
    job.progress('apply', lines, lines);
      settleOrphans();
    // Resolutions that travel with changes already applied earlier still close open conflicts here.
    for (const r of withResolves) st.closeResolved.run(now, JSON.stringify(r));

    const peer = getPeer(ctx, m.sender.installationId);
    if (peer && peer.public_key === m.sender.publicKey) {
      const ack = meta.acks?.[ctx.installationId];
      const maxSeq = (ctx.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number }).n;
      const acked = ack !== undefined ? Math.min(Math.max(peer.acked_seq, ack), maxSeq) : peer.acked_seq;
      let received = peer.received_seq;
      if (meta.since <= received) received = Math.max(received, meta.upTo);
      else res.warnings.push({ code: 'exchange.gap', params: { since: meta.since, received } });
      ctx.db.prepare('UPDATE exchange_peers SET acked_seq = ?, received_seq = ?, last_import_at = ?, name = COALESCE(?, name) WHERE installation_id = ?').run(acked, received, now, m.sender.name ?? null, peer.installation_id);
    }
    if (o.contentKey === null && meta.recipients && meta.recipients.length > 0 && !meta.recipients.includes(ctx.installationId)) {
      res.warnings.push({ code: 'exchange.not_recipient', params: { recipients: meta.recipients.join(', ') } });
    }
    const summary = { imported: res.imported, unchanged: res.unchanged, conflicts: res.conflicts, refused: res.refused, attachments: res.attachments };
    ctx.db
      .prepare('INSERT INTO exchange_imports (bundle_id, kind, sender_installation_id, sender_public_key, sender_name, created_at, imported_at, manifest, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.bundleId, m.kind, m.sender.installationId, m.sender.publicKey, m.sender.name ?? null, m.createdAt, now, reader.manifestBytes.toString('utf8'), JSON.stringify(summary));
    recordJob(ctx, { id: job.id, kind: 'sync', direction: 'import', bundleId: m.bundleId, peer: m.sender.installationId, file: reader.file, records: lines, attachments: files.size, started, finished: new Date().toISOString() });
    if (dryRun) {
      if ((ctx.db.pragma('foreign_key_check') as unknown[]).length > 0) throw new BundleError('bundle.invalid_record', { path: 'records/', reason: 'constraint', detail: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      throw new DryRunRollback();
    }
  };
  try {
    // Report facts once per touched case at the end (not after each of its changes), in the
    // same transaction; a page cache that holds the working set of the whole import.
    withBulkCache(ctx.db, () => ctx.db.transaction(() => deferFacts(ctx, applyAll))());
    } catch (err) {
    if (err instanceof DryRunRollback) return res;
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new BundleError('bundle.invalid_record', { path: 'records/', reason: 'constraint', detail: String(code) }, { cause: err });
    throw err;
  }
  if (res.imported > 0 || res.conflicts > 0) ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
  compactChangeLog(ctx);
  return res;
}

interface LocalChange {
  change_id: string;
  installation_id: string;
  at: string;
}

// ---------------------------------------------------------------------------------------------
// Compaction

/**
 * Compacts the change log: every change at or below the lowest seq that ALL trusted peers have
 * acknowledged has reached every laptop that needs it from here. Such changes are removed
 * (their ids kept in `change_seen` per record, 16 bytes each, so a copy relayed by a third
 * laptop is still recognised); deletes stay as tombstones; a laptop that later needs that
 * history (a new peer) gets the current rows (`records/state-*`) with the ids they contain.
 * Nothing is compacted without peers: the history stays until someone has it. Returns the rows
 * removed.
 */
export function compactChangeLog(ctx: Pick<CoreContext, 'db' | 'store'>): number {
  const peers = ctx.db.prepare('SELECT MIN(acked_seq) AS h, count(*) AS n FROM exchange_peers').get() as { h: number | null; n: number };
  if (peers.n === 0 || peers.h === null) return 0;
  const from = changeLogHorizon(ctx);
  const to = peers.h;
  if (to <= from) return 0;
  const names = ctx.store.tables().map((t) => t.name);
  const inTables = `table_name IN (${names.map(() => '?').join(', ')})`;
  const select = ctx.db.prepare(`SELECT seq, change_id, table_name, record_id FROM change_log WHERE seq > ? AND seq <= ? AND op <> 'delete' AND ${inTables} ORDER BY seq LIMIT 5000`);
  const del = ctx.db.prepare('DELETE FROM change_log WHERE seq = ?');
  let removed = 0;
  ctx.db.transaction(() => {
    for (let last = from; ; ) {
      const rows = select.all(last, to, ...names) as { seq: number; change_id: string; table_name: string; record_id: string }[];
      if (rows.length === 0) break;
      const byRecord = new Map<string, { key: Buffer; ids: Buffer[] }>();
      for (const r of rows) {
        const key = recordKey(r.table_name, r.record_id);
        const hex = key.toString('hex');
        let e = byRecord.get(hex);
        if (!e) byRecord.set(hex, (e = { key, ids: [] }));
        e.ids.push(seenKey(r.change_id));
        del.run(r.seq);
      }
      for (const e of byRecord.values()) addSeen(ctx.db, e.key, e.ids);
      removed += rows.length;
      last = rows[rows.length - 1]!.seq;
    }
    ctx.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HORIZON_KEY, String(to));
  })();
  // The pages of the removed rows go back to the file system (the file shrinks), once the
  // compaction is committed; inside a caller's transaction nothing is done (the next one does it).
  if (removed > 0) reclaimSpace(ctx.db);
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Conflicts

export interface ConflictRow {
  id: string;
  change_id: string;
  kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued';
  table_name: string;
  record_id: string;
  field: string;
  base_value: string | null;
  local_value: string | null;
  remote_value: string | null;
  local_change_id: string | null;
  local_installation_id: string | null;
  local_at: string | null;
  remote_installation_id: string;
  remote_name: string | null;
  remote_at: string;
  bundle_id: string;
  status: 'open' | 'resolved';
  resolution: 'local' | 'remote' | 'remote_resolution' | null;
  resolved_at: string | null;
  created_at: string;
}

export function listConflicts(ctx: CoreContext, status?: 'open' | 'resolved'): ConflictRow[] {
  return (
    status
      ? ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE status = ? ORDER BY created_at, table_name, record_id, field').all(status)
      : ctx.db.prepare('SELECT * FROM exchange_conflicts ORDER BY status DESC, created_at, table_name, record_id, field').all()
  ) as ConflictRow[];
}

/**
 * Resolves a conflict by writing the chosen value through the Store (so the decision syncs on),
 * linked to the change ids it settles. Keeping the local value writes a change with the same
 * old and new value: the other laptops, which may hold the remote value, then settle on it too.
 */
export function resolveConflict(ctx: CoreContext, id: string, choice: 'local' | 'remote'): ConflictRow {
  const c = ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE id = ?').get(id) as ConflictRow | undefined;
  if (!c) throw new AppFailure('exchange.conflict_not_found', { id });
  if (c.status !== 'open') throw new AppFailure('exchange.conflict_closed', { id });
  const now = new Date().toISOString();
  ctx.store.transaction(() => {
    const row = ctx.store.get(c.table_name, c.record_id);
    // A row locked since the conflict was recorded (an issued decision or protocol) never takes
    // a value from another laptop; only keeping the local value is possible.
    if (choice === 'remote' && row && isLocked(c.table_name, row)) throw new AppFailure('exchange.cannot_apply', { kind: 'locked' });
    if (c.kind === 'field' && row) {
      const cur = row[c.field] ?? null;
      const chosen = choice === 'remote' ? (JSON.parse(c.remote_value ?? 'null') as SqlValue) : cur;
      const others = ctx.db
        .prepare("SELECT id, change_id, local_change_id FROM exchange_conflicts WHERE status = 'open' AND kind = 'field' AND table_name = ? AND record_id = ? AND field = ?")
        .all(c.table_name, c.record_id, c.field) as { id: string; change_id: string; local_change_id: string | null }[];
      let lastLocalId: string | null = null;
      for (const r of ctx.db.prepare('SELECT change_id, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC').iterate(c.table_name, c.record_id) as Iterable<{ change_id: string; op: string; fields: string }>) {
        if (r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[c.field] !== undefined) {
          lastLocalId = r.change_id;
          break;
        }
      }
      // Both sides' changes are settled: the remote ones, and the local change each conflict was
      // recorded against (kept in the conflict, as the log may have been compacted since).
      const locals = others.map((o) => o.local_change_id).filter((x): x is string => x !== null);
      const resolves = [...new Set([...others.map((o) => o.change_id), ...locals, ...(lastLocalId ? [lastLocalId] : [])])];
      let changeId: string;
      if (chosen !== cur) {
        let captured: string | null = null;
        const off = ctx.store.onChange((ch) => {
          captured = ch.changeId;
        });
        try {
          ctx.store.update(c.table_name, c.record_id, { [c.field]: chosen });
        } finally {
          off();
        }
        changeId = captured!;
      } else {
        changeId = randomUUID();
        ctx.store.applyRemote({ changeId, table: c.table_name, recordId: c.record_id, op: 'update', fields: { [c.field]: [cur, cur] }, installationId: ctx.installationId, at: now, origin: null });
      }
      ctx.db.prepare('INSERT OR REPLACE INTO exchange_resolutions (change_id, resolves) VALUES (?, ?)').run(changeId, JSON.stringify(resolves));
      ctx.db.prepare("UPDATE exchange_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id IN (SELECT value FROM json_each(?))").run(choice, now, JSON.stringify(others.map((o) => o.id)));
      return;
    }
    if (c.kind === 'delete' && choice === 'remote' && row) {
      ctx.store.remove(c.table_name, c.record_id);
    } else if (choice === 'remote') {
      throw new AppFailure('exchange.cannot_apply', { kind: c.kind });
    }
    ctx.db.prepare("UPDATE exchange_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?").run(choice, now, c.id);
  });
  ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
  return ctx.db.prepare('SELECT * FROM exchange_conflicts WHERE id = ?').get(id) as ConflictRow;
}
