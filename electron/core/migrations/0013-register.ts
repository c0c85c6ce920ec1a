import type { Migration } from './types';

/**
 * The register at ten years of cases (issue 17): indexes for key paging and an index of the
 * patients' names and IINs for the text query.
 *
 * ORDER. The register's default order is "undated last, due date, received time, id". It is kept
 * as ONE sort key, `coalesce(due_date, '~')` ('~' sorts after every date), so a page continues
 * after the last row shown with a range on that key (`key >= ?` then `(received_at, id) > (?, ?)`
 * inside the same key) — no OFFSET. It has an index alone, after `status`, after `htmp_code`, and
 * — for the undecided cases that "Today", "overdue" and "due today" read — a partial one, so that
 * every filter of the register walks an index in the order it shows and stops after a page. The
 * other order, "newest received first" (`received_at DESC, id`), has an index alone, after
 * `status` and a partial one of undecided cases.
 *
 * TEXT. `case_search` holds one row per case: the case id and `cases.search_text` (already lower
 * case, ё = е) with the Kazakh letters and the Latin look-alikes folded to Russian ones, exactly
 * as shared/domain/text-fold.ts folds (і→и, ұ/ү→у, қ→к, ң→н, ғ→г, ө→о, һ→х, ә→а; a c e o p x y k
 * m t h b i → а с е о р х у к м т н в и). `case_search_fts` is an FTS5 trigram index over it
 * (external content: `INSERT INTO case_search_fts(case_search_fts) VALUES ('rebuild')` rebuilds
 * it). A query of 3 letters or more is a phrase match (an exact substring, as the old LIKE);
 * shorter ones scan the narrow `case_search` table. Both tables are kept by triggers on `cases`,
 * so every writer (the handlers, sync, a restore) keeps them right. They are derived, local data:
 * not user tables, not in the change log, not in sync bundles.
 *
 * Standard SQLite with FTS5 (also in SQLCipher builds); no application-defined SQL functions, so
 * the triggers work in any SQLite shell (`.dump` / replay).
 */
const FOLDS: readonly [string, string][] = [
  ['ё', 'е'], ['і', 'и'], ['ұ', 'у'], ['ү', 'у'], ['қ', 'к'], ['ң', 'н'], ['ғ', 'г'], ['ө', 'о'], ['һ', 'х'], ['ә', 'а'],
  ['a', 'а'], ['c', 'с'], ['e', 'е'], ['o', 'о'], ['p', 'р'], ['x', 'х'], ['y', 'у'], ['k', 'к'], ['m', 'м'], ['t', 'т'], ['h', 'н'], ['b', 'в'], ['i', 'и'],
];

/** The SQL expression folding `expr` (already lower case) like foldText (0027-register uses it too). */
export const fold = (expr: string): string => FOLDS.reduce((e, [from, to]) => `replace(${e}, '${from}', '${to}')`, expr);

/** The trigram index over `case_search` and the triggers that keep it (0027-register keeps them as they are). */
export const CASE_SEARCH_FTS = `
  CREATE VIRTUAL TABLE case_search_fts USING fts5 (
    text, content = 'case_search', content_rowid = 'id', tokenize = 'trigram case_sensitive 1', detail = 'full'
  );
  CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN
    INSERT INTO case_search_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN
    INSERT INTO case_search_fts (case_search_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;
  CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN
    INSERT INTO case_search_fts (case_search_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO case_search_fts (rowid, text) VALUES (new.id, new.text);
  END;
`;

export const m0013Register: Migration = {
  version: 13,
  name: 'register',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS cases_status_order;
      DROP INDEX IF EXISTS cases_order;
      DROP INDEX IF EXISTS cases_status_due;
      DROP INDEX IF EXISTS cases_due;
      DROP INDEX IF EXISTS cases_code;

      CREATE INDEX cases_key ON cases (coalesce(due_date, '~'), received_at, id);
      CREATE INDEX cases_status_key ON cases (status, coalesce(due_date, '~'), received_at, id);
      CREATE INDEX cases_code_key ON cases (htmp_code, coalesce(due_date, '~'), received_at, id);
      CREATE INDEX cases_open_key ON cases (coalesce(due_date, '~'), received_at, id) WHERE status IN ('draft', 'registered');
      CREATE INDEX cases_received_desc ON cases (received_at DESC, id);
      CREATE INDEX cases_status_received_desc ON cases (status, received_at DESC, id);
      CREATE INDEX cases_open_received ON cases (received_at DESC, id) WHERE status IN ('draft', 'registered');

      CREATE TABLE case_search (
        id INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL
      ) STRICT;
      ${CASE_SEARCH_FTS}
      CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN
        INSERT INTO case_search (case_id, text) VALUES (new.id, ${fold('new.search_text')});
      END;
      CREATE TRIGGER cases_search_au AFTER UPDATE OF search_text ON cases WHEN new.search_text IS NOT old.search_text BEGIN
        UPDATE case_search SET text = ${fold('new.search_text')} WHERE case_id = new.id;
      END;
      CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN
        DELETE FROM case_search WHERE case_id = old.id;
      END;
      INSERT INTO case_search (case_id, text) SELECT id, ${fold('search_text')} FROM cases;
    `);
  },
};
