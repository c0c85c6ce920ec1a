/**
 * Received history without change-log rows (sync-import.ts, "quiet" path): when the sender is
 * the receiver's ONLY peer, its changes are applied as if compacted at once (ids in
 * `change_seen`, no change-log row). These tests show that nothing is lost for a later peer
 * (state rows), nothing goes back to the sender, re-deliveries are no-ops, conflicts and deletes
 * keep the logged path, and with more than one peer everything is logged as before.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { legacyRecordKey, recordKey } from '../../../electron/core/exchange/record-key';
import { m0026SeenKeys } from '../../../electron/core/migrations/0026-seen-keys';
import { tempDir } from '../../support/temp';
import { closeAll, job, laptop, pair, putFile, readFile, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

let n = 0;
interface Sent {
  file: string;
  records: number;
  imported: number;
  unchanged: number;
  conflicts: number;
  alreadyImported: boolean;
}

async function send(from: Laptop, to: Laptop, dir: string): Promise<Sent> {
  const file = path.join(dir, `q${n++}.htmp`);
  const exp = await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
  return { file, records: exp.records, ...(await importInto(to, file)) };
}

async function importInto(to: Laptop, file: string): Promise<Omit<Sent, 'file' | 'records'>> {
  return job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, {});
    try {
      const r = await importSync(to.ctx, opened, { dryRun: false, job: j });
      return { imported: r.imported, unchanged: r.unchanged, conflicts: r.conflicts, alreadyImported: r.alreadyImported };
    } finally {
      await opened.reader.close();
    }
  });
}

/** Change-log rows of the test tables (user data), by installation. */
const logged = (l: Laptop, installationId?: string): number =>
  (
    l.core.db
      .prepare(`SELECT count(*) AS n FROM change_log WHERE table_name IN ('t_case', 't_file', 't_decision')${installationId ? ' AND installation_id = ?' : ''}`)
      .get(...(installationId ? [installationId] : [])) as { n: number }
  ).n;
const seenIds = (l: Laptop): number => (l.core.db.prepare('SELECT COALESCE(sum(length(ids)), 0) / 16 AS n FROM change_seen').get() as { n: number }).n;
const conflicts = (l: Laptop): unknown[] => l.core.db.prepare('SELECT kind, record_id, field FROM exchange_conflicts ORDER BY record_id, field').all();

/** A's cases: `count` made, each updated once, every third with a note, plus a file and a decision. */
function makeCases(a: Laptop, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = String(a.ctx.store.insert('t_case', { surname: `s${i}`, status: 'draft', count: 0 }).id);
    a.ctx.store.update('t_case', id, { status: 'registered', count: i });
    if (i % 3 === 0) a.ctx.store.update('t_case', id, { note: `n${i}` });
    ids.push(id);
  }
  return ids;
}

