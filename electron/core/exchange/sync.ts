/**
 * Sync bundles between laptops of one commission (docs/bundle-format.md, section 8).
 *
 * Export: every change_log row after the peer's acknowledged local seq (all rows without a
 * peer), except the peer's own, including rows relayed from third laptops, as
 * `records/changes.jsonl`, plus the attachments those rows name (`files/<sha256>`).
 *
 * Import: idempotent (bundle id and change id dedupe), order-tolerant (a change is applied
 * only when the local value is still the one it started from), atomic (ONE transaction).
 * A field both sides changed becomes a conflict; nothing is overwritten silently. Locked rows
 * (issued protocols) never change by sync: such changes are recorded as refused.
 */
import type { ExportView, ImportView } from '../../../shared/contract/exchange';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import type { ChangeRecord, Row, SqlValue, TableSpec } from '../store';
import { writeBundle, type BundleReader, type WriteBundleEntry } from './archive';
import { BundleError } from './errors';
import { hasStoredFile, isAttachmentColumn, openStoredFile, SHA256_RE, storeStream } from '../files';
import type { Job } from './jobs';
import { attachmentHashOf, attachmentPath } from './manifest';
import { getPeer, identity, listPeers, senderSecret, trustPeer, type OpenedBundle } from './trust';

export const CHANGES_PATH = 'records/changes.jsonl';
/** Records files are read whole (one transaction applies them); attachments are streamed. */
export const MAX_RECORDS_BYTES = 256 * 1024 * 1024;

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

function toSyncChange(r: LogRow): SyncChange {
  const c: SyncChange = {
    seq: r.seq,
    changeId: r.change_id,
    table: r.table_name,
    recordId: r.record_id,
    op: r.op,
    fields: JSON.parse(r.fields) as SyncChange['fields'],
    installationId: r.installation_id,
    at: r.at,
  };
  if (r.resolves) c.resolves = JSON.parse(r.resolves) as string[];
  return c;
}

