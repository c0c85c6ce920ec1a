/**
 * The keys of `change_seen` and how ids are added to a record's row (sync-records.ts re-exports
 * them). Its own module, with no dependency beyond node:crypto and stored-form.ts, so the
 * migration that moved the keys (0026) need not load the exchange.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { uuidToBytes } from '../stored-form';

/**
 * The 16-byte key of a record in `change_seen`: the record id's own 16 bytes when it is a UUID as
 * the app writes it (lower case), else the SHA-256 of table and id, cut. Record ids are unique
 * across tables, so the table is not part of a UUID's key; and since ids are time-ordered
 * (ids.ts), the records a sync import or a compaction writes go to the end of the table's B-tree
 * instead of a random page each (at 100,000 cases the import took 3-4 s less). Migration 0026
 * moved the older keys (SHA-256 of table and id for every record) to this form.
 */
export function recordKey(table: string, recordId: string): Buffer {
  return uuidToBytes(recordId) ?? legacyRecordKey(table, recordId);
}

/** The key every record had before migration 0026 (still the key of an id that is not a UUID). */
export function legacyRecordKey(table: string, recordId: string): Buffer {
  return createHash('sha256').update(`${table}/${recordId}`).digest().subarray(0, 16);
}

/** True when `ids` (16-byte keys one after the other) holds `key`. */
export function holds(ids: Buffer, key: Buffer): boolean {
  for (let at = 0; at + 16 <= ids.length; at += 16) if (ids.compare(key, 0, 16, at, at + 16) === 0) return true;
  return false;
}

/** Adds compacted change ids (16-byte keys) to a record's entry in `change_seen`. */
export function addSeen(db: Db, record: Buffer, keys: Buffer[]): void {
  const cur = db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck().get(record) as Buffer | undefined;
  const fresh = keys.filter((k) => cur === undefined || !holds(cur, k));
  if (fresh.length === 0) return;
  db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?) ON CONFLICT(record) DO UPDATE SET ids = excluded.ids').run(record, Buffer.concat([cur ?? Buffer.alloc(0), ...fresh]));
}
