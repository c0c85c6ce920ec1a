/**
 * Sync export: the change_log rows a recipient lacks (or the current rows where that history was
 * compacted) and the attachments they name, written in one pass (overview in sync.ts).
 */
import type { ExportView } from '../../../shared/contract/exchange';
import { randomUUID } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nameBasedUuid, type Row, type SqlValue } from '../store';
import { writeBundle, type WriteBundleEntry } from './archive';
import { fileStore, hasStoredFile, isAttachmentColumn, openStoredFile, SHA256_RE } from '../files';
import type { Job } from './jobs';
import { attachmentPath } from './manifest';
import { chain } from './import-files';
import { hasWireForm, valuesToWire } from './wire';
import { boxFingerprint, encryptBuffer, encryptParts, encryptStream, entryKey, newEncryption, normaliseFingerprint } from './seal';
import { getPeer, identity, listPeers, senderSecret, type PeerRow } from './trust';
import { attachmentsOf, changeLine, changeLogHorizon, FILES_INDEX, generator, logTop, receivedMark, RECORDS_ENTRY_BYTES, recordJob, recordKey, recordsPath, sealedFilePath, type LogRow, type SyncChange } from './sync-records';
import { decodeRows, encodeValue } from '../stored-form';

// ---------------------------------------------------------------------------------------------
// Export

/** What an export reports; the service adds the download name (and the referral index). */
export type ExportResult = Omit<ExportView, 'name' | 'index' | 'kind'> & { kind: 'sync' | 'backup' | 'referral' | 'catalogue' };

