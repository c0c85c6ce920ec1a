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

export type Handler<M extends MethodName> = (args: ArgsOf<M>, ctx: CoreContext) => ResultOf<M> | Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
