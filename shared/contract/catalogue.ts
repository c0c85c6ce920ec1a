/** The catalogue area's API methods (argument schemas and result types). Filled in by the catalogue work. */
export const catalogueSchemas = {};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CatalogueMethods {}
