/**
 * Hostile bundles through the database layer: every refusal leaves the database byte-for-byte
 * unchanged (file hash after a full checkpoint), and nothing is half-imported.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../electron/core/exchange/keys';
import { AppFailure } from '../../../shared/result';
import { tempDir } from '../../support/temp';
import { buildRawBundle, patchBytes, patchCentralDirectory, type RawBundleSpec } from './exchange/fixtures/hostile';
import { call, closeAll, dbFileHash, laptop, snapshot, type Laptop } from './exchange-helpers';

afterEach(closeAll);

const keys = generateKeyPair();
const stranger = generateKeyPair();
const SENDER = 'laptop-test';

function change(seq: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    seq,
    changeId: randomUUID(),
    table: 't_case',
    recordId: randomUUID(),
    op: 'insert',
    fields: { surname: [null, `S${seq}`], status: [null, 'new'] },
    installationId: SENDER,
    at: '2026-01-15T10:00:00.000Z',
    ...extra,
  });
}

const goodChanges = Buffer.from([change(1), change(2)].join('\n') + '\n');

async function receiver(): Promise<Laptop> {
  const b = laptop();
  await call(b, 'exchange.trustPeer', { installationId: SENDER, publicKey: keys.publicKey, name: 'T' });
  b.ctx.store.insert('t_case', { surname: 'already here' });
  return b;
}

async function bundle(spec: Partial<RawBundleSpec>): Promise<string> {
  const file = path.join(tempDir(), `${randomUUID()}.htmp`);
  await buildRawBundle(file, {
    keys,
    installationId: SENDER,
    files: [{ name: 'records/changes.jsonl', data: goodChanges }],
    ...spec,
    manifest: (m) => {
      m.meta = { since: 0, upTo: 2 };
      spec.manifest?.(m);
    },
  });
  return file;
}

async function refusal(b: Laptop, file: string): Promise<string> {
  const before = dbFileHash(b);
  const rows = snapshot(b);
  const err = await call(b, 'exchange.import', { file, trustNewPeer: false }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppFailure);
  expect(dbFileHash(b)).toBe(before);
  expect(snapshot(b)).toEqual(rows);
  return (err as AppFailure).code;
}

describe('hostile sync bundles leave the database byte-for-byte unchanged', () => {
  it('a valid control bundle does import (the fixtures are sound)', async () => {
    const b = await receiver();
    const r = await call(b, 'exchange.import', { file: await bundle({}) });
    expect(r.imported).toBe(2);
  });

  const cases: [string, string, () => Promise<string>][] = [
    [
      'path with ..',
      'bundle.unsafe_path',
      async () => {
        const f = await bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges }, { name: 'zz/zz/evil', data: Buffer.from('x') }] });
        await patchBytes(f, 'zz/zz/evil', '../../evil');
        return f;
      },
    ],
    ['symlink entry', 'bundle.unsafe_path', () => bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges }, { name: 'files/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }] })],
    ['content differs from its declared hash', 'bundle.hash_mismatch', () => bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges, declare: { sha256: 'a'.repeat(64) } }] })],
    ['manifest changed after signing', 'bundle.signature_invalid', () => bundle({ afterSign: (b) => Buffer.from(b.toString('utf8').replace('"since":0', '"since":1')) })],
    ['unknown key of an unknown laptop', 'bundle.untrusted_sender', () => bundle({ keys: stranger, installationId: 'laptop-stranger' })],
    ['another key for a known laptop', 'bundle.key_changed', () => bundle({ keys: stranger })],
    ['format major 3', 'bundle.unsupported_version', () => bundle({ manifest: (m) => void (m.version = '3.0') })],
    ['zip bomb (compression ratio)', 'bundle.too_large', () => bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges }, { name: 'files/zeros', data: Buffer.alloc(8 * 1024 * 1024) }] })],
    ['a record that is not JSON', 'bundle.invalid_record', () => bundle({ files: [{ name: 'records/changes.jsonl', data: Buffer.from(change(1) + '\n{not json\n') }] })],
    ['a record of an unknown table', 'bundle.invalid_record', () => bundle({ files: [{ name: 'records/changes.jsonl', data: Buffer.from(change(1) + '\n' + change(2, { table: 'sqlite_master' }) + '\n') }] })],
    ['a record with an unknown column', 'bundle.invalid_record', () => bundle({ files: [{ name: 'records/changes.jsonl', data: Buffer.from(change(1) + '\n' + change(2, { fields: { evil: [null, 1] } }) + '\n') }] })],
    ['a record that fails the schema', 'bundle.invalid_record', () => bundle({ files: [{ name: 'records/changes.jsonl', data: Buffer.from(change(1, { op: 'drop' }) + '\n') }] })],
    ['an entry not in the manifest', 'bundle.invalid_record', () => bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges }, { name: 'records/extra.jsonl', data: Buffer.from('{}'), declare: false }] })],
    ['sync meta missing', 'bundle.invalid_record', () => bundle({ manifest: (m) => void (m.meta = {}) })],
  ];
  for (const [name, code, make] of cases) {
    it(`${name} → ${code}`, async () => {
      const b = await receiver();
      expect(await refusal(b, await make())).toBe(code);
    });
  }

  it('a size in the zip that differs from the declared one → bundle.hash_mismatch', async () => {
    const b = await receiver();
    const file = await bundle({ files: [{ name: 'records/changes.jsonl', data: goodChanges, declare: { size: goodChanges.length + 1 } }] });
    expect(await refusal(b, file)).toBe('bundle.hash_mismatch');
  });

  it('a central directory entry turned into a directory → bundle.unsafe_path', async () => {
    const b = await receiver();
    const file = await bundle({});
    await patchCentralDirectory(file, (buf, at, name) => {
      if (name === 'records/changes.jsonl') buf.writeUInt32LE(0o040755 << 16, at + 38);
    });
    expect(await refusal(b, file)).toBe('bundle.unsafe_path');
  });

  it('an import cancelled before it commits changes nothing', async () => {
    const b = await receiver();
    const file = await bundle({});
    const before = dbFileHash(b);
    const p = call(b, 'exchange.import', { file, jobId: 'j1' });
    await call(b, 'exchange.cancel', { jobId: 'j1' });
    const r = await p.catch((e: unknown) => e);
    expect(r).toBeInstanceOf(AppFailure);
    expect((r as AppFailure).code).toBe('bundle.cancelled');
    expect(dbFileHash(b)).toBe(before);
  });
});
