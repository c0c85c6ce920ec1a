import type { Db } from '../db';

/**
 * A change counter per open database, bumped by every write to the catalogue's tables on this
 * connection (loader, local translations and notes, in-force edits). Cached models compare it,
 * and `PRAGMA data_version` for writes by other connections (the CLI next to the app).
 */
const generations = new WeakMap<Db, number>();

export const catalogueGeneration = (db: Db): number => generations.get(db) ?? 0;

export function invalidateCatalogue(db: Db): void {
  generations.set(db, catalogueGeneration(db) + 1);
}
