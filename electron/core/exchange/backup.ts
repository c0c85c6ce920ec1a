/**
 * Backup and restore of a whole installation as a `backup` bundle (signed like every bundle).
 *
 * An encrypted folder's backup (`meta.format = 'htmp-backup-2'`) carries the data as it is on
 * disk, never decrypted: `database/htmp.sqlite` (a `VACUUM INTO` snapshot, encrypted with the
 * same key), every stored file as `store/<name>` (already AES-256-GCM, named by keyed hash), the
 * keyring as `keyring/htmp.keyring.json` (so users keep their passphrases on the new laptop),
 * and, when the user chose a backup passphrase, `keyring/backup-passphrase.json`: the data key
 * wrapped by scrypt of that passphrase. A restore needs one of: the recovery key, the backup
 * passphrase, or a user's own passphrase. The audit trail is in the database, so it travels.
 *
 * A wave-1 backup (plain `database/htmp.sqlite` and `files/<sha256>`) still restores: into a
 * plain folder, which the first set-up then encrypts.
 *
 * Verified after writing: the bundle is reopened, every entry's SHA-256 checked, the database
 * entry extracted (into the data folder's staging, still encrypted) and `integrity_check` run
 * with the key. Restore goes into an empty folder (a new laptop) unless `force`; the folder's
 * previous content is then moved aside to `.replaced-<time>/`, never deleted.
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { acquireFolderLock, HOUSEKEEPING, realDataDir, stagingDir as makeStaging } from '../data-folder';
import { keyDatabase, latestSchemaVersion, migrate, openDatabase } from '../db';
import { migrations as allMigrations } from '../migrations';
import { decryptBuffer, FileStore } from '../files';
import { parseRecoveryKey, recoveryPrivateKey, wipe } from '../vault/crypto';
import { KEYRING_FILE, openPassphraseWrap, openWithPassphrase, openWithRecovery, wrapWithPassphrase, type Keyring, type PassphraseWrap } from '../vault/keyring';
import { databaseKey, fileStoreKeys } from '../vault/keys';
import { openBundle, writeBundle, type BundleReader, type WriteBundleEntry } from './archive';
import type { Job } from './jobs';
import { attachmentHashOf, attachmentPath } from './manifest';
import { generator, recordJob } from './sync';
import { senderSecret, toFailure } from './trust';

export const DATABASE_ENTRY = 'database/htmp.sqlite';
export const KEYRING_ENTRY = 'keyring/htmp.keyring.json';
export const PASSPHRASE_ENTRY = 'keyring/backup-passphrase.json';
const STORE_PREFIX = 'store/';
export const BACKUP_FORMAT = 'htmp-backup-2';

export interface BackupResult {
  file: string;
  bundleId: string;
  sha256: string;
  bytes: number;
  files: number;
  verified: { integrity: string; files: number };
}

/** What opens an encrypted backup (one of them). */
export interface BackupSecret {
  recoveryKey?: string | undefined;
  backupPassphrase?: string | undefined;
  user?: { login: string; passphrase: string } | undefined;
}

/** The keys a backup is made under: the folder's data key and keyring (null: a plain folder). */
export interface BackupKeys {
  dataKey: Buffer | null;
  keyring: Keyring | null;
}

function integrity(file: string, keyHex: string | null): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (keyHex) keyDatabase(db, keyHex);
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_NOTADB') return 'not a database (wrong key)';
    throw err;
  } finally {
    db.close();
  }
}

/** Staging inside the data folder (cleaned at the next start): nothing of a backup goes to the system temp folder. */
async function stagingDir(dataDir: string, what: string): Promise<string> {
  return makeStaging(dataDir, what);
}

/** SQLite's own tables that `ANALYZE` / `PRAGMA optimize` may create in any database of the app. */
const SQLITE_STAT_TABLES = new Set(['sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4']);

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

function schemaOf(db: Database.Database): SchemaObject[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all() as SchemaObject[];
}

/**
 * A restored database may hold only the schema objects the app's migrations create (issue 12.4):
 * its `sqlite_schema` is compared, object by object and SQL text by SQL text, with a fresh
 * database migrated to the same version. A trigger, view, extra table or index, or a table whose
 * definition differs, is `bundle.schema_unexpected`. Checked before any statement of the app
 * runs on the database (migrations, the self-signed check), with `trusted_schema` off.
 */
