import type Database from 'better-sqlite3';

/** One schema step. `up` runs inside the migration transaction; it must not commit by itself. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
  /**
   * Optional work that cannot run inside a transaction (a VACUUM), run once after the migrations'
   * transaction committed. Best effort: the schema is already migrated, so a failure here is
   * swallowed and must leave the database as valid as it was.
   */
  after?(db: Database.Database): void;
}
