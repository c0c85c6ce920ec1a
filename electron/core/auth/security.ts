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
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { passphraseStrength, type AuditRow, type AuthStatus, type Role, type SignedIn, type UserView } from '../../../shared/contract/auth';
import type { Lang } from '../../../shared/contract';
import { AppFailure } from '../../../shared/result';
import { ensureShippedCatalogue } from '../catalogue/loader';
import { type Caller } from '../context';
import { isPlainDatabase, migrate, openDatabase, type Db } from '../db';
import { FileStore, registerFileStore } from '../files';
import { openReference, refreshReference } from '../reference';
import { Store } from '../store';
import { userTables } from '../tables';
import { convertFolder, rollForward } from '../vault/convert';
import { newRecoveryKey, parseRecoveryKey, randomKey, recoveryPrivateKey, wipe } from '../vault/crypto';
import {
  changePassphrase as rewrapPassphrase,
  disableSlot,
  keyIdOf,
  makeRecoverySlot,
  makeUserSlot,
  newKeyring,
  normaliseLogin,
  openWithPassphrase,
  openWithRecovery,
  passphraseMatches,
  putSlot,
  readKeyring,
  resealForNewKey,
  writeKeyring,
  type Keyring,
} from '../vault/keyring';
import { databaseKeyHex, fileStoreKeys } from '../vault/keys';
import { restoreBackup } from '../exchange/backup';
import { cleanIncoming, cleanStaging } from '../data-folder';
import { standaloneJob } from '../exchange/jobs';
import { appendAudit, listAudit, verifyAudit, type AuditEntry, type AuditFilter } from './audit';
import { runAs, type Actor } from './current';
import { hashPin, MAX_PIN_FAILURES, pinMatches, type PinHash } from './pin';
import { Throttle, type PendingFailure } from './throttle';

export interface SecurityOptions {
  dataDir: string;
  host: 'electron' | 'web' | 'cli';
  /** Tests and the crypto benchmark only: the data stays plain; users and sign-in work the same. */
  insecurePlaintext?: boolean;
  /** The clock of idle locking (tests move it). */
  now?: () => number;
  /** Test hook of the conversion (migration, re-key) steps. */
  onConvertStep?: (step: string) => void;
  /** This core's lease on the folder (data-folder.ts): a restore onto the folder ignores it. */
  leaseId?: string;
  /** Called each time the database opens (a new Store): the core hangs its Store listeners here. */
  onOpened?(): void;
  /** Called just before the database closes (sign-out, lock of the last session, core close): statistics. */
  onClosing?(db: Db): void;
  emit(event: { type: 'auth.changed'; payload: Record<string, unknown> }): void;
}

interface Session {
  id: string;
  userId: string;
  channel: Caller['channel'];
  lastActivity: number;
  locked: boolean;
}

interface UserRow {
  id: string;
  login: string;
  display_name: string;
  role: Role;
  disabled: number;
  must_change: number;
  pin: string | null;
  pin_failures: number;
  created_at: string;
  updated_at: string;
}

export interface OpenState {
  db: Db;
  store: Store;
  installationId: string;
}

const DB_FILE = 'htmp.sqlite';
const PLAINTEXT_CIPHER = { database: 'none', files: 'none' } as const;

const userView = (u: UserRow): UserView => ({
  id: u.id,
  login: u.login,
  displayName: u.display_name,
  role: u.role,
  disabled: u.disabled === 1,
  hasPin: u.pin !== null,
  mustChangePassphrase: u.must_change === 1,
  createdAt: u.created_at,
});

/**
 * Marks the steps of a sign-in on Node's performance timeline (`htmp.signIn.<step>`), so
 * `npm run bench -- crypto` can show where the time a user waits goes (passphrase = scrypt +
 * unwrapping, database, migrations check, catalogue, statistics, reference copy, session). A
 * mark costs microseconds; they are cleared at each sign-in's start, so they never pile up.
 */
const SIGN_IN_STEPS = ['start', 'passphrase', 'database', 'migrations', 'catalogue', 'statistics', 'reference', 'session'] as const;
function openStep(step: (typeof SIGN_IN_STEPS)[number]): void {
  if (step === 'start') for (const s of SIGN_IN_STEPS) performance.clearMarks(`htmp.signIn.${s}`);
  performance.mark(`htmp.signIn.${step}`);
}

