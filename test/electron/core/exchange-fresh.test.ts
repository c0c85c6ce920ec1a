/**
 * The sync import's short path for records a bundle brings that had no trace on the receiving
 * laptop (no row, no change-log row, no conflict, no compacted id): their later changes in the
 * same bundle skip the "seen" and "deleted here" look-ups. These tests show that every trace that
 * must still stop a change does, and that relays and re-imports stay no-ops.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { freshTuning } from '../../../electron/core/exchange/sync-import';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { tempDir } from '../../support/temp';
import { closeAll, job, laptop, pair, type Laptop } from './exchange-helpers';

afterEach(() => {
  freshTuning.cap = undefined;
  closeAll();
});

let n = 0;
async function send(from: Laptop, to: Laptop, dir: string, opts: { recordsEntryBytes?: number } = {}): Promise<{ file: string; imported: number; unchanged: number; conflicts: number }> {
  const file = path.join(dir, `b${n++}.htmp`);
  await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j, ...opts }));
  const r = await importInto(to, file);
  return { file, ...r };
}

async function importInto(to: Laptop, file: string): Promise<{ imported: number; unchanged: number; conflicts: number; alreadyImported: boolean }> {
  return job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, {});
    try {
      return await importSync(to.ctx, opened, { dryRun: false, job: j });
    } finally {
      await opened.reader.close();
    }
  });
}

const rows = (l: Laptop): unknown[] => l.core.db.prepare('SELECT id, surname, status, note, count FROM t_case ORDER BY id').all();
const conflicts = (l: Laptop): unknown[] => l.core.db.prepare('SELECT kind, record_id, field FROM exchange_conflicts ORDER BY record_id, field').all();

describe('records new to the receiver (sync import short path)', () => {
  it('a record made and edited in one bundle arrives whole; relayed A->B->C and then sent A->C directly it changes nothing more', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    await pair(b, c);
    await pair(a, c);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = String(a.ctx.store.insert('t_case', { surname: `s${i}`, status: 'draft', count: 0 }).id);
      a.ctx.store.update('t_case', id, { status: 'registered', count: i });
      if (i % 3 === 0) a.ctx.store.update('t_case', id, { note: `n${i}` });
      ids.push(id);
    }
    const gone = ids[5]!;
    a.ctx.store.remove('t_case', gone);
    const dir = tempDir();
    // Small records entries: the bundle spans several of them (some kept between the passes).
    const ab = await send(a, b, dir, { recordsEntryBytes: 2048 });
    expect(ab.conflicts).toBe(0);
    expect(rows(b)).toEqual(rows(a));
    expect(rows(b)).toHaveLength(39);

    const bc = await send(b, c, dir);
    expect(bc.conflicts).toBe(0);
    expect(rows(c)).toEqual(rows(a));
    // The same history from its author: every change is known at C already.
    const ac = await send(a, c, dir);
    expect(ac).toMatchObject({ imported: 0, conflicts: 0 });
    expect(ac.unchanged).toBeGreaterThan(0);
    expect(rows(c)).toEqual(rows(a));
    // Importing the first bundle again changes nothing.
    const again = await importInto(b, ab.file);
    expect(again.alreadyImported).toBe(true);
    expect(rows(b)).toEqual(rows(a));
    expect(conflicts(b)).toEqual([]);
    expect(conflicts(c)).toEqual([]);
  });

  it('after a state import, edits of the same field on both sides are conflicts both ways', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    const id = String(a.ctx.store.insert('t_case', { surname: 'base', status: 'draft', count: 0 }).id);
    const dir = tempDir();
    await send(a, b, dir);
    await send(b, a, dir); // B's acknowledgement
    b.ctx.store.update('t_case', id, { surname: 'from B' });
    a.ctx.store.update('t_case', id, { surname: 'from A' });
    const toB = await send(a, b, dir);
    expect(toB.conflicts).toBe(1);
    const toA = await send(b, a, dir);
    expect(toA.conflicts).toBe(1);
    expect(conflicts(b)).toEqual([{ kind: 'field', record_id: id, field: 'surname' }]);
  });

  it('a change a conflict already recorded here is not applied when its record arrives later', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    const id = String(a.ctx.store.insert('t_case', { surname: 'base', status: 'draft', count: 0 }).id);
    const insertSeq = (a.core.db.prepare('SELECT max(seq) AS s FROM change_log').get() as { s: number }).s;
    a.ctx.store.update('t_case', id, { count: 7 });
    const dir = tempDir();
    // B gets the update alone (as if it had acknowledged the insert): a change of a row it never
    // had, recorded as a conflict.
    a.core.db.prepare('UPDATE exchange_peers SET acked_seq = ?').run(insertSeq);
    const first = await send(a, b, dir);
    expect(first.conflicts).toBe(1);
    expect(rows(b)).toEqual([]);
    // Then the whole history: the insert is applied, the update stays the recorded conflict.
    a.core.db.prepare('UPDATE exchange_peers SET acked_seq = 0').run();
    const second = await send(a, b, dir);
    expect(second).toMatchObject({ imported: 1, unchanged: 1, conflicts: 0 });
    expect(rows(b)).toEqual([expect.objectContaining({ id, surname: 'base', count: 0 })]);
  });

  it('a record deleted here is not made again by its relayed insert, and a delete then insert in one bundle keeps the general rules', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    const id = String(a.ctx.store.insert('t_case', { surname: 'base', status: 'draft', count: 0 }).id);
    const dir = tempDir();
    await send(a, b, dir);
    b.ctx.store.remove('t_case', id);
    // A sends its whole history again (B's acknowledgement lost): the insert meets B's delete.
    a.core.db.prepare('UPDATE exchange_peers SET acked_seq = 0').run();
    const r = await send(a, b, dir);
    expect(r.imported).toBe(0);
    expect(rows(b)).toEqual([]);

    // One bundle holding a record's insert, delete and a new insert of the same id.
    const [c, d] = [laptop(), laptop()];
    await pair(c, d);
    const rid = String(c.ctx.store.insert('t_case', { surname: 'one', status: 'draft', count: 0 }).id);
    c.ctx.store.remove('t_case', rid);
    c.ctx.store.insert('t_case', { id: rid, surname: 'two', status: 'draft', count: 0 });
    const cd = await send(c, d, dir);
    // The second insert meets the delete this same bundle brought: the general rule (a change of
    // a row deleted here waits for the end of the bundle, then is superseded or a 'deleted'
    // conflict, by the times) decides, as for a record known before; it never makes the row.
    expect(cd.imported).toBe(2);
    expect(rows(d)).toEqual([]);
  });

  it('past the number of records it remembers, inserts still go in without look-ups and later changes take the general path, with the same result', async () => {
    freshTuning.cap = 3;
    const dir = tempDir();
    const [c, d] = [laptop(), laptop()];
    await pair(c, d);
    for (let i = 0; i < 30; i++) {
      const id = String(c.ctx.store.insert('t_case', { surname: `s${i}`, status: 'draft', count: 0 }).id);
      c.ctx.store.update('t_case', id, { status: 'registered', count: i });
      if (i % 4 === 0) c.ctx.store.update('t_case', id, { note: `n${i}` });
      if (i === 20) c.ctx.store.remove('t_case', id);
    }
    // The same id inserted twice in one bundle (a delete between): the second insert meets the
    // delete, whether or not the record was remembered.
    const again = String(c.ctx.store.insert('t_case', { surname: 'again', status: 'draft', count: 0 }).id);
    c.ctx.store.remove('t_case', again);
    c.ctx.store.insert('t_case', { id: again, surname: 'again 2', status: 'draft', count: 0 });
    const cd = await send(c, d, dir);
    expect(cd.conflicts).toBe(0);
    expect(rows(d)).toEqual(rows(c).filter((r) => (r as { id: string }).id !== again));
    expect(rows(d)).toHaveLength(29);
    // Sent again (acknowledgement lost): every change is known, nothing changes.
    c.core.db.prepare('UPDATE exchange_peers SET acked_seq = 0').run();
    const twice = await send(c, d, dir);
    expect(twice).toMatchObject({ imported: 0, conflicts: 0 });
    expect(rows(d)).toHaveLength(29);
  });
});
