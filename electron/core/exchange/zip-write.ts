/**
 * A ZIP writer for bundles (archive-write.ts): the records yazl wrote (the same headers, flags,
 * data descriptors, Info-ZIP time stamps and ZIP64 fields, so every reader of earlier bundles
 * reads these), without a chain of streams per entry.
 *
 * - An entry whose bytes are in memory is written with its CRC-32 and sizes in the local header
 *   (no data descriptor); a streamed entry (bit 3) gets them in a data descriptor after its data,
 *   as yazl did.
 * - CRC-32 is zlib's (native), not a JavaScript table loop.
 * - Output is gathered into writes of about 1 MiB, one write in flight at a time while the next
 *   batch is being made (memory: two batches), so the file is written while entries are built.
 * - Only what the central directory needs is kept per entry (a few numbers and the name).
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32 as zlibCrc32 } from 'node:zlib';

const LOCAL_FILE_HEADER_FIXED_SIZE = 30;
const CENTRAL_DIRECTORY_RECORD_FIXED_SIZE = 46;
const INFO_ZIP_UNIVERSAL_TIMESTAMP_EXTRA_FIELD_SIZE = 9;
const ZIP64_EXTENDED_INFORMATION_EXTRA_FIELD_SIZE = 28;
const ZIP64_END_OF_CENTRAL_DIRECTORY_RECORD_SIZE = 56;
const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIZE = 20;
const END_OF_CENTRAL_DIRECTORY_RECORD_SIZE = 22;
const VERSION_NEEDED_TO_EXTRACT_UTF8 = 20;
const VERSION_NEEDED_TO_EXTRACT_ZIP64 = 45;
const VERSION_MADE_BY = (3 << 8) | 63; // unix, spec 6.3
const FILE_NAME_IS_UTF8 = 1 << 11;
const UNKNOWN_CRC32_AND_FILE_SIZES = 1 << 3;

/** Bytes gathered before a write is issued. */
const BATCH_BYTES = 1024 * 1024;
/** Buffers per writev (IOV_MAX is 1024). */
const BATCH_PARTS = 512;

export const crc32 = (data: Buffer, initial = 0): number => zlibCrc32(data, initial);

function writeUInt64LE(buffer: Buffer, n: number, offset: number): void {
  buffer.writeUInt32LE(n % 0x100000000, offset);
  buffer.writeUInt32LE(Math.floor(n / 0x100000000), offset + 4);
}

// As yazl: computed in the system time zone, as the DOS format is read.
function dosDateTime(d: Date): { date: number; time: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const t = d < min ? min : d > max ? max : d;
  const date = (t.getDate() & 0x1f) | (((t.getMonth() + 1) & 0xf) << 5) | (((t.getFullYear() - 1980) & 0x7f) << 9);
  const time = Math.floor(t.getSeconds() / 2) | ((t.getMinutes() & 0x3f) << 5) | ((t.getHours() & 0x1f) << 11);
  return { date, time };
}

interface CentralEntry {
  name: Buffer;
  method: 0 | 8;
  /** true: sizes and CRC in a data descriptor (bit 3). */
  descriptor: boolean;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

const zip64 = (e: CentralEntry): boolean => e.uncompressedSize > 0xfffffffe || e.compressedSize > 0xfffffffe || e.offset > 0xfffffffe;

/** The bytes of the output, in order, to a file handle; `onBytes` sees every byte (hash, limit). */
export class ZipWriter {
  private readonly date: number;
  private readonly time: number;
  private readonly timestamp: number;
  private readonly attributes: number;
  private readonly central: CentralEntry[] = [];
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private inflight: Promise<void> | null = null;
  /** Bytes handed to the output so far (the offset of the next byte). */
  offset = 0;

