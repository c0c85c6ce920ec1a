/** The protocols area's API methods (argument schemas and result types). Filled in by the protocols work. */
export const protocolsSchemas = {};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProtocolsMethods {}