export function checkBackupSchema(dbFile: string, keyHex: string | null, scratchDir: string): void {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  let found: SchemaObject[];
  let version: number;
  try {
    if (keyHex) keyDatabase(db, keyHex);
    db.pragma('trusted_schema = OFF');
    found = schemaOf(db);
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    if (err instanceof AppFailure) throw err;
    throw new AppFailure('bundle.invalid_record', { path: DATABASE_ENTRY, reason: 'database' });
  } finally {
    db.close();
  }
  if (!Number.isInteger(version) || version < 1 || version > latestSchemaVersion()) {
    if (version > latestSchemaVersion()) throw new AppFailure('db.newer_version', { found: version, supported: latestSchemaVersion() });
    throw new AppFailure('bundle.schema_unexpected', { objects: `user_version ${version}`, count: 1 });
  }
  const freshFile = path.join(scratchDir, `schema-${process.pid}-${randomUUID()}.sqlite`);
  const fresh = new Database(freshFile);
  let expected: SchemaObject[];
  try {
    migrate(fresh, allMigrations.filter((m) => m.version <= version));
    expected = schemaOf(fresh);
  } finally {
    fresh.close();
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(freshFile + suffix, { force: true });
  }
  const key = (o: SchemaObject): string => `${o.type}\u0000${o.name}\u0000${o.tbl_name}\u0000${o.sql ?? ''}`;
  const want = new Set(expected.map(key));
  const unexpected = found.filter((o) => !want.has(key(o)) && !(o.type === 'table' && SQLITE_STAT_TABLES.has(o.name)));
  const have = new Set(found.map(key));
  const missing = expected.filter((o) => !have.has(key(o)));
  if (unexpected.length > 0 || missing.length > 0) {
    const named = (o: SchemaObject): string => `${o.type} ${o.name}`;
    const changed = new Set(unexpected.filter((u) => missing.some((m) => named(m) === named(u))).map(named));
    const objects = [
      ...unexpected.map((o) => (changed.has(named(o)) ? `${named(o)} (changed)` : named(o))),
      ...missing.filter((o) => !changed.has(named(o))).map((o) => `${named(o)} (missing)`),
    ];
    throw new AppFailure('bundle.schema_unexpected', { objects: objects.slice(0, 10).join(', '), count: objects.length });
  }
}

/** Normalises a key fingerprint as typed (spaces, colons, case) for comparison. */
export const normaliseFingerprint = (f: string): string => f.replace(/[^0-9a-f]/gi, '').toUpperCase();

export async function createBackup(ctx: CoreContext, opts: { file: string; job: Job; keys: BackupKeys; passphrase?: string | undefined }): Promise<BackupResult> {
  const { job, keys } = opts;
  const encrypted = keys.dataKey !== null && keys.keyring !== null && keys.keyring.cipher.database !== 'none';
  const started = new Date().toISOString();
  const tmp = await stagingDir(ctx.dataDir, 'backup');
  try {
    const snapshot = path.join(tmp, 'htmp.sqlite');
    job.progress('database', 0, 1);
    // VACUUM INTO writes a consistent copy encrypted with the same key (SQLite3 Multiple Ciphers).
    ctx.db.prepare('VACUUM INTO ?').run(snapshot);
    job.progress('database', 1, 1);
    job.throwIfCancelled();
    const keyHex = encrypted ? databaseKey(keys.dataKey!, keys.keyring!.cipher.database) : null;
    const snapIntegrity = integrity(snapshot, keyHex);
    if (snapIntegrity !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: snapIntegrity });
    const store = new FileStore(ctx.dataDir, encrypted ? fileStoreKeys(keys.dataKey!) : null);
    const files = store.files();
    const total = files.length + 1;
    const schemaVersion = ctx.db.pragma('user_version', { simple: true }) as number;
    const wrapped: PassphraseWrap | null = encrypted && opts.passphrase ? wrapWithPassphrase(keys.dataKey!, opts.passphrase) : null;
    function* entries(): Generator<WriteBundleEntry> {
      // An encrypted database is random bytes to deflate: stored as it is (as the encrypted files).
      yield { path: DATABASE_ENTRY, role: 'database', source: { file: snapshot }, ...(encrypted ? { compress: false } : {}) };
      if (encrypted) {
        yield { path: KEYRING_ENTRY, role: 'keyring', source: { buffer: Buffer.from(JSON.stringify(keys.keyring, null, 2)) } };
        if (wrapped) yield { path: PASSPHRASE_ENTRY, role: 'keyring', source: { buffer: Buffer.from(JSON.stringify(wrapped, null, 2)) } };
      }
      let i = 1;
      for (const f of files) {
        job.progress('files', ++i, total);
        yield encrypted
          ? { path: `${STORE_PREFIX}${f.rel}`, role: 'encrypted-file', source: { file: f.file }, compress: false }
          : { path: attachmentPath(f.name), role: 'attachment', source: { file: f.file }, compress: false };
      }
    }
    const backupId = randomUUID();
    const written = await writeBundle({
      file: opts.file,
      kind: 'backup',
      sender: senderSecret(ctx),
      meta: {
        backupId,
        part: 1,
        parts: 1,
        schemaVersion,
        installationId: ctx.installationId,
        files: files.length,
        database: DATABASE_ENTRY,
        ...(encrypted ? { format: BACKUP_FORMAT, encrypted: true, keyId: keys.keyring!.keyId, backupPassphrase: wrapped !== null } : {}),
      },
      entries: entries(),
      signal: job.signal,
      generator: generator(ctx),
      bundleId: backupId,
    });
    // Verify what was written, from the file itself.
    job.progress('verify', 0, total);
    const verified = await verifyBackupFile(written.file, ctx.db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string, job, tmp, keyHex);
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
  await pipeline(reader.openEntryStream(entry), createWriteStream(target, { mode: 0o600 }), signal ? { signal } : {});
}

