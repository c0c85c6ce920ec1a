/**
 * Child process of size.test.ts: migrates a database of the old layout and, inside the migration
 * transaction (after the size-layout migration rebuilt its tables, not yet committed), prints
 * `HELD` and waits for the parent's SIGKILL. With a small page cache the rebuilt pages are
 * already in the WAL when the kill lands.
 */
import fs from 'node:fs';
import { migrate, openDatabase } from '../../../electron/core/db';
import { migrations } from '../../../electron/core/migrations';
import { m0021Size } from '../../../electron/core/migrations/0021-size';

// The migration to hold inside: 0021-size unless a version is given (0023-size's test).
const [file, held] = process.argv.slice(2) as [string, string | undefined];
const version = held === undefined ? m0021Size.version : Number(held);
const db = openDatabase(file);
db.pragma('cache_size = -64');
migrate(
  db,
  migrations.map((m) =>
    m.version !== version
      ? m
      : {
          ...m,
          up(d) {
            m.up(d);
            fs.writeSync(1, 'HELD\n');
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
          },
        },
  ),
);
fs.writeSync(1, 'DONE\n');
