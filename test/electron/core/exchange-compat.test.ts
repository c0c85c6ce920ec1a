/**
 * Format 1.0 bundles written by the 1.0 code (fixtures/v1, made once with the old writer) are
 * still read; and the change log compaction keeps what sync needs: a relayed copy of a compacted
 * change is recognised, a new laptop gets the current rows, deletes stay known.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readStoredFile } from '../../../electron/core/files';
import { afterEach, describe, expect, it } from 'vitest';
import { openBundle } from '../../../electron/core/exchange/archive';
import { changeLogHorizon, exportSync } from '../../../electron/core/exchange/sync';
import { tempCore, tempDir } from '../../support/temp';
import { call, closeAll, fingerprintOf, job, laptop, pair, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

const V1 = path.join(import.meta.dirname, 'exchange', 'fixtures', 'v1');
const fixture = JSON.parse(fs.readFileSync(path.join(V1, 'v1-fixtures.json'), 'utf8')) as {
  caseId: string;
  attachmentSha256: string;
  syncRecords: number;
  sender: { installationId: string; fingerprint: string };
  renamed: { edition: string; code: string; name: string };
};

describe('format 1.0 bundles made by the old code are still read', () => {
  it('a 1.0 sync bundle (records/changes.jsonl + files/<sha256>) imports: case, decision, protocol and the scan', async () => {
    const core = tempCore();
    const file = path.join(V1, 'sync-1.0.htmp');
    const reader = await openBundle(file, { isTrusted: () => true });
    expect(reader.manifest.version).toBe('1.0');
    expect(reader.fingerprint).toBe(fixture.sender.fingerprint);
    await reader.close();
    const v = await core.call('exchange.verify', { file });
    expect(v.errors.map((e) => e.code)).toEqual(['bundle.untrusted_sender']);
    const r = await core.call('exchange.import', { file, trustNewPeer: true });
    expect(r).toMatchObject({ imported: fixture.syncRecords, conflicts: 0, refused: 0, attachments: 1 });
    const c = await core.call('cases.get', { id: fixture.caseId });
    expect(c.patient.lastName).toBe('Жұмабекова');
    expect(c.decisions.some((d) => d.locked && d.protocol !== null)).toBe(true);
    expect(readStoredFile(core.dataDir, fixture.attachmentSha256)?.toString('utf8')).toContain('scanned extract of the 1.0 fixture');
    expect((await core.call('db.check', {})).files.problems).toEqual([]);
    // A peer known only from 1.0 has no encryption key yet: no encrypted bundle can be made for it.
    const peer = (await core.call('exchange.peers', {}))[0]!;
    expect(peer.encryptionKey).toBeNull();
    await expect(core.call('exchange.export', { kind: 'sync', out: path.join(tempDir(), 'x.htmp'), peer: peer.installationId })).rejects.toMatchObject({ code: 'exchange.peer_no_key' });
  });

  it('a 1.0 catalogue update applies', async () => {
    const core = tempCore();
    const { publicKey } = JSON.parse(fs.readFileSync(path.join(V1, 'publisher-1.0.json'), 'utf8')) as { publicKey: string };
    await core.call('exchange.trustPublisher', { publicKey, name: 'Publisher 1.0' });
    const r = await core.call('exchange.catalogueApply', { file: path.join(V1, 'catalogue-1.0.htmp') });
    expect(r).toMatchObject({ applied: true, editionsAdded: [], editionsRemoved: [] });
    const name = core.db.prepare('SELECT name FROM catalogue_entries WHERE edition_id = ? AND code = ?').pluck().get(fixture.renamed.edition, fixture.renamed.code);
    expect(name).toBe(fixture.renamed.name);
  });
});

describe('the change log is compacted once every peer has acknowledged it', () => {
  const count = (l: Laptop, sql: string): number => l.core.db.prepare(sql).pluck().get() as number;
  async function send(from: Laptop, to: Laptop): Promise<void> {
    const file = path.join(tempDir(), `${Math.random()}.htmp`);
    await job(from, (j) => exportSync(from.ctx, { file, peer: to.core.installationId, job: j }));
    await call(to, 'exchange.import', { file });
  }

  it('keeps change ids and deletes, drops the rest; a relayed old change is skipped; a new laptop gets the current rows', async () => {
    const a = laptop();
    const b = laptop();
    const c = laptop();
    await pair(a, b);
    await pair(b, c);
    const keep = a.ctx.store.insert('t_case', { surname: 'Остаётся', status: 'new' });
    const gone = a.ctx.store.insert('t_case', { surname: 'Удаляется', status: 'new' });
    a.ctx.store.update('t_case', String(keep.id), { status: 'checked' });
    a.ctx.store.remove('t_case', String(gone.id));
    const logged = count(a, "SELECT count(*) FROM change_log WHERE table_name = 't_case'");
    expect(logged).toBe(4);
    await send(a, b);
    expect(count(a, "SELECT count(*) FROM change_log WHERE table_name = 't_case'")).toBe(4); // no ack yet
    await send(b, a); // B's bundle carries its acknowledgement
    expect(changeLogHorizon(a.ctx)).toBeGreaterThan(0);
    // Compacted: the delete stays (a tombstone), the other changes leave only their ids.
    expect(a.core.db.prepare("SELECT op FROM change_log WHERE table_name = 't_case'").pluck().all()).toEqual(['delete']);
    expect(count(a, 'SELECT sum(length(ids)) / 16 FROM change_seen')).toBeGreaterThanOrEqual(3);

    // C got A's changes through B; when C relays them back to A, A recognises them.
    await send(b, c);
    await pair(a, c);
    const before = snapshot(a);
    const file = path.join(tempDir(), 'relay.htmp');
    const fpA = await fingerprintOf(a);
    await job(c, (j) => exportSync(c.ctx, { file, for: [fpA], job: j }));
    const relayed = await call(a, 'exchange.import', { file });
    expect(relayed).toMatchObject({ imported: 0, conflicts: 0 });
    expect(snapshot(a)).toEqual(before);

    // A laptop that joins now gets the current rows (state), not the compacted history.
    const d = laptop();
    await pair(a, d);
    const full = path.join(tempDir(), 'full.htmp');
    const exp = await job(a, (j) => exportSync(a.ctx, { file: full, peer: d.core.installationId, job: j }));
    const reader = await openBundle(full, { isTrusted: () => true });
    expect(reader.entries.map((e) => e.path).filter((p) => p.startsWith('records/state-'))).toHaveLength(1);
    expect(reader.manifest.meta).toMatchObject({ states: expect.any(Number) });
    await reader.close();
    expect(exp.records).toBeGreaterThan(0);
    await call(d, 'exchange.import', { file: full });
    expect(snapshot(d).t_case).toEqual(snapshot(a).t_case);
    expect((snapshot(d).t_case as { surname: string; status: string }[]).map((r) => [r.surname, r.status])).toEqual([['Остаётся', 'checked']]);
  });
});
