import { CASE_SEARCH_FTS, fold } from './0013-register';
import type { Migration } from './types';

/**
 * The register at 100,000 cases (issue 17), seventh step: the index of names and IINs is keyed by
 * the case's own rowid, so a search among other filters reads no page of it per case.
 *
 * A text search that matches many cases walks the register's order (or another filter's index)
 * and checks each walked case: was its name-index entry among the trigram index's matches, or
 * (one or two letters) does its folded names contain them. Each check first looked the case's
 * entry up by case id in `case_search`'s UNIQUE index, then (letters) read its row: one or two
 * random pages per walked case, decrypted cold on the first search after sign-in ("ержан" at
 * 100,000 cases walks about 2,000 cases: 13.5 ms cold of which 0.6 for the walk itself; undecided
 * + code + "ов" 24.8 ms). Every index entry of `cases` ends with the case's rowid, so with
 * `case_search.id` = `cases.rowid` the check against the matches reads nothing but the walked
 * index, and the letters' check one row by its key. The case id column and its index go (about
 * 8 MB at 100,000 cases).
 *
 * `cases` has no INTEGER PRIMARY KEY, so its rowid is the table's own: SQLite's VACUUM and VACUUM
 * INTO keep the rowids of a table that has an index (its primary key's), and so does everything
 * this app does to a database (tested). Should a tool renumber them, `caseSearchIntact` sees it and
 * `rebuildCaseSearch` makes the index again (run after every VACUUM and pack).
 *
 * Idempotent (the wave-1 encryption replays the migrations): a converted index that matches its
 * cases is left alone, anything else dropped and made again. At 100,000 cases the full-text index
 * is rebuilt once (about a second here).
 */
/** Drops the index of names and its triggers, makes them again and fills them from `cases`. */
export function rebuildCaseSearch(db: { exec(sql: string): unknown }): void {
  db.exec(`
    DROP TRIGGER IF EXISTS cases_search_ai;
    DROP TRIGGER IF EXISTS cases_search_au;
    DROP TRIGGER IF EXISTS cases_search_ad;
    DROP TRIGGER IF EXISTS case_search_ai;
    DROP TRIGGER IF EXISTS case_search_ad;
    DROP TRIGGER IF EXISTS case_search_au;
    DROP TABLE IF EXISTS case_search_fts;
    DROP TABLE IF EXISTS case_search;
    CREATE TABLE case_search (
      id INTEGER PRIMARY KEY,
      text TEXT NOT NULL
    ) STRICT;
    INSERT INTO case_search (id, text) SELECT rowid, ${fold('search_text')} FROM cases ORDER BY rowid;
    ${CASE_SEARCH_FTS}
    INSERT INTO case_search_fts (case_search_fts) VALUES ('rebuild');
    CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN
      INSERT INTO case_search (id, text) VALUES (new.rowid, ${fold('new.search_text')});
    END;
    CREATE TRIGGER cases_search_au AFTER UPDATE OF search_text ON cases WHEN new.search_text IS NOT old.search_text BEGIN
      UPDATE case_search SET text = ${fold('new.search_text')} WHERE id = new.rowid;
    END;
    CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN
      DELETE FROM case_search WHERE id = old.rowid;
    END;
  `);
}

/**
 * True when every case has its entry under its own rowid with its folded names, and no other
 * entry exists (one pass over both tables: about 0.1 s at 100,000 cases).
 */
export function caseSearchIntact(db: { prepare(sql: string): { get(): unknown } }): boolean {
  const r = db
    .prepare(
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_search) AS entries,
              (SELECT count(*) FROM cases c JOIN case_search s ON s.id = c.rowid WHERE s.text = ${fold('c.search_text')}) AS matching`,
    )
    .get() as { cases: number; entries: number; matching: number };
  return r.cases === r.entries && r.entries === r.matching;
}

/** True on a database at this migration or later whose index of names does not match its cases. */
export function caseSearchBroken(db: { pragma(sql: string, o: { simple: true }): unknown; prepare(sql: string): { get(): unknown } }): boolean {
  return (db.pragma('user_version', { simple: true }) as number) >= 27 && !caseSearchIntact(db);
}

export const m0027Register: Migration = {
  version: 27,
  name: 'register-search-rowid',
  up(db) {
    // Replayed on a database already converted (the wave-1 encryption replays the migrations):
    // left as it is when it matches its cases (a rebuild would only regroup the full-text
    // index's segments).
    const converted = (db.prepare("SELECT count(*) AS n FROM pragma_table_info('case_search') WHERE name = 'case_id'").get() as { n: number }).n === 0;
    if (converted && caseSearchIntact(db)) return;
    rebuildCaseSearch(db);
  },
};
