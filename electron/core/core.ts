import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../shared/contract';
import { AppFailure, type Result } from '../../shared/result';
import { installFacts } from './aftercare/facts';
import { ensureShippedCatalogue } from './catalogue/loader';
import type { Caller, CoreContext, Handlers } from './context';
import { migrate, openDatabase, type Db } from './db';
import { dbFailure } from './db-errors';
import { makePrivate } from './private-files';
import { createDispatcher } from './dispatch';
import { abroadHandlers } from './services/abroad';
import { aftercareHandlers } from './services/aftercare';
import { appHandlers } from './services/app';
import { calendarHandlers } from './services/calendar';
import { casesHandlers } from './services/cases';
import { catalogueHandlers } from './services/catalogue';
import { exchangeHandlers } from './services/exchange';
import { protocolsHandlers } from './services/protocols';
import { reportsHandlers } from './services/reports';
import { scoringHandlers } from './services/scoring';
import { Store } from './store';
import { userTables } from './tables';

export interface CoreOptions {
  dataDir: string;
  host?: CoreContext['host'];
  versions?: Record<string, string>;
}

export interface Core {
  readonly dataDir: string;
  readonly databaseFile: string;
  readonly installationId: string;
  readonly db: Db;
  readonly store: Store;
  readonly context: CoreContext;
  /**
   * Untyped entry point for IPC and HTTP: validates, never throws. The host says who is calling
   * (the page is `RENDERER_CALLER`); without it the caller is local (CLI, main process, tests).
   */
  dispatch(method: string, args: unknown, caller?: Caller): Promise<Result<unknown>>;
  /** Typed entry point for the CLI, the main process and tests (a local caller): throws AppFailure on an error result. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>, caller?: Caller): Promise<ResultOf<M>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  close(): void;
}

/** Reads the installation id, creating it (a random UUID) on the first start. */
function ensureInstallationId(db: Db): string {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'installation_id'").get() as { value: string } | undefined;
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('installation_id', ?)").run(id);
  return id;
}

/** `mkdir -p` through a path component that is a file fails with EEXIST or ENOTDIR. */
function mkdirCode(err: unknown): unknown {
  const code = (err as { code?: string } | null)?.code;
  return code === 'EEXIST' ? Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }) : err;
}

/** Opens the data folder (creating it), migrates the database and wires every service. */
export function createCore(options: CoreOptions): Core {
  const dataDir = path.resolve(options.dataDir);
  const databaseFile = path.join(dataDir, 'htmp.sqlite');
  // Whatever stops the data folder from opening (a file in its place, no rights, a full disk, a
  // file that is not a database, a lock held elsewhere) is a translated db.* refusal, not a crash.
  const failure = (err: unknown) => dbFailure(mkdirCode(err), dataDir) ?? err;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw failure(err);
  }
  if (!fs.statSync(dataDir).isDirectory()) throw new AppFailure('db.not_a_folder', { dataDir });
  try {
    makePrivate(dataDir);
  } catch (err) {
    throw failure(err);
  }
  let db: Db | undefined;
  let installationId: string;
  try {
    db = openDatabase(databaseFile);
    migrate(db);
    installationId = ensureInstallationId(db);
    // The catalogue is loaded at first start and whenever this build ships different data
    // (a hash comparison otherwise), so every host and `htmp db info` see it from the start.
    ensureShippedCatalogue(db);
  } catch (err) {
    db?.close();
    throw failure(err);
  }
  const store = new Store(db, installationId, userTables);
  const listeners = new Set<(e: ApiEvent) => void>();
  const context: CoreContext = {
    db,
    store,
    dataDir,
    databaseFile,
    installationId,
    host: options.host ?? 'cli',
    versions: options.versions ?? {},
    emit: (event) => {
      for (const l of listeners) l(event);
    },
  };
  // The derived tables of the reports follow every logged change (local or by sync).
  installFacts(context);
  const handlers: Handlers = {
    ...appHandlers,
    ...calendarHandlers,
    ...catalogueHandlers,
    ...casesHandlers,
    ...scoringHandlers,
    ...protocolsHandlers,
    ...exchangeHandlers,
    ...aftercareHandlers,
    ...reportsHandlers,
    ...abroadHandlers,
  };
  const dispatch = createDispatcher(handlers, context);
  let closed = false;
  return {
    dataDir,
    databaseFile,
    installationId,
    db,
    store,
    context,
    dispatch,
    async call(method, args, caller) {
      const r = await dispatch(method, args, caller);
      if (!r.ok) throw new AppFailure(r.error.code, r.error.params);
      return r.value as ResultOf<typeof method>;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      db.close();
    },
  };
}
