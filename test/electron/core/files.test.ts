/** The one file store: encrypted layout (keyed names, chunked AES-256-GCM), checks on every read. */
import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileStore, fileKey, sha256Of } from '../../../electron/core/files';
import { tempDir } from '../../support/temp';

const keys = { enc: randomBytes(32), name: randomBytes(32) };
const collect = async (r: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

describe('file store', () => {
  it('a file key is HKDF-SHA256 of the file key and the salt (files written before still open)', () => {
    for (let i = 0; i < 20; i++) {
      const enc = randomBytes(32);
      const salt = randomBytes(16);
      expect(fileKey(enc, salt).equals(Buffer.from(hkdfSync('sha256', enc, salt, 'htmp/file-content', 32)))).toBe(true);
    }
  });

  for (const size of [0, 1, 65_535 - 32, 65_536 - 32, 65_536, 131_072 - 32, 131_072 - 31, 200_000, 1_000_000]) {
    it(`round-trips ${size} bytes by buffer and by stream; equal content is stored once`, async () => {
      const dir = tempDir();
      const store = new FileStore(dir, keys);
      const content = randomBytes(size);
      const put = store.put(content);
      expect(put).toMatchObject({ sha256: sha256Of(content), size, existed: false });
      expect(store.put(content).existed).toBe(true);
      expect(store.read(put.sha256)!.equals(content)).toBe(true);
      expect((await collect(store.stream(put.sha256))).equals(content)).toBe(true);
      expect(store.listSync()).toEqual([{ sha256: put.sha256, size }]);
      // Stored by stream too, from another folder.
      const other = new FileStore(tempDir(), keys);
      expect(await other.storeStream(put.sha256, () => Readable.from([content.subarray(0, 7), content.subarray(7)]))).toBe(true);
      expect(other.read(put.sha256)!.equals(content)).toBe(true);
      // The in-memory writer (pieces, one writev) and the streaming one make files of one format.
      expect(store.files().map((f) => f.size)).toEqual(other.files().map((f) => f.size));
      // Staged (a sync import's way), then committed: readable by buffer and by stream.
      const third = new FileStore(tempDir(), keys);
      const staged = third.stage(put.sha256, content)!;
      expect(third.has(put.sha256)).toBe(false);
      expect(staged.commit()).toBe(true);
      expect(third.read(put.sha256)!.equals(content)).toBe(true);
      expect((await collect(third.stream(put.sha256))).equals(content)).toBe(true);
    });
  }

  it('a stream of other bytes than its hash stores nothing; a tampered, truncated or swapped file is refused', async () => {
    const dir = tempDir();
    const store = new FileStore(dir, keys);
    const a = store.put(randomBytes(150_000));
    const b = store.put(randomBytes(100));
    await expect(store.storeStream(sha256Of(Buffer.from('x')), () => Readable.from([Buffer.from('y')]))).rejects.toMatchObject({ code: 'files.damaged' });
    expect(store.files()).toHaveLength(2);
    const fileOf = (sha: string) => path.join(dir, 'files', store.nameOf(sha).slice(0, 2), store.nameOf(sha));
    const raw = fs.readFileSync(fileOf(a.sha256));
    const flip = Buffer.from(raw);
    flip[100_000] = flip[100_000]! ^ 1;
    fs.writeFileSync(fileOf(a.sha256), flip);
    expect(() => store.read(a.sha256)).toThrow(expect.objectContaining({ code: 'files.damaged' }));
    await expect(collect(store.stream(a.sha256))).rejects.toMatchObject({ code: 'files.damaged' });
    fs.writeFileSync(fileOf(a.sha256), raw.subarray(0, 65_536 + 40));
    expect(() => store.read(a.sha256)).toThrow(expect.objectContaining({ code: 'files.damaged' }));
    // b's bytes under a's name: the header says b, so it is refused.
    fs.copyFileSync(fileOf(b.sha256), fileOf(a.sha256));
    expect(() => store.read(a.sha256)).toThrow(expect.objectContaining({ code: 'files.damaged' }));
    // Names do not reveal the hash; another key reads nothing.
    expect(store.nameOf(b.sha256)).not.toBe(b.sha256);
    expect(() => new FileStore(dir, { enc: randomBytes(32), name: keys.name }).read(b.sha256)).toThrow();
  });
});
