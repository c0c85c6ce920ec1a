import type { Handlers } from '../context';
import type { CatalogueMethods } from '../../../shared/contract/catalogue';
import type { TableSpec } from '../store';

/** Tables of user data owned by the catalogue area (written only through the Store). */
export const catalogueTables: TableSpec[] = [];

/** The catalogue area's handlers, one per method of CatalogueMethods. */
export const catalogueHandlers: Pick<Handlers, keyof CatalogueMethods> = {};
