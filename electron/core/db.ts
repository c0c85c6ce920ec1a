import Database from 'better-sqlite3';
import { AppFailure } from '../../shared/result';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** The newest schema version this build knows. */
export const latestSchemaVersion = (migrations: readonly Migration[] = allMigrations): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0);

/** Opens (creating if needed) the database with the pragmas the app relies on. */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // NORMAL is durable in WAL mode except for the last transactions on power loss: the usual choice.
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * Brings the schema to the latest version: all pending migrations run in ONE transaction under
 * `PRAGMA user_version`, so a failure leaves the database exactly as it was. A database written
 * by a newer build is refused rather than damaged.
 */
export function migrate(db: Db, migrations: readonly Migration[] = allMigrations): { from: number; to: number } {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..N without gaps (found ${m.version} at ${i + 1})`);
  });
  const latest = sorted.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new AppFailure('db.newer_version', { found: from, supported: latest });
  if (from === latest) return { from, to: from };
  db.transaction(() => {
    for (const m of sorted) {
      if (m.version <= from) continue;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
  return { from, to: latest };
}
