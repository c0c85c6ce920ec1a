import type { ApiEvent, ArgsOf, MethodName, ResultOf } from '../../shared/contract';
import type { Db } from './db';
import type { Store } from './store';

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
