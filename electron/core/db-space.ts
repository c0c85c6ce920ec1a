import type { Db } from './db';
import { caseSearchBroken, rebuildCaseSearch } from './migrations/0027-register';

/** Above this many bytes in use, VACUUM is not run (it copies the database in memory). */
export const VACUUM_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Above this many bytes in use, an incremental database is not packed after a big compaction (only
 * its free pages go back): the VACUUM's in-memory copy adds about the database's size to the
 * process (measured at 10,000 cases: 42.8 MB in use, peak RSS +65 MB, 1.2-1.5 s CPU), and it runs
 * inside the import that brought the acknowledgement. 128 MB is about 30,000 cases.
 */
export const PACK_MAX_BYTES = 128 * 1024 * 1024;

export interface ReclaimResult {
  /**
   * 'incremental': free pages given back; 'vacuum': rebuilt packed in memory (and converted to
   * incremental auto-vacuum); 'pack': replaced by a packed copy (`options.pack`: the connection
   * passed in is closed then); 'none'.
   */
  mode: 'incremental' | 'vacuum' | 'pack' | 'none';
  /** File size in bytes before and after (main database file, after a WAL checkpoint). */
  before: number;
  after: number;
}

/**
 * Gives the pages freed by deleted rows (a compacted change log) back to the file system, so the
 * database FILE shrinks, not only its pages in use. With `auto_vacuum = INCREMENTAL` (new
 * databases, and old ones once converted) that is `PRAGMA incremental_vacuum`: it moves pages
 * from the end of the file into the free ones and truncates, a cost proportional to the pages
 * freed. A database still without it is converted by one VACUUM (it rebuilds the whole file,
 * encrypted as before: the cipher re-encrypts every page it writes; temporary pages stay in memory,
 * temp_store = MEMORY) when `convert` is set, or when at least a quarter of its pages are free,
 * and only while its pages in use fit VACUUM_MAX_BYTES (the in-memory copy). An incremental
 * database with a quarter of its pages free is VACUUMed too (packed, not only truncated).
 *
 * `pack` (the core's, when it holds the folder alone: auth/security.ts `pack`) packs a database
 * with a quarter of its pages free by a copy instead, whatever its size: `VACUUM INTO` a staged
 * file under the same key, put in place of the database, and the connection opened again (`db`
 * is closed when it returns a size). Its memory is a small page cache, where VACUUM held the
 * whole database (so a database over PACK_MAX_BYTES, 30,000 cases and more, was never packed:
 * 4.15 MB per 1,000 cases at 100,000 against 3.85 at 10,000). When it declines (another
 * process has the folder open), the ways above.
 *
 * Never inside a transaction; best effort, never throws: a failure (another process writing, a
 * full disk) leaves everything as it was.
 */
export function reclaimSpace(db: Db, options: { convert?: boolean; maxVacuumBytes?: number; pack?: () => number | null } = {}): ReclaimResult {
  const size = (): number => {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* a reader holds the WAL: the file size is what it is */
    }
    return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  };
  if (db.inTransaction || db.readonly) return { mode: 'none', before: 0, after: 0 };
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const auto = db.pragma('auto_vacuum', { simple: true }) as number;
  const before = pages * pageSize;
  // A quarter of the pages free or more (the first compaction of a long history): the rows left
  // behind sit in half-empty pages scattered over the file (B-trees filled in random order,
  // change_seen written per record). One VACUUM packs them, as the size migrations do: at 10,000
  // cases 46.1 -> 42.8 MB, about 1.1-1.5 s of CPU, once (later compactions free a few percent and
  // take the incremental path). Only while the pages in use fit the in-memory copy (PACK_MAX_BYTES
  // for an incremental database, VACUUM_MAX_BYTES for the one-time conversion).
  const quarterFree = free > 0 && free * 4 >= pages;
  if (quarterFree && options.pack) {
    try {
      // Set before the copy, which takes it (a database not yet incremental becomes so).
      if (auto !== 2) db.pragma('auto_vacuum = INCREMENTAL');
      const after = options.pack();
      if (after !== null) return { mode: 'pack', before, after };
    } catch {
      /* as it was: the ways below */
    }
    if (!db.open) return { mode: 'none', before, after: before };
  }
  const big = quarterFree && (pages - free) * pageSize <= (options.maxVacuumBytes ?? (auto === 2 ? PACK_MAX_BYTES : VACUUM_MAX_BYTES));
  if (auto === 2 && !big) {
    if (free === 0) return { mode: 'none', before, after: before };
    try {
      db.pragma('incremental_vacuum');
    } catch {
      return { mode: 'none', before, after: before };
    }
    return { mode: 'incremental', before, after: size() };
  }
  const wanted = options.convert === true || big;
  if (!wanted || (pages - free) * pageSize > (options.maxVacuumBytes ?? VACUUM_MAX_BYTES)) return { mode: 'none', before, after: before };
  try {
    if (auto !== 2) db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch {
    // Another process writing (SQLITE_BUSY), statements still open on this connection, a full
    // disk: VACUUM changed nothing (it is one transaction), and the space waits for the next time
    // (an incremental database still gives its free pages back).
    if (auto === 2) {
      try {
        db.pragma('incremental_vacuum');
        return { mode: 'incremental', before, after: size() };
      } catch {
        /* as it was */
      }
    }
    return { mode: 'none', before, after: before };
  }
  // The index of names is keyed by the cases' rowids, which VACUUM keeps (0027-register); checked.
  try {
    if (caseSearchBroken(db)) db.transaction(() => rebuildCaseSearch(db))();
  } catch {
    /* names found wrongly until `htmp db check` makes the index again */
  }
  return { mode: 'vacuum', before, after: size() };
}
