/**
 * The bundle's zip opened through a window held in memory (used by archive-read.ts): yauzl over a
 * RandomAccessReader whose small reads of the central directory are served from one buffer.
 */
import { close, closeSync, openSync, read, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * yauzl over a reader that serves the central directory from memory: yauzl reads each entry's
 * record with two small reads, and through its default reader each is a round trip to the
 * thread pool (a sync bundle of 10,000 cases has 2,000 entries: 0.2-0.4 s to open, most of it
 * waiting). Here a read outside the window fills it with one synchronous read of at least
 * WINDOW bytes from that position, so the directory (read front to back) costs a few reads.
 * Entry data is streamed from the file as before.
 */
const WINDOW = 256 * 1024;

/** The reader's class: a subclass of yauzl's RandomAccessReader, made on first use (yauzl loads late). */
let WindowReaderClass: (new (fd: number, size: number) => yauzl.RandomAccessReader) | undefined;

function windowReader(fd: number, size: number): yauzl.RandomAccessReader {
  WindowReaderClass ??= class extends yauzl.RandomAccessReader {
    private window = Buffer.alloc(0);
    private windowAt = 0;
    constructor(
      private readonly fd: number,
      private readonly size: number,
    ) {
      super();
    }
    override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
      try {
        if (position < this.windowAt || position + length > this.windowAt + this.window.length) {
          const want = Math.min(Math.max(length, WINDOW), Math.max(0, this.size - position));
          const w = Buffer.allocUnsafe(want);
          let got = 0;
          while (got < want) {
            const n = readSync(this.fd, w, got, want - got, position + got);
            if (n === 0) break;
            got += n;
          }
          this.window = w.subarray(0, got);
          this.windowAt = position;
        }
        const from = position - this.windowAt;
        const n = Math.max(0, Math.min(length, this.window.length - from));
        this.window.copy(buffer, offset, from, from + n);
        process.nextTick(callback, null, n);
      } catch (err) {
        process.nextTick(callback, err as Error);
      }
    }
    override _readStreamForRange(start: number, end: number): Readable {
      // Positioned reads of the shared descriptor; destroying the stream never closes it (an
      // fs.ReadStream on a given fd closes it when destroyed, whatever autoClose says).
      const fd = this.fd;
      let at = start;
      return new Readable({
        highWaterMark: 64 * 1024,
        read(n) {
          const len = Math.min(Math.max(n, 64 * 1024), end - at);
          if (len <= 0) {
            this.push(null);
            return;
          }
          const buf = Buffer.allocUnsafe(len);
          read(fd, buf, 0, len, at, (err, got) => {
            if (err) return this.destroy(err);
            if (got === 0) return this.destroy(new Error('unexpected EOF'));
            at += got;
            this.push(got < len ? buf.subarray(0, got) : buf);
          });
        },
      });
    }
    override close(callback: (err: Error | null) => void): void {
      this.window = Buffer.alloc(0);
      close(this.fd, (err) => callback(err));
    }
  } as unknown as new (fd: number, size: number) => yauzl.RandomAccessReader;
  return new WindowReaderClass(fd, size);
}

/** Opens `file` (of `size` bytes) for yauzl: lazy entries, strict names, sizes validated. */
export function yauzlOpen(file: string, size: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (err) {
      reject(err);
      return;
    }
    const reader = windowReader(fd, size);
    yauzl.fromRandomAccessReader(
      reader,
      size,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true },
      (err, zipfile) => {
        if (err) {
          closeSync(fd);
          reject(err);
        } else resolve(zipfile);
      },
    );
  });
}
