import type Database from 'better-sqlite3';
import { addSeen, legacyRecordKey, recordKey } from '../exchange/record-key';
import { bytesToUuid } from '../stored-form';
import type { Migration } from './types';

/**
 * The keys of `change_seen` in their new form (exchange/record-key.ts): a record whose id is a
 * UUID is keyed by the id's own 16 bytes instead of a SHA-256 of table and id, so new keys are
 * written in time order (at the end of the B-tree) rather than on a random page each.
 *
 * Every record that can have a `change_seen` row has its id here: a row of its table, or a
 * change-log row (deletes are never compacted) or a conflict. Each such id is looked up under its
 * old key and, when found, moved to the new one (ids merged, should two old keys meet). An old
 * key no record answers to any longer is left as it was: no look-up reaches it either way.
 * Idempotent (the wave-1 encryption replays the migrations): a moved key is not found again.
 */
export const m0026SeenKeys: Migration = {
  version: 26,
  name: 'seen-keys',
  up(db) {
    if (db.prepare('SELECT 1 FROM change_seen LIMIT 1').get() === undefined) return;
    const get = db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck();
    const remove = db.prepare('DELETE FROM change_seen WHERE record = ?');
    const put = db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?)');
    const move = (table: string, id: string): void => {
      const key = recordKey(table, id);
      const old = legacyRecordKey(table, id);
      if (key.equals(old)) return;
      const ids = get.get(old) as Buffer | undefined;
      if (ids === undefined) return;
      remove.run(old);
      // Two old keys of one id (the same id in two tables) meet: their ids merged, each once.
      if (get.get(key) === undefined) put.run(key, ids);
      else addSeen(db, key, Array.from({ length: ids.length / 16 }, (_, i) => ids.subarray(16 * i, 16 * i + 16)));
    };
    for (const table of tablesWithIds(db)) {
      forEachPage(db, `SELECT id AS a FROM "${table}"`, ['id'], (r) => move(table, idText(r.a)));
    }
    for (const source of ['change_log', 'exchange_conflicts']) {
      forEachPage(db, `SELECT DISTINCT table_name AS a, record_id AS b FROM ${source}`, ['table_name', 'record_id'], (r) => move(String(r.a), String(r.b)));
    }
  },
};

/** Every table of the schema with an `id` column (user data and others: an id that is no record's key finds nothing). */
function tablesWithIds(db: Database.Database): string[] {
  const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' AND sql NOT LIKE 'CREATE VIRTUAL%'").pluck().all() as string[];
  return names.filter((t) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).includes('id'));
}

/** A stored id as text: the 16 bytes a few tables keep (stored-form.ts) back in UUID form. */
function idText(v: unknown): string {
  return v instanceof Uint8Array && v.byteLength === 16 ? bytesToUuid(v) : String(v);
}

/** `select` in pages of 5,000 rows in the order of `keys` (no statement stays open while rows move). */
function forEachPage(db: Database.Database, select: string, keys: readonly string[], fn: (r: { a: unknown; b?: unknown }) => void): void {
  const order = keys.join(', ');
  const first = db.prepare(`${select} ORDER BY ${order} LIMIT 5000`);
  const next = db.prepare(`${select} WHERE (${order}) > (${keys.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT 5000`);
  let rows = first.all() as { a: unknown; b?: unknown }[];
  while (rows.length > 0) {
    for (const r of rows) fn(r);
    const last = rows[rows.length - 1]!;
    rows = next.all(...(keys.length === 1 ? [last.a] : [last.a, last.b])) as { a: unknown; b?: unknown }[];
  }
}

