import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBundle, writeBundle, type WriteBundleEntry } from '../../../../electron/core/exchange/archive';
import { BundleError } from '../../../../electron/core/exchange/errors';
import { generateKeyPair } from '../../../../electron/core/exchange/keys';
import { attachmentPath, caseFolderPath, unsafePathReason } from '../../../../electron/core/exchange/manifest';

const keys = generateKeyPair();
const sender = { installationId: 'laptop-a', name: 'Аймақ 1', ...keys };
const trustAll = { isTrusted: () => true };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'htmp-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

/** A stream of `size` pseudo-random (incompressible) bytes made chunk by chunk. */
function randomStream(size: number, chunk = 64 * 1024): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, left);
      left -= n;
      this.push(randomBytes(n));
    },
  });
}

async function expectCode(p: Promise<unknown>, code: string): Promise<BundleError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(BundleError);
  expect((err as BundleError).code).toBe(code);
  return err as BundleError;
}

describe('round trip', () => {
  test('200 entries from file, buffer and stream sources; dedupe of files/<sha256>', async () => {
    const expected = new Map<string, Buffer>();
    const items: WriteBundleEntry[] = [];
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`{"id":${i},"surname":"Жұмабекова","note":"${'x'.repeat(i)}"}\n`);
      const kind = i % 3;
      let path: string;
      if (kind === 0) {
        path = `records/r${i}.json`;
        items.push({ path, source: { buffer: data }, role: 'record' });
      } else if (kind === 1) {
        const f = join(dir, `src-${i}.bin`);
        await writeFile(f, data);
        path = `cases/${i}_Иванов/выписка.pdf`;
        items.push({ path, source: { file: f }, role: 'document', compress: false });
      } else {
        path = `files/${sha(data)}`;
        items.push({ path, source: { stream: () => Readable.from([data.subarray(0, 5), data.subarray(5)]) }, role: 'attachment' });
      }
      expected.set(path, data);
    }
    // the same attachment again: stored once
    const again = items.find((e) => e.path.startsWith('files/'))!;
    items.push(again);

    const progress: number[] = [];
    const file = join(dir, 'round.htmp');
    const res = await writeBundle({
      file,
      kind: 'referral',
      sender,
      meta: { counts: { cases: 200 }, watermark: { 'laptop-b': 17 } },
      entries: fromArray(items),
      onProgress: (p) => progress.push(p.entries),
      generator: { name: 'htmp-desk', version: '0.1.0' },
    });
    expect(res.entries).toBe(200);
    expect(progress.at(-1)).toBe(200);
    expect(res.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const reader = await openBundle(file, trustAll);
    try {
      expect(reader.manifest.kind).toBe('referral');
      expect(reader.manifest.sender.name).toBe('Аймақ 1');
      expect(reader.manifest.meta).toEqual({ counts: { cases: 200 }, watermark: { 'laptop-b': 17 } });
      expect(reader.fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
      expect(reader.entries).toHaveLength(200);
      for (const [path, data] of expected) expect(await reader.readEntry(path)).toEqual(data);
      const anyFile = [...expected.keys()].find((p) => p.startsWith('files/'))!;
      expect(reader.pathsForHash(anyFile.slice(6))).toEqual([anyFile]);
      const v = await reader.verifyAll();
      expect(v.entries).toBe(200);
      expect(v.bytes).toBe([...expected.values()].reduce((n, b) => n + b.length, 0));
    } finally {
      await reader.close();
    }
    // interoperability: Debian's unzip accepts the archive as a plain zip
    execFileSync('unzip', ['-tq', file]);
  });

  test('a central directory larger than the read window (3,000 long names): every entry read back, streamed and synchronously, in any order; the descriptor closed after', async () => {
    const fds = (): number => readdirSync('/proc/self/fd').length;
    const expected = new Map<string, Buffer>();
    const items: WriteBundleEntry[] = [];
    for (let i = 0; i < 3000; i++) {
      const data = Buffer.from(`{"n":${i}}\n`);
      const path = `records/${String(i).padStart(5, '0')}-${'д'.repeat(60)}.json`;
      items.push({ path, source: { buffer: data }, role: 'record' });
      expected.set(path, data);
    }
    const file = join(dir, 'wide.htmp');
    await writeBundle({ file, kind: 'referral', sender, meta: {}, entries: fromArray(items), generator: { name: 'htmp-desk', version: '0.1.0' } });
    const before = fds();
    const reader = await openBundle(file, trustAll);
    try {
      expect(reader.entries).toHaveLength(3000);
      const paths = [...expected.keys()];
      // back to front, then every 7th streamed while others are read synchronously
      for (const path of [...paths].reverse()) expect(reader.readEntrySync(path)).toEqual(expected.get(path));
      await Promise.all(paths.filter((_, i) => i % 7 === 0).map(async (path) => expect(await reader.readEntry(path)).toEqual(expected.get(path))));
      expect((await reader.verifyAll()).entries).toBe(3000);
    } finally {
      await reader.close();
    }
    expect(fds()).toBe(before);
    // a file that is not a zip leaves no descriptor open either
    const junk = join(dir, 'junk.htmp');
    await writeFile(junk, randomBytes(100_000));
    await expectCode(openBundle(junk, trustAll), 'bundle.not_a_bundle');
    expect(fds()).toBe(before);
  });

  test('a 20 MB entry is streamed with bounded memory, both ways', async () => {
    const size = 20 * 1024 * 1024;
    const file = join(dir, 'big.htmp');
    // A real GC before each sample, so the figure is what is held, not garbage not yet collected.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    let samples = 0;
    const sample = (): void => {
      samples++;
      gc();
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed - base.heapUsed + (m.arrayBuffers - base.arrayBuffers));
    };
    const res = await writeBundle({
      file,
      kind: 'backup',
      sender,
      meta: {},
      entries: fromArray<WriteBundleEntry>([{ path: 'files/big.bin', source: { stream: () => randomStream(size) }, compress: false }]),
      onProgress: sample,
    });
    expect(res.contentBytes).toBe(size);
    const reader = await openBundle(file, trustAll);
    let seen = 0;
    const stream = reader.openEntryStream('files/big.bin');
    for await (const chunk of stream) {
      seen += (chunk as Buffer).length;
      if (seen % (1024 * 1024) < (chunk as Buffer).length) sample();
    }
    expect(seen).toBe(size);
    await reader.verifyAll(sample);
    await reader.close();
    // Holding the entry would cost 20 MB at least; streaming stays within a few chunks plus GC slack.
    expect(samples).toBeGreaterThan(40);
    expect(peak).toBeLessThan(8 * 1024 * 1024);
  });

  test('entries already written are not held: 40 buffers of 2 MB never cost more than a few of them', async () => {
    // The writer once kept every entry (its whole buffer) until the archive ended: a sync export of
    // 100,000 cases grew to 448 MB that way (issue 17).
    const n = 40;
    const size = 2 * 1024 * 1024;
    const file = join(dir, 'many.htmp');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    async function* many(): AsyncIterable<WriteBundleEntry> {
      for (let i = 0; i < n; i++) {
        gc();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        yield { path: `records/r${i}.bin`, source: { buffer: randomBytes(size) }, compress: false };
      }
    }
    const res = await writeBundle({ file, kind: 'backup', sender, meta: {}, entries: many() });
    expect(res.entries).toBe(n);
    gc();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    // Held, the 40 buffers would be 80 MB; streamed, a few entries at most.
    expect(peak).toBeLessThan(10 * size);
  });

  test('newer MINOR with unknown fields is accepted', async () => {
    const { buildRawBundle } = await import('./fixtures/hostile');
    const file = join(dir, 'minor.htmp');
    await buildRawBundle(file, {
      keys,
      files: [{ name: 'records/a.jsonl', data: Buffer.from('{"a":1}\n') }],
      manifest: (m) => {
        m.version = '1.7';
        m.futureField = { x: 1 };
      },
    });
    const reader = await openBundle(file, trustAll);
    expect(reader.manifest.version).toBe('1.7');
    expect(await reader.readEntry('records/a.jsonl')).toEqual(Buffer.from('{"a":1}\n'));
    await reader.close();
  });

  test('case folders and attachment paths built by the helpers are valid entry paths', async () => {
    const data = Buffer.from('%PDF-1.4 fake');
    const folder = caseFolderPath('ЖТМК-12/2026', 'Әбілқасымова: "CON". ');
    const file = join(dir, 'helpers.htmp');
    await writeBundle({
      file,
      kind: 'referral',
      sender,
      meta: {},
      entries: [
        { path: `${folder}/protocol.pdf`, source: { buffer: data } },
        { path: attachmentPath(sha(data)), source: { buffer: data } },
      ],
    });
    const reader = await openBundle(file, trustAll);
    expect(reader.pathsForHash(sha(data)).sort()).toEqual([`${folder}/protocol.pdf`, `files/${sha(data)}`].sort());
    await reader.close();
  });
});

