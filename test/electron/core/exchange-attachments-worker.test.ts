/**
 * A sync import's attachments staged on a worker thread while the records are applied
 * (import-files.ts, attachments-worker.ts): the same outcome as on the importing thread, a
 * damaged attachment still refuses the whole bundle and leaves no file (not even a temporary
 * one), and a worker that never starts does not stop the import.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileStore } from '../../../electron/core/files';
import { stageWorker, WORKER_MIN_FILES } from '../../../electron/core/exchange/import-files';
import { generateKeyPair } from '../../../electron/core/exchange/keys';
import { tempCore, tempDir } from '../../support/temp';
import { buildRawBundle } from './exchange/fixtures/hostile';
import { call, closeAll, dbFileHash, laptop, snapshot, type Laptop } from './exchange-helpers';
import { caseDraft } from './protocols.fixture';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const SENDER = 'laptop-sender';
const keys = generateKeyPair();
const saved = { ...stageWorker };
// Kept for the whole file (the per-test temporary folders go after each test).
const workerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-worker-'));

beforeAll(() => {
  // The worker as the app ships it, built from the sources of this checkout.
  const file = path.join(workerDir, 'attachments-worker.cjs');
  buildSync({ entryPoints: [path.resolve(__dirname, '../../../electron/core/exchange/attachments-worker.ts')], outfile: file, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  stageWorker.file = file;
});
afterEach(() => {
  Object.assign(stageWorker, { startMs: saved.startMs, stallMs: saved.stallMs });
  closeAll();
});
afterAll(() => {
  Object.assign(stageWorker, saved);
  fs.rmSync(workerDir, { recursive: true, force: true });
});

/** Every file under the store, temporary ones included. */
function filesUnder(dir: string): string[] {
  const root = path.join(dir, 'files');
  return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(root, f)).isFile()) : [];
}

async function receiver(): Promise<Laptop> {
  const b = laptop();
  await call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: keys.publicKey, name: 'S' });
  return b;
}

const N = WORKER_MIN_FILES + 8;
const scans = Array.from({ length: N }, (_, i) => Buffer.from(`%PDF-1.4 scan ${i} ${'x'.repeat(i * 97)}`));
const rec = (i: number, h: string): string =>
  JSON.stringify({ seq: i + 1, changeId: randomUUID(), table: 't_file', recordId: randomUUID(), op: 'insert', fields: { name: [null, `scan-${i}.pdf`], file_sha256: [null, h] }, installationId: SENDER, at: '2026-01-15T10:00:00.000Z' });

