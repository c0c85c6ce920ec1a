/**
 * Change-log compaction: history every peer acknowledged leaves the log; its change ids stay in
 * `change_seen` (overview in sync.ts).
 */
import type { CoreContext } from '../context';
import { reclaimSpace } from '../db-space';
import { addSeen, changeLogHorizon, HORIZON_KEY, recordKey, seenKey } from './sync-records';

// ---------------------------------------------------------------------------------------------
// Compaction

/**
 * Compacts the change log: every change at or below the lowest seq that ALL trusted peers have
 * acknowledged has reached every laptop that needs it from here. Such changes are removed
 * (their ids kept in `change_seen` per record, 16 bytes each, so a copy relayed by a third
 * laptop is still recognised); deletes stay as tombstones; a laptop that later needs that
 * history (a new peer) gets the current rows (`records/state-*`) with the ids they contain.
 * Nothing is compacted without peers: the history stays until someone has it. Returns the rows
 * removed.
 */
export function compactChangeLog(ctx: Pick<CoreContext, 'db' | 'store' | 'packDatabase'>): number {
  const peers = ctx.db.prepare('SELECT MIN(acked_seq) AS h, count(*) AS n FROM exchange_peers').get() as { h: number | null; n: number };
  if (peers.n === 0 || peers.h === null) return 0;
  const from = changeLogHorizon(ctx);
  const to = peers.h;
  if (to <= from) return 0;
  const names = ctx.store.tables().map((t) => t.name);
  const inTables = `table_name IN (${names.map(() => '?').join(', ')})`;
  const select = ctx.db.prepare(`SELECT seq, change_id, table_name, record_id FROM change_log WHERE seq > ? AND seq <= ? AND op <> 'delete' AND ${inTables} ORDER BY seq LIMIT 5000`);
  const del = ctx.db.prepare('DELETE FROM change_log WHERE seq = ?');
  let removed = 0;
  ctx.db.transaction(() => {
    for (let last = from; ; ) {
      const rows = select.all(last, to, ...names) as { seq: number; change_id: string; table_name: string; record_id: string }[];
      if (rows.length === 0) break;
      const byRecord = new Map<string, { key: Buffer; ids: Buffer[] }>();
      for (const r of rows) {
        const key = recordKey(r.table_name, r.record_id);
        const hex = key.toString('hex');
        let e = byRecord.get(hex);
        if (!e) byRecord.set(hex, (e = { key, ids: [] }));
        e.ids.push(seenKey(r.change_id));
        del.run(r.seq);
      }
      for (const e of byRecord.values()) addSeen(ctx.db, e.key, e.ids);
      removed += rows.length;
      last = rows[rows.length - 1]!.seq;
    }
    ctx.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HORIZON_KEY, String(to));
  })();
  // The pages of the removed rows go back to the file system (the file shrinks), once the
  // compaction is committed; inside a caller's transaction nothing is done (the next one does it).
  // The first compaction of a long history (a quarter of the pages freed or more) packs the
  // database (db-space.ts): the core then opens it again, so nothing here uses `ctx.db` after.
  if (removed > 0) reclaimSpace(ctx.db, ctx.packDatabase ? { pack: () => ctx.packDatabase!() } : {});
  return removed;
}
