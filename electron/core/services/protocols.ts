import type { Handlers } from '../context';
import type { ProtocolsMethods } from '../../../shared/contract/protocols';
import type { TableSpec } from '../store';

/** Tables of user data owned by the protocols area (written only through the Store). */
export const protocolsTables: TableSpec[] = [];

/** The protocols area's handlers, one per method of ProtocolsMethods. */
export const protocolsHandlers: Pick<Handlers, keyof ProtocolsMethods> = {};
