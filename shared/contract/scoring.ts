/** The scoring area's API methods (argument schemas and result types). Filled in by the scoring work. */
export const scoringSchemas = {};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ScoringMethods {}
