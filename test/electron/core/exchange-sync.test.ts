import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../../electron/core/exchange/backup';
import { exportSync, importSync } from '../../../electron/core/exchange/sync';
import { openTrusted } from '../../../electron/core/exchange/trust';
import { AppFailure } from '../../../shared/result';
import { tempDir } from '../../support/temp';
import { call, closeAll, fingerprintOf, job, knows, laptop, pair, putFile, readFile, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

async function send(from: Laptop, to: Laptop, opts: { dryRun?: boolean; trustNew?: boolean } = {}) {
  const file = path.join(tempDir(), 'b.htmp');
  const exp = await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
  const res = await importFile(to, file, opts);
  return { exp, res, file };
}

async function importFile(to: Laptop, file: string, opts: { dryRun?: boolean; trustNew?: boolean } = {}) {
  return job(to, async (j) => {
    const opened = await openTrusted(to.ctx, file, { trustNew: opts.trustNew === true });
    try {
      return await importSync(to.ctx, opened, { dryRun: opts.dryRun === true, job: j });
    } finally {
      await opened.reader.close();
    }
  });
}

describe('trust is asked only for a kind importable here', () => {
  async function refusal(p: Promise<unknown>): Promise<{ code: string; params: unknown }> {
    try {
      await p;
    } catch (e) {
      if (e instanceof AppFailure) return { code: e.code, params: e.params };
      throw e;
    }
    throw new Error('expected a refusal');
  }

  it('an unknown sender of a sync bundle is asked about; of a backup, the kind is refused first, trust never asked', async () => {
    const a = laptop();
    const b = laptop();
    const syncFile = path.join(tempDir(), 's.htmp');
    await job(a, (j) => exportSync(a.ctx, { file: syncFile, introduce: true, job: j })); // a stranger's first bundle: its introduction
    expect((await refusal(openTrusted(b.ctx, syncFile, { kinds: ['sync', 'catalogue'] }))).code).toBe('bundle.untrusted_sender');

    const backupFile = path.join(tempDir(), 'b.htmp');
    await job(a, (j) => createBackup(a.ctx, { file: backupFile, job: j, keys: a.ctx.backupKeys?.() ?? { dataKey: null, keyring: null } }));
    expect((await refusal(openTrusted(b.ctx, backupFile, { kinds: ['sync', 'catalogue'] }))).code).toBe('exchange.use_restore');
    // even when trusting new senders was allowed, nobody is trusted for a refused kind
    expect((await refusal(openTrusted(b.ctx, syncFile, { kinds: ['catalogue'], trustNew: true }))).code).toBe('exchange.wrong_kind');
    expect(b.core.db.prepare('SELECT count(*) AS n FROM exchange_peers').get()).toEqual({ n: 0 });
  });
});

describe('sync bundles between two data folders', () => {
  it('round trip: records, attachments and decisions arrive; the same bundle twice changes nothing', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const c = a.ctx.store.insert('t_case', { surname: 'Иванов', status: 'new', count: 1 });
    const sha = putFile(a, Buffer.from('scan of a referral'));
    a.ctx.store.insert('t_file', { case_id: String(c.id), name: 'направление.pdf', file_sha256: sha });
    a.ctx.store.insert('t_decision', { case_id: String(c.id), outcome: 'approved', issued_at: null });
    a.ctx.store.update('t_case', String(c.id), { status: 'decided' });

    const { exp, res, file } = await send(a, b);
    expect(exp).toMatchObject({ records: 4, attachments: 1 });
    expect(res).toMatchObject({ imported: 4, unchanged: 0, conflicts: 0 });
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(readFile(b, sha)?.toString('utf8')).toBe('scan of a referral');
    // A is B's only peer: the changes are held as compacted history (their ids in change_seen,
    // no change-log row; exchange-quiet.test.ts); with more peers they are logged with their
    // change ids, installation and time, origin the bundle id (exchange-quiet.test.ts too).
    expect(b.core.db.prepare("SELECT count(*) AS n FROM change_log WHERE table_name LIKE 't\\_%' ESCAPE '\\'").get()).toEqual({ n: 0 });
    expect(b.core.db.prepare('SELECT sum(length(ids)) / 16 AS n FROM change_seen').get()).toEqual({ n: 4 });

    const again = await importFile(b, file);
    expect(again).toMatchObject({ imported: 0, conflicts: 0, alreadyImported: true });
    expect(snapshot(b)).toEqual(snapshot(a));
  });

  it('acks travel back: the next bundle carries only what the peer has not confirmed', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    a.ctx.store.insert('t_case', { surname: 'A1' });
    expect((await send(a, b)).exp.records).toBe(1);
    // without an ack A resends (a lost stick costs nothing)
    a.ctx.store.insert('t_case', { surname: 'A2' });
    const second = await send(a, b);
    expect(second.exp.records).toBe(2);
    expect(second.res).toMatchObject({ imported: 1, unchanged: 1 });
    // B's bundle carries the ack; B's own rows only, never A's back to A
    b.ctx.store.insert('t_case', { surname: 'B1' });
    const back = await send(b, a);
    expect(back.exp.records).toBe(1);
    a.ctx.store.insert('t_case', { surname: 'A3' });
    expect((await send(a, b)).exp.records).toBe(1);
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it('relays changes of a third laptop, deduplicated by change id', async () => {
    const a = laptop();
    const b = laptop();
    const c = laptop();
    await pair(a, b);
    await pair(b, c);
    await pair(a, c);
    a.ctx.store.insert('t_case', { surname: 'from A' });
    await send(a, b);
    const viaB = await send(b, c);
    expect(viaB.res.imported).toBe(1);
    const direct = await send(a, c);
    expect(direct.res).toMatchObject({ imported: 0, unchanged: 1 });
    expect(snapshot(c)).toEqual(snapshot(a));
  });

  it('a conflict on a row issued since then cannot be resolved to the remote value (issued rows never change by sync)', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const d = a.ctx.store.insert('t_decision', { case_id: 'c1', outcome: 'approved', issued_at: null });
    await send(a, b);
    await send(b, a); // ack
    a.ctx.store.update('t_decision', String(d.id), { outcome: 'refused' });
    b.ctx.store.update('t_decision', String(d.id), { outcome: 'approved_v2' });
    expect((await send(a, b)).res.conflicts).toBe(1);
    const [conflict] = await call(b, 'exchange.conflicts', { status: 'open' });
    // B issues its decision before anyone looks at the conflict.
    b.ctx.store.update('t_decision', String(d.id), { issued_at: '2026-03-23T10:00:00Z' });
    await expect(call(b, 'exchange.resolve', { id: conflict!.id, choice: 'remote' })).rejects.toMatchObject({ code: 'exchange.cannot_apply' });
    expect(b.ctx.store.get('t_decision', String(d.id))!.outcome).toBe('approved_v2');
    // Keeping the local value is still possible and closes the conflict.
    expect((await call(b, 'exchange.resolve', { id: conflict!.id, choice: 'local' })).status).toBe('resolved');
  });

  it('a decision issued on the other laptop wins over a local draft edit, which is recorded, not lost', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const d = a.ctx.store.insert('t_decision', { case_id: 'c1', outcome: 'approved', issued_at: null });
    await send(a, b);
    await send(b, a); // ack
    // A edits and issues the decision; B edits the same draft field meanwhile.
    a.ctx.store.update('t_decision', String(d.id), { outcome: 'refused', issued_at: '2026-03-23T10:00:00Z' });
    b.ctx.store.update('t_decision', String(d.id), { outcome: 'approved_v2' });
    const r = await send(a, b);
    expect(r.res.conflicts).toBe(1);
    expect(b.ctx.store.get('t_decision', String(d.id))).toMatchObject({ outcome: 'refused', issued_at: '2026-03-23T10:00:00Z' });
    const [c] = await call(b, 'exchange.conflicts', { status: 'open' });
    expect(c).toMatchObject({ kind: 'issued', field: 'outcome', local: 'approved_v2', remote: 'refused' });
    await expect(call(b, 'exchange.resolve', { id: c!.id, choice: 'remote' })).rejects.toMatchObject({ code: 'exchange.cannot_apply' });
    expect((await call(b, 'exchange.resolve', { id: c!.id, choice: 'local' })).status).toBe('resolved');
    expect(b.ctx.store.get('t_decision', String(d.id))!.outcome).toBe('refused');
  });

  it('a field changed on both sides is a conflict: nothing overwritten; resolution syncs on', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const row = a.ctx.store.insert('t_case', { surname: 'Петров', status: 'new', note: 'x' });
    await send(a, b);
    await send(b, a); // ack
    a.ctx.store.update('t_case', String(row.id), { status: 'approved', note: 'a-note' });
    b.ctx.store.update('t_case', String(row.id), { status: 'rejected' });

    const r = await send(a, b);
    expect(r.res).toMatchObject({ imported: 1, conflicts: 1 });
    const atB = b.ctx.store.get('t_case', String(row.id))!;
    expect(atB.status).toBe('rejected'); // not overwritten
    expect(atB.note).toBe('a-note'); // the other field merged
    const conflicts = await call(b, 'exchange.conflicts', { status: 'open' });
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ table: 't_case', field: 'status', base: 'new', local: 'rejected', remote: 'approved', remoteBy: { installationId: a.core.installationId, name: expect.any(String) }, localBy: { installationId: b.core.installationId } });

    // A gets B's change: the same conflict, seen from A
    const back = await send(b, a);
    expect(back.res.conflicts).toBe(1);
    expect(a.ctx.store.get('t_case', String(row.id))!.status).toBe('approved');

    // B resolves: take A's value. The resolution travels to A and settles A's open conflict.
    const resolved = await call(b, 'exchange.resolve', { id: conflicts[0]!.id, choice: 'remote' });
    expect(resolved.status).toBe('resolved');
    expect(b.ctx.store.get('t_case', String(row.id))!.status).toBe('approved');
    await send(b, a);
    expect(a.ctx.store.get('t_case', String(row.id))!.status).toBe('approved');
    expect(await call(a, 'exchange.conflicts', { status: 'open' })).toHaveLength(0);
    const strip = (rows: unknown[] = []) => rows.map((r) => ({ ...(r as object), updated_at: null }));
    expect(strip(snapshot(a).t_case)).toEqual(strip(snapshot(b).t_case));
  });

  it('keeping the local value also syncs: the other side settles on it', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const row = a.ctx.store.insert('t_case', { surname: 'С', status: 'new' });
    await send(a, b);
    await send(b, a);
    a.ctx.store.update('t_case', String(row.id), { status: 'A' });
    b.ctx.store.update('t_case', String(row.id), { status: 'B' });
    await send(a, b); // conflict at B
    await send(b, a); // conflict at A
    const [ca] = await call(a, 'exchange.conflicts', { status: 'open' });
    await call(a, 'exchange.resolve', { id: ca!.id, choice: 'local' });
    await send(a, b);
    expect(b.ctx.store.get('t_case', String(row.id))!.status).toBe('A');
    expect(await call(b, 'exchange.conflicts', { status: 'open' })).toHaveLength(0);
  });

  it('issued (locked) rows never change by sync: the change is recorded as refused', async () => {
    const a = laptop();
    const b = laptop();
    await pair(a, b);
    const d = a.ctx.store.insert('t_decision', { case_id: 'c1', outcome: 'approved', issued_at: null });
    await send(a, b);
    await send(b, a);
    b.ctx.store.update('t_decision', String(d.id), { issued_at: '2026-01-15T10:00:00Z' });
    a.ctx.store.update('t_decision', String(d.id), { outcome: 'rejected' });
    const r = await send(a, b);
    expect(r.res).toMatchObject({ imported: 0, refused: 1 });
    expect(b.ctx.store.get('t_decision', String(d.id))!.outcome).toBe('approved');
    const list = await call(b, 'exchange.conflicts', {});
    expect(list[0]).toMatchObject({ kind: 'locked' });
  });

  it('dry run reports counts and writes nothing; an unknown sender is refused with its fingerprint', async () => {
    const a = laptop();
    const b = laptop();
    await knows(a, b); // A can encrypt for B; B does not know A yet
    a.ctx.store.insert('t_case', { surname: 'X' });
    const file = path.join(tempDir(), 'x.htmp');
    const forB = await fingerprintOf(b);
    await job(a, (j) => exportSync(a.ctx, { file, for: [forB], job: j }));
    const err = await importFile(b, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).code).toBe('bundle.untrusted_sender');
    expect((err as AppFailure).params?.fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    const dry = await importFile(b, file, { dryRun: true, trustNew: true });
    expect(dry).toMatchObject({ imported: 1, dryRun: true });
    expect(snapshot(b).t_case).toEqual([]);
    expect(await call(b, 'exchange.peers', {})).toEqual([]);
    const real = await importFile(b, file, { trustNew: true });
    expect(real).toMatchObject({ imported: 1, sender: { trustedNow: true } });
    expect(await call(b, 'exchange.peers', {})).toHaveLength(1);
  });
});
