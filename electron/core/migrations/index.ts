import { m0001Base } from './0001-base';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, in order. Add a new file per change; never edit a released one. */
export const migrations: readonly Migration[] = [m0001Base];
