import type { Handlers } from '../context';
import { CASES_ERROR_CODES, casesSchemas, type CasesMethods } from '../../../shared/contract/cases';
import { AppFailure } from '../../../shared/result';
import type { TableSpec } from '../store';

/** Tables of user data owned by the cases area (written only through the Store). */
export const casesTables: TableSpec[] = [];

// TEMPORARY (contract published first): every method answers `api.not_implemented` until the
// handlers land in the next commits.
void CASES_ERROR_CODES;
const notYet = (): never => {
  throw new AppFailure('api.not_implemented');
};

/** The cases area's handlers, one per method of CasesMethods. */
export const casesHandlers = Object.fromEntries(Object.keys(casesSchemas).map((m) => [m, notYet])) as unknown as Pick<Handlers, keyof CasesMethods>;