describe('writer refusals and cancellation', () => {
  test('cancellation while an entry streams leaves neither the bundle nor the partial file', async () => {
    const sub = await mkdtemp(join(dir, 'cancel-'));
    const file = join(sub, 'cancelled.htmp');
    const ctrl = new AbortController();
    const p = writeBundle({
      file,
      kind: 'sync',
      sender,
      meta: {},
      entries: fromArray<WriteBundleEntry>([
        { path: 'records/a.json', source: { buffer: Buffer.from('{}') } },
        { path: 'files/big', source: { stream: () => randomStream(50 * 1024 * 1024) } },
      ]),
      onProgress: (pr) => {
        if (pr.bytes > 2 * 1024 * 1024) ctrl.abort();
      },
      signal: ctrl.signal,
    });
    await expectCode(p, 'bundle.cancelled');
    expect(await readdir(sub)).toEqual([]);
  });

  test('cancellation of a source that never ends still finishes and cleans up', async () => {
    const sub = await mkdtemp(join(dir, 'cancel2-'));
    const file = join(sub, 'stuck.htmp');
    const ctrl = new AbortController();
    const never = new Readable({ read() {} });
    setTimeout(() => ctrl.abort(), 50);
    await expectCode(
      writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [{ path: 'files/x', source: { stream: () => never } }], signal: ctrl.signal }),
      'bundle.cancelled',
    );
    expect(await readdir(sub)).toEqual([]);
  });

  test('a failing source (missing file) passes the disk error on and leaves nothing', async () => {
    const sub = await mkdtemp(join(dir, 'missing-'));
    const file = join(sub, 'm.htmp');
    const err = await writeBundle({
      file,
      kind: 'sync',
      sender,
      meta: {},
      entries: [
        { path: 'records/a.json', source: { buffer: Buffer.from('{}') } },
        { path: 'files/x', source: { file: join(sub, 'does-not-exist') } },
      ],
    }).then(() => null, (e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(await readdir(sub)).toEqual([]);
  });

  test('verifyAll can be cancelled', async () => {
    const file = join(dir, 'verify-cancel.htmp');
    await writeBundle({ file, kind: 'backup', sender, meta: {}, entries: [{ path: 'files/r', source: { stream: () => randomStream(8 * 1024 * 1024) }, compress: false }] });
    const reader = await openBundle(file, trustAll);
    const ctrl = new AbortController();
    await expectCode(reader.verifyAll((p) => p.bytes > 1024 * 1024 && ctrl.abort(), ctrl.signal), 'bundle.cancelled');
    await reader.close();
  });

  test('an already aborted signal writes nothing', async () => {
    const file = join(dir, 'pre-aborted.htmp');
    await expectCode(
      writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [], signal: AbortSignal.abort() }),
      'bundle.cancelled',
    );
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });

  test.each([
    ['../x', 'bundle.unsafe_path'],
    ['manifest.json', 'bundle.unsafe_path'],
    ['a\\b', 'bundle.unsafe_path'],
  ])('writer refuses path %s', async (path, code) => {
    const file = join(dir, 'bad-path.htmp');
    await expectCode(writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [{ path, source: { buffer: Buffer.from('x') } }] }), code);
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });

  test('writer refuses a repeated non-attachment path, a case collision and a misnamed attachment', async () => {
    const file = join(dir, 'dup.htmp');
    const one = { path: 'records/a.json', source: { buffer: Buffer.from('1') } };
    const e1 = await expectCode(writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [one, one] }), 'bundle.invalid_record');
    expect(e1.params.reason).toBe('duplicate_entry');
    const e2 = await expectCode(
      writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [one, { ...one, path: 'records/A.json' }] }),
      'bundle.invalid_record',
    );
    expect(e2.params.reason).toBe('case_collision');
    await expectCode(
      writeBundle({ file, kind: 'sync', sender, meta: {}, entries: [{ path: `files/${'0'.repeat(64)}`, source: { buffer: Buffer.from('not zero') } }] }),
      'bundle.hash_mismatch',
    );
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });

  test('writer refuses a bundle above maxBundleSize and a private key that does not match', async () => {
    const file = join(dir, 'cap.htmp');
    await expectCode(
      writeBundle({ file, kind: 'backup', sender, meta: {}, maxBundleSize: 100_000, entries: [{ path: 'files/r', source: { stream: () => randomStream(300_000) } }] }),
      'bundle.too_large',
    );
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
    const other = generateKeyPair();
    await expectCode(
      writeBundle({ file, kind: 'sync', sender: { ...sender, privateKey: other.privateKey }, meta: {}, entries: [] }),
      'bundle.signature_invalid',
    );
  });
});

