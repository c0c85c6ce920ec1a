import type { Handlers } from '../context';
import type { ExchangeMethods } from '../../../shared/contract/exchange';
import type { TableSpec } from '../store';

/** Tables of user data owned by the exchange area (written only through the Store). */
export const exchangeTables: TableSpec[] = [];

/** The exchange area's handlers, one per method of ExchangeMethods. */
export const exchangeHandlers: Pick<Handlers, keyof ExchangeMethods> = {};
