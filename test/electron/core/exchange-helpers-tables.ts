import type { CoreContext } from '../../../electron/core/context';
import type { Store, TableSpec } from '../../../electron/core/store';

/** Generic user tables made in the test databases (the real areas' tables are there too). */
export const TEST_TABLES: TableSpec[] = [
  { name: 't_case', columns: ['surname', 'status', 'note', 'count'] },
  { name: 't_file', columns: ['case_id', 'name', 'file_sha256'] },
  { name: 't_decision', columns: ['case_id', 'outcome', 'issued_at'] },
];

export const TEST_DDL = `
  CREATE TABLE IF NOT EXISTS t_case (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, surname TEXT, status TEXT, note TEXT, count INTEGER) STRICT;
  CREATE TABLE IF NOT EXISTS t_file (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, case_id TEXT, name TEXT, file_sha256 TEXT) STRICT;
  CREATE TABLE IF NOT EXISTS t_decision (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, case_id TEXT, outcome TEXT, issued_at TEXT) STRICT;
`;

/**
 * A context over the core's open database with the test tables' store: `db` fixed at this moment,
 * so without the core's packing in place (which opens the database again: size.test.ts tests it
 * through the core itself).
 */
export function fixedContext(context: CoreContext, store: Store): CoreContext {
  const { packDatabase: _packs, ...rest } = context;
  return { ...rest, store };
}
