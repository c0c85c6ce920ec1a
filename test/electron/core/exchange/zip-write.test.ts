import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBundle, writeBundle } from '../../../../electron/core/exchange/archive';
import { generateKeyPair } from '../../../../electron/core/exchange/keys';
import { crc32, ZipWriter } from '../../../../electron/core/exchange/zip-write';

const keys = generateKeyPair();
const sender = { installationId: 'laptop-a', ...keys };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'htmp-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function entries(file: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const out: yauzl.Entry[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        out.push(e);
        zip.readEntry();
      });
      zip.on('end', () => {
        zip.close();
        resolve(out);
      });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('zip writer (zip-write.ts)', () => {
  test('entries in pieces, stored and deflated, known and streamed: CRC-32 and sizes as unzip checks them', async () => {
    const a = Buffer.from(Array.from({ length: 1000 }, (_, i) => `Жұмабекова ${(i * 7919) % 1000}`).join(' '));
    const b = Buffer.from('second piece');
    const file = join(dir, 'pieces.htmp');
    const r = await writeBundle({
      file,
      kind: 'referral',
      sender,
      meta: {},
      entries: [
        { path: 'records/parts.json', source: { parts: [a, b] }, compress: false },
        { path: 'records/parts-deflated.json', source: { parts: [a, b] } },
        { path: `files/${sha(Buffer.concat([a, b]))}`, source: { parts: [a, Buffer.alloc(0), b] }, compress: false },
        { path: 'records/streamed.json', source: { stream: () => Readable.from([a, b]) } },
      ],
    });
    expect(r.entries).toBe(4);
    execFileSync('unzip', ['-tq', file]);
    const reader = await openBundle(file, { isTrusted: () => true });
    try {
      for (const p of ['records/parts.json', 'records/parts-deflated.json', 'records/streamed.json']) expect(await reader.readEntry(p)).toEqual(Buffer.concat([a, b]));
      expect((await reader.verifyAll()).entries).toBe(4);
    } finally {
      await reader.close();
    }
    // Entries given as bytes carry CRC and sizes in their local header (no data descriptor); streamed ones in a descriptor.
    const byName = new Map((await entries(file)).map((e) => [e.fileName, e]));
    expect(byName.get('records/parts.json')!.generalPurposeBitFlag & 8).toBe(0);
    expect(byName.get('records/streamed.json')!.generalPurposeBitFlag & 8).toBe(8);
    expect(byName.get('records/parts-deflated.json')!.compressionMethod).toBe(8);
  });

  test('more than 65,535 entries: ZIP64 end records that yauzl and unzip read', async () => {
    const file = join(dir, 'many.zip');
    const fh = await open(file, 'w');
    const zip = new ZipWriter(fh, new Date('2026-12-01T10:00:00Z'), 0o100644, () => undefined);
    const n = 65_600;
    for (let i = 0; i < n; i++) {
      const data = Buffer.from(`entry ${i}\n`);
      if (i % 2 === 0) await zip.addKnown(`e/${i}.txt`, 0, [data], crc32(data), data.length);
      else await zip.addKnown(`e/${i}.txt`, 8, [deflateRawSync(data)], crc32(data), data.length);
    }
    await zip.finish();
    await fh.close();
    const list = await entries(file);
    expect(list).toHaveLength(n);
    expect(list[n - 1]!.fileName).toBe(`e/${n - 1}.txt`);
    execFileSync('unzip', ['-tq', file], { maxBuffer: 64 * 1024 * 1024 });
  });
});
