import type { z } from 'zod';
import { appSchemas, type AppMethods } from './app';

/**
 * The whole API: one map of `area.verb` methods, each with one JSON argument.
 * Every area adds its schemas and its method types here; the client, the IPC bridge, the web
 * host and the CLI are all typed from this one place.
 */
export type ApiMethods = AppMethods;

export type MethodName = keyof ApiMethods;
export type ArgsOf<M extends MethodName> = ApiMethods[M]['args'];
export type ResultOf<M extends MethodName> = ApiMethods[M]['result'];

export const argSchemas: { [M in MethodName]: z.ZodType<unknown> } = {
  ...appSchemas,
};

/** True when `name` is a method of the API (guards untyped input from IPC and HTTP). */
export const isMethodName = (name: string): name is MethodName =>
  Object.prototype.hasOwnProperty.call(argSchemas, name);

/** Events pushed from the core to every window (progress of long jobs, data changes). */
export interface ApiEvent {
  type: 'data.changed' | 'job.progress' | 'job.done' | 'ui.navigate';
  payload: Record<string, unknown>;
}

export * from './app';
