/**
 * What changes the keys of a data folder: the first set-up (and the encryption in place of a
 * wave-1 folder), recovery with the recovery key, a restore onto the folder, and the re-key.
 * Conversions go through vault/convert.ts (a verified copy, rolled forward or back after a
 * kill). Functions of the Security state (security.ts delegates to them).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { passphraseStrength, type AuthStatus, type SignedIn } from '../../../shared/contract/auth';
import { AppFailure } from '../../../shared/result';
import type { Caller } from '../context';
import { isPlainDatabase, migrate, openDatabase, type Db } from '../db';
import { restoreBackup } from '../exchange/backup';
import { standaloneJob } from '../exchange/jobs';
import { convertFolder } from '../vault/convert';
import { newRecoveryKey, parseRecoveryKey, randomKey, recoveryPrivateKey, wipe } from '../vault/crypto';
import { acquireFolderLock } from '../data-folder';
import { makeRecoverySlot, makeUserSlot, newKeyring, normaliseLogin, openWithRecovery, putSlot, resealForNewKey, writeKeyring } from '../vault/keyring';
import { databaseKey, fileStoreKeys } from '../vault/keys';
import type { Actor } from './current';
import { PLAINTEXT_CIPHER, readKeyringChecked, type UserRow } from './model';
import type { Security } from './security';

/** The first admin (and the encryption of a wave-1 folder); synchronous for test set-ups. */
export function setupSync(sec: Security, a: { login: string; displayName: string; passphrase: string }, caller: Caller): SignedIn & { recoveryKey: string } {
  if (sec.keyring) throw new AppFailure('auth.setup_done');
  if (passphraseStrength(a.passphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
  if (fs.existsSync(sec.databaseFile) && !isPlainDatabase(sec.databaseFile) && fs.statSync(sec.databaseFile).size > 0) throw new AppFailure('auth.keyring_damaged');
  sec.closeReference();
  const dataKey = randomKey();
  const recoveryKey = newRecoveryKey();
  const recoveryPriv = recoveryPrivateKey(parseRecoveryKey(recoveryKey)!);
  const userId = randomUUID();
  const plainBefore = fs.existsSync(sec.databaseFile);
  let installationId: string = randomUUID();
  if (plainBefore) {
    const db = openDatabase(sec.databaseFile, { readonly: true });
    try {
      installationId = (db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").pluck().get() as string | undefined) ?? installationId;
    } catch {
      /* an empty file */
    } finally {
      db.close();
    }
  }
  let k = newKeyring(installationId, dataKey);
  k = putSlot(k, makeUserSlot(k, dataKey, { id: userId, login: a.login }, a.passphrase));
  k = putSlot(k, makeRecoverySlot(k, dataKey, recoveryPriv));
  wipe(recoveryPriv);
  const at = new Date().toISOString();
  const prepare = (db: Db): string[] => {
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('installation_id', ?)").run(installationId);
    db.prepare("INSERT INTO users (id, login, display_name, role, disabled, must_change, created_at, updated_at) VALUES (?, ?, ?, 'admin', 0, 0, ?, ?)").run(
      userId,
      normaliseLogin(a.login),
      a.displayName.trim(),
      at,
      at,
    );
    return ['users', 'meta'];
  };
  let converted: { rows: number; files: number } | null = null;
  if (sec.opts.insecurePlaintext) {
    k = { ...k, cipher: PLAINTEXT_CIPHER };
    const db = openDatabase(sec.databaseFile);
    try {
      migrate(db);
      prepare(db);
    } finally {
      db.close();
    }
    writeKeyring(sec.dataDir, k);
  } else {
    const r = convertFolder(sec.dataDir, {
      kind: plainBefore || fs.existsSync(path.join(sec.dataDir, 'files')) ? 'encrypt' : 'setup',
      oldKey: null,
      oldFiles: null,
      newKey: databaseKey(dataKey, k.cipher.database),
      newFiles: fileStoreKeys(dataKey),
      keyring: k,
      prepare,
      ...(sec.opts.onConvertStep ? { onStep: sec.opts.onConvertStep } : {}),
    });
    if (plainBefore) converted = { rows: r.rows, files: r.files };
  }
  sec.keyring = readKeyringChecked(sec.dataDir, sec.opts.insecurePlaintext === true);
  sec.openWith(dataKey);
  const u = sec.userRow(userId)!;
  sec.audit({ userId, userName: u.login, action: 'auth.setup', method: 'auth.setup', outcome: 'ok', detail: { role: 'admin' } });
  if (converted) sec.audit({ userId, userName: u.login, action: 'db.encrypt', method: 'auth.setup', outcome: 'ok', detail: converted });
  const s = sec.newSession(userId, caller);
  sec.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
  return { ...sec.signedIn(s, caller), recoveryKey };
}

export async function recover(sec: Security, a: { recoveryKey: string; login: string; newPassphrase: string }, caller: Caller): Promise<SignedIn> {
  const keyring = sec.keyring;
  if (!keyring) throw new AppFailure('auth.setup_required');
  if (passphraseStrength(a.newPassphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
  const result = await sec.throttle.attempt<string | UserRow>(async () => {
    const bytes = parseRecoveryKey(a.recoveryKey);
    const priv = bytes ? recoveryPrivateKey(bytes) : null;
    const dk = priv ? openWithRecovery(keyring, priv) : null;
    wipe(priv, bytes);
    if (!dk) return { ok: false, value: 'auth.bad_recovery_key', failure: { at: new Date().toISOString(), userId: null, host: sec.opts.host, reason: 'auth.bad_recovery_key' } };
    if (!sec.open) sec.openWith(dk);
    else wipe(dk);
    const u = sec.userByLogin(a.login);
    if (!u) return { ok: false, value: 'auth.bad_credentials', keepPending: true };
    return { ok: true, value: u };
  });
  if (typeof result === 'string') {
    if (sec.sessions.size === 0 && sec.open) sec.closeOpen();
    throw new AppFailure(result);
  }
  const u = result;
  const next = putSlot(sec.keyring!, makeUserSlot(sec.keyring!, sec.dataKey!, { id: u.id, login: u.login }, a.newPassphrase));
  writeKeyring(sec.dataDir, next);
  sec.keyring = next;
  sec.opened().db.prepare('UPDATE users SET disabled = 0, must_change = 0, pin_failures = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
  for (const f of sec.throttle.pending()) sec.auditFailure(f);
  sec.audit({ userId: u.id, userName: u.login, action: 'auth.recovered', method: 'auth.recover', outcome: 'ok' });
  const s = sec.newSession(u.id, caller);
  sec.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
  return sec.signedIn(s, caller);
}

/** Restores a backup into this folder while it has no user (a new laptop). */
export async function restoreHere(sec: Security, a: { file?: string | undefined; uploadId?: string | undefined; recoveryKey?: string | undefined; backupPassphrase?: string | undefined; force?: boolean | undefined; trustBackupKey?: string | undefined }, caller: Caller): Promise<AuthStatus & { files: number; installationId: string; replaced: string | null }> {
  let force = false;
  if (sec.keyring) {
    // Onto a set-up folder: only its admin, and only on purpose; the running folder is closed first.
    if (!a.force) throw new AppFailure('exchange.restore_not_empty', { dataDir: sec.dataDir });
    const { u } = sec.requireUnlocked(caller);
    if (u.role !== 'admin') throw new AppFailure('auth.forbidden', { role: u.role, need: 'admin' });
    sec.audit({ userId: u.id, userName: u.login, action: 'import', method: 'auth.restore', outcome: 'ok', detail: { force: true } });
    force = true;
  } else if (fs.existsSync(sec.databaseFile)) {
    if (!a.force) throw new AppFailure('exchange.restore_not_empty', { dataDir: sec.dataDir });
    force = true;
  }
  if (a.file !== undefined && caller.channel !== 'local') throw new AppFailure('api.path_not_allowed', { field: 'file', method: 'auth.restore' });
  const file = a.file !== undefined ? path.resolve(a.file) : a.uploadId !== undefined ? path.join(sec.dataDir, 'exchange', 'incoming', `${a.uploadId}.htmp`) : null;
  if (!file || !fs.existsSync(file)) throw new AppFailure('exchange.file_not_found', { file: a.file ?? a.uploadId ?? '' });
  // This installation's key (its own backups need no confirmation); a new folder has none.
  let ownPublicKey: string | null = null;
  try {
    ownPublicKey = (sec.open?.db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string | undefined) ?? null;
  } catch {
    ownPublicKey = null;
  }
  // The running app restores onto itself: every check and the staging happen while it runs
  // (a refusal changes nothing, nobody is signed out); only right before the restored content
  // is put in place does it close its database, then it reopens signed out. Other processes
  // or cores that have the folder open make the restore refuse (data-folder.ts).
  let closed = false;
  let r: Awaited<ReturnType<typeof restoreBackup>>;
  try {
    r = await restoreBackup({
      ownPublicKey,
      ...(a.trustBackupKey !== undefined ? { trustBackupKey: a.trustBackupKey } : {}),
      file,
      dataDir: sec.dataDir,
      force,
      job: standaloneJob('restore'),
      secret: { recoveryKey: a.recoveryKey, backupPassphrase: a.backupPassphrase },
      ignore: ['exchange', 'reference.sqlite', 'htmp.signin.json'],
      ...(sec.opts.leaseId ? { leaseId: sec.opts.leaseId } : {}),
      beforePlace: () => {
        closed = true;
        sec.sessions.clear();
        sec.closeOpen();
        sec.closeReference();
      },
    });
  } finally {
    if (closed) {
      sec.keyring = readKeyringChecked(sec.dataDir, false);
      sec.opts.emit({ type: 'auth.changed', payload: { state: sec.keyring ? 'signedOut' : 'setup' } });
      sec.closeReference();
    }
  }
  return { ...sec.status(caller), files: r.files, installationId: r.installationId, replaced: r.replaced };
}

export async function rekey(sec: Security, a: { passphrase: string }, actor: Actor): Promise<{ keyId: string; files: number }> {
  const admin = sec.userRow(actor.userId)!;
  await sec.checkPassphrase(admin, a.passphrase, 'db.rekey');
  if (sec.plaintext()) throw new AppFailure('auth.forbidden');
  const oldKey = Buffer.from(sec.dataKey!); // a copy: closing the folder wipes its own
  const newKey = randomKey();
  const oldCipher = sec.keyring!.cipher.database;
  const next = resealForNewKey(sec.keyring!, newKey);
  // The new database and files take the old ones' place: nobody else may have the folder open
  // (a second process would go on writing into the removed file, and what it wrote would be
  // lost), and nobody opens it meanwhile.
  let release: () => void;
  try {
    release = acquireFolderLock(sec.dataDir, sec.opts.leaseId, 'db.in_use');
  } catch (err) {
    wipe(oldKey, newKey);
    throw err;
  }
  // (The door records the db.rekey row, after it succeeded, in the re-keyed database.)
  const sessions = [...sec.sessions.values()];
  sec.closeOpen();
  let files = 0;
  try {
    files = convertFolder(sec.dataDir, {
      kind: 'rekey',
      oldKey: databaseKey(oldKey, oldCipher),
      oldFiles: fileStoreKeys(oldKey),
      newKey: databaseKey(newKey, next.cipher.database),
      newFiles: fileStoreKeys(newKey),
      keyring: next,
      ...(sec.opts.onConvertStep ? { onStep: sec.opts.onConvertStep } : {}),
    }).files;
  } catch (err) {
    // Not committed: the old state is whole; reopen it.
    release();
    sec.openWith(oldKey);
    throw err;
  }
  try {
    wipe(oldKey);
    sec.keyring = readKeyringChecked(sec.dataDir, false);
    sec.openWith(newKey);
    for (const s of sessions) sec.sessions.set(s.id, s);
  } finally {
    release();
  }
  return { keyId: next.keyId, files };
}
