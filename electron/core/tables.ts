import type { TableSpec } from './store';

/**
 * Every table of user data, written only through the Store (and so logged for audit and sync).
 * Each area adds its tables here.
 */
export const userTables: readonly TableSpec[] = [];
