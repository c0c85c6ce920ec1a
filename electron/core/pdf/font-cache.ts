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

/** A run of shaped glyphs as fontkit returns it (a GlyphRun: glyphs, positions, script, ...). */
interface GlyphRun {
  glyphs: unknown[];
  positions: Record<string, number>[];
}
interface ShapingFont {
  layout(text: string, ...rest: unknown[]): GlyphRun;
}

/**
 * Shaped words shared between documents, by the decoded tables of their font (so by font content).
 *
 * pdfkit shapes text word by word (`EmbeddedFont.layoutCached`: fontkit's GSUB/GPOS lookups for
 * every word) and keeps the runs per document, so every protocol shaped its letterhead, labels
 * and headings again: a fifth of a warm rendering. Here a font's `layout(text)` without features
 * (the only call pdfkit caches) answers a word shaped before with a copy: the same Glyph objects
 * (pdfkit reads only their id, advance width and code points, all from the shared tables) and NEW
 * position objects, because pdfkit scales the positions of every run it gets in place. The PDF is
 * byte for byte the same (test/electron/core/pdf/font-cache.test.ts). Bounded: a font's words are
 * forgotten all at once past MAX_SHARED_WORDS (a register of thousands of names).
 */
const MAX_SHARED_WORDS = 20_000;
const shapedWords = new WeakMap<object, Map<string, GlyphRun>>();
let shapedHits = 0;

/** How many words were shaped by an earlier document (tests: the shared words really serve). */
export function shapedWordHits(): number {
  return shapedHits;
}

function copyRun(run: GlyphRun): GlyphRun {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRun, run);
  copy.glyphs = run.glyphs.slice();
  copy.positions = run.positions.map((p) => Object.assign(Object.create(Object.getPrototypeOf(p) as object) as Record<string, number>, p));
  return copy;
}

/** What a TrueType subset copies of a glyph, the same in every document of one font. */
interface SubsetGlyph {
  /** The glyph's bytes in the `glyf` table (read-only: a compound glyph's copy is renumbered). */
  bytes: Uint8Array;
  /** A compound glyph's components: glyph id and the offset of its number in `bytes`. */
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}
interface TtfSubset {
  font: { loca: { offsets: number[] }; _variationProcessor?: unknown; getGlyph(gid: number): SubsetGlyphObject; _getTableStream(tag: string): { pos: number; readBuffer(n: number): Uint8Array } };
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
}
interface SubsetGlyphObject {
  advanceWidth: number;
  _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
  _getMetrics(): { leftBearing: number };
}
interface SubsetFont {
  createSubset(): TtfSubset;
}
const subsetGlyphs = new WeakMap<object, Map<number, SubsetGlyph>>();
let glyphHits = 0;

/** How many subset glyphs were copied from what an earlier document read (tests). */
export function subsetGlyphHits(): number {
  return glyphHits;
}

/**
 * The glyphs of the font subset embedded in every PDF, read once per font instead of once per
 * document. fontkit's TrueType subset (`_addGlyph`) decodes every glyph it embeds (all its points)
 * only to learn whether it is a compound glyph, then copies its bytes from the `glyf` table; a
 * protocol embeds ~100 glyphs per font style. Here a glyph's bytes, components and metrics are
 * kept by font content after the first document, and the subset is assembled from them exactly as
 * fontkit does (the same bytes: font-cache.test.ts). Fonts with variations keep fontkit's own path.
 */
function shareSubsetGlyphs(font: SubsetFont, tables: object): void {
  let known = subsetGlyphs.get(tables);
  if (!known) subsetGlyphs.set(tables, (known = new Map()));
  const glyphs = known;
  const createSubset = font.createSubset;
  if (typeof createSubset !== 'function') return;
  font.createSubset = function (this: SubsetFont): TtfSubset {
    const subset = createSubset.call(this);
    const original = subset._addGlyph;
    if (typeof original !== 'function' || !Array.isArray(subset.font?.loca?.offsets) || subset.font._variationProcessor) return subset;
    subset._addGlyph = function (this: TtfSubset, gid: number): number {
      let g = glyphs.get(gid);
      if (!g) {
        const glyph = this.font.getGlyph(gid);
        const glyf = glyph._decode();
        const offsets = this.font.loca.offsets;
        const start = offsets[gid]!;
        const stream = this.font._getTableStream('glyf');
        stream.pos += start;
        const bytes = new Uint8Array(stream.readBuffer(offsets[gid + 1]! - start));
        const components = glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : null;
        g = { bytes, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
        glyphs.set(gid, g);
      } else glyphHits++;
      let buffer = g.bytes;
      if (g.components) {
        buffer = new Uint8Array(g.bytes);
        const view = new DataView(buffer.buffer);
        for (const c of g.components) view.setUint16(c.pos, this.includeGlyph(c.glyphID));
      }
      this.glyf.push(buffer);
      this.loca.offsets.push(this.offset);
      this.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
      this.offset += buffer.length;
      return this.glyf.length - 1;
    };
    return subset;
  };
}

function shareShapedWords(font: ShapingFont, tables: object): void {
  let words = shapedWords.get(tables);
  if (!words) shapedWords.set(tables, (words = new Map()));
  const known = words;
  const layout = font.layout;
  if (typeof layout !== 'function') return;
  font.layout = function (this: ShapingFont, text: string, ...rest: unknown[]): GlyphRun {
    if (typeof text !== 'string' || rest.some((x) => x !== undefined)) return layout.call(this, text, ...rest);
    const seen = known.get(text);
    if (seen) {
      shapedHits++;
      return copyRun(seen);
    }
    const run = layout.call(this, text);
    if (known.size >= MAX_SHARED_WORDS) known.clear();
    known.set(text, copyRun(run));
    return run;
  };
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
        shareShapedWords(font as ShapingFont, font._tables);
        shareSubsetGlyphs(font as SubsetFont, font._tables);
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
