import type { z } from 'zod';
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

export const argSchemas = {
  ...appSchemas,
  ...authSchemas,
  ...catalogueSchemas,
  ...casesSchemas,
  ...scoringSchemas,
  ...protocolsSchemas,
  ...exchangeSchemas,
  ...aftercareSchemas,
  ...reportsSchemas,
  ...abroadSchemas,
  ...orgsSchemas,
  ...setupSchemas,
  ...prefsSchemas,
} as { [M in MethodName]: z.ZodType<unknown> };

/** True when `name` is a method of the API (guards untyped input from IPC and HTTP). */
export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(argSchemas, name);

/** Events pushed from the core to every window (progress of long jobs, data changes, menu navigation). */
export interface ApiEvent {
  type: 'data.changed' | 'job.progress' | 'job.done' | 'ui.navigate' | 'auth.changed';
  payload: Record<string, unknown>;
}

export * from './app';
export * from './auth';
