/**
 * Hostile and damaged bundles, each built in the test so that exactly one thing is wrong.
 * Every case must be refused by openBundle (or, for content, by the verifying stream) with
 * its own code before anything could be imported.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBundle, writeBundle, type OpenBundleOptions } from '../../../../electron/core/exchange/archive';
import { BundleError, type BundleErrorCode } from '../../../../electron/core/exchange/errors';
import { fingerprint, generateKeyPair } from '../../../../electron/core/exchange/keys';
import { buildRawBundle, patchBytes, patchCentralDirectory, sha256, type RawBundleSpec } from './fixtures/hostile';

const keys = generateKeyPair();
const trustAll: OpenBundleOptions = { isTrusted: () => true };
const record = Buffer.from('{"protocol":"12/2026","surname":"Сейітова"}\n');
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'htmp-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function build(spec: Omit<RawBundleSpec, 'keys'> & { keys?: RawBundleSpec['keys'] }): Promise<string> {
  const file = join(dir, `b${n++}.htmp`);
  await buildRawBundle(file, { keys, ...spec });
  return file;
}

async function refused(file: string, code: BundleErrorCode, opts: OpenBundleOptions = trustAll): Promise<BundleError> {
  const err = await openBundle(file, opts).then(
    async (r) => {
      await r.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(BundleError);
  expect((err as BundleError).code).toBe(code);
  return err as BundleError;
}

test('the unmodified fixture opens (so every refusal below is caused by its one defect)', async () => {
  const file = await build({ files: [{ name: 'records/a.json', data: record }] });
  const reader = await openBundle(file, trustAll);
  await reader.verifyAll();
  await reader.close();
});

describe('unsafe paths', () => {
  test.each([
    ['QQ/x', '../x', 'dot_segment'],
    ['Qabs', '/abs', 'absolute'],
    ['Cq_x', 'C:\\x', 'backslash'],
    ['Cq/x', 'C:/x', 'drive_letter'],
    ['a_b.json', 'a\\b.json', 'backslash'],
    ['records/QQQQQx', 'records/./../x', 'dot_segment'],
    ['records/Qx', 'records//x', 'not_normalised'],
    ['records/aux.json', 'records/AUX.json', 'reserved_name'],
  ])('%s patched to %s', async (placeholder, hostile, reason) => {
    const file = await build({ files: [{ name: placeholder, data: record }] });
    await patchBytes(file, placeholder, hostile);
    const err = await refused(file, 'bundle.unsafe_path');
    expect(err.params.reason).toBe(reason);
  });

  test('symlink entry (unix mode bits) built with yazl', async () => {
    const file = await build({ files: [{ name: 'records/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }] });
    expect((await refused(file, 'bundle.unsafe_path')).params.reason).toBe('symlink');
  });

  test('symlink entry made by Debian zip --symlinks', async () => {
    const src = await mkdtemp(join(dir, 'zip-'));
    await symlink('/etc/passwd', join(src, 'passwd'));
    const file = join(dir, `zip-symlink-${n++}.htmp`);
    execFileSync('zip', ['-q', '--symlinks', file, 'passwd'], { cwd: src });
    expect((await refused(file, 'bundle.unsafe_path')).params.reason).toBe('symlink');
  });

  test('directory entry', async () => {
    const src = await mkdtemp(join(dir, 'zipdir-'));
    await writeFile(join(src, 'x.json'), '{}');
    const file = join(dir, `zip-dir-${n++}.htmp`);
    execFileSync('zip', ['-q', '-r', file, '.'], { cwd: src });
    execFileSync('mkdir', ['-p', join(src, 'records')]);
    execFileSync('zip', ['-q', file, 'records'], { cwd: src });
    expect((await refused(file, 'bundle.unsafe_path')).params.reason).toBe('directory');
  });

  test('two names that collide on Windows/macOS', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }, { name: 'records/A.json', data: record }] });
    expect((await refused(file, 'bundle.unsafe_path')).params.reason).toBe('case_collision');
  });
});

describe('zip and manifest disagree', () => {
  test('entry not in the manifest', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }, { name: 'records/extra.json', data: record, declare: false }] });
    const err = await refused(file, 'bundle.invalid_record');
    expect(err.params).toMatchObject({ path: 'records/extra.json', reason: 'undeclared_entry' });
  });

  test('manifest entry missing from the zip', async () => {
    const file = await build({
      files: [{ name: 'records/a.json', data: record }],
      manifest: (m) => (m.entries as object[]).push({ path: 'files/gone', sha256: sha256(record), size: record.length }),
    });
    expect((await refused(file, 'bundle.invalid_record')).params).toMatchObject({ path: 'files/gone', reason: 'missing_entry' });
  });

  test('size differs from declared', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record, declare: { size: record.length + 1 } }] });
    expect((await refused(file, 'bundle.hash_mismatch')).params).toMatchObject({ reason: 'size', expected: record.length + 1, actual: record.length });
  });

  test('duplicate entry names in the zip', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }, { name: 'records/b.json', data: record }] });
    await patchBytes(file, 'records/b.json', 'records/a.json');
    expect((await refused(file, 'bundle.invalid_record')).params).toMatchObject({ reason: 'duplicate_entry' });
  });

  test('duplicate path in the manifest', async () => {
    const file = await build({
      files: [{ name: 'records/a.json', data: record }],
      manifest: (m) => (m.entries as object[]).push({ path: 'records/a.json', sha256: sha256(record), size: record.length }),
    });
    expect((await refused(file, 'bundle.invalid_record')).params).toMatchObject({ reason: 'duplicate_entry' });
  });

  test('content hash mismatch: the manifest is intact, one stored byte flipped', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record, compress: false }] });
    await patchBytes(file, '12/2026', '13/2026');
    const reader = await openBundle(file, trustAll); // sizes agree: caught while streaming
    for (const p of [reader.readEntry('records/a.json'), reader.verifyAll()]) {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(BundleError);
      expect((err as BundleError).code).toBe('bundle.hash_mismatch');
    }
    const stream = reader.openEntryStream('records/a.json');
    const streamErr = await new Promise((resolve) => {
      stream.on('error', resolve).on('end', () => resolve(null)).resume();
    });
    expect((streamErr as BundleError).code).toBe('bundle.hash_mismatch');
    await reader.close();
  });

  test('an unknown path is not readable', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }] });
    const reader = await openBundle(file, trustAll);
    expect(() => reader.openEntryStream('manifest.json')).toThrow(BundleError);
    await reader.close();
  });
});

describe('manifest, signature, trust, version', () => {
  test('tampered manifest: signature invalid', async () => {
    const file = await build({
      files: [{ name: 'records/a.json', data: record }],
      afterSign: (b) => Buffer.from(b.toString('utf8').replace('"kind":"sync"', '"kind":"backup"')),
    });
    expect((await refused(file, 'bundle.signature_invalid')).params.fingerprint).toBe(fingerprint(keys.publicKey));
  });

  test('manifest signed by another key than the one it names', async () => {
    const other = generateKeyPair();
    const file = await build({ files: [{ name: 'records/a.json', data: record }], manifest: (m) => ((m.sender as { publicKey: string }).publicKey = other.publicKey) });
    await refused(file, 'bundle.signature_invalid');
  });

  test('manifest.sig missing or garbage', async () => {
    await refused(await build({ files: [], signature: null }), 'bundle.signature_invalid');
    await refused(await build({ files: [], signature: Buffer.from('not base64!') }), 'bundle.signature_invalid');
  });

  test('unknown major version', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }], manifest: (m) => (m.version = '3.0') });
    expect((await refused(file, 'bundle.unsupported_version')).params.version).toBe('3.0');
  });

  test('unknown kind from a newer program', async () => {
    const file = await build({ files: [], manifest: (m) => (m.kind = 'statistics') });
    expect((await refused(file, 'bundle.unsupported_version')).params.kind).toBe('statistics');
  });

  test('schema-invalid manifest', async () => {
    const file = await build({ files: [], manifest: (m) => (m.bundleId = 'not-a-uuid') });
    expect((await refused(file, 'bundle.invalid_record')).params).toMatchObject({ path: 'manifest.json', field: 'bundleId' });
  });

  test('manifest declares an unsafe path', async () => {
    const file = await build({ files: [], manifest: (m) => (m.entries as object[]).push({ path: '../evil', sha256: sha256(record), size: 1 }) });
    expect((await refused(file, 'bundle.unsafe_path')).params).toMatchObject({ path: '../evil', reason: 'dot_segment' });
  });

  test('untrusted sender: refused with fingerprint and key; the trust callback sees the sender and the kind', async () => {
    const file = await build({ files: [{ name: 'records/a.json', data: record }] });
    const seen: unknown[] = [];
    const err = await refused(file, 'bundle.untrusted_sender', {
      isTrusted: (pk, who) => {
        seen.push([pk, who]);
        return false;
      },
    });
    expect(err.params).toMatchObject({ fingerprint: fingerprint(keys.publicKey), publicKey: keys.publicKey, installationId: 'laptop-test', name: 'Тест' });
    expect(seen).toEqual([[keys.publicKey, { fingerprint: fingerprint(keys.publicKey), installationId: 'laptop-test', name: 'Тест', kind: 'sync' }]]);
    await refused(file, 'bundle.untrusted_sender', {}); // no trust store: nobody is trusted
    const async = await openBundle(file, { isTrusted: async (pk) => pk === keys.publicKey });
    await async.close();
  });
});

describe('size limits and zip bombs', () => {
  test('too many entries', async () => {
    const files = Array.from({ length: 30 }, (_, i) => ({ name: `records/r${i}.json`, data: record }));
    const file = await build({ files });
    expect((await refused(file, 'bundle.too_large', { ...trustAll, limits: { maxEntries: 10 } })).params.reason).toBe('entries');
    const ok = await openBundle(file, { ...trustAll, limits: { maxEntries: 30 } });
    await ok.close();
  });

  test('highly compressible entry above maxEntrySize', async () => {
    const file = await build({ files: [{ name: 'files/zeros', data: Buffer.alloc(30 * 1024 * 1024) }] });
    expect((await refused(file, 'bundle.too_large', { ...trustAll, limits: { maxEntrySize: 10 * 1024 * 1024 } })).params.reason).toBe('entry_size');
  });

  test('compression ratio above the limit even within the size limits', async () => {
    const file = await build({ files: [{ name: 'files/zeros', data: Buffer.alloc(5 * 1024 * 1024) }] });
    expect((await refused(file, 'bundle.too_large')).params.reason).toBe('compression_ratio');
  });

  test('total size above maxTotalSize', async () => {
    const data = randomBytes(300_000);
    const file = await build({ files: [{ name: 'files/a', data }, { name: 'files/b', data }] });
    expect((await refused(file, 'bundle.too_large', { ...trustAll, limits: { maxTotalSize: 500_000 } })).params.reason).toBe('total_size');
  });

  test('lying sizes: central directory and manifest claim less than the entry inflates to', async () => {
    const data = Buffer.alloc(2 * 1024 * 1024, 0x41);
    const small = 1000;
    const file = await build({ files: [{ name: 'files/bomb', data, declare: { size: small } }] });
    await patchCentralDirectory(file, (buf, at, name) => {
      if (name === 'files/bomb') buf.writeUInt32LE(small, at + 24);
    });
    const reader = await openBundle(file, trustAll); // nothing to see without inflating
    const err = await reader.verifyAll().then(() => null, (e: unknown) => e);
    expect((err as BundleError).code).toBe('bundle.too_large');
    expect((err as BundleError).params.reason).toBe('inflated_beyond_declared');
    await reader.close();
  });

  test('manifest above maxManifestSize', async () => {
    const file = await build({ files: [], manifest: (m) => (m.meta = { pad: 'x'.repeat(20_000) }) });
    expect((await refused(file, 'bundle.too_large', { ...trustAll, limits: { maxManifestSize: 10_000 } })).params.path).toBe('manifest.json');
  });
});

describe('not a bundle', () => {
  test.each([
    ['random bytes', () => randomBytes(4096)],
    ['empty file', () => Buffer.alloc(0)],
    ['a text file', () => Buffer.from('ЖТМК хаттамасы\n')],
  ])('%s', async (_name, make) => {
    const file = join(dir, `junk-${n++}.htmp`);
    await writeFile(file, make());
    await refused(file, 'bundle.not_a_bundle');
  });

  test('a zip without manifest', async () => {
    expect((await refused(await build({ files: [{ name: 'a.txt', data: record }], omitManifest: true }), 'bundle.not_a_bundle')).params.reason).toBe('no_manifest');
  });

  test('a zip whose manifest is another format', async () => {
    const file = await build({ files: [], manifest: (m) => (m.format = 'other') });
    await refused(file, 'bundle.not_a_bundle');
  });

  test('a truncated bundle (copy interrupted)', async () => {
    const sender = { installationId: 'x', ...keys };
    const file = join(dir, `trunc-${n++}.htmp`);
    await writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [{ path: 'files/r', source: { buffer: randomBytes(50_000) } }] });
    const { readFile } = await import('node:fs/promises');
    const buf = await readFile(file);
    await writeFile(file, buf.subarray(0, buf.length - 100));
    await refused(file, 'bundle.not_a_bundle');
  });
});
