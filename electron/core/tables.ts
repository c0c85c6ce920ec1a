import { abroadTables } from './services/abroad';
import { aftercareTables } from './services/aftercare';
import { appTables } from './services/app';
import { casesTables } from './services/cases';
import { catalogueTables } from './services/catalogue';
import { exchangeTables } from './services/exchange';
import { protocolsTables } from './services/protocols';
import { reportsTables } from './services/reports';
import { scoringTables } from './services/scoring';
import type { TableSpec } from './store';

/**
 * Every table of user data, written only through the Store (and so logged for audit and sync).
 * Each area declares its tables in its service file.
 */
export const userTables: readonly TableSpec[] = [...appTables, ...catalogueTables, ...casesTables, ...scoringTables, ...protocolsTables, ...exchangeTables, ...aftercareTables, ...reportsTables, ...abroadTables];