export class Security {
  readonly dataDir: string;
  readonly databaseFile: string;
  private keyring: Keyring | null;
  private dataKey: Buffer | null = null;
  private auditKey: Buffer | null = null;
  private open: OpenState | null = null;
  private ref: { db: Db; store: Store } | null = null;
  private unregisterFiles: (() => void) | null = null;
  private readonly sessions = new Map<string, Session>();
  private readonly throttle: Throttle;
  private idleMinutes = 10;
  private readonly now: () => number;

  constructor(private readonly opts: SecurityOptions) {
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

  private closeReference(): void {
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

  private userRow(id: string): UserRow | undefined {
    return this.opened().db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  private userByLogin(login: string): UserRow | undefined {
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

  private auditFailure(f: PendingFailure): void {
    if (this.open) {
      const u = f.userId ? this.userRow(f.userId) : undefined;
      this.audit({ at: f.at, userId: f.userId, userName: u?.login ?? null, action: 'auth.sign_in_failed', method: 'auth.signIn', outcome: f.reason, host: f.host });
    }
  }

  // --- opening and closing ------------------------------------------------------------------

  private plaintext(): boolean {
    return this.keyring?.cipher.database === 'none';
  }

  private openWith(dataKey: Buffer): void {
    if (this.open) return;
    const plain = this.plaintext();
    const db = openDatabase(this.databaseFile, { key: plain ? null : databaseKeyHex(dataKey) });
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

  /** Closes the database and drops the key from memory (no session left, or the core closes). */
  closeOpen(): void {
    this.unregisterFiles?.();
    this.unregisterFiles = null;
    if (this.open) {
      try {
        if (this.opts.onClosing) this.opts.onClosing(this.open.db);
        else this.open.db.pragma('optimize');
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

  private newSession(userId: string, caller: Caller): Session {
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

  private signedIn(s: Session, caller: Caller): SignedIn {
    return { ...this.status({ ...caller, sessionId: s.id }), sessionId: s.id };
  }

  // --- auth.* -------------------------------------------------------------------------------

  async setup(a: { login: string; displayName: string; passphrase: string }, caller: Caller): Promise<SignedIn & { recoveryKey: string }> {
    return Promise.resolve(this.setupSync(a, caller));
  }

  /** The first admin (and the encryption of a wave-1 folder); synchronous for test set-ups. */
  setupSync(a: { login: string; displayName: string; passphrase: string }, caller: Caller): SignedIn & { recoveryKey: string } {
    if (this.keyring) throw new AppFailure('auth.setup_done');
    if (passphraseStrength(a.passphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
    if (fs.existsSync(this.databaseFile) && !isPlainDatabase(this.databaseFile) && fs.statSync(this.databaseFile).size > 0) throw new AppFailure('auth.keyring_damaged');
    this.closeReference();
    const dataKey = randomKey();
    const recoveryKey = newRecoveryKey();
    const recoveryPriv = recoveryPrivateKey(parseRecoveryKey(recoveryKey)!);
    const userId = randomUUID();
    const plainBefore = fs.existsSync(this.databaseFile);
    let installationId: string = randomUUID();
    if (plainBefore) {
      const db = openDatabase(this.databaseFile, { readonly: true });
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
    if (this.opts.insecurePlaintext) {
      k = { ...k, cipher: PLAINTEXT_CIPHER };
      const db = openDatabase(this.databaseFile);
      try {
        migrate(db);
        prepare(db);
      } finally {
        db.close();
      }
      writeKeyring(this.dataDir, k);
    } else {
      const r = convertFolder(this.dataDir, {
        kind: plainBefore || fs.existsSync(path.join(this.dataDir, 'files')) ? 'encrypt' : 'setup',
        oldKey: null,
        oldFiles: null,
        newKey: databaseKeyHex(dataKey),
        newFiles: fileStoreKeys(dataKey),
        keyring: k,
        prepare,
        ...(this.opts.onConvertStep ? { onStep: this.opts.onConvertStep } : {}),
      });
      if (plainBefore) converted = { rows: r.rows, files: r.files };
    }
    this.keyring = readKeyringChecked(this.dataDir, this.opts.insecurePlaintext === true);
    this.openWith(dataKey);
    const u = this.userRow(userId)!;
    this.audit({ userId, userName: u.login, action: 'auth.setup', method: 'auth.setup', outcome: 'ok', detail: { role: 'admin' } });
    if (converted) this.audit({ userId, userName: u.login, action: 'db.encrypt', method: 'auth.setup', outcome: 'ok', detail: converted });
    const s = this.newSession(userId, caller);
    this.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
    return { ...this.signedIn(s, caller), recoveryKey };
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

  private requireUnlocked(caller: Caller): { s: Session; u: UserRow } {
    const s = this.session(caller);
    if (!s || !this.open) throw new AppFailure('auth.required');
    if (s.locked) throw new AppFailure('auth.locked');
    const u = this.userRow(s.userId);
    if (!u || u.disabled === 1) throw new AppFailure('auth.required');
    return { s, u };
  }

  /** Checks a passphrase of a signed-in user, under the same slow-down as sign-in. */
  private async checkPassphrase(u: UserRow, passphrase: string, method: string): Promise<void> {
    const ok = await this.throttle.attempt(async () => {
      const good = passphraseMatches(this.keyring!, u.id, passphrase);
      if (!good) this.audit({ userId: u.id, userName: u.login, action: 'auth.sign_in_failed', method, outcome: 'auth.bad_credentials' });
      return { ok: good, value: good, keepPending: true };
    });
    if (!ok) throw new AppFailure('auth.bad_credentials');
  }

  async changePassphrase(a: { current: string; next: string }, caller: Caller): Promise<AuthStatus> {
    const { u } = this.requireUnlocked(caller);
    if (passphraseStrength(a.next) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
    await this.checkPassphrase(u, a.current, 'auth.changePassphrase');
    const next = rewrapPassphrase(this.keyring!, u.id, a.current, a.next);
    if (!next) throw new AppFailure('auth.bad_credentials');
    writeKeyring(this.dataDir, next);
    this.keyring = next;
    this.opened().db.prepare('UPDATE users SET must_change = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
    this.audit({ userId: u.id, userName: u.login, action: 'auth.passphrase_changed', method: 'auth.changePassphrase', outcome: 'ok' });
    return this.status(caller);
  }

  async setPin(a: { passphrase: string; pin: string | null }, caller: Caller): Promise<AuthStatus> {
    const { u } = this.requireUnlocked(caller);
    await this.checkPassphrase(u, a.passphrase, 'auth.setPin');
    this.opened()
      .db.prepare('UPDATE users SET pin = ?, pin_failures = 0, updated_at = ? WHERE id = ?')
      .run(a.pin === null ? null : JSON.stringify(hashPin(a.pin)), new Date().toISOString(), u.id);
    this.audit({ userId: u.id, userName: u.login, action: 'auth.pin_changed', method: 'auth.setPin', outcome: 'ok', detail: { pin: a.pin === null ? 'removed' : 'set' } });
    return this.status(caller);
  }

  async recover(a: { recoveryKey: string; login: string; newPassphrase: string }, caller: Caller): Promise<SignedIn> {
    const keyring = this.keyring;
    if (!keyring) throw new AppFailure('auth.setup_required');
    if (passphraseStrength(a.newPassphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
    const result = await this.throttle.attempt<string | UserRow>(async () => {
      const bytes = parseRecoveryKey(a.recoveryKey);
      const priv = bytes ? recoveryPrivateKey(bytes) : null;
      const dk = priv ? openWithRecovery(keyring, priv) : null;
      wipe(priv, bytes);
      if (!dk) return { ok: false, value: 'auth.bad_recovery_key', failure: { at: new Date().toISOString(), userId: null, host: this.opts.host, reason: 'auth.bad_recovery_key' } };
      if (!this.open) this.openWith(dk);
      else wipe(dk);
      const u = this.userByLogin(a.login);
      if (!u) return { ok: false, value: 'auth.bad_credentials', keepPending: true };
      return { ok: true, value: u };
    });
    if (typeof result === 'string') {
      if (this.sessions.size === 0 && this.open) this.closeOpen();
      throw new AppFailure(result);
    }
    const u = result;
    const next = putSlot(this.keyring!, makeUserSlot(this.keyring!, this.dataKey!, { id: u.id, login: u.login }, a.newPassphrase));
    writeKeyring(this.dataDir, next);
    this.keyring = next;
    this.opened().db.prepare('UPDATE users SET disabled = 0, must_change = 0, pin_failures = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
    for (const f of this.throttle.pending()) this.auditFailure(f);
    this.audit({ userId: u.id, userName: u.login, action: 'auth.recovered', method: 'auth.recover', outcome: 'ok' });
    const s = this.newSession(u.id, caller);
    this.opts.emit({ type: 'auth.changed', payload: { state: 'signedIn' } });
    return this.signedIn(s, caller);
  }

  /** Restores a backup into this folder while it has no user (a new laptop). */
  async restoreHere(a: { file?: string | undefined; uploadId?: string | undefined; recoveryKey?: string | undefined; backupPassphrase?: string | undefined; force?: boolean | undefined; trustBackupKey?: string | undefined }, caller: Caller): Promise<AuthStatus & { files: number; installationId: string; replaced: string | null }> {
    let force = false;
    if (this.keyring) {
      // Onto a set-up folder: only its admin, and only on purpose; the running folder is closed first.
      if (!a.force) throw new AppFailure('exchange.restore_not_empty', { dataDir: this.dataDir });
      const { u } = this.requireUnlocked(caller);
      if (u.role !== 'admin') throw new AppFailure('auth.forbidden', { role: u.role, need: 'admin' });
      this.audit({ userId: u.id, userName: u.login, action: 'import', method: 'auth.restore', outcome: 'ok', detail: { force: true } });
      force = true;
    } else if (fs.existsSync(this.databaseFile)) {
      if (!a.force) throw new AppFailure('exchange.restore_not_empty', { dataDir: this.dataDir });
      force = true;
    }
    if (a.file !== undefined && caller.channel !== 'local') throw new AppFailure('api.path_not_allowed', { field: 'file', method: 'auth.restore' });
    const file = a.file !== undefined ? path.resolve(a.file) : a.uploadId !== undefined ? path.join(this.dataDir, 'exchange', 'incoming', `${a.uploadId}.htmp`) : null;
    if (!file || !fs.existsSync(file)) throw new AppFailure('exchange.file_not_found', { file: a.file ?? a.uploadId ?? '' });
    // This installation's key (its own backups need no confirmation); a new folder has none.
    let ownPublicKey: string | null = null;
    try {
      ownPublicKey = (this.open?.db.prepare('SELECT public_key FROM exchange_key WHERE id = 1').pluck().get() as string | undefined) ?? null;
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
        dataDir: this.dataDir,
        force,
        job: standaloneJob('restore'),
        secret: { recoveryKey: a.recoveryKey, backupPassphrase: a.backupPassphrase },
        ignore: ['exchange', 'reference.sqlite', 'htmp.signin.json'],
        ...(this.opts.leaseId ? { leaseId: this.opts.leaseId } : {}),
        beforePlace: () => {
          closed = true;
          this.sessions.clear();
          this.closeOpen();
          this.closeReference();
        },
      });
    } finally {
      if (closed) {
        this.keyring = readKeyringChecked(this.dataDir, false);
        this.opts.emit({ type: 'auth.changed', payload: { state: this.keyring ? 'signedOut' : 'setup' } });
        this.closeReference();
      }
    }
    return { ...this.status(caller), files: r.files, installationId: r.installationId, replaced: r.replaced };
  }

  // --- users.* (admin; dispatch checked the role) ------------------------------------------

  listUsers(): UserView[] {
    return (this.opened().db.prepare('SELECT * FROM users ORDER BY login').all() as UserRow[]).map(userView);
  }

  private enabledAdmins(): number {
    return (this.opened().db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number) ?? 0;
  }

  addUser(a: { login: string; displayName: string; role: Role; passphrase: string }): UserView {
    const db = this.opened().db;
    if (passphraseStrength(a.passphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
    const login = normaliseLogin(a.login);
    if (this.userByLogin(login)) throw new AppFailure('auth.login_taken', { login });
    const id = randomUUID();
    const at = new Date().toISOString();
    const slot = makeUserSlot(this.keyring!, this.dataKey!, { id, login }, a.passphrase);
    db.prepare('INSERT INTO users (id, login, display_name, role, disabled, must_change, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 1, ?, ?)').run(id, login, a.displayName.trim(), a.role, at, at);
    try {
      const next = putSlot(this.keyring!, slot);
      writeKeyring(this.dataDir, next);
      this.keyring = next;
    } catch (err) {
      db.prepare('DELETE FROM users WHERE id = ?').run(id);
      throw err;
    }
    return userView(this.userRow(id)!);
  }

  updateUser(a: { userId: string; displayName?: string | undefined; role?: Role | undefined }): UserView {
    const u = this.userRow(a.userId);
    if (!u) throw new AppFailure('auth.unknown_user');
    if (u.role === 'admin' && a.role !== undefined && a.role !== 'admin' && u.disabled === 0 && this.enabledAdmins() <= 1) throw new AppFailure('auth.last_admin');
    this.opened()
      .db.prepare('UPDATE users SET display_name = ?, role = ?, updated_at = ? WHERE id = ?')
      .run(a.displayName?.trim() ?? u.display_name, a.role ?? u.role, new Date().toISOString(), u.id);
    return userView(this.userRow(u.id)!);
  }

  disableUser(a: { userId: string }): UserView {
    const u = this.userRow(a.userId);
    if (!u) throw new AppFailure('auth.unknown_user');
    if (u.role === 'admin' && u.disabled === 0 && this.enabledAdmins() <= 1) throw new AppFailure('auth.last_admin');
    const next = disableSlot(this.keyring!, u.id);
    writeKeyring(this.dataDir, next);
    this.keyring = next;
    this.opened().db.prepare('UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
    for (const s of [...this.sessions.values()]) if (s.userId === u.id) this.sessions.delete(s.id);
    this.opts.emit({ type: 'auth.changed', payload: { user: u.id } });
    return userView(this.userRow(u.id)!);
  }

  async resetUser(a: { userId: string; newPassphrase: string; adminPassphrase: string }, actor: Actor): Promise<UserView> {
    const admin = this.userRow(actor.userId)!;
    await this.checkPassphrase(admin, a.adminPassphrase, 'users.reset');
    if (passphraseStrength(a.newPassphrase) === 0) throw new AppFailure('auth.weak_passphrase', { min: 10 });
    const u = this.userRow(a.userId);
    if (!u) throw new AppFailure('auth.unknown_user');
    const next = putSlot(this.keyring!, makeUserSlot(this.keyring!, this.dataKey!, { id: u.id, login: u.login }, a.newPassphrase));
    writeKeyring(this.dataDir, next);
    this.keyring = next;
    this.opened().db.prepare('UPDATE users SET disabled = 0, must_change = 1, pin = NULL, pin_failures = 0, updated_at = ? WHERE id = ?').run(new Date().toISOString(), u.id);
    return userView(this.userRow(u.id)!);
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
    const admin = this.userRow(actor.userId)!;
    await this.checkPassphrase(admin, a.passphrase, 'db.rekey');
    if (this.plaintext()) throw new AppFailure('auth.forbidden');
    const oldKey = Buffer.from(this.dataKey!); // a copy: closing the folder wipes its own
    const newKey = randomKey();
    const next = resealForNewKey(this.keyring!, newKey);
    // (The door records the db.rekey row, after it succeeded, in the re-keyed database.)
    const sessions = [...this.sessions.values()];
    this.closeOpen();
    let files = 0;
    try {
      files = convertFolder(this.dataDir, {
        kind: 'rekey',
        oldKey: databaseKeyHex(oldKey),
        oldFiles: fileStoreKeys(oldKey),
        newKey: databaseKeyHex(newKey),
        newFiles: fileStoreKeys(newKey),
        keyring: next,
        ...(this.opts.onConvertStep ? { onStep: this.opts.onConvertStep } : {}),
      }).files;
    } catch (err) {
      // Not committed: the old state is whole; reopen it.
      this.openWith(oldKey);
      throw err;
    }
    wipe(oldKey);
    this.keyring = readKeyringChecked(this.dataDir, false);
    this.openWith(newKey);
    for (const s of sessions) this.sessions.set(s.id, s);
    return { keyId: next.keyId, files };
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

function readKeyringChecked(dataDir: string, allowPlaintext: boolean): Keyring | null {
  let k: Keyring | null;
  try {
    k = readKeyring(dataDir);
  } catch {
    throw new AppFailure('auth.keyring_damaged');
  }
  if (k && k.cipher.database === 'none' && !allowPlaintext) throw new AppFailure('auth.keyring_damaged');
  return k;
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
