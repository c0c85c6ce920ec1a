import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Handlers, CoreContext } from '../context';
import type { ConflictView, ExchangeMethods, PeerView, VerifyView } from '../../../shared/contract/exchange';
import { AppFailure } from '../../../shared/result';
import type { TableSpec } from '../store';
import { openBundle } from '../exchange/archive';
import { createBackup, restoreBackup } from '../exchange/backup';
import { applyCatalogue, catalogueState, previewCatalogue, restoreCatalogue } from '../exchange/catalogue-update';
import { isBundleError } from '../exchange/errors';
import { cancelJob, runJob, runningJobs } from '../exchange/jobs';
import { exportReferral, importPortalAnswer } from '../exchange/referral';
import { boxFingerprint } from '../exchange/seal';
import { compactChangeLog, exportSync, importSync, listConflicts, resolveConflict, type ConflictRow, type ExportResult } from '../exchange/sync';
import { getPeer, identity, listPeers, listPublishers, openTrusted, peerByKey, peerKeyChanges, removePeer, removePublisher, trustPeer, trustPublisher, type PeerRow } from '../exchange/trust';

/** Tables of user data owned by the exchange area: none (its tables describe the exchange itself). */
export const exchangeTables: TableSpec[] = [];

/** Largest bundle accepted through `exchange.upload` (the web host has no file system access). */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export const outgoingDir = (ctx: Pick<CoreContext, 'dataDir'>): string => path.join(ctx.dataDir, 'exchange', 'outgoing');
export const incomingDir = (ctx: Pick<CoreContext, 'dataDir'>): string => path.join(ctx.dataDir, 'exchange', 'incoming');

/** `<kind>_<installation>_<yyyy-mm-dd>_<short-id>.htmp` (docs/bundle-format.md, section 1). */
export function bundleFileName(ctx: Pick<CoreContext, 'installationId'>, kind: string, now = new Date()): string {
  return `${kind}_${ctx.installationId.slice(0, 8)}_${now.toISOString().slice(0, 10)}_${randomUUID().slice(0, 8)}.htmp`;
}

function outFile(ctx: CoreContext, kind: string, out: string | undefined): { file: string; name: string | null } {
  if (out !== undefined) return { file: path.resolve(out), name: null };
  fs.mkdirSync(outgoingDir(ctx), { recursive: true });
  const name = bundleFileName(ctx, kind);
  return { file: path.join(outgoingDir(ctx), name), name };
}

function inFile(ctx: CoreContext, args: { file?: string | undefined; uploadId?: string | undefined }): string {
  if (args.uploadId !== undefined) {
    const f = path.join(incomingDir(ctx), `${args.uploadId}.htmp`);
    if (!fs.existsSync(f)) throw new AppFailure('exchange.upload_not_found', { uploadId: args.uploadId });
    return f;
  }
  if (args.file === undefined) throw new AppFailure('api.invalid_argument', { field: 'file', issue: 'required' });
  if (!fs.existsSync(args.file)) throw new AppFailure('exchange.file_not_found', { file: args.file });
  return path.resolve(args.file);
}

function pending(ctx: CoreContext, p: PeerRow): number {
  const names = ctx.store.tables().map((t) => t.name);
  return (
    ctx.db.prepare(`SELECT count(*) AS n FROM change_log WHERE seq > ? AND installation_id <> ? AND table_name IN (${names.map(() => '?').join(', ')})`).get(p.acked_seq, p.installation_id, ...names) as { n: number }
  ).n;
}

function peerView(ctx: CoreContext, p: PeerRow): PeerView {
  return {
    installationId: p.installation_id,
    publicKey: p.public_key,
    fingerprint: p.fingerprint,
    name: p.name,
    acceptedAt: p.accepted_at,
    ackedSeq: p.acked_seq,
    receivedSeq: p.received_seq,
    lastImportAt: p.last_import_at,
    lastExportAt: p.last_export_at,
    pending: pending(ctx, p),
    encryptionKey: p.encryption_key,
    encryptionFingerprint: p.encryption_key === null ? null : boxFingerprint(p.encryption_key),
    keyChanges: peerKeyChanges(ctx, p.installation_id),
  };
}

const parseValue = (s: string | null): string | number | null => (s === null ? null : (JSON.parse(s) as string | number | null));