function attachmentsOf(fields: SyncChange['fields']): string[] {
  const out: string[] = [];
  for (const [col, [, v]] of Object.entries(fields)) if (isAttachmentColumn(col) && typeof v === 'string' && SHA256_RE.test(v)) out.push(v);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Export

/** What an export reports; the service adds the download name (and the referral index). */
export type ExportResult = Omit<ExportView, 'name' | 'index' | 'kind'> & { kind: 'sync' | 'backup' | 'referral' | 'catalogue' };

const PAGE = 2000;

export async function exportSync(ctx: CoreContext, opts: { file: string; peer?: string | undefined; job: Job }): Promise<ExportResult> {
  const { job } = opts;
  const started = new Date().toISOString();
  const peer = opts.peer !== undefined ? getPeer(ctx, opts.peer) : undefined;
  if (opts.peer !== undefined && !peer) throw new AppFailure('exchange.unknown_peer', { peer: opts.peer });
  const since = peer?.acked_seq ?? 0;
  const exclude = peer?.installation_id ?? '';
  const upTo = (ctx.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM change_log').get() as { n: number }).n;
  const page = ctx.db.prepare(
    `SELECT c.seq, c.change_id, c.table_name, c.record_id, c.op, c.fields, c.installation_id, c.at, r.resolves
       FROM change_log c LEFT JOIN exchange_resolutions r ON r.change_id = c.change_id
      WHERE c.seq > ? AND c.seq <= ? AND c.installation_id <> ? ORDER BY c.seq LIMIT ${PAGE}`,
  );

  // First pass: count and collect the attachments (hashes only).
  let records = 0;
  const hashes = new Set<string>();
  for (let last = since; ; ) {
    job.throwIfCancelled();
    const rows = page.all(last, upTo, exclude) as LogRow[];
    if (rows.length === 0) break;
    for (const r of rows) {
      records++;
      if (r.op !== 'delete' && r.fields.includes('sha256')) for (const h of attachmentsOf(JSON.parse(r.fields) as SyncChange['fields'])) hashes.add(h);
    }
    last = rows[rows.length - 1]!.seq;
  }
  const present: string[] = [];
  const missingFiles: string[] = [];
  for (const h of [...hashes].sort()) (hasStoredFile(ctx.dataDir, h) ? present : missingFiles).push(h);
  const total = records + present.length;

  const changesStream = (): Readable =>
    Readable.from(
      (function* () {
        let done = 0;
        for (let last = since; ; ) {
          if (job.signal.aborted) return;
          const rows = page.all(last, upTo, exclude) as LogRow[];
          if (rows.length === 0) return;
          done += rows.length;
          job.progress('records', done, total);
          yield Buffer.from(rows.map((r) => JSON.stringify(toSyncChange(r))).join('\n') + '\n', 'utf8');
          last = rows[rows.length - 1]!.seq;
        }
      })(),
    );

  const peers = listPeers(ctx);
  const me = identity(ctx);
  const installations: Record<string, string> = { [me.installationId]: me.name };
  for (const p of peers) if (p.name) installations[p.installation_id] = p.name;
  const meta = {
    schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    since,
    upTo,
    changes: records,
    attachments: present.length,
    acks: Object.fromEntries(peers.map((p) => [p.installation_id, p.received_seq])),
    installations,
    recipients: peer ? [peer.installation_id] : [],
    ...(missingFiles.length > 0 ? { missingFiles } : {}),
  };

  function* entries(): Generator<WriteBundleEntry> {
    yield { path: CHANGES_PATH, role: 'record', source: { stream: changesStream } };
    let i = 0;
    for (const h of present) {
      job.progress('files', records + ++i, total);
      yield { path: attachmentPath(h), role: 'attachment', source: { stream: () => openStoredFile(ctx.dataDir, h) }, compress: false };
    }
  }

  job.progress('records', 0, total);
  const r = await writeBundle({ file: opts.file, kind: 'sync', sender: senderSecret(ctx), meta, entries: entries(), signal: job.signal, generator: generator(ctx) });
  job.progress('done', total, total);
  const finished = new Date().toISOString();
  ctx.db.transaction(() => {
    recordJob(ctx, { id: job.id, kind: 'sync', direction: 'export', bundleId: r.bundleId, peer: peer?.installation_id ?? null, file: r.file, sha256: r.sha256, records, attachments: present.length, upToSeq: upTo, started, finished });
    if (peer) ctx.db.prepare('UPDATE exchange_peers SET last_export_at = ? WHERE installation_id = ?').run(finished, peer.installation_id);
  })();
  return { file: r.file, kind: 'sync', bundleId: r.bundleId, records, attachments: present.length, sha256: r.sha256, bytes: r.bytes, ...(missingFiles.length ? { missingFiles } : {}) };
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

/** Reads and validates every change of a sync bundle (before any write). */
export async function readChanges(reader: BundleReader, tables: ReadonlyMap<string, TableSpec>): Promise<SyncChange[]> {
  if (!reader.has(CHANGES_PATH)) return [];
  const buf = await reader.readEntry(CHANGES_PATH, { maxBytes: MAX_RECORDS_BYTES });
  const text = buf.toString('utf8');
  const out: SyncChange[] = [];
  let line = 0;
  let prevSeq = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, line, reason: 'json' });
    }
    const parsed = changeSchema.safeParse(value);
    if (!parsed.success) throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, line, reason: 'schema', field: parsed.error.issues[0]?.path.join('.') ?? '' });
    const c = parsed.data;
    const spec = tables.get(c.table);
    if (!spec) throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, line, reason: 'unknown_table', table: c.table });
    for (const f of Object.keys(c.fields)) {
      if (f === 'id' || (!spec.columns.includes(f) && f !== 'created_at' && f !== 'updated_at')) {
        throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, line, reason: 'unknown_column', table: c.table, field: f });
      }
    }
    if (c.seq <= prevSeq) throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, line, reason: 'order' });
    prevSeq = c.seq;
    out.push(c);
  }
  return out;
}

interface LocalChange {
  change_id: string;
  installation_id: string;
  at: string;
}

