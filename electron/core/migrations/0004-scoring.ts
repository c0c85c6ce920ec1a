import type { Migration } from './types';

/** The scoring area's schema (reserved slot: filled in by the scoring work, before any release). */
export const m0004Scoring: Migration = {
  version: 4,
  name: 'scoring',
  up() {},
};
