/** The exchange area's API methods (argument schemas and result types). Filled in by the exchange work. */
export const exchangeSchemas = {};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExchangeMethods {}