describe('attachments staged on a worker thread', () => {
  it('an encrypted sync of a case with many scans: every scan stored and readable, no temporary file left, by a worker', async () => {
    const a = tempCore();
    const b = tempCore();
    const ib = await b.call('exchange.identity', {});
    await a.call('exchange.trustPeer', { installationId: ib.installationId, publicKey: ib.publicKey, encryptionKey: ib.encryptionKey, name: 'B' });
    const c = await a.call('cases.save', caseDraft());
    const doc = c.detail.documents[0]!;
    for (const [i, s] of scans.entries()) await a.call('cases.attachFile', { caseId: c.id, documentId: doc.id, name: `scan-${i}.pdf`, mime: 'application/pdf', contentBase64: s.toString('base64') });
    const file = path.join(tempDir(), 'sync.htmp');
    await a.call('exchange.export', { kind: 'sync', out: file, for: [ib.encryptionFingerprint] });

    const started = stageWorker.started;
    const dry = await b.call('exchange.import', { file, trustNewPeer: true, dryRun: true });
    expect(dry.attachments).toBe(0);
    expect(filesUnder(b.dataDir)).toEqual([]);
    const r = await b.call('exchange.import', { file, trustNewPeer: true });
    expect(stageWorker.started).toBe(started + 2);
    expect(r.attachments).toBe(N);
    const left = filesUnder(b.dataDir);
    expect(left).toHaveLength(N);
    expect(left.filter((f) => f.endsWith('.partial'))).toEqual([]);
    for (const s of scans) expect(fileStore(b.dataDir).read(sha(s))).toEqual(s);
    const got = await b.call('cases.get', { id: c.id });
    expect(got.documents[0]!.files).toHaveLength(N);
  });

  it('a forged attachment among many refuses the bundle: no record, no file, no temporary file; without it the bundle imports', async () => {
    const b = await receiver();
    const claimed = sha('the document the record names');
    const records = [...scans.map((g, i) => rec(i, sha(g))), rec(N, claimed)].join('\n') + '\n';
    const forged = path.join(tempDir(), 'forged.htmp');
    await buildRawBundle(forged, {
      keys,
      installationId: SENDER,
      files: [{ name: 'records/changes.jsonl', data: Buffer.from(records) }, ...scans.map((g) => ({ name: `files/${sha(g)}`, data: g })), { name: `files/${claimed}`, data: Buffer.from('a forged scan'), declare: { sha256: claimed } }],
      manifest: (m) => void (m.meta = { since: 0, upTo: N + 1 }),
    });
    const before = dbFileHash(b);
    const started = stageWorker.started;
    await expect(call(b, 'exchange.import', { file: forged })).rejects.toMatchObject({ code: 'bundle.hash_mismatch', params: { path: `files/${claimed}`, reason: 'content' } });
    expect(stageWorker.started).toBe(started + 1);
    expect(filesUnder(b.dir)).toEqual([]);
    expect(dbFileHash(b)).toBe(before);
    expect(snapshot(b).t_file).toEqual([]);

    const fine = path.join(tempDir(), 'fine.htmp');
    await buildRawBundle(fine, {
      keys,
      installationId: SENDER,
      files: [{ name: 'records/changes.jsonl', data: Buffer.from(scans.map((g, i) => rec(i, sha(g))).join('\n') + '\n') }, ...scans.map((g) => ({ name: `files/${sha(g)}`, data: g }))],
      manifest: (m) => void (m.meta = { since: 0, upTo: N }),
    });
    expect(await call(b, 'exchange.import', { file: fine })).toMatchObject({ imported: N, attachments: N });
    expect(filesUnder(b.dir)).toHaveLength(N);
    for (const s of scans) expect(fileStore(b.dir).read(sha(s))).toEqual(s);
  });

  it('a record refused after the worker staged every scan: the scans are removed with it', async () => {
    const b = await receiver();
    const bad = JSON.stringify({ seq: N + 1, changeId: randomUUID(), table: 'no_such_table', recordId: randomUUID(), op: 'insert', fields: {}, installationId: SENDER, at: '2026-01-15T10:00:00.000Z' });
    const file = path.join(tempDir(), 'bad-record.htmp');
    await buildRawBundle(file, {
      keys,
      installationId: SENDER,
      files: [{ name: 'records/changes.jsonl', data: Buffer.from([...scans.map((g, i) => rec(i, sha(g))), bad].join('\n') + '\n') }, ...scans.map((g) => ({ name: `files/${sha(g)}`, data: g }))],
      manifest: (m) => void (m.meta = { since: 0, upTo: N + 1 }),
    });
    const before = dbFileHash(b);
    await expect(call(b, 'exchange.import', { file })).rejects.toMatchObject({ code: 'bundle.invalid_record' });
    expect(filesUnder(b.dir)).toEqual([]);
    expect(dbFileHash(b)).toBe(before);
  });

  it('a worker that never starts: the importer stages the scans itself and the import succeeds', async () => {
    const b = await receiver();
    const dead = path.join(workerDir, 'dead.cjs');
    fs.writeFileSync(dead, '// a worker that does nothing\n');
    stageWorker.file = dead;
    stageWorker.startMs = 300;
    try {
      const file = path.join(tempDir(), 'fine.htmp');
      await buildRawBundle(file, {
        keys,
        installationId: SENDER,
        files: [{ name: 'records/changes.jsonl', data: Buffer.from(scans.map((g, i) => rec(i, sha(g))).join('\n') + '\n') }, ...scans.map((g) => ({ name: `files/${sha(g)}`, data: g }))],
        manifest: (m) => void (m.meta = { since: 0, upTo: N }),
      });
      expect(await call(b, 'exchange.import', { file })).toMatchObject({ imported: N, attachments: N });
      expect(filesUnder(b.dir)).toHaveLength(N);
      for (const s of scans) expect(fileStore(b.dir).read(sha(s))).toEqual(s);
    } finally {
      stageWorker.file = path.join(workerDir, 'attachments-worker.cjs');
    }
  });
});
