import type { Migration } from './types';

/** The cases area's schema (reserved slot: filled in by the cases work, before any release). */
export const m0003Cases: Migration = {
  version: 3,
  name: 'cases',
  up() {},
};