describe('sync import from the only peer: history held as compacted', () => {
  it('A->B writes no change-log rows; B->C (a new peer) delivers everything as state; A->C then changes nothing; B->A sends nothing of it back', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    const ids = makeCases(a, 30);
    const sha = putFile(a, Buffer.from('a scan'));
    a.ctx.store.insert('t_file', { case_id: ids[0]!, name: 'scan.pdf', file_sha256: sha });
    a.ctx.store.insert('t_decision', { case_id: ids[1]!, outcome: 'approved', issued_at: null });
    const aChanges = logged(a);
    const dir = tempDir();

    const ab = await send(a, b, dir);
    expect(ab).toMatchObject({ records: aChanges, imported: aChanges, conflicts: 0 });
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(logged(b)).toBe(0);
    expect(seenIds(b)).toBe(aChanges);

    // B->A: nothing of A's records goes back (B has no change of its own yet).
    const ba = await send(b, a, dir);
    expect(ba).toMatchObject({ records: 0, imported: 0, conflicts: 0 });
    b.ctx.store.update('t_case', ids[2]!, { note: 'from B' });
    const ba2 = await send(b, a, dir);
    expect(ba2).toMatchObject({ records: 1, imported: 1, conflicts: 0 });
    expect(snapshot(a)).toEqual(snapshot(b));

    // A new peer C: everything B holds, as state rows (with the ids they contain) and B's change.
    await pair(b, c);
    const bc = await send(b, c, dir);
    expect(bc.conflicts).toBe(0);
    expect(snapshot(c)).toEqual(snapshot(b));
    expect(readFile(c, sha)?.toString('utf8')).toBe('a scan');
    // C acknowledges; the next bundle to C carries no state any more.
    await send(c, b, dir);
    b.ctx.store.update('t_case', ids[3]!, { note: 'again from B' });
    const bc2 = await send(b, c, dir);
    expect(bc2).toMatchObject({ records: 1, imported: 1, conflicts: 0 });
    expect(snapshot(c)).toEqual(snapshot(b));

    // A's own history sent to C directly: every change is known at C (the state rows' ids).
    await pair(a, c);
    const ac = await send(a, c, dir);
    expect(ac).toMatchObject({ imported: 0, conflicts: 0 });
    expect(snapshot(c)).toEqual(snapshot(b));
    expect(conflicts(b)).toEqual([]);
    expect(conflicts(c)).toEqual([]);
  });

  it('the same bundle again is a no-op; the same changes in a new bundle (a lost acknowledgement) are all seen', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    makeCases(a, 12);
    const dir = tempDir();
    const first = await send(a, b, dir);
    const before = snapshot(b);
    const seqBefore = b.core.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get();
    expect(await importInto(b, first.file)).toMatchObject({ imported: 0, alreadyImported: true });
    const again = await send(a, b, dir); // A never got B's ack: it sends its whole history again
    expect(again).toMatchObject({ imported: 0, conflicts: 0, unchanged: first.imported });
    expect(snapshot(b)).toEqual(before);
    expect(logged(b)).toBe(0);
    // Nothing applied quietly: no new seq reserved.
    expect(b.core.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'").get()).toEqual(seqBefore);
  });

  it('a conflict is still detected both ways, and the record then keeps the logged path', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    const [id, other] = makeCases(a, 2) as [string, string];
    const dir = tempDir();
    await send(a, b, dir);
    await send(b, a, dir); // B's acknowledgement
    b.ctx.store.update('t_case', id, { surname: 'from B' });
    a.ctx.store.update('t_case', id, { surname: 'from A' });
    a.ctx.store.update('t_case', other, { surname: 'only A' });
    const toB = await send(a, b, dir);
    expect(toB).toMatchObject({ conflicts: 1, imported: 1 });
    expect(conflicts(b)).toEqual([{ kind: 'field', record_id: id, field: 'surname' }]);
    const toA = await send(b, a, dir);
    expect(toA.conflicts).toBe(1);
    // A change of a record B changed itself (another field) is logged: it has local history.
    a.ctx.store.update('t_case', id, { note: 'A again' });
    const third = await send(a, b, dir);
    expect(third).toMatchObject({ imported: 1, conflicts: 0 });
    expect(logged(b, a.core.installationId)).toBe(1);
    expect(b.ctx.store.get('t_case', id)).toMatchObject({ surname: 'from B', note: 'A again' });
    expect(b.ctx.store.get('t_case', other)).toMatchObject({ surname: 'only A' });
  });

  it('a record made on B and changed on A keeps the logged path (its insert is in B\'s log)', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    const id = String(b.ctx.store.insert('t_case', { surname: 'made on B', status: 'draft', count: 0 }).id);
    const dir = tempDir();
    await send(b, a, dir);
    a.ctx.store.update('t_case', id, { status: 'registered' });
    const ab = await send(a, b, dir);
    expect(ab).toMatchObject({ imported: 1, conflicts: 0 });
    expect(logged(b, a.core.installationId)).toBe(1);
    // A new peer gets B's insert and A's update as changes.
    await pair(b, c);
    await send(b, c, dir);
    expect(snapshot(c)).toEqual(snapshot(b));
    expect(c.ctx.store.get('t_case', id)).toMatchObject({ status: 'registered' });
  });

  it('deletes keep their change-log rows: deleted in the first bundle, or later, reach a new peer', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    const ids = makeCases(a, 10);
    a.ctx.store.remove('t_case', ids[0]!);
    const dir = tempDir();
    const ab = await send(a, b, dir);
    expect(ab.conflicts).toBe(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(logged(b)).toBe(1); // the tombstone
    expect(b.core.db.prepare("SELECT op FROM change_log WHERE record_id = ?").all(ids[0]!)).toEqual([{ op: 'delete' }]);
    // A deletes a record B got quietly.
    await send(b, a, dir);
    a.ctx.store.remove('t_case', ids[1]!);
    const ab2 = await send(a, b, dir);
    expect(ab2).toMatchObject({ imported: 1, conflicts: 0 });
    expect(b.ctx.store.get('t_case', ids[1]!)).toBeUndefined();
    expect(logged(b)).toBe(2);

    await pair(b, c);
    // C had one of the deleted records from elsewhere (A before the delete): the delete reaches it.
    await pair(a, c);
    c.ctx.store.insert('t_case', { id: 'c-only', surname: 'C', status: 'draft', count: 0 });
    const bc = await send(b, c, dir);
    expect(bc.conflicts).toBe(0);
    expect(c.ctx.store.get('t_case', ids[1]!)).toBeUndefined();
    expect(c.ctx.store.get('t_case', ids[2]!)).toMatchObject({ surname: 's2' });
    const { t_case: cCases, ...cRest } = snapshot(c);
    const { t_case: bCases, ...bRest } = snapshot(b);
    expect(cRest).toEqual(bRest);
    expect((cCases ?? []).filter((r) => (r as { id: string }).id !== 'c-only')).toEqual(bCases);
  });

  it('with another peer at import time everything is logged as before (change ids, installation, origin)', async () => {
    const [a, b, c] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    await pair(b, c);
    makeCases(a, 5);
    const dir = tempDir();
    const ab = await send(a, b, dir);
    expect(logged(b, a.core.installationId)).toBe(ab.imported);
    expect(seenIds(b)).toBe(0);
    const aIds = (a.core.db.prepare("SELECT change_id FROM change_log WHERE table_name = 't_case' ORDER BY seq").pluck().all() as string[]).sort();
    const bIds = (b.core.db.prepare("SELECT change_id FROM change_log WHERE table_name = 't_case' ORDER BY seq").pluck().all() as string[]).sort();
    expect(bIds).toEqual(aIds);
    const origin = b.core.db.prepare("SELECT DISTINCT origin FROM change_log WHERE table_name = 't_case'").pluck().all();
    expect(origin).toHaveLength(1);
    // A bundle's records reach C as changes, as before.
    await send(b, c, dir);
    expect(snapshot(c)).toEqual(snapshot(a));
  });

  it('once history from A is held quietly, a bundle from another sole peer takes the logged path', async () => {
    const [a, b, d] = [laptop(), laptop(), laptop()];
    await pair(a, b);
    makeCases(a, 3);
    const dir = tempDir();
    await send(a, b, dir);
    // A leaves; D becomes B's only peer.
    await b.core.call('exchange.removePeer', { installationId: a.core.installationId });
    await pair(d, b);
    makeCases(d, 2);
    const db = await send(d, b, dir);
    expect(db.conflicts).toBe(0);
    expect(logged(b, d.core.installationId)).toBe(db.imported);
    // D then gets A's records as state, and nothing of its own back.
    const bd = await send(b, d, dir);
    expect(bd.conflicts).toBe(0);
    expect(snapshot(d)).toEqual(snapshot(b));
  });
});

