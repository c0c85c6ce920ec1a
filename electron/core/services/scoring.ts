import type { Handlers } from '../context';
import type { ScoringMethods } from '../../../shared/contract/scoring';
import type { TableSpec } from '../store';

/** Tables of user data owned by the scoring area (written only through the Store). */
export const scoringTables: TableSpec[] = [];

/** The scoring area's handlers, one per method of ScoringMethods. */
export const scoringHandlers: Pick<Handlers, keyof ScoringMethods> = {};
