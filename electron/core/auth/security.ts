/**
 * Sign-in, lock, users, the audit trail and the keys of one data folder: the state the one door
 * (dispatch) consults before any method runs. See docs/architecture.md ("Signed-in users") and
 * docs/threat-model.md.
 *
 * States of the folder: `setup` (no keyring: no user yet; a wave-1 folder may hold plain data),
 * `sealed` (a keyring, the data key not in memory: only public methods, from the plain
 * reference database), `open` (someone signed in: the data key is in memory, the encrypted
 * database is open). Sessions belong to callers (a window, a browser, a CLI run); a locked
 * session keeps the folder open (a PIN can unlock it) but may call nothing but `auth.*`.
 *
 * This module holds the state, opening and closing, sessions, sign-in and lock; users.ts the
 * users and their passphrases and PINs; folder-keys.ts what changes the keys (set-up and the
 * encryption in place, recovery, restore, re-key); model.ts the shapes they share. Members
 * marked internal are for those modules only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditRow, AuthStatus, Role, SignedIn, UserView } from '../../../shared/contract/auth';
import type { Lang } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import { ensureShippedCatalogue } from '../catalogue/loader';
import { type Caller } from '../context';
import { isPlainDatabase, migrate, openDatabase, type Db } from '../db';
import { FileStore, registerFileStore } from '../files';
import { openReference, refreshReference } from '../reference';
import { Store } from '../store';
import { userTables } from '../tables';
import { packDatabase, rollForward } from '../vault/convert';
import { wipe } from '../vault/crypto';
import { keyIdOf, normaliseLogin, openWithPassphrase, passphraseMatches, type Keyring } from '../vault/keyring';
import { databaseKey, fileStoreKeys } from '../vault/keys';
import { acquireFolderLock, cleanIncoming, cleanStaging } from '../data-folder';
import { appendAudit, listAudit, verifyAudit, type AuditEntry, type AuditFilter } from './audit';
import { runAs, type Actor } from './current';
import { recover, rekey, restoreHere, setupSync } from './folder-keys';
import { DB_FILE, openStep, readKeyringChecked, userView, type OpenState, type SecurityOptions, type Session, type UserRow } from './model';
import { MAX_PIN_FAILURES, pinMatches, type PinHash } from './pin';
import { Throttle, type PendingFailure } from './throttle';
import { addUser, changePassphrase, disableUser, listUsers, resetUser, setPin, updateUser } from './users';

export type { OpenState, SecurityOptions } from './model';

export class Security {
  readonly dataDir: string;
  readonly databaseFile: string;
  /** @internal */
  keyring: Keyring | null;
  /** @internal */
  dataKey: Buffer | null = null;
  private auditKey: Buffer | null = null;
  /** @internal */
  open: OpenState | null = null;
  private ref: { db: Db; store: Store } | null = null;
  private unregisterFiles: (() => void) | null = null;
  /** @internal */
  readonly sessions = new Map<string, Session>();
  /** @internal */
  readonly throttle: Throttle;
  private idleMinutes = 10;
  private readonly now: () => number;

  constructor(/** @internal */ readonly opts: SecurityOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.databaseFile = path.join(this.dataDir, DB_FILE);
    this.now = opts.now ?? Date.now;
    rollForward(this.dataDir);
    cleanStaging(this.dataDir);
    cleanIncoming(this.dataDir);
    this.keyring = readKeyringChecked(this.dataDir, opts.insecurePlaintext === true);
    this.throttle = new Throttle(this.dataDir);
  }

  // --- state ------------------------------------------------------------------------------------

  get state(): 'setup' | 'sealed' | 'open' {
    return this.open ? 'open' : this.keyring ? 'sealed' : 'setup';
  }

  get encrypted(): boolean {
    return this.keyring !== null && this.keyring.cipher.database !== 'none';
  }

  /** The open database, or `auth.locked` / `auth.required`. */
  opened(): OpenState {
    if (this.open) return this.open;
    throw new AppFailure(this.keyring ? 'auth.required' : 'auth.setup_required');
  }

  get installationId(): string {
    return this.open?.installationId ?? this.keyring?.installationId ?? this.referenceInstallationId();
  }

  private referenceInstallationId(): string {
    try {
      return (this.reference().db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").pluck().get() as string | undefined) ?? '';
    } catch {
      return '';
    }
  }

  /** The plain reference database (public methods when the folder is not open). */
  reference(): { db: Db; store: Store } {
    if (!this.ref) {
      if (!this.keyring && fs.existsSync(this.databaseFile) && isPlainDatabase(this.databaseFile)) {
        // A wave-1 folder before set-up: its reference data comes from its own plain database.
        const src = openDatabase(this.databaseFile, { readonly: true });
        try {
          if ((src.pragma('user_version', { simple: true }) as number) > 0) {
            const tmpDb = openDatabase(this.databaseFile);
            try {
              migrate(tmpDb);
              refreshReference(this.dataDir, tmpDb);
            } finally {
              tmpDb.close();
            }
          }
        } finally {
          src.close();
        }
      }
      const db = openReference(this.dataDir);
      this.ref = { db, store: new Store(db, '', userTables) };
    }
    return this.ref;
  }

  /** @internal */
  closeReference(): void {
    this.ref?.db.close();
    this.ref = null;
  }

  /** The session a caller names (after applying the idle rule), or undefined. */
  session(caller: Caller): Session | undefined {
    if (!caller.sessionId) return undefined;
    const s = this.sessions.get(caller.sessionId);
    if (s && !s.locked && this.now() - s.lastActivity > this.idleMinutes * 60_000) this.lockSession(s, 'idle');
    return s;
  }

  /** Locks every session idle for longer than the setting (the hosts' timer calls it). */
  checkIdle(): void {
    for (const s of this.sessions.values()) if (!s.locked && this.now() - s.lastActivity > this.idleMinutes * 60_000) this.lockSession(s, 'idle');
  }

  touch(s: Session): void {
    s.lastActivity = this.now();
  }

  /** The actor of an unlocked session: the user as the database says now (disabled users are signed out). */
  actorFor(s: Session): Actor {
    const u = this.userRow(s.userId);
    if (!u || u.disabled === 1) {
      this.sessions.delete(s.id);
      throw new AppFailure(u ? 'auth.user_disabled' : 'auth.required');
    }
    return { userId: u.id, login: u.login, displayName: u.display_name, role: u.role, sessionId: s.id };
  }

  /** @internal */
  userRow(id: string): UserRow | undefined {
    return this.opened().db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  /** @internal */
  userByLogin(login: string): UserRow | undefined {
    return this.opened().db.prepare('SELECT * FROM users WHERE login = ?').get(normaliseLogin(login)) as UserRow | undefined;
  }

  language(): Lang {
    try {
      const db = this.open?.db ?? this.reference().db;
      const v = db.prepare("SELECT value FROM settings WHERE key = 'language'").pluck().get() as string | undefined;
      return v && JSON.parse(v) === 'ru' ? 'ru' : 'kk';
    } catch {
      return 'kk';
    }
  }

  /** Re-reads the idle setting (after settings.update). */
  refreshSettings(): void {
    if (!this.open) return;
    const v = this.open.db.prepare("SELECT value FROM settings WHERE key = 'idleLockMinutes'").pluck().get() as string | undefined;
    const n = v ? (JSON.parse(v) as number) : 10;
    this.idleMinutes = Number.isInteger(n) && n >= 1 && n <= 240 ? n : 10;
  }

  /** The reference copy follows the encrypted database after writes to reference data. */
  refreshReference(): void {
    if (!this.open) return;
    try {
      if (refreshReference(this.dataDir, this.open.db)) this.closeReference();
    } catch (err) {
      console.error('[htmp] reference copy not refreshed:', err instanceof Error ? err.message : err);
    }
  }

  // --- the audit trail ----------------------------------------------------------------------

  audit(entry: Omit<AuditEntry, 'host'> & { host?: string }): void {
    if (!this.open || !this.auditKey) return;
    appendAudit(this.open.db, this.auditKey, { host: this.opts.host, ...entry });
  }

  /** @internal */
  auditFailure(f: PendingFailure): void {
    if (this.open) {
      const u = f.userId ? this.userRow(f.userId) : undefined;
      this.audit({ at: f.at, userId: f.userId, userName: u?.login ?? null, action: 'auth.sign_in_failed', method: 'auth.signIn', outcome: f.reason, host: f.host });
    }
  }

  // --- opening and closing ------------------------------------------------------------------

  /** @internal */
  plaintext(): boolean {
    return this.keyring?.cipher.database === 'none';
  }

  /** @internal */
  openWith(dataKey: Buffer): void {
    if (this.open) return;
    const plain = this.plaintext();
    const db = openDatabase(this.databaseFile, { key: plain ? null : databaseKey(dataKey, this.keyring!.cipher.database) });
    openStep('database');
    try {
      migrate(db);
      openStep('migrations');
      const installationId = ensureInstallationId(db, this.keyring?.installationId);
      ensureShippedCatalogue(db);
      openStep('catalogue');
      this.open = { db, store: new Store(db, installationId, userTables), installationId };
    } catch (err) {
      db.close();
      throw err;
    }
    this.dataKey = dataKey;
    this.auditKey = auditKeyOf(this.open.db);
    this.unregisterFiles = registerFileStore(new FileStore(this.dataDir, plain ? null : fileStoreKeys(dataKey)));
    this.opts.onOpened?.();
    openStep('statistics');
    this.refreshSettings();
    this.refreshReference();
    openStep('reference');
  }

  /**
   * Closes the database and drops the key from memory (no session left, or the core closes).
   * `optimize`: fresh planner statistics first (not for a file about to be replaced by a packed copy).
   */
  closeOpen(optimize = true): void {
    this.unregisterFiles?.();
    this.unregisterFiles = null;
    if (this.open) {
      try {
        if (optimize && this.opts.onClosing) this.opts.onClosing(this.open.db);
        else if (optimize) this.open.db.pragma('optimize');
      } catch {
        /* closing anyway */
      }
      this.open.db.close();
    }
    this.open = null;
    wipe(this.dataKey, this.auditKey);
    this.dataKey = null;
    this.auditKey = null;
  }

  close(): void {
    this.sessions.clear();
    this.closeOpen();
    this.closeReference();
  }

  // --- sessions -----------------------------------------------------------------------------

  /** @internal */
  newSession(userId: string, caller: Caller): Session {
    if (caller.sessionId) this.sessions.delete(caller.sessionId);
    const s: Session = { id: randomBytes(32).toString('base64url'), userId, channel: caller.channel, lastActivity: this.now(), locked: false };
    this.sessions.set(s.id, s);
    return s;
  }

  private lockSession(s: Session, reason: 'manual' | 'idle' | 'os'): void {
    if (s.locked) return;
    s.locked = true;
    try {
      const u = this.userRow(s.userId);
      this.audit({ userId: s.userId, userName: u?.login ?? null, action: 'auth.lock', method: 'auth.lock', outcome: 'ok', detail: { reason } });
    } catch {
      /* the folder may be closing */
    }
    this.opts.emit({ type: 'auth.changed', payload: { state: 'locked' } });
  }

  status(caller: Caller): AuthStatus {
    const s = this.session(caller);
    const base = { idleLockMinutes: this.idleMinutes, language: this.language(), encrypted: this.encrypted };
    if (!this.keyring) {
      return { ...base, state: 'setup', user: null, pinAvailable: false, plainData: fs.existsSync(this.databaseFile) && isPlainDatabase(this.databaseFile) };
    }
    if (!s || !this.open) return { ...base, state: 'signedOut', user: null, pinAvailable: false, plainData: false };
    const u = this.userRow(s.userId);
    if (!u) return { ...base, state: 'signedOut', user: null, pinAvailable: false, plainData: false };
    return {
      ...base,
      state: s.locked ? 'locked' : 'signedIn',
      user: userView(u),
      pinAvailable: s.locked && u.pin !== null && u.pin_failures < MAX_PIN_FAILURES,
      plainData: false,
    };
  }

  /** @internal */
  signedIn(s: Session, caller: Caller): SignedIn {
    return { ...this.status({ ...caller, sessionId: s.id }), sessionId: s.id };
  }

  // --- auth.* -------------------------------------------------------------------------------

  async setup(a: { login: string; displayName: string; passphrase: string }, caller: Caller): Promise<SignedIn & { recoveryKey: string }> {
    return Promise.resolve(this.setupSync(a, caller));
  }

  /** The first admin (and the encryption of a wave-1 folder); synchronous for test set-ups. */
  setupSync(a: { login: string; displayName: string; passphrase: string }, caller: Caller): SignedIn & { recoveryKey: string } {
    return setupSync(this, a, caller);
  }

  async signIn(a: { login: string; passphrase: string }, caller: Caller): Promise<SignedIn> {
    const keyring = this.keyring;
    if (!keyring) throw new AppFailure('auth.setup_required');
    const at = (): string => new Date().toISOString();
    const result = await this.throttle.attempt<string | Session>(async () => {
      openStep('start');
      const out = openWithPassphrase(keyring, a.login, a.passphrase);
      openStep('passphrase');
      if (!out.ok) {
        const code = out.reason === 'disabled' ? 'auth.user_disabled' : out.reason === 'damaged' ? 'auth.keyring_damaged' : 'auth.bad_credentials';
        const failure: PendingFailure = { at: at(), userId: out.userId ?? null, host: this.opts.host, reason: code };
        if (this.open) {
          this.auditFailure(failure);
          return { ok: false, value: code, keepPending: true };
        }
        return { ok: false, value: code, failure };
      }
      try {
        if (this.open) {
          if (keyIdOf(out.dataKey) !== keyIdOf(this.dataKey!)) throw new AppFailure('auth.keyring_damaged');
          wipe(out.dataKey);
        } else this.openWith(out.dataKey);
      } catch (err) {
        wipe(out.dataKey);
        if (err instanceof AppFailure) return { ok: false, value: err.code };
        throw err;
      }
      const u = this.userRow(out.userId);
      if (!u || u.disabled === 1) {
        const failure: PendingFailure = { at: at(), userId: out.userId, host: this.opts.host, reason: u ? 'auth.user_disabled' : 'auth.keyring_damaged' };
        this.auditFailure(failure);
        if (this.sessions.size === 0) this.closeOpen();
        return { ok: false, value: failure.reason, keepPending: true };
      }
      for (const f of this.throttle.pending()) this.auditFailure(f);
      this.opened().db.prepare('UPDATE users SET pin_failures = 0 WHERE id = ?').run(u.id);
      const s = this.newSession(u.id, caller);
      this.audit({ userId: u.id, userName: u.login, action: 'auth.sign_in', method: 'auth.signIn', outcome: 'ok', detail: { channel: caller.channel } });
      openStep('session');
      this.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
      return { ok: true, value: s };
    });
    if (typeof result === 'string') throw new AppFailure(result);
    return this.signedIn(result, caller);
  }

  unlock(a: { pin: string }, caller: Caller): SignedIn {
    const s = this.session(caller);
    if (!s || !this.open) throw new AppFailure('auth.required');
    const u = this.userRow(s.userId);
    if (!u || u.disabled === 1) throw new AppFailure('auth.required');
    if (!s.locked) return this.signedIn(s, caller);
    if (!u.pin) throw new AppFailure('auth.no_pin');
    if (u.pin_failures >= MAX_PIN_FAILURES) throw new AppFailure('auth.pin_disabled');
    if (!pinMatches(a.pin, JSON.parse(u.pin) as PinHash)) {
      const failures = u.pin_failures + 1;
      this.open.db.prepare('UPDATE users SET pin_failures = ? WHERE id = ?').run(failures, u.id);
      this.audit({ userId: u.id, userName: u.login, action: 'auth.unlock_failed', method: 'auth.unlock', outcome: failures >= MAX_PIN_FAILURES ? 'auth.pin_disabled' : 'auth.bad_pin', detail: { failures } });
      throw new AppFailure(failures >= MAX_PIN_FAILURES ? 'auth.pin_disabled' : 'auth.bad_pin', { left: Math.max(0, MAX_PIN_FAILURES - failures) });
    }
    this.open.db.prepare('UPDATE users SET pin_failures = 0 WHERE id = ?').run(u.id);
    // A new session id after every unlock: a cookie taken before the lock is worth nothing.
    const fresh = this.newSession(u.id, caller);
    this.audit({ userId: u.id, userName: u.login, action: 'auth.unlock', method: 'auth.unlock', outcome: 'ok', detail: { with: 'pin' } });
    this.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
    return this.signedIn(fresh, caller);
  }

  lock(a: { reason?: 'manual' | 'os' | undefined }, caller: Caller): AuthStatus {
    const s = this.session(caller);
    if (s) this.lockSession(s, a.reason ?? 'manual');
    return this.status(caller);
  }

  /** Locks every session (the OS locked the screen or went to sleep; the host calls it). */
  lockAll(reason: 'os' | 'manual'): void {
    for (const s of this.sessions.values()) this.lockSession(s, reason);
  }

  signOut(caller: Caller): AuthStatus {
    const s = caller.sessionId ? this.sessions.get(caller.sessionId) : undefined;
    if (s) {
      const u = this.open ? this.userRow(s.userId) : undefined;
      this.audit({ userId: s.userId, userName: u?.login ?? null, action: 'auth.sign_out', method: 'auth.signOut', outcome: 'ok' });
      this.sessions.delete(s.id);
      if (this.sessions.size === 0) this.closeOpen();
      this.opts.emit({ type: 'auth.changed', payload: { state: 'signedOut' } });
    }
    return this.status({ channel: caller.channel });
  }

  /** @internal */
  requireUnlocked(caller: Caller): { s: Session; u: UserRow } {
    const s = this.session(caller);
    if (!s || !this.open) throw new AppFailure('auth.required');
    if (s.locked) throw new AppFailure('auth.locked');
    const u = this.userRow(s.userId);
    if (!u || u.disabled === 1) throw new AppFailure('auth.required');
    return { s, u };
  }

  /** Checks a passphrase of a signed-in user, under the same slow-down as sign-in. */
  /** @internal */
  async checkPassphrase(u: UserRow, passphrase: string, method: string): Promise<void> {
    const ok = await this.throttle.attempt(async () => {
      const good = passphraseMatches(this.keyring!, u.id, passphrase);
      if (!good) this.audit({ userId: u.id, userName: u.login, action: 'auth.sign_in_failed', method, outcome: 'auth.bad_credentials' });
      return { ok: good, value: good, keepPending: true };
    });
    if (!ok) throw new AppFailure('auth.bad_credentials');
  }

  async changePassphrase(a: { current: string; next: string }, caller: Caller): Promise<AuthStatus> {
    return changePassphrase(this, a, caller);
  }

  async setPin(a: { passphrase: string; pin: string | null }, caller: Caller): Promise<AuthStatus> {
    return setPin(this, a, caller);
  }

  async recover(a: { recoveryKey: string; login: string; newPassphrase: string }, caller: Caller): Promise<SignedIn> {
    return recover(this, a, caller);
  }

  /** Restores a backup into this folder while it has no user (a new laptop). */
  async restoreHere(a: { file?: string | undefined; uploadId?: string | undefined; recoveryKey?: string | undefined; backupPassphrase?: string | undefined; force?: boolean | undefined; trustBackupKey?: string | undefined }, caller: Caller): Promise<AuthStatus & { files: number; installationId: string; replaced: string | null }> {
    return restoreHere(this, a, caller);
  }

  // --- users.* (admin; dispatch checked the role) ------------------------------------------

  listUsers(): UserView[] {
    return listUsers(this);
  }

  addUser(a: { login: string; displayName: string; role: Role; passphrase: string }): UserView {
    return addUser(this, a);
  }

  updateUser(a: { userId: string; displayName?: string | undefined; role?: Role | undefined }): UserView {
    return updateUser(this, a);
  }

  disableUser(a: { userId: string }): UserView {
    return disableUser(this, a);
  }

  async resetUser(a: { userId: string; newPassphrase: string; adminPassphrase: string }, actor: Actor): Promise<UserView> {
    return resetUser(this, a, actor);
  }

  // --- audit.* -----------------------------------------------------------------------------

  auditList(f: AuditFilter & { limit?: number | undefined; before?: number | undefined }): { rows: AuditRow[]; next: number | null } {
    return listAudit(this.opened().db, f);
  }

  auditVerify(): ReturnType<typeof verifyAudit> {
    return verifyAudit(this.opened().db, this.auditKey!);
  }

  /** Every row of a filter, oldest first (exports). */
  auditAll(f: AuditFilter): AuditRow[] {
    const out: AuditRow[] = [];
    let before: number | undefined;
    for (;;) {
      const page = listAudit(this.opened().db, { ...f, limit: 1000, before });
      out.push(...page.rows);
      if (page.next === null) break;
      before = page.next;
    }
    return out.reverse();
  }

  // --- db.rekey ----------------------------------------------------------------------------

  async rekey(a: { passphrase: string }, actor: Actor): Promise<{ keyId: string; files: number }> {
    return rekey(this, a, actor);
  }

  // --- packing the database -------------------------------------------------------------------

  /**
   * Packs the open database in place (vault/convert.ts `packDatabase`: a packed copy under the
   * same key, verified, then put in its place) when no other process has the folder open: the
   * folder lock (data-folder.ts) is held for the whole of it, so nobody opens the folder meanwhile.
   * The sessions stay signed in; the database is opened again with the same key (the open steps
   * run again: statistics, the register's warm-up). Returns the database file's size after, or
   * null when nothing was done (someone else has the folder open, the copy failed: the database
   * is as it was, still open).
   */
  pack(): number | null {
    if (!this.open || !this.dataKey || this.opts.leaseId === undefined) return null;
    let release: () => void;
    try {
      release = acquireFolderLock(this.dataDir, this.opts.leaseId);
    } catch {
      return null;
    }
    const dataKey = Buffer.from(this.dataKey); // a copy: closing the folder wipes its own
    const key = this.plaintext() ? null : databaseKey(dataKey, this.keyring!.cipher.database);
    const sessions = [...this.sessions.values()];
    let packed = false;
    try {
      packed = packDatabase(this.dataDir, this.open.db, key, () => this.closeOpen(false), this.opts.onConvertStep);
    } catch {
      // Failed once the database was closed (the commit note could not be written, a rename
      // failed): finish or undo what was staged, then open whatever is in place, same key.
      try {
        rollForward(this.dataDir);
      } catch {
        /* the next start finishes it */
      }
    }
    try {
      if (this.open) {
        wipe(dataKey);
        return null;
      }
      this.openWith(dataKey);
      for (const s of sessions) this.sessions.set(s.id, s);
      return packed ? fs.statSync(this.databaseFile).size : null;
    } finally {
      release();
    }
  }

  /** The data key (backups wrap it under a backup passphrase); only while open. */
  currentDataKey(): Buffer {
    if (!this.dataKey) throw new AppFailure('auth.required');
    return this.dataKey;
  }

  currentKeyring(): Keyring {
    if (!this.keyring) throw new AppFailure('auth.setup_required');
    return this.keyring;
  }

  /** Runs `fn` as the actor (the Store and the audit trail see the user). */
  runAs<T>(actor: Actor | null, fn: () => T): T {
    return runAs(actor, fn);
  }
}

/**
 * The key of the audit trail's HMAC chain: random, kept in the (encrypted) database, so it
 * stays the same across a re-key (the chain is never recomputed) and travels with backups.
 */
function auditKeyOf(db: Db): Buffer {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'audit_key'").pluck().get() as string | undefined;
  if (row) return Buffer.from(row, 'hex');
  const key = randomBytes(32);
  db.prepare("INSERT INTO meta (key, value) VALUES ('audit_key', ?)").run(key.toString('hex'));
  return key;
}

/** Reads the installation id, creating it on the first start (the keyring's when it has one). */
function ensureInstallationId(db: Db, fromKeyring?: string): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").get() as { value: string } | undefined;
  if (row) return row.value;
  const id = fromKeyring ?? randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('installation_id', ?)").run(id);
  return id;
}
