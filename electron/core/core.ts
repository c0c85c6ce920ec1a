import fs from 'node:fs';
import path from 'node:path';
import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../shared/contract';
import { AppFailure, type Result } from '../../shared/result';
import { installFacts } from './aftercare/facts';
import { currentActor } from './auth/current';
import { Security } from './auth/security';
import type { Caller, CoreContext, Handlers } from './context';
import { LOCAL_CALLER } from './context';
import type { Db } from './db';
import { registerOpen } from './data-folder';
import { dbFailure } from './db-errors';
import { createDispatcher } from './dispatch';
import { renderAuditPdf, renderRecoverySheet, auditCsv } from './pdf/security';
import { makePrivate } from './private-files';
import { abroadHandlers } from './services/abroad';
import { aftercareHandlers } from './services/aftercare';
import { appHandlers } from './services/app';
import { calendarHandlers } from './services/calendar';
import { casesHandlers } from './services/cases';
import { catalogueHandlers } from './services/catalogue';
import { exchangeHandlers } from './services/exchange';
import { orgsHandlers } from './services/orgs';
import { protocolsHandlers } from './services/protocols';
import { reportsHandlers } from './services/reports';
import { scoringHandlers } from './services/scoring';
import { setupHandlers } from './services/setup';
import { prefsHandlers } from './services/prefs';
import type { Store } from './store';
import { warmAtSignIn, warmInBackground } from './cases/warm';

export interface CoreOptions {
  dataDir: string;
  host?: CoreContext['host'];
  versions?: Record<string, string>;
  /** Tests and the crypto benchmark only: users and sign-in as usual, the data left plain. No host sets it. */
  insecurePlaintext?: boolean;
  /** The clock of idle locking (tests). */
  now?: () => number;
  /** Test hook of migration and re-key steps (the kill tests). */
  onConvertStep?: (step: string) => void;
}

export interface Core {
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly installationId: string;
  /** The open (decrypted) database: `auth.required` until someone signs in. */
  readonly db: Db;
  readonly store: Store;
  readonly context: CoreContext;
  readonly security: Security;
  /**
   * Untyped entry point for IPC and HTTP: validates, checks the session, never throws. The host
   * says who is calling (the page is `RENDERER_CALLER` with its session); without it the caller
   * is this view's default (LOCAL_CALLER, or the one given to `as`).
   */
  dispatch(method: string, args: unknown, caller?: Caller): Promise<Result<unknown>>;
  /** Typed entry point for the CLI, the main process and tests: throws AppFailure on an error result. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>, caller?: Caller): Promise<ResultOf<M>>;
  /** The same core whose calls default to `caller` (a signed-in CLI run, a test's user). */
  as(caller: Caller): Core;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  close(): void;
}

/** Methods after which the plain reference copy may need refreshing (they write reference data). */
const REFERENCE_WRITERS = /^(settings\.update|prefs\.set|calendar\.(replace|setYear|reset)|catalogue\.(setInForce|saveTranslation|removeTranslation|saveNote|removeNote)|exchange\.(catalogueApply|catalogueRestore|import|trustPublisher|removePublisher))$/;

/**
 * `PRAGMA optimize` (never fatal: statistics only make queries faster). It never waits for the
 * write lock: when another process writes (several CLI commands, the app and the web host on one
 * folder), the statistics wait for a later open or close instead of that writer's queue.
 */
export function refreshStatistics(db: Db, atOpen = false): void {
  const wait = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma('busy_timeout = 0');
    db.pragma(atOpen ? 'optimize = 0x10002' : 'optimize');
  } catch {
    /* a busy or read-only database keeps its statistics */
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
}

/** `mkdir -p` through a path component that is a file fails with EEXIST or ENOTDIR. */
function mkdirCode(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  return code === 'EEXIST' ? Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }) : err;
}

/**
 * Opens the data folder (creating it): finishes an interrupted migration or re-key, reads the
 * keyring, and wires every service behind the one door. The encrypted database opens at the
 * first sign-in (`auth.signIn`, or `auth.setup` on a new folder).
 */