function conflictView(ctx: CoreContext, c: ConflictRow): ConflictView {
  const me = identity(ctx);
  const nameOf = (id: string | null): string | null => (id === null ? null : id === me.installationId ? me.name : getPeer(ctx, id)?.name ?? null);
  return {
    id: c.id,
    changeId: c.change_id,
    kind: c.kind,
    table: c.table_name,
    recordId: c.record_id,
    field: c.field,
    base: parseValue(c.base_value),
    local: parseValue(c.local_value),
    remote: parseValue(c.remote_value),
    localBy: { installationId: c.local_installation_id, name: nameOf(c.local_installation_id), at: c.local_at },
    remoteBy: { installationId: c.remote_installation_id, name: c.remote_name ?? nameOf(c.remote_installation_id), at: c.remote_at },
    bundleId: c.bundle_id,
    status: c.status,
    resolution: c.resolution,
    resolvedAt: c.resolved_at,
    createdAt: c.created_at,
  };
}

/**
 * Checks a bundle without importing: structure and signature first (nothing inflated), then trust;
 * every entry's hash only for a sender this installation trusts (a stranger's bundle is never
 * inflated). Never throws for a bad bundle.
 */
export async function verifyBundleFile(ctx: CoreContext, file: string): Promise<VerifyView> {
  const view: VerifyView = { valid: false, kind: null, bundleId: null, createdAt: null, sender: null, trusted: false, entries: 0, errors: [] };
  let reader;
  try {
    reader = await openBundle(file, { isTrusted: () => true });
  } catch (err) {
    if (isBundleError(err)) {
      view.errors.push({ code: err.code, ...err.params });
      return view;
    }
    throw err;
  }
  try {
    const m = reader.manifest;
    view.kind = m.kind;
    view.bundleId = m.bundleId;
    view.createdAt = m.createdAt;
    view.entries = m.entries.length;
    view.sender = { installationId: m.sender.installationId, name: m.sender.name ?? null, fingerprint: reader.fingerprint };
    const own = identity(ctx).publicKey === m.sender.publicKey;
    const publisher = ctx.db.prepare('SELECT 1 FROM exchange_publishers WHERE public_key = ?').get(m.sender.publicKey) !== undefined;
    view.trusted = own || (m.kind === 'catalogue' ? publisher : peerByKey(ctx, m.sender.publicKey) !== undefined);
    if (!view.trusted) {
      const known = getPeer(ctx, m.sender.installationId);
      view.errors.push({
        code: 'bundle.untrusted_sender',
        fingerprint: reader.fingerprint,
        publicKey: m.sender.publicKey,
        installationId: m.sender.installationId,
        name: m.sender.name ?? null,
        keyChanged: known !== undefined && known.public_key !== m.sender.publicKey,
      });
    }
    if (view.trusted) {
      try {
        await reader.verifyAll();
      } catch (err) {
        if (!isBundleError(err)) throw err;
        view.errors.push({ code: err.code, ...err.params });
      }
    }
  } finally {
    await reader.close();
  }
  view.valid = view.errors.length === 0;
  return view;
}

/** What "import a bundle" accepts (a backup is restored, a referral bundle goes to the portal). */
const IMPORTABLE_KINDS = ['sync', 'catalogue'] as const;

