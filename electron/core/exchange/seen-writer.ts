/**
 * The received change ids of a quiet sync import (sync-import.ts: changes from the only peer
 * applied without change-log rows), written to `change_seen` as compaction would write them.
 */
import type { Db } from '../db';
import { UUID_RE } from '../stored-form';
import { recordKey, seenKey } from './sync-records';

export interface SeenWriter {
  /** One quiet change of a record: its id is kept until the next batch is written. */
  add(table: string, recordId: string, changeId: string): void;
  /** Writes every id still kept (at the end of the import, inside its transaction). */
  finish(): void;
}


/** seenKey(id) as hex, without the round trip through a Buffer for the usual lower-case UUID. */
const seenHex = (changeId: string): string => (UUID_RE.test(changeId) ? changeId.replace(/-/g, '') : seenKey(changeId).toString('hex'));

export function seenWriter(db: Db): SeenWriter {
  // table NUL record id -> the 16-byte ids of its quiet changes (hex, one after the other); written
  // to change_seen every couple of thousand records (strings: a small heap however large the
  // bundle). The import's `anyCompacted` stays as it was: these ids are of changes this bundle
  // holds once each, of records that have a row here now (or a logged delete), so no look-up of
  // this import needs them.
  const pendingSeen = new Map<string, string>();
  const seenIds = db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck();
  const putSeen = db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?) ON CONFLICT(record) DO UPDATE SET ids = excluded.ids');
  // A record's first ids: one seek that writes them, or tells (no change) that the row is there.
  const newSeen = db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?) ON CONFLICT(record) DO NOTHING');
  // A record that already has its change_seen row at a flush (one changed all through the bundle:
  // a year's protocol counter takes a change per issued protocol) is held back and written once,
  // at the end or when the held ids pass a bound: rewriting its growing row at every flush, and
  // checking each new id against all its ids, made the 100,000-case import quadratic (flushSeen
  // took about a sixth of its profile at 100,000 cases, 4 % at 10,000).
  const heldSeen = new Map<string, string>();
  let heldChars = 0;
  const HELD_CHARS = 8 * 1024 * 1024;
  const HELD_RECORDS = 20_000;
  const writeSeen = (rec: string, idsHex: string): void => {
    // addSeen's rule (ids not held yet are appended), with its statements prepared once.
    const cut = rec.indexOf('\u0000');
    const key = recordKey(rec.slice(0, cut), rec.slice(cut + 1));
    const ids = Buffer.from(idsHex, 'hex');
    const cur = seenIds.get(key) as Buffer | undefined;
    if (cur === undefined) {
      putSeen.run(key, ids);
      return;
    }
    const have = new Set<string>();
    for (let at = 0; at + 16 <= cur.length; at += 16) have.add(cur.toString('latin1', at, at + 16));
    const add: Buffer[] = [];
    for (let at = 0; at < ids.length; at += 16) {
      const id = ids.toString('latin1', at, at + 16);
      if (!have.has(id)) add.push(ids.subarray(at, at + 16));
    }
    if (add.length > 0) putSeen.run(key, Buffer.concat([cur, ...add]));
  };
  const flushSeen = (final = false): void => {
    for (const [rec, idsHex] of pendingSeen) {
      const held = heldSeen.get(rec);
      if (held !== undefined) {
        heldSeen.set(rec, held + idsHex);
        heldChars += idsHex.length;
        continue;
      }
      const cut = rec.indexOf('\u0000');
      const key = recordKey(rec.slice(0, cut), rec.slice(cut + 1));
      if (newSeen.run(key, Buffer.from(idsHex, 'hex')).changes === 1) continue;
      heldSeen.set(rec, idsHex);
      heldChars += idsHex.length;
    }
    pendingSeen.clear();
    if (final || heldChars >= HELD_CHARS || heldSeen.size >= HELD_RECORDS) {
      for (const [rec, idsHex] of heldSeen) writeSeen(rec, idsHex);
      heldSeen.clear();
      heldChars = 0;
    }
  };
  return {
    add(table, recordId, changeId) {
      const rec = `${table}\u0000${recordId}`;
      pendingSeen.set(rec, (pendingSeen.get(rec) ?? '') + seenHex(changeId));
      if (pendingSeen.size >= 2_000) flushSeen();
    },
    finish: () => flushSeen(true),
  };
}