async function readEntry(reader: BundleReader, entry: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of reader.openEntryStream(entry)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reopens a backup: all hashes, then integrity_check of the database entry (with the key). */
export async function verifyBackupFile(file: string, ownKey: string, job: Job, tmpDir: string, keyHex: string | null = null): Promise<{ integrity: string; files: number }> {
  const reader = await openBundle(file, { isTrusted: (k) => k === ownKey });
  try {
    await reader.verifyAll((p) => job.progress('verify', p.entries, p.entriesTotal), job.signal);
    const db = path.join(tmpDir, `verify-${randomUUID()}.sqlite`);
    await extract(reader, DATABASE_ENTRY, db, job.signal);
    const result = integrity(db, keyHex);
    await fs.rm(db, { force: true });
    if (result !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: result });
    return { integrity: result, files: reader.entries.filter((e) => attachmentHashOf(e.path) !== null || e.path.startsWith(STORE_PREFIX)).length };
  } finally {
    await reader.close();
  }
}

async function isEmptyDir(dir: string, ignore: readonly string[] = []): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).filter((n) => !ignore.includes(n)).length === 0;
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
  encrypted: boolean;
}

/** The data key of an encrypted backup from whichever secret was given; refusals name no detail. */
function unlockBackup(keyring: Keyring, wrap: PassphraseWrap | null, secret: BackupSecret): Buffer {
  if (secret.recoveryKey) {
    const bytes = parseRecoveryKey(secret.recoveryKey);
    if (!bytes) throw new AppFailure('auth.bad_recovery_key');
    const priv = recoveryPrivateKey(bytes);
    const dk = openWithRecovery(keyring, priv);
    wipe(priv, bytes);
    if (!dk) throw new AppFailure('auth.bad_recovery_key');
    return dk;
  }
  if (secret.backupPassphrase) {
    const dk = wrap ? openPassphraseWrap(wrap, secret.backupPassphrase) : null;
    if (!dk) throw new AppFailure('auth.bad_credentials');
    return dk;
  }
  if (secret.user) {
    const out = openWithPassphrase(keyring, secret.user.login, secret.user.passphrase);
    if (!out.ok) throw new AppFailure('auth.bad_credentials');
    return out.dataKey;
  }
  throw new AppFailure('exchange.backup_secret_required');
}

/**
 * Restores a backup bundle into `dataDir`. Nothing is put in place before every check passed:
 *
 * - the folder is not open anywhere else (a lease in `.locks`, data-folder.ts), and no other
 *   restore runs into it: the restore lock is held to the end (`exchange.restore_in_use`);
 * - the bundle is signed by the key stored in the database it carries (a backup is self-signed),
 *   and that key is this installation's (`ownPublicKey`) or the one the user confirmed by its
 *   fingerprint (`trustBackupKey`); else `exchange.backup_untrusted` with the fingerprint to show;
 * - every hash is checked, every stored file opened, the database checked (integrity, then its
 *   schema against a fresh one: `bundle.schema_unexpected`) and migrated.
 *
 * Staging is inside the target folder (`.staging/restore-<pid>-<id>`): removed on every exit
 * path, and at the next start when the process was killed. `ignore`: names in the target that do
 * not make it "not empty" (the reference copy of a folder that is being set up).
 */
