import type { Migration } from './types';

/** The exchange area's schema (reserved slot: filled in by the exchange work, before any release). */
export const m0005Exchange: Migration = {
  version: 5,
  name: 'exchange',
  up() {},
};