  constructor(
    private readonly fh: FileHandle,
    mtime: Date,
    mode: number,
    private readonly onBytes: (chunk: Buffer) => void,
  ) {
    const dt = dosDateTime(mtime);
    this.date = dt.date;
    this.time = dt.time;
    this.timestamp = Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000)));
    this.attributes = (mode << 16) >>> 0;
  }

  /** Queues bytes for the file; awaits the previous write when a batch is full. */
  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.onBytes(chunk);
    this.offset += chunk.length;
    this.parts.push(chunk);
    this.partsBytes += chunk.length;
    if (this.partsBytes >= BATCH_BYTES || this.parts.length >= BATCH_PARTS) await this.flush();
  }

  /** Issues the gathered bytes (after the previous write finished). */
  private async flush(): Promise<void> {
    if (this.inflight) await this.inflight;
    this.inflight = null;
    if (this.partsBytes === 0) return;
    const batch = this.parts;
    this.parts = [];
    this.partsBytes = 0;
    const p = writeAll(this.fh, batch);
    this.inflight = p;
    p.catch(() => undefined); // surfaced at the next await of it
  }

  /** Writes out everything queued and waits for it. */
  async drain(): Promise<void> {
    await this.flush();
    if (this.inflight) await this.inflight;
    this.inflight = null;
  }

  /** Waits for a write in flight (on failure paths, before the file is closed). */
  async settle(): Promise<void> {
    if (this.inflight) await this.inflight.catch(() => undefined);
    this.inflight = null;
  }

  private localHeader(name: Buffer, method: 0 | 8, known: { crc: number; compressedSize: number; uncompressedSize: number } | null): Buffer {
    const b = Buffer.alloc(LOCAL_FILE_HEADER_FIXED_SIZE + name.length);
    b.writeUInt32LE(0x04034b50, 0);
    b.writeUInt16LE(VERSION_NEEDED_TO_EXTRACT_UTF8, 4);
    b.writeUInt16LE(known ? FILE_NAME_IS_UTF8 : FILE_NAME_IS_UTF8 | UNKNOWN_CRC32_AND_FILE_SIZES, 6);
    b.writeUInt16LE(method, 8);
    b.writeUInt16LE(this.time, 10);
    b.writeUInt16LE(this.date, 12);
    b.writeUInt32LE(known?.crc ?? 0, 14);
    b.writeUInt32LE(known ? Math.min(known.compressedSize, 0xffffffff) : 0, 18);
    b.writeUInt32LE(known ? Math.min(known.uncompressedSize, 0xffffffff) : 0, 22);
    b.writeUInt16LE(name.length, 26);
    b.writeUInt16LE(0, 28);
    name.copy(b, LOCAL_FILE_HEADER_FIXED_SIZE);
    return b;
  }

  /**
   * An entry whose bytes (already compressed when method 8) are all at hand: header with CRC
   * and sizes, then the data.
   */
  async addKnown(path: string, method: 0 | 8, data: readonly Buffer[], crc: number, uncompressedSize: number): Promise<void> {
    const name = Buffer.from(path, 'utf8');
    let compressedSize = 0;
    for (const d of data) compressedSize += d.length;
    const e: CentralEntry = { name, method, descriptor: false, crc, compressedSize, uncompressedSize, offset: this.offset };
    if (zip64(e)) {
      // Sizes over 4 GiB cannot stand in a local header without a ZIP64 field: use a descriptor.
      e.descriptor = true;
      await this.write(this.localHeader(name, method, null));
      for (const d of data) await this.write(d);
      await this.write(this.descriptor(e));
    } else {
      await this.write(this.localHeader(name, method, { crc, compressedSize, uncompressedSize }));
      for (const d of data) await this.write(d);
    }
    this.central.push(e);
  }

  /**
   * A streamed entry: the header now, then `body` writes the data through `put` and returns its
   * CRC-32 and sizes, which follow in a data descriptor.
   */
  async addStreamed(path: string, method: 0 | 8, body: (put: (chunk: Buffer) => Promise<void>) => Promise<{ crc: number; uncompressedSize: number }>): Promise<void> {
    const name = Buffer.from(path, 'utf8');
    const offset = this.offset;
    await this.write(this.localHeader(name, method, null));
    const start = this.offset;
    const r = await body((chunk) => this.write(chunk));
    const e: CentralEntry = { name, method, descriptor: true, crc: r.crc, compressedSize: this.offset - start, uncompressedSize: r.uncompressedSize, offset };
    await this.write(this.descriptor(e));
    this.central.push(e);
  }

  private descriptor(e: CentralEntry): Buffer {
    if (!zip64(e)) {
      const b = Buffer.alloc(16);
      b.writeUInt32LE(0x08074b50, 0);
      b.writeUInt32LE(e.crc, 4);
      b.writeUInt32LE(e.compressedSize, 8);
      b.writeUInt32LE(e.uncompressedSize, 12);
      return b;
    }
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0x08074b50, 0);
    b.writeUInt32LE(e.crc, 4);
    writeUInt64LE(b, e.compressedSize, 8);
    writeUInt64LE(b, e.uncompressedSize, 16);
    return b;
  }

  private centralRecord(e: CentralEntry): Buffer {
    const big = zip64(e);
    const extra = INFO_ZIP_UNIVERSAL_TIMESTAMP_EXTRA_FIELD_SIZE + (big ? ZIP64_EXTENDED_INFORMATION_EXTRA_FIELD_SIZE : 0);
    const b = Buffer.alloc(CENTRAL_DIRECTORY_RECORD_FIXED_SIZE + e.name.length + extra);
    b.writeUInt32LE(0x02014b50, 0);
    b.writeUInt16LE(VERSION_MADE_BY, 4);
    b.writeUInt16LE(big ? VERSION_NEEDED_TO_EXTRACT_ZIP64 : VERSION_NEEDED_TO_EXTRACT_UTF8, 6);
    b.writeUInt16LE(e.descriptor ? FILE_NAME_IS_UTF8 | UNKNOWN_CRC32_AND_FILE_SIZES : FILE_NAME_IS_UTF8, 8);
    b.writeUInt16LE(e.method, 10);
    b.writeUInt16LE(this.time, 12);
    b.writeUInt16LE(this.date, 14);
    b.writeUInt32LE(e.crc, 16);
    b.writeUInt32LE(big ? 0xffffffff : e.compressedSize, 20);
    b.writeUInt32LE(big ? 0xffffffff : e.uncompressedSize, 24);
    b.writeUInt16LE(e.name.length, 28);
    b.writeUInt16LE(extra, 30);
    b.writeUInt16LE(0, 32); // comment
    b.writeUInt16LE(0, 34); // disk
    b.writeUInt16LE(0, 36); // internal attributes
    b.writeUInt32LE(this.attributes, 38);
    b.writeUInt32LE(big ? 0xffffffff : e.offset, 42);
    let at = CENTRAL_DIRECTORY_RECORD_FIXED_SIZE;
    e.name.copy(b, at);
    at += e.name.length;
    // Info-ZIP universal time stamp ("UT"): mtime (and the atime flag, as Info-ZIP sets it).
    b.writeUInt16LE(0x5455, at);
    b.writeUInt16LE(INFO_ZIP_UNIVERSAL_TIMESTAMP_EXTRA_FIELD_SIZE - 4, at + 2);
    b.writeUInt8(0b11, at + 4);
    b.writeInt32LE(this.timestamp, at + 5);
    at += INFO_ZIP_UNIVERSAL_TIMESTAMP_EXTRA_FIELD_SIZE;
    if (big) {
      b.writeUInt16LE(0x0001, at);
      b.writeUInt16LE(ZIP64_EXTENDED_INFORMATION_EXTRA_FIELD_SIZE - 4, at + 2);
      writeUInt64LE(b, e.uncompressedSize, at + 4);
      writeUInt64LE(b, e.compressedSize, at + 12);
      writeUInt64LE(b, e.offset, at + 20);
    }
    return b;
  }

  /** The central directory and its end records; then everything is written out. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.central) await this.write(this.centralRecord(e));
    const size = this.offset - start;
    const count = this.central.length;
    const needZip64 = count >= 0xffff || size >= 0xffffffff || start >= 0xffffffff;
    if (needZip64) {
      const rec = Buffer.alloc(ZIP64_END_OF_CENTRAL_DIRECTORY_RECORD_SIZE);
      rec.writeUInt32LE(0x06064b50, 0);
      writeUInt64LE(rec, ZIP64_END_OF_CENTRAL_DIRECTORY_RECORD_SIZE - 12, 4);
      rec.writeUInt16LE(VERSION_MADE_BY, 12);
      rec.writeUInt16LE(VERSION_NEEDED_TO_EXTRACT_ZIP64, 14);
      writeUInt64LE(rec, count, 24);
      writeUInt64LE(rec, count, 32);
      writeUInt64LE(rec, size, 40);
      writeUInt64LE(rec, start, 48);
      const recordOffset = this.offset;
      await this.write(rec);
      const loc = Buffer.alloc(ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR_SIZE);
      loc.writeUInt32LE(0x07064b50, 0);
      writeUInt64LE(loc, recordOffset, 8);
      loc.writeUInt32LE(1, 16);
      await this.write(loc);
    }
    const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_RECORD_SIZE);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count >= 0xffff ? 0xffff : count, 8);
    end.writeUInt16LE(count >= 0xffff ? 0xffff : count, 10);
    end.writeUInt32LE(size >= 0xffffffff ? 0xffffffff : size, 12);
    end.writeUInt32LE(start >= 0xffffffff ? 0xffffffff : start, 16);
    await this.write(end);
    await this.drain();
  }
}

/** writev until every byte is written (a write may take fewer bytes than asked). */
async function writeAll(fh: FileHandle, parts: Buffer[]): Promise<void> {
  let rest = parts;
  while (rest.length > 0) {
    let { bytesWritten: n } = await fh.writev(rest);
    let i = 0;
    while (i < rest.length && n >= rest[i]!.length) n -= rest[i++]!.length;
    rest = rest.slice(i);
    if (n > 0 && rest.length > 0) rest = [rest[0]!.subarray(n), ...rest.slice(1)];
  }
}
