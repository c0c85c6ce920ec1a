import type { Migration } from './types';

/** The catalogue area's schema (reserved slot: filled in by the catalogue work, before any release). */
export const m0002Catalogue: Migration = {
  version: 2,
  name: 'catalogue',
  up() {},
};