const PAGE = 2000;
/** Attachments up to this size are read and encrypted whole; larger ones are streamed. */
const INLINE_ATTACHMENT_BYTES = 8 * 1024 * 1024;

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
  const upTo = introduce ? 0 : logTop(ctx);
  const horizon = changeLogHorizon(ctx);
  // Records received without change-log rows (sync-import.ts) travel as state to a recipient
  // that has not acknowledged them and is not where they came from.
  const mark = receivedMark(ctx);
  const lacksReceived = mark !== null && (recipients.length === 0 ? since < mark.seq : recipients.some((r) => r.installation_id !== mark.source && r.acked_seq < mark.seq));
  const withState = !introduce && (since < horizon || lacksReceived);
  const userTables = ctx.store.tables();
  const userTableNames = new Set(userTables.map((t) => t.name));
  const bundleId = randomUUID();
  const sealed = encrypt ? newEncryption(recipients.map((r) => ({ publicKey: r.encryption_key!, installationId: r.installation_id })), bundleId) : null;
  const entryBytes = opts.recordsEntryBytes ?? RECORDS_ENTRY_BYTES;
  const me = identity(ctx);
  // Each change's line is built by SQLite (json_quote of the ids, `fields` and `resolves` copied
  // as stored): one string per change reaches JavaScript instead of a row object of nine values
  // and the line built from them (a third of the records' CPU at 10,000 cases). The same JSON as
  // changeLine(). Rows of a table with a wire form (wire.ts) or naming an attachment also bring
  // their `fields`; the first are built by changeLine() from the whole row.
  const lineSql = (resolves: boolean): string =>
    `SELECT seq, table_name, CASE WHEN instr(fields, 'sha256') > 0 AND op <> 'delete' THEN fields END AS sha_fields,
            '{"seq":' || seq || ',"changeId":' || json_quote(change_id) || ',"table":' || json_quote(table_name) ||
            ',"recordId":' || json_quote(record_id) || ',"op":' || json_quote(op) || ',"fields":' || fields ||
            ',"installationId":' || json_quote(installation_id) || ',"at":' || json_quote(at) ||
            ${resolves ? `coalesce(',"resolves":' || (SELECT r.resolves FROM exchange_resolutions r WHERE r.change_id = c.change_id), '') ||` : ''} '}' AS line
       FROM change_log c WHERE seq > ? AND seq <= ? AND installation_id <> ? ORDER BY seq LIMIT ${PAGE}`;
  // Most laptops never resolved a conflict: without resolutions the page needs no look-up per
  // change. Asked again at every page.
  const pageWithResolutions = ctx.db.prepare(lineSql(true)).raw(true);
  const pagePlain = ctx.db.prepare(lineSql(false)).raw(true);
  const wholeRow = ctx.db.prepare(
    `SELECT c.seq, c.change_id, c.table_name, c.record_id, c.op, c.fields, c.installation_id, c.at, r.resolves
       FROM change_log c LEFT JOIN exchange_resolutions r ON r.change_id = c.change_id WHERE c.seq = ?`,
  );
  const anyResolution = ctx.db.prepare('SELECT EXISTS (SELECT 1 FROM exchange_resolutions)').pluck();
  // The progress total. Counting a long seq range through the table reads every page of the
  // change log (its `fields` are most of the database) once more before the export reads them;
  // the (table_name, record_id) index holds every seq in a tenth of the pages.
  const countSql = upTo - since > 10_000 ? 'SELECT count(*) AS n FROM change_log INDEXED BY change_log_record WHERE seq > ? AND seq <= ?' : 'SELECT count(*) AS n FROM change_log WHERE seq > ? AND seq <= ?';
  const pendingTotal = introduce ? 0 : (ctx.db.prepare(countSql).get(since, upTo) as { n: number }).n;

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
        const batch = decodeRows(t.name, rows.all(encodeValue(t.name, 'id', last)) as Row[]);
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
      const rows = ((anyResolution.get() as number) === 1 ? pageWithResolutions : pagePlain).all(last, upTo, exclude) as [number, string, string | null, string | null][];
      if (rows.length === 0) break;
      for (const [seq, table, shaFields, sqlLine] of rows) {
        if (!userTableNames.has(table)) continue; // local notes (a peer's key change) never travel
        if (shaFields !== null) for (const h of attachmentsOf(table, JSON.parse(shaFields) as SyncChange['fields'])) hashes.add(h);
        changes++;
        const line = sqlLine === null || hasWireForm(table) ? changeLine(wholeRow.get(seq) as LogRow) : sqlLine;
        const full = lines.add(line);
        if (full) yield recordsEntry('changes', ++n, full);
      }
      last = rows[rows.length - 1]![0];
      job.progress('records', Math.min(changes, pendingTotal), pendingTotal);
    }
    if (lines.len > 0) yield recordsEntry('changes', ++n, lines.take());
  }

  async function* entries(): AsyncGenerator<WriteBundleEntry> {
    if (withState) yield* stateEntries();
    if (!introduce) yield* changeEntries();
    for (const h of [...hashes].sort()) (hasStoredFile(ctx.dataDir, h) ? present : missingFiles).push(h);
    let i = 0;
    const store = fileStore(ctx.dataDir);
    for (const h of present) {
      job.progress('files', ++i, present.length);
      if (sealed === null) {
        yield { path: attachmentPath(h), role: 'attachment', source: { stream: () => openStoredFile(ctx.dataDir, h) }, compress: false };
      } else {
        const path = sealedFilePath(sealed.contentKey, h);
        const key = entryKey(sealed.contentKey, bundleId, path);
        // Checked on the way out: the store's read checks the content against its hash (and every
        // chunk's tag), so what is encrypted is exactly the content with this hash. Up to 8 MiB
        // (every scan) read whole and encrypted in pieces the writer takes as they are; larger
        // files streamed (bounded memory).
        const plain = store.readUpTo(h, INLINE_ATTACHMENT_BYTES);
        if (plain === null) throw new AppFailure('files.missing', { sha256: h });
        if (plain === 'large') yield { path, role: 'attachment', compress: false, source: { stream: () => chain(openStoredFile(ctx.dataDir, h), encryptStream(key)) } };
        else yield { path, role: 'attachment', compress: false, source: { parts: encryptParts(key, plain) } };
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