describe('property', () => {
  const segment = fc.stringMatching(/^[a-zа-яёәғқңөұүһі0-9_-]{1,12}$/);
  const entrySet = fc.uniqueArray(
    fc.record({
      // Only paths the format allows (reserved device names like `con` are refused by design and
      // tested among the hostile archives).
      path: fc
        .array(segment, { minLength: 1, maxLength: 3 })
        .map((s) => s.join('/'))
        .filter((p) => unsafePathReason(p) === null),
      data: fc.uint8Array({ maxLength: 3000 }),
    }),
    { maxLength: 15, selector: (e) => e.path.toLowerCase() },
  );
  // a path may not also be a folder of another path in the same set (cannot extract both)
  const noPrefix = (set: { path: string }[]): boolean =>
    set.every((a) => set.every((b) => a === b || !b.path.toLowerCase().startsWith(`${a.path.toLowerCase()}/`)));

  test('random entry sets round-trip exactly', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(entrySet.filter(noPrefix), async (set) => {
        const file = join(dir, `prop-${n++}.htmp`);
        await writeBundle({
          file,
          kind: 'sync',
          sender,
          meta: { n },
          entries: fromArray(set.map((e, i) => ({ path: e.path, source: i % 2 ? { buffer: Buffer.from(e.data) } : { stream: () => Readable.from([Buffer.from(e.data)]) } }))),
        });
        const reader = await openBundle(file, trustAll);
        try {
          expect(reader.entries.map((e) => e.path)).toEqual(set.map((e) => e.path));
          for (const e of set) expect(await reader.readEntry(e.path)).toEqual(Buffer.from(e.data));
          await reader.verifyAll();
        } finally {
          await reader.close();
          await rm(file);
        }
      }),
      { numRuns: 40 },
    );
  });
});
