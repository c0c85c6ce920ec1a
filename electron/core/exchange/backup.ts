/**
 * Backup and restore of a whole installation as a `backup` bundle: a consistent snapshot of
 * the database (SQLite's online backup API through better-sqlite3's `db.backup()`) as the entry
 * `database/htmp.sqlite`, and every attachment of the file store as `files/<sha256>`.
 *
 * Verified after writing: the bundle is reopened, every entry's SHA-256 checked (the file
 * store's names are their hashes, so a damaged attachment is caught too), the database entry
 * extracted and `PRAGMA integrity_check` run on it.
 *
 * Restore goes into a data folder that is empty (a new laptop) unless `force`; the folder's
 * previous content is then moved aside to `.replaced-<time>/`, never deleted. The restored
 * installation keeps its identity (installation id and key pair): it continues the backed-up
 * laptop, which must not be used any more.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { migrate, openDatabase } from '../db';
import { openBundle, writeBundle, type BundleReader, type WriteBundleEntry } from './archive';
import { fileStorePath, listFileStore } from './files';
import type { Job } from './jobs';
import { attachmentHashOf, attachmentPath } from './manifest';
import { generator, recordJob } from './sync';
import { senderSecret, toFailure } from './trust';

export const DATABASE_ENTRY = 'database/htmp.sqlite';

export interface BackupResult {
  file: string;
  bundleId: string;
  sha256: string;
  bytes: number;
  files: number;
  verified: { integrity: string; files: number };
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

export async function createBackup(ctx: CoreContext, opts: { file: string; job: Job }): Promise<BackupResult> {
  const { job } = opts;
  const started = new Date().toISOString();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'htmp-backup-'));
  try {
    const snapshot = path.join(tmp, 'htmp.sqlite');
    job.progress('database', 0, 1);
    await ctx.db.backup(snapshot, {
      progress: ({ totalPages, remainingPages }) => {
        job.progress('database', totalPages - remainingPages, totalPages);
        return job.signal.aborted ? 0 : 256;
      },
    });
    job.throwIfCancelled();
    const snapIntegrity = integrity(snapshot);
    if (snapIntegrity !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: snapIntegrity });
    const files = await listFileStore(ctx.dataDir);
    const total = files.length + 1;
    const schemaVersion = ctx.db.pragma('user_version', { simple: true }) as number;
    function* entries(): Generator<WriteBundleEntry> {
      yield { path: DATABASE_ENTRY, role: 'database', source: { file: snapshot } };
      let i = 1;
      for (const f of files) {
        job.progress('files', ++i, total);
        yield { path: attachmentPath(f.sha256), role: 'attachment', source: { file: f.file }, compress: false };
      }
    }
    const backupId = randomUUID();
    const written = await writeBundle({
      file: opts.file,
      kind: 'backup',
      sender: senderSecret(ctx),
      meta: { backupId, part: 1, parts: 1, schemaVersion, installationId: ctx.installationId, files: files.length, database: DATABASE_ENTRY },
      entries: entries(),
      signal: job.signal,
      generator: generator(ctx),
      bundleId: backupId,
    });
    // Verify what was written, from the file itself.
    job.progress('verify', 0, total);
    const verified = await verifyBackupFile(written.file, ctx.db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string, job, tmp);
    recordJob(ctx, { id: job.id, kind: 'backup', direction: 'export', bundleId: written.bundleId, file: written.file, sha256: written.sha256, records: 1, attachments: files.length, started, finished: new Date().toISOString() });
    return { file: written.file, bundleId: written.bundleId, sha256: written.sha256, bytes: written.bytes, files: files.length, verified };
  } catch (err) {
    await fs.rm(opts.file, { force: true }).catch(() => undefined);
    throw toFailure(err);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function extract(reader: BundleReader, entry: string, target: string, signal?: AbortSignal): Promise<void> {
  await pipeline(reader.openEntryStream(entry), createWriteStream(target), signal ? { signal } : {});
}

/** Reopens a backup: all hashes, then integrity_check of the database entry. */
export async function verifyBackupFile(file: string, ownKey: string, job: Job, tmpDir: string): Promise<{ integrity: string; files: number }> {
  const reader = await openBundle(file, { isTrusted: (k) => k === ownKey });
  try {
    await reader.verifyAll((p) => job.progress('verify', p.entries, p.entriesTotal), job.signal);
    const db = path.join(tmpDir, `verify-${randomUUID()}.sqlite`);
    await extract(reader, DATABASE_ENTRY, db, job.signal);
    const result = integrity(db);
    await fs.rm(db, { force: true });
    if (result !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: result });
    return { integrity: result, files: reader.entries.filter((e) => attachmentHashOf(e.path) !== null).length };
  } finally {
    await reader.close();
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

export interface RestoreResult {
  dataDir: string;
  installationId: string;
  files: number;
  integrity: string;
  replaced: string | null;
}

/**
 * Restores a backup bundle into `dataDir`. The bundle must be signed by the key stored in the
 * database it carries (a backup is self-signed: a new laptop has no trust store yet); every hash
 * is checked before anything is put in place, and the database is checked and migrated.
 */
export async function restoreBackup(opts: { file: string; dataDir: string; force?: boolean; job: Job; openDataDir?: string }): Promise<RestoreResult> {
  const { job } = opts;
  const dataDir = path.resolve(opts.dataDir);
  if (opts.openDataDir !== undefined && path.resolve(opts.openDataDir) === dataDir) throw new AppFailure('exchange.restore_into_open', { dataDir });
  const empty = await isEmptyDir(dataDir);
  if (!empty && !opts.force) throw new AppFailure('exchange.restore_not_empty', { dataDir });
  let reader: BundleReader;
  try {
    reader = await openBundle(opts.file, { isTrusted: () => true });
  } catch (err) {
    throw toFailure(err);
  }
  const staging = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.restore-${randomUUID()}`);
  try {
    const m = reader.manifest;
    if (m.kind !== 'backup') throw new AppFailure('exchange.wrong_kind', { kind: m.kind, expected: 'backup' });
    if (!reader.has(DATABASE_ENTRY)) throw new AppFailure('bundle.invalid_record', { path: DATABASE_ENTRY, reason: 'missing_entry' });
    if (typeof m.meta.parts === 'number' && m.meta.parts !== 1) throw new AppFailure('exchange.backup_parts', { parts: m.meta.parts });
    await reader.verifyAll((p) => job.progress('verify', p.entries, p.entriesTotal), job.signal);
    await fs.mkdir(staging, { recursive: true });
    const dbFile = path.join(staging, 'htmp.sqlite');
    await extract(reader, DATABASE_ENTRY, dbFile, job.signal);
    const check = integrity(dbFile);
    if (check !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: check });
    // Self-signed: the key in the database is the key that signed the bundle.
    {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        const key = db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string | undefined;
        const inst = db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").pluck().get() as string | undefined;
        if (key !== m.sender.publicKey || inst !== m.sender.installationId) {
          throw new AppFailure('bundle.signature_invalid', { reason: 'not_self_signed', fingerprint: reader.fingerprint });
        }
      } catch (err) {
        if (err instanceof AppFailure) throw err;
        throw new AppFailure('bundle.invalid_record', { path: DATABASE_ENTRY, reason: 'database' });
      } finally {
        db.close();
      }
    }
    const hashes = reader.entries.map((e) => attachmentHashOf(e.path)).filter((h): h is string => h !== null);
    let i = 0;
    for (const h of hashes) {
      job.throwIfCancelled();
      const target = fileStorePath(staging, h);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await extract(reader, attachmentPath(h), target, job.signal);
      job.progress('files', ++i, hashes.length);
    }
    // Bring the schema up to this build's version (a backup from an older build).
    {
      const db = openDatabase(dbFile);
      try {
        migrate(db);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    }
    job.throwIfCancelled();
    // Put it in place: move the old content aside (force), then the staged content in.
    let replaced: string | null = null;
    await fs.mkdir(dataDir, { recursive: true });
    if (!empty) {
      replaced = path.join(dataDir, `.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await fs.mkdir(replaced);
      for (const name of await fs.readdir(dataDir)) {
        if (name.startsWith('.replaced-')) continue;
        await fs.rename(path.join(dataDir, name), path.join(replaced, name));
      }
    }
    for (const name of await fs.readdir(staging)) await fs.rename(path.join(staging, name), path.join(dataDir, name));
    return { dataDir, installationId: m.sender.installationId, files: hashes.length, integrity: check, replaced };
  } catch (err) {
    throw toFailure(err);
  } finally {
    await reader.close();
    await fs.rm(staging, { recursive: true, force: true });
  }
}