describe('change_seen keys: a record id that is a UUID is its own key (migration 0026 moves the old ones)', () => {
  it('an old folder keyed by SHA-256 of table and id is moved to the new keys: nothing lost, ids merged, idempotent, re-sent changes still seen', async () => {
    const [a, b] = [laptop(), laptop()];
    await pair(a, b);
    const ids = makeCases(a, 8);
    a.ctx.store.insert('t_case', { id: 'case-kept-by-name', surname: 'not a uuid', status: 'draft', count: 0 });
    const dir = tempDir();
    const first = await send(a, b, dir);
    const db = b.core.db;
    const rows = (): { record: string; ids: string }[] =>
      (db.prepare('SELECT record, ids FROM change_seen ORDER BY record').all() as { record: Buffer; ids: Buffer }[]).map((r) => ({ record: r.record.toString('hex'), ids: r.ids.toString('hex') }));
    const now = rows();
    // The new keys: the id's own bytes for a UUID, the old hash otherwise.
    expect(now.map((r) => r.record)).toEqual(
      [...ids.map((id) => recordKey('t_case', id).toString('hex')), legacyRecordKey('t_case', 'case-kept-by-name').toString('hex')].sort(),
    );
    expect(recordKey('t_case', ids[0]!).toString('hex')).toBe(ids[0]!.replace(/-/g, ''));

    // As an older build left it: every key the SHA-256 of table and id; and one record whose id a
    // decision here shares (made locally, so logged) held under both tables' old keys.
    db.prepare('UPDATE change_seen SET record = ? WHERE record = ?').run(legacyRecordKey('t_case', ids[0]!), recordKey('t_case', ids[0]!));
    for (const id of ids.slice(1)) db.prepare('UPDATE change_seen SET record = ? WHERE record = ?').run(legacyRecordKey('t_case', id), recordKey('t_case', id));
    b.ctx.store.insert('t_decision', { id: ids[1]!, case_id: ids[1]!, outcome: 'approved', issued_at: null });
    const extra = Buffer.alloc(16, 7);
    const shared = (db.prepare('SELECT ids FROM change_seen WHERE record = ?').pluck().get(legacyRecordKey('t_case', ids[1]!)) as Buffer).subarray(0, 16);
    db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?)').run(legacyRecordKey('t_decision', ids[1]!), Buffer.concat([shared, extra]));
    const gone = randomBytes(16);
    db.prepare('INSERT INTO change_seen (record, ids) VALUES (?, ?)').run(gone, extra); // no record answers to it

    db.transaction(() => m0026SeenKeys.up(db))();
    const moved = rows();
    const expected = new Map(now.map((r) => [r.record, r.ids]));
    const k1 = recordKey('t_case', ids[1]!).toString('hex');
    expected.set(k1, expected.get(k1)! + extra.toString('hex'));
    expected.set(gone.toString('hex'), extra.toString('hex'));
    expect(moved).toEqual([...expected].map(([record, v]) => ({ record, ids: v })).sort((x, y) => (x.record < y.record ? -1 : 1)));
    db.transaction(() => m0026SeenKeys.up(db))();
    expect(rows()).toEqual(moved);

    // A never got B's acknowledgement: its whole history again is all seen.
    const again = await send(a, b, dir);
    expect(again).toMatchObject({ imported: 0, conflicts: 0, unchanged: first.imported });
  });
});
