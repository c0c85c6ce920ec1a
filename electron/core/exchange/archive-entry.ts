/**
 * One stored entry of a bundle read synchronously from an open descriptor: its local header,
 * its bytes, inflated when deflated (never beyond the declared size), then size and SHA-256
 * checked against the signed manifest. What `BundleReader.readEntrySync` does, as a function of
 * plain data (`EntryRef`), so a worker thread can read entries of the same file
 * (attachments-worker.ts) without the reader.
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { BundleError } from './errors';

/** Where an entry is and what the manifest says of it. */
export interface EntryRef {
  /** Offset of its local header in the file. */
  offset: number;
  compressedSize: number;
  /** ZIP compression method: 0 stored, 8 deflated. */
  method: number;
  /** Declared (plain) size and SHA-256, from the signed manifest. */
  size: number;
  sha256: string;
}

export function readEntryAt(fd: number, ref: EntryRef, path: string, limit: number): Buffer {
  if (ref.size > limit) throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit, size: ref.size });
  const head = Buffer.alloc(30);
  if (readSync(fd, head, 0, 30, ref.offset) !== 30 || head.readUInt32LE(0) !== 0x04034b50) {
    throw new BundleError('bundle.not_a_bundle', { path, reason: 'zip_structure' });
  }
  const start = ref.offset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  const raw = Buffer.alloc(ref.compressedSize);
  if (readSync(fd, raw, 0, raw.length, start) !== raw.length) throw new BundleError('bundle.hash_mismatch', { path, reason: 'size' });
  let data: Buffer;
  if (ref.method === 0) data = raw;
  else {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, ref.size), chunkSize: 1 << 20 });
    } catch (err) {
      if (err instanceof RangeError) throw new BundleError('bundle.too_large', { path, reason: 'inflated_beyond_declared' }, { cause: err });
      throw new BundleError('bundle.hash_mismatch', { path, reason: 'corrupt' }, { cause: err });
    }
  }
  if (data.length !== ref.size) throw new BundleError('bundle.hash_mismatch', { path, reason: 'size', expected: ref.size, actual: data.length });
  if (createHash('sha256').update(data).digest('hex') !== ref.sha256) throw new BundleError('bundle.hash_mismatch', { path, reason: 'content' });
  return data;
}
