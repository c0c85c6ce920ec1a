/** The cases area's API methods (argument schemas and result types). Filled in by the cases work. */
export const casesSchemas = {};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CasesMethods {}
