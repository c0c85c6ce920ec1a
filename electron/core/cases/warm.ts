/**
 * The register warms itself after sign-in (issue 17: under 20 ms from the first query after
 * start, at 100,000 cases).
 *
 * What a first query pays that later ones do not: the code of the register and its argument
 * schemas compiled, its statements prepared (and the statistics they are planned with), and the
 * database pages it reads, which in an encrypted database are decrypted again each time one is
 * read into SQLite's page cache. So, at every sign-in that opens the database:
 *
 * 1. At once (part of the sign-in, a few milliseconds at 100,000 cases): the register's first
 *    page in both its orders and Today's three lists are read, as the screens shown after sign-in read them, and
 *    the argument schemas of the register's methods parsed once. The code, the statements and
 *    the pages of those lists are then ready.
 * 2. Then, in the background (the app and the web host, not a CLI command, which exits at
 *    once): the pages the other register queries read most — the undecided cases' indexes (Today,
 *    overdue, undecided by code), the folded names (`case_search`: a search of one or two letters
 *    reads each walked case's names there) and their trigram index, the register by code and the
 *    refusal journal's index — read in slices of a few hundred
 *    entries into a page cache of HOST_CACHE_KIB, one slice
 *    per turn of the event loop, so a user's query waits at most one slice (about a millisecond),
 *    never the whole warm-up. It stops at the first error (the database closed or re-keyed).
 *
 * Nothing is written; a failure here is never the user's (everything is caught): the queries
 * are then only slower once.
 */
import { argSchemas } from '../../../shared/contract';
import { todayListArgs, type TodayList } from '../../../shared/contract/cases';
import type { CoreContext } from '../context';
import type { Db } from '../db';
import { listCases } from './register';
import { refusalJournalPage } from './journal';
import { kzToday } from './calendar';
import { catalogueModel } from '../catalogue/model';

/** Entries read per slice of the background warm-up (about 10–40 pages). */
const SLICE = 500;

/** A source of pages: reads one slice after `after` (null: from the start); returns the key to go on from, or null at the end. */
type Walker = (db: Db, after: string | number | unknown[] | null) => string | number | unknown[] | null;

/** A large table or index walked by its key `k`, from above `start`, `slice` entries at a time. */
function byKey(sql: string, start: string | number, slice = SLICE): Walker {
  return (db, after) => {
    const row = db.prepare(`SELECT count(*) AS n, max(k) AS last FROM (${sql} LIMIT ?)`).get(after ?? start, slice) as { n: number; last: string | number | null };
    return row.n < slice ? null : row.last;
  };
}

/**
 * A large composite index walked in its own order: `cols` are the index's columns (expressions as
 * the index declares them); each slice starts after the last entry of the one before (a row-value
 * comparison the index serves), so the whole walk reads each entry once.
 */
function byIndex(table: string, index: string, cols: readonly string[], where = '', slice = SLICE): Walker {
  const list = cols.map((c, i) => `${c} AS c${i}`).join(', ');
  const order = cols.map((_, i) => String(i + 1)).join(', ');
  const tuple = `(${cols.join(', ')})`;
  const holes = `(${cols.map(() => '?').join(', ')})`;
  const cond = (rest: string): string => [where, rest].filter(Boolean).join(' AND ');
  return (db, after) => {
    const from = Array.isArray(after) ? after : null;
    const w = cond(from ? `${tuple} > ${holes}` : '');
    const rows = db.prepare(`SELECT ${list} FROM ${table} INDEXED BY ${index}${w ? ` WHERE ${w}` : ''} ORDER BY ${order} LIMIT ?`).raw().all(...(from ?? []), slice) as unknown[][];
    return rows.length < slice ? null : (rows[rows.length - 1] as never);
  };
}

/**
 * An index by code then due date (as an expression): the register by code (cases_code_key) or the
 * undecided cases by code (cases_open_code_key, with its `where`). SQLite seeks an expression
 * column with = or > but not inside a row value, so the walk goes code by code and, within a
 * code, from the last due date read (entries sharing that date may be read twice or, past a slice
 * of one date, skipped: the warm-up only loads pages).
 */
function byCodeAndDue(index: string, where = ''): Walker {
  const and = where ? `${where} AND ` : '';
  return (db, after) => {
    const at = Array.isArray(after) ? (after as [string, string]) : null;
    if (at === null) {
      const first = db.prepare(`SELECT htmp_code AS c FROM cases INDEXED BY ${index} ${where ? `WHERE ${where}` : ''} ORDER BY htmp_code LIMIT 1`).get() as { c: string } | undefined;
      return first === undefined ? null : [first.c, ''];
    }
    const rows = db
      .prepare(`SELECT coalesce(due_date, '~') AS d FROM cases INDEXED BY ${index} WHERE ${and}htmp_code = ? AND coalesce(due_date, '~') > ? ORDER BY htmp_code, coalesce(due_date, '~'), received_at, id LIMIT ?`)
      .all(at[0], at[1], SLICE) as { d: string }[];
    if (rows.length === SLICE) return [at[0], rows[rows.length - 1]!.d];
    const next = db.prepare(`SELECT htmp_code AS c FROM cases INDEXED BY ${index} WHERE ${and}htmp_code > ? ORDER BY htmp_code LIMIT 1`).get(at[0]) as { c: string } | undefined;
    return next ? [next.c, ''] : null;
  };
}

