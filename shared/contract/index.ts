import type { z } from 'zod';
import { areaOf, type LazyArea } from './lazy';
import { abroadSchemas, type AbroadMethods } from './abroad';
import { aftercareSchemas, type AftercareMethods } from './aftercare';
import { appSchemas, type AppMethods } from './app';
import { authSchemas, type AuthMethods } from './auth';
import { catalogueSchemas, type CatalogueMethods } from './catalogue';
import { casesSchemas, type CasesMethods } from './cases';
import { exchangeSchemas, type ExchangeMethods } from './exchange';
import { orgsSchemas, type OrgsMethods } from './orgs';
import { prefsSchemas, type PrefsMethods } from './prefs';
import { protocolsSchemas, type ProtocolsMethods } from './protocols';
import { reportsSchemas, type ReportsMethods } from './reports';
import { scoringSchemas, type ScoringMethods } from './scoring';
import { setupSchemas, type SetupMethods } from './setup';

/**
 * The whole API: one map of `area.verb` methods, each with one JSON argument.
 * Every area declares its schemas and method types in its own file; the client, the IPC bridge,
 * the web host and the CLI are all typed from this one place.
 */
export type ApiMethods = AppMethods & AuthMethods & CatalogueMethods & CasesMethods & ScoringMethods & ProtocolsMethods & ExchangeMethods & AftercareMethods & ReportsMethods & AbroadMethods & OrgsMethods & SetupMethods & PrefsMethods;

export type MethodName = keyof ApiMethods;
export type ArgsOf<M extends MethodName> = ApiMethods[M]['args'];
export type ResultOf<M extends MethodName> = ApiMethods[M]['result'];

/** Every area's schemas (each built at the first use of one of its methods: ./lazy.ts). */
const AREAS = [appSchemas, authSchemas, catalogueSchemas, casesSchemas, scoringSchemas, protocolsSchemas, exchangeSchemas, aftercareSchemas, reportsSchemas, abroadSchemas, orgsSchemas, setupSchemas, prefsSchemas].map(areaOf);

/** The areas that declare a prefix, by prefix (no schema is built for it). */
const BY_PREFIX = new Map<string, LazyArea[]>();
for (const area of AREAS) for (const p of area.prefixes) BY_PREFIX.set(p, [...(BY_PREFIX.get(p) ?? []), area]);

/** The schemas of the area of `name` (built now if needed), or null when it is no method. */
function schemasOf(name: string): Record<string, unknown> | null {
  const dot = name.indexOf('.');
  if (dot <= 0) return null;
  for (const area of BY_PREFIX.get(name.slice(0, dot)) ?? []) {
    const schemas = area.build();
    if (Object.prototype.hasOwnProperty.call(schemas, name)) return schemas;
  }
  return null;
}

/**
 * Every method's argument schema, by method name. Looking one up builds only its area's schemas;
 * listing them (`Object.keys`, spreading) builds every area.
 */
export const argSchemas = new Proxy({} as { [M in MethodName]: z.ZodType<unknown> }, {
  get: (_t, key) => (typeof key === 'string' ? schemasOf(key)?.[key] : undefined),
  has: (_t, key) => typeof key === 'string' && schemasOf(key) !== null,
  ownKeys: () => AREAS.flatMap((a) => Object.keys(a.build())),
  getOwnPropertyDescriptor: (_t, key) => {
    const schemas = typeof key === 'string' ? schemasOf(key) : null;
    return schemas ? { value: schemas[key as string], writable: false, enumerable: true, configurable: true } : undefined;
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
});

/** True when `name` is a method of the API (guards untyped input from IPC and HTTP). */
export const isMethodName = (name: string): name is MethodName => schemasOf(name) !== null;

/** Events pushed from the core to every window (progress of long jobs, data changes, menu navigation). */
export interface ApiEvent {
  type: 'data.changed' | 'job.progress' | 'job.done' | 'ui.navigate' | 'auth.changed';
  payload: Record<string, unknown>;
}

export * from './app';
export * from './auth';
