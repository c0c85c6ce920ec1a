import { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/** pdfkit's PDFReference: an object of the file, with a stream (page content, font, ...). */
interface Reference {
  buffer: Uint8Array[] | Buffer;
  data: Record<string, unknown>;
  compress: boolean;
  uncompressedLength: number;
  /** Lines written since the last binary chunk (this module's own field). */
  _lines?: string[];
  write(chunk: unknown): void;
  finalize(): void;
}

let installed = false;
let target: Reference | null = null;
let originals: Pick<Reference, 'write' | 'finalize'> | null = null;
let replacements: Pick<Reference, 'write' | 'finalize'> | null = null;

/**
 * Swaps pdfkit's own writes (false) and this module's (true) (tests). Switch only between
 * documents: a stream begun with one must be finished with it.
 */
export function useStreamWrites(on: boolean): boolean {
  const set = on ? replacements : originals;
  if (!target || !set) return false;
  target.write = set.write;
  target.finalize = set.finalize;
  return true;
}

/** Moves the lines written so far into the reference's chunks as one Buffer. */
function flushLines(ref: Reference): void {
  const lines = ref._lines;
  if (lines && lines.length > 0) {
    (ref.buffer as Uint8Array[]).push(Buffer.from(lines.join(''), 'latin1'));
    ref._lines = [];
  }
}

/**
 * Page content written as text, one Buffer per stream instead of one per operator.
 *
 * pdfkit writes every operator of a page (`addContent`: "BT", "1 0 0 1 85 776.07 Tm", "f", ...)
 * into the page's content stream as its own `Buffer.from(line + '\n', 'binary')`, joined and
 * compressed when the page ends: a protocol's pages made thousands of small Buffers per document.
 * Here a stream keeps the lines as strings and turns them into one Buffer (the same bytes:
 * 'latin1' is 'binary') when a binary chunk follows or the stream is finalized; its lengths are
 * counted as pdfkit counts them. The files are byte for byte the same (checked by hand on the
 * fixture protocol, sixth pass; tested on every document kind since the seventh pass: test/electron/core/pdf/patches.test.ts).
 */
export function installStreamWrites(): void {
  if (installed) return;
  installed = true;
  let proto: Reference;
  try {
    const PDFDocument = createRequire(path.join(appRoot(), 'package.json'))('pdfkit') as { prototype: { ref(this: unknown, data: object): Reference } };
    // A reference made on a stand-in document, only to reach the class pdfkit does not export.
    const sample = PDFDocument.prototype.ref.call({ _offsets: [], _waiting: 0, compress: false }, {});
    proto = Object.getPrototypeOf(sample) as Reference;
  } catch {
    return; // pdfkit's own writes
  }
  const write = proto.write;
  const finalize = proto.finalize;
  if (typeof write !== 'function' || typeof finalize !== 'function') return;
  target = proto;
  originals = { write, finalize };
  const ownWrite = function (this: Reference, chunk: unknown): void {
    if (chunk instanceof Uint8Array) {
      flushLines(this);
      write.call(this, chunk);
      return;
    }
    const line = `${String(chunk)}\n`;
    (this._lines ??= []).push(line);
    this.uncompressedLength += line.length;
    if (this.data.Length == null) this.data.Length = 0;
    (this.data.Length as number) += line.length;
    if (this.compress) this.data.Filter = 'FlateDecode';
  };
  const ownFinalize = function (this: Reference): void {
    flushLines(this);
    finalize.call(this);
  };
  replacements = { write: ownWrite, finalize: ownFinalize };
  useStreamWrites(true);
}
