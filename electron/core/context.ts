import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../shared/contract';
import type { Db } from './db';
import type { Store } from './store';
import type { Keyring } from './vault/keyring';

/** What every service gets: the database, the single write path, identity and event emission. */
export interface CoreContext {
  db: Db;
  store: Store;
  dataDir: string;
  databaseFile: string;
  installationId: string;
  host: 'electron' | 'web' | 'cli';
  versions: Record<string, string>;
  emit(event: ApiEvent): void;
  /** The keys a backup is made under (the core's; absent in hand-made test contexts: a plain backup). */
  backupKeys?(): { dataKey: Buffer | null; keyring: Keyring | null };
  /**
   * Appends a row to the audit trail for the current call's user, in the caller's transaction
   * when there is one: for events a method's own row cannot name (a sync peer's key replaced
   * during an import). Absent in hand-made test contexts (nothing is recorded).
   */
  audit?(entry: { action: string; method?: string | null; detail?: Record<string, unknown> }): void;
  /**
   * Packs the database in place (auth/security.ts `pack`): the connection is closed and opened
   * again, so `db` and `store` are new objects afterwards. Returns the file size after, or null
   * when it was not done. Absent in hand-made test contexts.
   */
  packDatabase?(): number | null;
}

/**
 * Who is calling, as the host that received the call says. `renderer` is the page (Electron's
 * window over IPC, or the browser over the web host): the least trusted caller, which never names
 * a path on disk. `local` is a process of the signed-in OS user on this machine: the CLI, the
 * Electron main process acting on a native dialog, tests.
 */
export interface Caller {
  channel: 'renderer' | 'local';
  /** The web host's or the window's session, when the host keeps one. */
  sessionId?: string;
}

export const LOCAL_CALLER: Caller = Object.freeze({ channel: 'local' });
export const RENDERER_CALLER: Caller = Object.freeze({ channel: 'renderer' });

export type Handler<M extends MethodName> = (args: ArgsOf<M>, ctx: CoreContext, caller: Caller) => ResultOf<M> | Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