export async function restoreBackup(opts: {
  file: string;
  dataDir: string;
  force?: boolean;
  job: Job;
  openDataDir?: string;
  secret?: BackupSecret;
  ignore?: readonly string[];
  /** The lease of the core restoring onto its own folder (it closed its database). */
  leaseId?: string;
  /** This installation's public key: its own backups need no confirmation. */
  ownPublicKey?: string | null;
  /** The fingerprint of another installation's key the user confirmed. */
  trustBackupKey?: string | undefined;
  /** Called once every check passed, right before the restored content is put in place (the running core closes its database). */
  beforePlace?: () => void;
}): Promise<RestoreResult> {
  const { job } = opts;
  // A folder made for this restore is removed again when the restore fails.
  const created = !existsSync(opts.dataDir);
  // The real folder (a symlink restores into what it points to, and sees the same locks).
  const dataDir = realDataDir(opts.dataDir);
  if (opts.openDataDir !== undefined && realDataDir(opts.openDataDir) === dataDir) throw new AppFailure('exchange.restore_into_open', { dataDir });
  const releaseLock = acquireFolderLock(dataDir, opts.leaseId);
  let reader: BundleReader | null = null;
  let staging: string | null = null;
  let dataKey: Buffer | null = null;
  let closed = false;
  let done = false;
  try {
    const ignored = [...HOUSEKEEPING, ...(opts.ignore ?? [])];
    const empty = await isEmptyDir(dataDir, ignored);
    if (!empty && !opts.force) throw new AppFailure('exchange.restore_not_empty', { dataDir });
    reader = await openBundle(opts.file, { isTrusted: () => true });
    const m = reader.manifest;
    if (m.kind !== 'backup') throw new AppFailure('exchange.wrong_kind', { kind: m.kind, expected: 'backup' });
    // Whose backup: this installation's, or another's the user confirmed by its fingerprint.
    const own = opts.ownPublicKey != null && opts.ownPublicKey === m.sender.publicKey;
    const confirmed = opts.trustBackupKey !== undefined && normaliseFingerprint(opts.trustBackupKey) === normaliseFingerprint(reader.fingerprint);
    if (!own && !confirmed) {
      throw new AppFailure('exchange.backup_untrusted', {
        fingerprint: reader.fingerprint,
        installationId: m.sender.installationId,
        name: m.sender.name ?? null,
        createdAt: m.createdAt,
        given: opts.trustBackupKey !== undefined,
      });
    }
    if (!reader.has(DATABASE_ENTRY)) throw new AppFailure('bundle.invalid_record', { path: DATABASE_ENTRY, reason: 'missing_entry' });
    if (typeof m.meta.parts === 'number' && m.meta.parts !== 1) throw new AppFailure('exchange.backup_parts', { parts: m.meta.parts });
    const encrypted = m.meta.encrypted === true;
    let keyring: Keyring | null = null;
    if (encrypted) {
      if (!reader.has(KEYRING_ENTRY)) throw new AppFailure('bundle.invalid_record', { path: KEYRING_ENTRY, reason: 'missing_entry' });
      keyring = JSON.parse((await readEntry(reader, KEYRING_ENTRY)).toString('utf8')) as Keyring;
      const wrap = reader.has(PASSPHRASE_ENTRY) ? (JSON.parse((await readEntry(reader, PASSPHRASE_ENTRY)).toString('utf8')) as PassphraseWrap) : null;
      dataKey = unlockBackup(keyring, wrap, opts.secret ?? {});
    }
    await reader.verifyAll((p) => job.progress('verify', p.entries, p.entriesTotal), job.signal);
    staging = await stagingDir(dataDir, 'restore');
    const dbFile = path.join(staging, 'htmp.sqlite');
    const keyHex = dataKey ? databaseKey(dataKey, keyring!.cipher.database) : null;
    await extract(reader, DATABASE_ENTRY, dbFile, job.signal);
    const check = integrity(dbFile, keyHex);
    if (check !== 'ok') throw new AppFailure('exchange.backup_integrity', { integrity: check });
    // Only the schema the app's migrations make: no trigger, view, extra table or index.
    checkBackupSchema(dbFile, keyHex, path.dirname(staging));
    // Self-signed: the key in the database is the key that signed the bundle.
    {
      let db: Database.Database | null = null;
      try {
        db = new Database(dbFile, { readonly: true, fileMustExist: true });
        if (keyHex) keyDatabase(db, keyHex);
        db.pragma('trusted_schema = OFF');
        const key = db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string | undefined;
        const inst = db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").pluck().get() as string | undefined;
        if (key !== m.sender.publicKey || inst !== m.sender.installationId) {
          throw new AppFailure('bundle.signature_invalid', { reason: 'not_self_signed', fingerprint: reader.fingerprint });
        }
      } catch (err) {
        if (err instanceof AppFailure) throw err;
        throw new AppFailure('bundle.invalid_record', { path: DATABASE_ENTRY, reason: 'database' });
      } finally {
        db?.close();
      }
    }
    let count = 0;
    if (encrypted) {
      const names = reader.entries.map((e) => e.path).filter((p) => p.startsWith(STORE_PREFIX));
      const keys = fileStoreKeys(dataKey!);
      const check = new FileStore(staging, keys);
      for (const p of names) {
        job.throwIfCancelled();
        const rel = p.slice(STORE_PREFIX.length);
        if (!/^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(rel) || rel.slice(0, 2) !== rel.slice(3, 5)) throw new AppFailure('bundle.invalid_record', { path: p, reason: 'store_name' });
        const raw = await readEntry(reader, p);
        // The content must be what its name says: it opens, and its hash names it.
        let plain: Buffer;
        try {
          plain = decryptBuffer(keys.enc, raw, null);
        } catch {
          throw new AppFailure('bundle.hash_mismatch', { path: p });
        }
        const sha = createHash('sha256').update(plain).digest('hex');
        plain.fill(0);
        if (check.nameOf(sha) !== rel.slice(3)) throw new AppFailure('bundle.hash_mismatch', { path: p });
        const target = path.join(staging, 'files', rel);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, raw, { mode: 0o600 });
        job.progress('files', ++count, names.length);
      }
      await fs.writeFile(path.join(staging, KEYRING_FILE), `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
    } else {
      const hashes = reader.entries.map((e) => attachmentHashOf(e.path)).filter((h): h is string => h !== null);
      for (const h of hashes) {
        job.throwIfCancelled();
        const target = path.join(staging, 'files', h.slice(0, 2), h);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await extract(reader, attachmentPath(h), target, job.signal);
        job.progress('files', ++count, hashes.length);
      }
    }
    // Bring the schema up to this build's version (a backup from an older build).
    {
      const db = openDatabase(dbFile, { key: keyHex });
      try {
        migrate(db);
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    }
    job.throwIfCancelled();
    await reader.close();
    closed = true;
    // Put it in place: move the old content aside (force), then the staged content in.
    opts.beforePlace?.();
    let replaced: string | null = null;
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    for (const name of opts.ignore ?? []) await fs.rm(path.join(dataDir, name), { recursive: true, force: true });
    if (!empty) {
      replaced = path.join(dataDir, `.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await fs.mkdir(replaced);
      for (const name of await fs.readdir(dataDir)) {
        if (name.startsWith('.replaced-') || (HOUSEKEEPING as readonly string[]).includes(name)) continue;
        await fs.rename(path.join(dataDir, name), path.join(replaced, name));
      }
    }
    // The keyring last: until it is in place the folder is not a set-up one.
    const stage = staging;
    const names = (await fs.readdir(stage)).sort((a, b) => (a === KEYRING_FILE ? 1 : b === KEYRING_FILE ? -1 : 0));
    for (const name of names) await fs.rename(path.join(stage, name), path.join(dataDir, name));
    done = true;
    return { dataDir, installationId: m.sender.installationId, files: count, integrity: check, replaced, encrypted };
  } catch (err) {
    throw toFailure(err);
  } finally {
    wipe(dataKey);
    if (!closed) await reader?.close();
    if (staging) await fs.rm(staging, { recursive: true, force: true });
    releaseLock();
    if (created && !done) await fs.rm(dataDir, { recursive: true, force: true });
  }
}