/** The undecided cases' partial indexes are used only with this condition (it implies theirs). */
const OPEN = "status IN ('draft', 'registered')";

/** In the order read: what most first queries need first. */
const WALKERS: readonly Walker[] = [
  // The undecided cases (by due date, by code, newest first), each slice a seek from the last
  // key read (by position, a slice re-read every entry before it: 12,000 entries in the last
  // slices at 100,000 cases, while a user's first query waited).
  byKey(`SELECT coalesce(due_date, '~') AS k FROM cases INDEXED BY cases_open_key WHERE ${OPEN} AND coalesce(due_date, '~') > ? ORDER BY 1`, ''),
  byCodeAndDue('cases_open_code_key', OPEN),
  byKey(`SELECT received_at AS k FROM cases INDEXED BY cases_open_received WHERE ${OPEN} AND received_at > ? ORDER BY 1`, ''),
  // The folded names (keyed by their case's rowid: what a walk with letters reads).
  byKey('SELECT id AS k, length(text) FROM case_search WHERE id > ? ORDER BY id', -1),
  // The trigram index of names and IINs (its blocks read to their last byte: overflow pages too).
  byKey('SELECT id AS k, substr(block, length(block), 1) FROM case_search_fts_data WHERE id > ? ORDER BY id', -1, 20),
  // The register by HTMP code (a code filter counts its matches here), then the refusal
  // journal's pages.
  byCodeAndDue('cases_code_key'),
  byIndex('decisions', 'decisions_refusal_pages', ['decided_on', 'protocol_year', 'protocol_number', 'id'], "outcome = 'refused' AND state = 'issued'"),
];

/**
 * The page cache of a long-lived host (the app, the web host): what the background warm-up reads
 * (about 30 MB at 100,000 cases) and the queries' own pages. A CLI command keeps db.ts's 16 MB.
 * Memory is taken only as pages are read.
 */
export const HOST_CACHE_KIB = 48 * 1024;

/** Step 1: the lists shown after sign-in, read once (compiles, prepares and reads their pages). */
export function warmAtSignIn(ctx: CoreContext): void {
  try {
    const today = kzToday();
    for (const m of ['cases.list', 'cases.today', 'cases.refusalJournal'] as const) argSchemas[m].safeParse({ limit: 50 });
    listCases(ctx, { today, limit: 50 });
    // The register's other order (newest received first), which a status filter newest first
    // also walks: its first pages read the newest cases' rows.
    listCases(ctx, { today, sort: 'received_desc', limit: 50 });
    for (const list of ['dueToday', 'overdue', 'decidedToday'] as TodayList[]) listCases(ctx, { ...todayListArgs(list, today), limit: 50 });
    // The HTMP list's model (every edition: about 25 ms of CPU, whatever the number of cases),
    // which the refusal journal, a case's card and its protocol look their codes up in; then the
    // journal's first page as its screen opens it (the year to date).
    catalogueModel(ctx);
    refusalJournalPage(ctx, { from: `${today.slice(0, 4)}-01-01`, to: today });
  } catch {
    /* only slower once */
  }
}

/**
 * Step 2: the background slices. `schedule` runs a function on a later turn of the event loop
 * (setImmediate in the hosts); `done` hears how it ended (tests: every source read to its end,
 * with no error). Returns a stop function.
 */
export function warmInBackground(db: Db, schedule: (fn: () => void) => void = setImmediate, done?: (outcome: { slices: number; error: unknown }) => void): () => void {
  try {
    const kib = db.pragma('cache_size', { simple: true }) as number;
    if (kib >= 0 || -kib < HOST_CACHE_KIB) db.pragma(`cache_size = -${HOST_CACHE_KIB}`);
  } catch {
    /* the default cache */
  }
  let stopped = false;
  let walker = 0;
  let slices = 0;
  let after: string | number | unknown[] | null = null;
  const step = () => {
    if (stopped || !db.open) return done?.({ slices, error: stopped ? null : new Error('database closed') });
    try {
      after = WALKERS[walker]!(db, after);
      slices++;
      if (after === null) walker++;
    } catch (error) {
      return done?.({ slices, error });
    }
    if (walker < WALKERS.length) schedule(step);
    else done?.({ slices, error: null });
  };
  schedule(step);
  return () => {
    stopped = true;
  };
}
