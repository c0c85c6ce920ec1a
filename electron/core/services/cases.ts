import type { Handlers } from '../context';
import type { CasesMethods } from '../../../shared/contract/cases';
import type { TableSpec } from '../store';

/** Tables of user data owned by the cases area (written only through the Store). */
export const casesTables: TableSpec[] = [];

/** The cases area's handlers, one per method of CasesMethods. */
export const casesHandlers: Pick<Handlers, keyof CasesMethods> = {};