export const exchangeHandlers: Pick<Handlers, keyof ExchangeMethods> = {
  'exchange.identity': (_a, ctx) => identity(ctx),
  'exchange.peers': (_a, ctx) => listPeers(ctx).map((p) => peerView(ctx, p)),
  'exchange.trustPeer': (a, ctx) => {
    const p = trustPeer(ctx, { installationId: a.installationId, publicKey: a.publicKey, name: a.name ?? null, encryptionKey: a.encryptionKey ?? null, acceptKeyChange: a.acceptKeyChange ?? null });
    ctx.emit({ type: 'data.changed', payload: { area: 'exchange' } });
    return peerView(ctx, p);
  },
  'exchange.removePeer': (a, ctx) => {
    const removed = removePeer(ctx, a.installationId);
    // The peer that held the history back is gone: what every remaining peer has can go.
    if (removed) compactChangeLog(ctx);
    return { removed };
  },
  'exchange.publishers': (_a, ctx) =>
    listPublishers(ctx).map((p) => ({ publicKey: p.public_key, fingerprint: p.fingerprint, name: p.name, acceptedAt: p.accepted_at })),
  'exchange.trustPublisher': (a, ctx) => {
    const p = trustPublisher(ctx, { publicKey: a.publicKey, name: a.name ?? null });
    return { publicKey: p.public_key, fingerprint: p.fingerprint, name: p.name, acceptedAt: p.accepted_at };
  },
  'exchange.removePublisher': (a, ctx) => ({ removed: removePublisher(ctx, a.publicKey) }),

  'exchange.export': (a, ctx) =>
    runJob(ctx, `export:${a.kind}`, a.jobId, async (job) => {
      const { file, name } = outFile(ctx, a.kind, a.out);
      if (a.kind === 'sync') {
        const r: ExportResult = await exportSync(ctx, { file, peer: a.peer, for: a.for, introduce: a.introduce, job });
        return { ...r, kind: 'sync' as const, name };
      }
      if (a.kind === 'backup') {
        const r = await createBackup(ctx, { file, job, keys: ctx.backupKeys?.() ?? { dataKey: null, keyring: null }, passphrase: a.passphrase });
        return { file: r.file, name, kind: 'backup' as const, bundleId: r.bundleId, records: 1, attachments: r.files, sha256: r.sha256, bytes: r.bytes };
      }
      const r = await exportReferral(ctx, { file, caseIds: a.caseIds, job });
      return { ...r, kind: 'referral' as const, name };
    }),

  'exchange.verify': (a, ctx) => verifyBundleFile(ctx, inFile(ctx, a)),

  'exchange.import': (a, ctx) =>
    runJob(ctx, 'import', a.jobId, async (job) => {
      const file = inFile(ctx, a);
      const opened = await openTrusted(ctx, file, { trustNew: a.trustNewPeer === true, kinds: IMPORTABLE_KINDS, ...(a.acceptKeyChange !== undefined ? { acceptKeyChange: a.acceptKeyChange } : {}) });
      try {
        const kind = opened.reader.manifest.kind;
        if (kind === 'sync') {
          const r = await importSync(ctx, opened, { dryRun: a.dryRun === true, job });
          if (!a.dryRun && a.uploadId !== undefined) fs.rmSync(file, { force: true });
          return r;
        }
        if (kind === 'catalogue') {
          const m = opened.reader.manifest;
          const r = a.dryRun ? { ...(await previewCatalogue(ctx, opened, job.signal)).preview, applied: false } : await applyCatalogue(ctx, opened, { signal: job.signal, allowRollback: a.allowRollback === true });
          const changed = r.editions.filter((e) => e.status !== 'same').length + (r.characteristics.status === 'changed' || r.characteristics.status === 'added' ? 1 : 0) + (r.calendar.status === 'changed' || r.calendar.status === 'added' ? 1 : 0);
          return {
            kind,
            bundleId: m.bundleId,
            imported: r.applied ? changed : 0,
            unchanged: r.applied ? r.editions.length - r.editions.filter((e) => e.status !== 'same').length : r.editions.length,
            conflicts: 0,
            refused: 0,
            attachments: 0,
            dryRun: a.dryRun === true,
            alreadyImported: r.alreadyApplied,
            sender: { installationId: m.sender.installationId, name: m.sender.name ?? null, fingerprint: opened.reader.fingerprint, trustedNow: opened.newSender !== null && !a.dryRun },
            warnings: r.rollback !== null && !r.alreadyApplied ? [{ code: 'exchange.catalogue_rollback', params: { reason: r.rollback.reason, removed: r.editionsRemoved.join(', '), added: r.editionsAdded.join(', ') } }] : [],
            editions: { added: r.editionsAdded, removed: r.editionsRemoved },
          };
        }
        if (kind === 'backup') throw new AppFailure('exchange.use_restore', { kind });
        throw new AppFailure('exchange.wrong_kind', { kind, expected: IMPORTABLE_KINDS.join(', ') });
      } finally {
        await opened.reader.close();
      }
    }),

  'exchange.cancel': (a, ctx) => ({ cancelled: cancelJob(ctx, a.jobId) }),
  'exchange.jobs': (_a, ctx) => ({
    running: runningJobs(ctx),
    recent: (
      ctx.db.prepare('SELECT id, kind, direction, status, file, records, attachments, finished_at FROM exchange_jobs ORDER BY finished_at DESC LIMIT 20').all() as {
        id: string;
        kind: string;
        direction: string;
        status: string;
        file: string | null;
        records: number;
        attachments: number;
        finished_at: string;
      }[]
    ).map((r) => ({ id: r.id, kind: r.kind, direction: r.direction, status: r.status, file: r.file, records: r.records, attachments: r.attachments, finishedAt: r.finished_at })),
  }),
  'exchange.conflicts': (a, ctx) => listConflicts(ctx, a.status).map((c) => conflictView(ctx, c)),
  'exchange.resolve': (a, ctx) => conflictView(ctx, resolveConflict(ctx, a.id, a.choice)),

  'exchange.backup': (a, ctx) =>
    runJob(ctx, 'backup', a.jobId, async (job) => {
      const { file, name } = outFile(ctx, 'backup', a.out);
      const r = await createBackup(ctx, { file, job, keys: ctx.backupKeys?.() ?? { dataKey: null, keyring: null }, passphrase: a.passphrase });
      return { ...r, name };
    }),
  'exchange.restore': (a, ctx) =>
    runJob(ctx, 'restore', a.jobId, (job) =>
      restoreBackup({
        file: inFile(ctx, a),
        dataDir: a.dataDir,
        force: a.force === true,
        job,
        openDataDir: ctx.dataDir,
        secret: { recoveryKey: a.recoveryKey, backupPassphrase: a.backupPassphrase },
        ownPublicKey: identity(ctx).publicKey,
        trustBackupKey: a.trustBackupKey,
      }),
    ),

  'exchange.cataloguePreview': (a, ctx) =>
    runJob(ctx, 'catalogue', undefined, async () => {
    const opened = await openTrusted(ctx, inFile(ctx, a), { trustNew: a.trustNewPublisher === true, kinds: ['catalogue'] });
    try {
      return (await previewCatalogue(ctx, opened)).preview;
    } finally {
      await opened.reader.close();
    }
  }),
  'exchange.catalogueApply': (a, ctx) =>
    runJob(ctx, 'catalogue', undefined, async () => {
    const opened = await openTrusted(ctx, inFile(ctx, a), { trustNew: a.trustNewPublisher === true, kinds: ['catalogue'] });
    try {
      return await applyCatalogue(ctx, opened, { allowRollback: a.allowRollback === true });
    } finally {
      await opened.reader.close();
    }
  }),
  'exchange.catalogueRestore': (_a, ctx) => restoreCatalogue(ctx),
  'exchange.catalogueState': (_a, ctx) => catalogueState(ctx),
  'exchange.referralAnswer': (a, ctx) => {
    const text = a.text ?? fs.readFileSync(inFile(ctx, a), 'utf8');
    return importPortalAnswer(ctx, text);
  },

  'exchange.upload': (a, ctx) => {
    const dir = incomingDir(ctx);
    fs.mkdirSync(dir, { recursive: true });
    const uploadId = a.uploadId ?? randomUUID();
    const file = path.join(dir, `${uploadId}.htmp`);
    const size = a.uploadId === undefined ? 0 : fs.existsSync(file) ? fs.statSync(file).size : -1;
    if (size < 0) throw new AppFailure('exchange.upload_not_found', { uploadId });
    if (a.offset !== size) throw new AppFailure('exchange.upload_offset', { expected: size, offset: a.offset });
    const data = Buffer.from(a.data, 'base64');
    if (size + data.length > MAX_UPLOAD_BYTES) {
      fs.rmSync(file, { force: true });
      throw new AppFailure('bundle.too_large', { reason: 'upload', limit: MAX_UPLOAD_BYTES });
    }
    fs.appendFileSync(file, data);
    return { uploadId, size: size + data.length };
  },
  // Saving with a native dialog is answered by the Electron main process before the core is
  // asked; any other host (web, CLI) gets a refusal saying to download.
  'shell.saveFile': () => {
    throw new AppFailure('exchange.save_unavailable');
  },
  'exchange.download': (a, ctx) => {
    if (a.name !== path.basename(a.name) || !a.name.endsWith('.htmp') && !a.name.endsWith('.zip')) throw new AppFailure('exchange.file_not_found', { file: a.name });
    const file = path.join(outgoingDir(ctx), a.name);
    if (!fs.existsSync(file)) throw new AppFailure('exchange.file_not_found', { file: a.name });
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    try {
      const len = Math.max(0, Math.min(a.length, size - a.offset));
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, a.offset);
      return { data: buf.toString('base64'), size, eof: a.offset + len >= size };
    } finally {
      fs.closeSync(fd);
    }
  },
};
