import Database from 'better-sqlite3';
import fs from 'node:fs';
import { AppFailure } from '../../shared/result';
import { pendingAudit } from './auth/current';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** The newest schema version this build knows. */
export const latestSchemaVersion = (migrations: readonly Migration[] = allMigrations): number =>
  migrations.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * How long a writer waits for the write lock: a minute, or HTMP_BUSY_TIMEOUT_MS (tests). The app, the
 * web host and CLI commands may write to one folder at once; waiting is better than losing a write.
 */
export function busyTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const v = Number(env.HTMP_BUSY_TIMEOUT_MS);
  return Number.isInteger(v) && v >= 0 && v <= 600_000 ? v : 60_000;
}

/**
 * Keys a connection (SQLite3 Multiple Ciphers, the build of SQLite that `better-sqlite3` resolves
 * to here) with a raw 256-bit key as `databaseKey` gives it (vault/keys.ts): `aegis256:` and
 * 64 hex digits for AEGIS-256 pages, 64 hex digits alone for SQLCipher 4 pages. No passphrase KDF
 * on open: the key comes from the keyring. Must run before the first read.
 */
export function keyDatabase(db: Db, key: string): void {
  selectCipher(db, key);
  db.pragma(`key = "x'${key.slice(-64)}'"`);
}

/**
 * Re-encrypts an open database with another key (and that key's cipher) in place. Not in WAL
 * mode: the caller sets a rollback journal first (vault/convert.ts).
 */
export function rekeyDatabase(db: Db, key: string): void {
  selectCipher(db, key);
  db.pragma(`rekey = "x'${key.slice(-64)}'"`);
}

/** The cipher and its parameters for the next key or rekey of this connection, pinned (not left to the library's defaults). */
function selectCipher(db: Db, key: string): void {
  const m = /^(aegis256:)?[0-9a-f]{64}$/.exec(key);
  if (!m) throw new Error('database key must be 64 hex digits, or aegis256: and 64 hex digits');
  if (m[1]) {
    db.pragma("cipher = 'aegis'");
    db.pragma('algorithm = 4'); // AEGIS-256
  } else {
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
  }
}

/** True when the file is a plain (unencrypted) SQLite database. */
export function isPlainDatabase(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const b = Buffer.alloc(16);
      return fs.readSync(fd, b, 0, 16, 0) === 16 && b.toString('latin1') === 'SQLite format 3\0';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Opens (creating if needed) the database with the pragmas the app relies on; `key` (hex) opens
 * an encrypted one, and a wrong key is `db.wrong_key`. Temporary tables and sorts stay in
 * memory, so no temp file holds decrypted pages.
 */
export function openDatabase(file: string, options: { readonly?: boolean; key?: string | null } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout: busyTimeoutMs() });
  try {
    if (options.key) keyDatabase(db, options.key);
    db.pragma('temp_store = MEMORY');
    // A new database gives pages back to the file system when rows go (reclaimSpace): only
    // possible if set before its first page is written (WAL below writes it). No effect on an
    // existing database (the size migration converts one).
    if (!options.readonly) db.pragma('auto_vacuum = INCREMENTAL');
    // The first read: a wrong key (or a plain file opened with one) fails here.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (err) {
    db.close();
    if (options.key && (err as { code?: string }).code === 'SQLITE_NOTADB') throw new AppFailure('db.wrong_key');
    throw err;
  }
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Several processes may write to one data folder (the app, the web host, CLI commands): a
  // writer waits for the others this long before giving up with db.locked.
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  // NORMAL is durable in WAL mode except for the last transactions on power loss: the usual choice.
  db.pragma('synchronous = NORMAL');
  // 16 MB of page cache instead of SQLite's 2 MB: an encrypted page read from the file is
  // decrypted again each time it falls out of the cache, and the register's indexes at 100,000
  // cases (issue 17) outgrow 2 MB. Memory is taken only as pages are read.
  db.pragma('cache_size = -16384');
  if (!options.readonly) immediateTransactions(db);
  return db;
}

/**
 * Makes every `db.transaction(fn)()` start with BEGIN IMMEDIATE. The app, the web host and CLI
 * processes may write to one data folder at once; a DEFERRED transaction that reads and then
 * writes must upgrade its read lock, and SQLite answers SQLITE_BUSY(_SNAPSHOT) at once — without
 * waiting for the busy timeout — when another process committed in between. IMMEDIATE takes the
 * write lock first, so writers queue behind `busy_timeout` instead of failing. Nested calls still
 * become savepoints.
 */
function immediateTransactions(db: Db): void {
  const plain = db.transaction.bind(db);
  let depth = 0;
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    // The outermost transaction of an audited call appends the call's audit row before it
    // commits (auth/current.ts): one write transaction per call, and the chain's previous hash
    // is read under the write lock this transaction holds. Rolled back with it on failure.
    const withAudit = function (this: unknown, ...args: never[]): unknown {
      depth++;
      try {
        const out = fn.apply(this, args);
        const p = depth === 1 ? pendingAudit() : null;
        if (p && p.db === db && !p.written) {
          p.written = true;
          try {
            p.write();
          } catch (err) {
            p.written = false;
            throw err;
          }
        }
        return out;
      } finally {
        depth--;
      }
    };
    const tx = plain(withAudit as typeof fn);
    const run = ((...args: never[]) => tx.immediate(...args)) as unknown as typeof tx;
    return Object.assign(run, { default: tx.immediate, deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive });
  }) as typeof db.transaction;
}

/**
 * Brings the schema to the latest version: all pending migrations run in ONE transaction under
 * `PRAGMA user_version`, so a failure leaves the database exactly as it was. A database written
 * by a newer build is refused rather than damaged.
 */
/**
 * Runs a bulk write (a sync import, a batch of imported cases) with a larger page cache. One
 * long transaction that touches many B-tree pages (the cases table carries a dozen indexes)
 * spills dirty pages from SQLite's default 2 MB cache to the WAL and writes them again at the
 * commit, each time encrypted; 32 MB holds the working set of ten thousand cases. Restored after.
 */
export function withBulkCache<T>(db: Db, fn: () => T, kib = 32 * 1024): T {
  const before = db.pragma('cache_size', { simple: true }) as number;
  if (before < 0 && -before >= kib) return fn();
  db.pragma(`cache_size = -${kib}`);
  try {
    return fn();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
}

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
  for (const m of sorted) {
    if (m.version <= from || !m.after) continue;
    try {
      m.after(db);
    } catch {
      /* best effort (see Migration.after) */
    }
  }
  return { from, to: latest };
}
