import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/**
 * Font tables decoded once per process, not once per document.
 *
 * pdfmake builds every document with a new pdfkit document, which opens its fonts again with
 * `fontkit.create(bytes)`: the glyph, substitution and positioning tables of the 700 KB DejaVu
 * files are decoded anew for every protocol — about a third of a warm rendering. Here pdfkit gets
 * a fontkit whose `create` still makes a new font object per document (its glyphs, their Unicode
 * mapping and shaping state are the document's own, so the PDF is byte for byte the one it was)
 * but hands it the decoded tables of the first font made from the same bytes. Decoded tables are
 * read-only data.
 *
 * Installed before pdfkit is first loaded (pdfkit is loaded on first use in the app's bundles;
 * see LAZY_PACKAGES in scripts/build-lib.cjs): pdfkit then finds this fontkit in the module cache.
 * Where pdfkit was loaded earlier (tests importing pdfmake directly), documents are built as
 * before.
 *
 * The font FILES are read once too: pdfkit reads a font named by its path with
 * `fs.readFileSync` for every document (4 files, 2.8 MB, then compared with the first bytes:
 * ~15 ms of CPU per protocol). pdfkit is loaded here with its own `fs`, which answers a read of
 * a registered font file (`shareFontFiles`) with the bytes read the first time (the same Buffer,
 * so the tables are found by identity, without comparing); every other call goes to `fs`.
 */
let installed = false;
/** Font files whose bytes pdfkit gets from memory, by absolute path (null: not read yet). */
const sharedFiles = new Map<string, Buffer | null>();

/** Font files (absolute paths) pdfkit may read once per process instead of once per document. */
export function shareFontFiles(files: readonly string[]): void {
  for (const f of files) if (!sharedFiles.has(f)) sharedFiles.set(f, null);
}

/** The `fs` pdfkit sees: reads of the shared font files answered from memory. */
function pdfkitFs(): typeof fs {
  const wrapped = Object.create(fs) as Record<string, unknown>;
  wrapped.readFileSync = (...args: unknown[]): unknown => {
    const [file, options] = args;
    if (typeof file === 'string' && options === undefined && sharedFiles.has(file)) {
      let bytes = sharedFiles.get(file);
      if (!bytes) {
        bytes = fs.readFileSync(file);
        sharedFiles.set(file, bytes);
      }
      return bytes;
    }
    return (fs.readFileSync as (...a: unknown[]) => unknown)(...args);
  };
  return wrapped as unknown as typeof fs;
}
let active = false;
let hits = 0;

/** How many fonts were opened with the tables of an earlier one (tests: the cache really serves). */
export function fontCacheHits(): number {
  return hits;
}

/** True when pdfkit opens its fonts through the shared tables (installed before pdfkit loaded). */
export function fontCacheActive(): boolean {
  return active;
}

interface FontkitFont {
  _tables?: Record<string, unknown>;
}
type Fontkit = Record<string, unknown> & { create(bytes: Uint8Array, postscriptName?: string): FontkitFont };

/** Puts the caching fontkit where pdfkit will find it; a no-op once pdfkit is loaded. */
export function installFontCache(): void {
  if (installed) return;
  installed = true;
  try {
    const appRequire = createRequire(path.join(appRoot(), 'package.json'));
    const pdfkitFile = appRequire.resolve('pdfkit');
    const pdfkitRequire = createRequire(pdfkitFile);
    if (appRequire.cache[pdfkitFile]) return; // pdfkit already holds the plain fontkit
    const fontkitFile = pdfkitRequire.resolve('fontkit');
    const real = pdfkitRequire('fontkit') as Fontkit;
    // By CONTENT, not by the bytes object: pdfkit reads a font named by its path with a new
    // `fs.readFileSync` for every document, so the same font arrives as a new Buffer each time.
    // The bytes of the first font of each content are kept (4 DejaVu files, ~2.8 MB) and compared
    // whole (a memcmp, well under a millisecond) before its tables are handed out.
    const known: { source: Uint8Array; bytes: Buffer; tables: Map<string, Record<string, unknown>> }[] = [];
    const tablesOf = (bytes: Uint8Array): Map<string, Record<string, unknown>> => {
      for (const k of known) if (k.source === bytes) return k.tables;
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (const k of known) if (k.bytes.length === view.length && k.bytes.equals(view)) return k.tables;
      const entry = { source: bytes, bytes: Buffer.from(view), tables: new Map<string, Record<string, unknown>>() };
      known.push(entry);
      return entry.tables;
    };
    const wrapper: Fontkit = Object.create(null) as Fontkit;
    for (const key of Object.keys(real)) wrapper[key] = real[key];
    wrapper.create = (bytes: Uint8Array, postscriptName?: string) => {
      const font = real.create(bytes, postscriptName);
      if (font && typeof font._tables === 'object' && bytes instanceof Uint8Array) {
        const byName = tablesOf(bytes);
        const shared = byName.get(postscriptName ?? '');
        if (shared) {
          font._tables = shared;
          hits++;
        } else byName.set(postscriptName ?? '', font._tables);
      }
      return font;
    };
    const cached = appRequire.cache[fontkitFile];
    if (cached) {
      cached.exports = wrapper;
      active = true;
    }
    // The sRGB profile every PDF/A document embeds, read by pdfkit for each document too.
    shareFontFiles([path.join(path.dirname(pdfkitFile), 'data', 'sRGB_IEC61966_2_1.icc')]);
    // pdfkit itself, now, with its own `fs` (the only module whose `fs` is replaced).
    const loader = Module as unknown as { _load: (request: string, parent: { filename?: string } | null, isMain: boolean) => unknown };
    const load = loader._load;
    const ownFs = pdfkitFs();
    loader._load = function (request, parent, isMain) {
      if ((request === 'fs' || request === 'node:fs') && parent?.filename === pdfkitFile) return ownFs;
      return load.call(this, request, parent, isMain);
    };
    try {
      appRequire(pdfkitFile);
    } finally {
      loader._load = load;
    }
  } catch {
    /* no cache: documents are built as before */
  }
}