/**
 * Imports a verified-trust sync bundle. Order: verify every entry's hash, parse and validate
 * every record, copy attachments into the file store (content-addressed: harmless if the
 * import later fails), then apply everything in ONE transaction.
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

  const entriesTotal = reader.entries.length;
  await reader.verifyAll((p) => job.progress('verify', p.entries, entriesTotal), job.signal).catch((e: unknown) => {
    throw e;
  });
  job.throwIfCancelled();

  const tables = new Map(ctx.store.tables().map((t) => [t.name, t] as const));
  const changes = await readChanges(reader, tables);
  const total = changes.length;

  // Attachments: verified by their streams; stored under their hash before the transaction.
  const files = reader.entries.map((e) => attachmentHashOf(e.path)).filter((h): h is string => h !== null);
  if (!dryRun) {
    let i = 0;
    for (const h of files) {
      job.throwIfCancelled();
      if (await storeStream(ctx.dataDir, h, () => reader.openEntryStream(attachmentPath(h)), job.signal)) base.attachments++;
      job.progress('files', ++i, files.length);
    }
  }
  job.throwIfCancelled();

  const names: Record<string, string> = { ...(meta.installations ?? {}) };
  if (m.sender.name) names[m.sender.installationId] ??= m.sender.name;
  const bundleResolves = new Set<string>();
  for (const c of changes) for (const id of c.resolves ?? []) bundleResolves.add(id);

  const st = {
    seen: ctx.db.prepare('SELECT 1 FROM change_log WHERE change_id = ? UNION ALL SELECT 1 FROM exchange_conflicts WHERE change_id = ? LIMIT 1'),
    resolved: ctx.db.prepare('SELECT 1 FROM exchange_resolutions, json_each(exchange_resolutions.resolves) j WHERE j.value = ? LIMIT 1'),
    history: ctx.db.prepare('SELECT change_id, installation_id, at, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC'),
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

  const lastLocal = (table: string, id: string, field: string | null): LocalChange | undefined => {
    for (const r of st.history.iterate(table, id) as Iterable<LocalChange & { op: string; fields: string }>) {
      if (field === null || r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[field] !== undefined) return r;
    }
    return undefined;
  };
  const deletedLocally = (table: string, id: string): LocalChange | undefined => {
    const r = lastLocal(table, id, null) as (LocalChange & { op?: string }) | undefined;
    return r && (r as { op?: string }).op === 'delete' ? r : undefined;
  };
  const now = new Date().toISOString();
  const conflict = (c: SyncChange, kind: 'field' | 'locked' | 'deleted' | 'delete' | 'issued', field: string, base: SqlValue | undefined, local: SqlValue | undefined, remote: SqlValue | undefined, lc: LocalChange | undefined): void => {
    const r = st.addConflict.run(
      randomUUID(),
      c.changeId,
      kind,
      c.table,
      c.recordId,
      field,
      base === undefined ? null : JSON.stringify(base),
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

  const res = { ...base };
  const applyOne = (c: SyncChange): void => {
    if (st.seen.get(c.changeId, c.changeId) !== undefined) {
      res.unchanged++;
      return;
    }
    const row = ctx.store.get(c.table, c.recordId);
    const record: ChangeRecord = { changeId: c.changeId, table: c.table, recordId: c.recordId, op: c.op, fields: c.fields, installationId: c.installationId, at: c.at, origin: m.bundleId };
    if (c.op === 'insert' && !row) {
      if (deletedLocally(c.table, c.recordId)) {
        conflict(c, 'deleted', '*', null, null, null, deletedLocally(c.table, c.recordId));
        return;
      }
      ctx.store.applyRemote(record);
      res.imported++;
      return;
    }
    if (c.op === 'delete') {
      if (!row) {
        res.unchanged++;
        return;
      }
      if (isLocked(c.table, row)) return conflict(c, 'locked', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      const spec = tables.get(c.table)!;
      const differs = spec.columns.some((col) => c.fields[col] !== undefined && (row[col] ?? null) !== c.fields[col]![0]);
      if (differs && !superseded(c)) return conflict(c, 'delete', '*', null, null, null, lastLocal(c.table, c.recordId, null));
      ctx.store.applyRemote(record);
      res.imported++;
      return;
    }
    // update (or an insert of a row that exists: field by field, against null)
    if (!row) {
      conflict(c, 'deleted', '*', null, null, null, deletedLocally(c.table, c.recordId));
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
    for (const [f, [o, n]] of changing) {
      const cur = row[f] ?? null;
      const base = c.op === 'insert' ? null : o;
      if (cur === base) {
        applied[f] = [cur, n];
        continue;
      }
      if (issuing) {
        applied[f] = [cur, n];
        conflict(c, 'issued', f, base, cur, n, lastLocal(c.table, c.recordId, f));
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
      conflict(c, 'field', f, base, cur, n, lastLocal(c.table, c.recordId, f));
    }
    if (Object.keys(applied).length === 0) return;
    ctx.store.applyRemote({ ...record, op: 'update', fields: applied });
    if (c.resolves && c.resolves.length > 0) {
      st.addResolution.run(c.changeId, JSON.stringify(c.resolves));
      st.closeResolved.run(now, JSON.stringify(c.resolves));
    }
    res.imported++;
  };
  const superseded = (c: SyncChange): boolean => bundleResolves.has(c.changeId) || st.resolved.get(c.changeId) !== undefined;

  const apply = (): void => {
    if (newSender) trustPeer(ctx, { installationId: newSender.installationId, publicKey: newSender.publicKey, name: newSender.name });
    let i = 0;
    for (const c of changes) {
      if ((i & 255) === 0) {
        if (job.signal.aborted) throw new AppFailure('bundle.cancelled');
        job.progress('apply', i, total);
      }
      try {
        applyOne(c);
      } catch (err) {
        // A value the local schema refuses (type, constraint): the record is invalid, nothing is kept.
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
          throw new BundleError('bundle.invalid_record', { path: CHANGES_PATH, reason: 'constraint', table: c.table, changeId: c.changeId, detail: code });
        }
        throw err;
      }
      i++;
    }
    job.progress('apply', total, total);
    // Resolutions that travel with changes already applied earlier still close open conflicts here.
    for (const c of changes) if (c.resolves && c.resolves.length > 0 && st.seen.get(c.changeId, c.changeId)) st.closeResolved.run(now, JSON.stringify(c.resolves));

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
    if (meta.recipients && meta.recipients.length > 0 && !meta.recipients.includes(ctx.installationId)) {
      res.warnings.push({ code: 'exchange.not_recipient', params: { recipients: meta.recipients.join(', ') } });
    }
    const summary = { imported: res.imported, unchanged: res.unchanged, conflicts: res.conflicts, refused: res.refused, attachments: res.attachments };
    ctx.db
      .prepare('INSERT INTO exchange_imports (bundle_id, kind, sender_installation_id, sender_public_key, sender_name, created_at, imported_at, manifest, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(m.bundleId, m.kind, m.sender.installationId, m.sender.publicKey, m.sender.name ?? null, m.createdAt, now, reader.manifestBytes.toString('utf8'), JSON.stringify(summary));
    recordJob(ctx, { id: job.id, kind: 'sync', direction: 'import', bundleId: m.bundleId, peer: m.sender.installationId, file: reader.file, records: total, attachments: files.length, started, finished: new Date().toISOString() });
    if (dryRun) throw new DryRunRollback();
  };
  try {
    ctx.db.transaction(apply)();
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  if (!dryRun && (res.imported > 0 || res.conflicts > 0)) ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
  return res;
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
        .prepare("SELECT id, change_id FROM exchange_conflicts WHERE status = 'open' AND kind = 'field' AND table_name = ? AND record_id = ? AND field = ?")
        .all(c.table_name, c.record_id, c.field) as { id: string; change_id: string }[];
      let lastLocalId: string | null = null;
      for (const r of ctx.db.prepare('SELECT change_id, op, fields FROM change_log WHERE table_name = ? AND record_id = ? ORDER BY seq DESC').iterate(c.table_name, c.record_id) as Iterable<{ change_id: string; op: string; fields: string }>) {
        if (r.op !== 'update' || (JSON.parse(r.fields) as Record<string, unknown>)[c.field] !== undefined) {
          lastLocalId = r.change_id;
          break;
        }
      }
      const resolves = [...new Set([...others.map((o) => o.change_id), ...(lastLocalId ? [lastLocalId] : [])])];
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