export function createCore(options: CoreOptions): Core {
  const dataDir = path.resolve(options.dataDir);
  // Whatever stops the data folder from opening (a file in its place, no rights, a full disk, a
  // lock held elsewhere) is a translated db.* refusal, not a crash.
  const failure = (err: unknown) => dbFailure(mkdirCode(err), dataDir) ?? err;
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw failure(err);
  }
  if (!fs.statSync(dataDir).isDirectory()) throw new AppFailure('db.not_a_folder', { dataDir });
  try {
    makePrivate(dataDir);
  } catch (err) {
    throw failure(err);
  }
  const host = options.host ?? 'cli';
  // This core has the folder open until close(): a restore into it is refused meanwhile.
  const lease = registerOpen(dataDir, host);
  const listeners = new Set<(e: ApiEvent) => void>();
  const emit = (event: ApiEvent): void => {
    for (const l of listeners) l(event);
  };
  let security: Security;
  let stopWarming = () => {};
  try {
    security = new Security({
      dataDir,
      host,
      leaseId: lease.id,
      ...(options.insecurePlaintext ? { insecurePlaintext: true } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.onConvertStep ? { onConvertStep: options.onConvertStep } : {}),
      // The derived tables of the reports follow every logged change (local or by sync).
      onOpened: () => {
        installFacts(context);
        // Fresh statistics for the query planner, as the SQLite docs advise for a long-lived
        // connection: at open (0x10002: analyses only tables never analysed or much changed, with
        // a bounded sample, so a no-op on most starts), every few hours, and at close.
        refreshStatistics(security.opened().db, true);
        // The register warms itself (cases/warm.ts) in the app and the web host, which answer
        // many calls: its first lists, the HTMP list's model and the journal's first page at
        // once, then the pages of its other queries in slices between calls. A CLI command makes
        // one call and reads only what that call needs.
        stopWarming();
        if (host !== 'cli') {
          warmAtSignIn(context);
          stopWarming = warmInBackground(security.opened().db);
        }
      },
      onClosing: (db) => refreshStatistics(db),
      emit,
    });
  } catch (err) {
    lease.release();
    throw failure(err);
  }
  const databaseFile = security.databaseFile;
  const statistics = setInterval(() => {
    if (security.state === 'open') refreshStatistics(security.opened().db);
  }, 3 * 3600_000);
  statistics.unref();
  const context: CoreContext = {
    get db() {
      return security.opened().db;
    },
    get store() {
      return security.opened().store;
    },
    dataDir,
    databaseFile,
    get installationId() {
      return security.installationId;
    },
    host,
    versions: options.versions ?? {},
    emit,
    packDatabase: () => (inFlight <= 1 ? security.pack() : null),
    backupKeys: () => (security.state === 'open' && security.encrypted ? { dataKey: security.currentDataKey(), keyring: security.currentKeyring() } : { dataKey: null, keyring: null }),
    audit: (e) => {
      const a = currentActor();
      security.audit({ userId: a?.userId ?? null, userName: a?.login ?? null, action: e.action, method: e.method ?? null, outcome: 'ok', ...(e.detail ? { detail: e.detail } : {}) });
    },
  };
  let refContext: CoreContext | null = null;
  const referenceContext = (): CoreContext => {
    const ref = security.reference();
    if (!refContext || refContext.db !== ref.db) {
      refContext = { db: ref.db, store: ref.store, dataDir, databaseFile, installationId: security.installationId, host, versions: options.versions ?? {}, emit };
    }
    return refContext;
  };

  const actor = () => {
    const a = currentActor();
    if (!a) throw new AppFailure('auth.required');
    return a;
  };
  const securityHandlers: Pick<Handlers, 'auth.status' | 'auth.setup' | 'auth.signIn' | 'auth.unlock' | 'auth.lock' | 'auth.signOut' | 'auth.touch' | 'auth.changePassphrase' | 'auth.setPin' | 'auth.recover' | 'auth.restore' | 'auth.uploadBackup' | 'auth.recoverySheet' | 'users.list' | 'users.add' | 'users.update' | 'users.disable' | 'users.reset' | 'audit.list' | 'audit.verify' | 'audit.exportCsv' | 'audit.exportPdf' | 'db.rekey'> = {
    'auth.status': (_a, _c, caller) => security.status(caller),
    'auth.setup': (a, _c, caller) => security.setup(a, caller),
    'auth.signIn': (a, _c, caller) => security.signIn(a, caller),
    'auth.unlock': (a, _c, caller) => security.unlock(a, caller),
    'auth.lock': (a, _c, caller) => security.lock(a, caller),
    'auth.signOut': (_a, _c, caller) => security.signOut(caller),
    'auth.touch': (_a, _c, caller) => {
      const s = security.session(caller);
      if (s && !s.locked) security.touch(s);
      return { ok: true as const };
    },
    'auth.changePassphrase': (a, _c, caller) => security.changePassphrase(a, caller),
    'auth.setPin': (a, _c, caller) => security.setPin(a, caller),
    'auth.recover': (a, _c, caller) => security.recover(a, caller),
    'auth.restore': (a, _c, caller) => security.restoreHere(a, caller),
    'auth.uploadBackup': (a) => {
      if (security.state !== 'setup') throw new AppFailure('auth.setup_done');
      return exchangeHandlers['exchange.upload']({ ...a }, referenceContext(), LOCAL_CALLER) as { uploadId: string; size: number };
    },
    'auth.recoverySheet': async (a, _c, caller) => {
      const s = security.session(caller);
      if (!s || s.locked || security.state !== 'open') throw new AppFailure(s?.locked ? 'auth.locked' : 'auth.required');
      const who = security.actorFor(s);
      if (who.role !== 'admin') throw new AppFailure('auth.forbidden', { role: who.role, need: 'admin' });
      return renderRecoverySheet({ recoveryKey: a.recoveryKey, lang: a.lang, installationId: security.installationId, dataDir, commission: commissionName(security, a.lang) });
    },
    'users.list': () => security.listUsers(),
    'users.add': (a) => security.addUser(a),
    'users.update': (a) => security.updateUser(a),
    'users.disable': (a) => security.disableUser(a),
    'users.reset': (a) => security.resetUser(a, actor()),
    'audit.list': (a) => security.auditList(a),
    'audit.verify': () => security.auditVerify(),
    'audit.exportCsv': (a) => {
      const rows = security.auditAll(a);
      return { text: auditCsv(rows), fileName: `audit_${new Date().toISOString().slice(0, 10)}.csv`, rows: rows.length };
    },
    'audit.exportPdf': async (a) => {
      const rows = security.auditAll(a);
      const { lang, ...filter } = a;
      return { ...(await renderAuditPdf({ rows, lang, filter, commission: commissionName(security, lang) })), rows: rows.length };
    },
    'db.rekey': (a) => security.rekey(a, actor()),
  };

  const handlers: Handlers = {
    ...appHandlers,
    ...securityHandlers,
    ...calendarHandlers,
    ...catalogueHandlers,
    ...casesHandlers,
    ...scoringHandlers,
    ...protocolsHandlers,
    ...exchangeHandlers,
    ...aftercareHandlers,
    ...reportsHandlers,
    ...abroadHandlers,
    ...orgsHandlers,
    ...setupHandlers,
    ...prefsHandlers,
  };
  const door = createDispatcher({
    handlers,
    security,
    context,
    referenceContext,
    after: (method) => {
      if (method === 'settings.update' || method === 'prefs.set') security.refreshSettings();
      if (REFERENCE_WRITERS.test(method)) security.refreshReference();
    },
  });
  // Calls in flight (a job's call lasts as long as the job): the database is packed in place
  // (packDatabase: closed and opened again) only by the one call running, so no other call
  // holds the old connection across an await.
  let inFlight = 0;
  const dispatch: typeof door = async (method, args, caller) => {
    inFlight++;
    try {
      return await door(method, args, caller);
    } finally {
      inFlight--;
    }
  };
  // Idle locking runs without any call too, so the page learns it is locked (auth.changed).
  const idleTimer = setInterval(() => security.checkIdle(), 15_000);
  idleTimer.unref();
  let closed = false;

  const view = (defaultCaller: Caller): Core => ({
    dataDir,
    databaseFile,
    get installationId() {
      return security.installationId;
    },
    get db() {
      return security.opened().db;
    },
    get store() {
      return security.opened().store;
    },
    context,
    security,
    dispatch: (method, args, caller) => dispatch(method, args, caller ?? defaultCaller),
    async call(method, args, caller) {
      const r = await dispatch(method, args, caller ?? defaultCaller);
      if (!r.ok) throw new AppFailure(r.error.code, r.error.params);
      return r.value as ResultOf<typeof method>;
    },
    as: (caller) => view(caller),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      stopWarming();
      clearInterval(idleTimer);
      listeners.clear();
      clearInterval(statistics);
      try {
        security.close();
      } finally {
        lease.release();
      }
    },
  });
  return view(LOCAL_CALLER);
}

/** The commission's name in a document's language ('' when not set or nobody is signed in). */
function commissionName(security: Security, lang: string): string {
  try {
    const key = lang === 'ru' ? 'commissionNameRu' : 'commissionNameKk';
    const v = security.opened().db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    return v ? (JSON.parse(v) as string) : '';
  } catch {
    return '';
  }
}
