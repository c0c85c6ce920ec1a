/**
 * Reading a sync bundle's records entries for the import (sync-import.ts): which entries, in
 * which order, each read whole (decrypted and inflated) and split into lines; the change ids
 * its changes resolve, found without parsing every line.
 */
import { inflateRawSync } from 'node:zlib';
import type { BundleReader } from './archive';
import { BundleError } from './errors';
import { decryptBuffer, entryKey } from './seal';
import { LEGACY_CHANGES_PATH, LEGACY_MAX_RECORDS_BYTES, MAX_RECORDS_ENTRY_BYTES, RECORDS_RE } from './sync-records';

export interface RecordsEntry {
  path: string;
  kind: 'state' | 'changes';
  /** The most bytes the stored entry may have (a 1.0 file keeps its 1.0 limit). */
  maxBytes: number;
}

/** The records entries of a sync bundle in the order they are applied: states, then changes. */
export function recordsEntries(reader: BundleReader): RecordsEntry[] {
  const out: (RecordsEntry & { n: number })[] = [];
  for (const e of reader.entries) {
    if (e.path === LEGACY_CHANGES_PATH) out.push({ path: e.path, kind: 'changes', n: 0, maxBytes: LEGACY_MAX_RECORDS_BYTES });
    const m = RECORDS_RE.exec(e.path);
    if (m) out.push({ path: e.path, kind: m[1] as 'state' | 'changes', n: Number(m[2]), maxBytes: m[3] ? 2 * MAX_RECORDS_ENTRY_BYTES : MAX_RECORDS_ENTRY_BYTES });
  }
  return out.sort((a, b) => (a.kind === b.kind ? a.n - b.n : a.kind === 'state' ? -1 : 1));
}

export interface Opened {
  reader: BundleReader;
  /** The content key of an encrypted bundle (null: plain). */
  contentKey: Buffer | null;
  chunkSize: number;
}

/** One records entry, synchronously: read (size and hash checked by the archive), decrypted, inflated. */
export function readRecords(o: Opened, path: string, maxBytes: number): Buffer {
  const stored = o.reader.readEntrySync(path, { maxBytes });
  if (o.contentKey === null) return stored;
  const packed = decryptBuffer(entryKey(o.contentKey, o.reader.manifest.bundleId, path), stored, o.chunkSize, path);
  try {
    return inflateRawSync(packed, { maxOutputLength: MAX_RECORDS_ENTRY_BYTES, chunkSize: 1 << 20 });
  } catch (err) {
    if (err instanceof RangeError) throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit: MAX_RECORDS_ENTRY_BYTES }, { cause: err });
    throw new BundleError('bundle.hash_mismatch', { path, reason: 'corrupt' }, { cause: err });
  }
}

/** The lines of a JSON Lines buffer with their numbers, decoded one at a time. */
export function* linesOf(buf: Buffer): Generator<[number, string]> {
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    line++;
    if (end > start) yield [line, buf.toString('utf8', start, end)];
    start = end + 1;
  }
}

const RESOLVES = Buffer.from('"resolves"');

/** Change ids that changes of this entry resolve (only lines that name `resolves` are parsed). */
export function resolvedIn(buf: Buffer, into: Set<string>): void {
  for (let at = buf.indexOf(RESOLVES); at !== -1; at = buf.indexOf(RESOLVES, at + 1)) {
    const start = buf.lastIndexOf(0x0a, at) + 1;
    let end = buf.indexOf(0x0a, at);
    if (end === -1) end = buf.length;
    try {
      const v = JSON.parse(buf.toString('utf8', start, end)) as { resolves?: unknown };
      if (Array.isArray(v.resolves)) for (const id of v.resolves) if (typeof id === 'string') into.add(id);
    } catch {
      // a line that is not JSON is refused when it is applied
    }
    at = end;
  }
}
