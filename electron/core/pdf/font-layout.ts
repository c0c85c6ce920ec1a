import { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/** A shaped word (fontkit's GlyphRun as pdfkit keeps it: positions scaled to 1000 units). */
interface Run {
  glyphs: { id: number; advanceWidth: number; codePoints: number[] }[];
  positions: { xAdvance: number; advanceWidth: number }[];
  advanceWidth: number;
}
/** pdfkit's EmbeddedFont (not exported by pdfkit; reached through a document's font). */
interface EmbeddedFont {
  /** The fontkit font; its `_tables` are shared by all documents of one font file (font-cache.ts). */
  font: { _tables?: object };
  scale: number;
  widths: number[];
  unicode: number[][];
  subset: { includeGlyph(id: number): number };
  layoutCache?: Record<string, Run>;
  /** This module's cache of shaped words (pdfkit's `layoutCache`, as a Map). */
  _runs?: Map<string, Run>;
  layoutCached(text: string): Run;
  layoutRun(text: string, features?: unknown): Run;
  layout(text: string, features?: unknown, onlyWidth?: boolean): { glyphs: Run['glyphs'] | null; positions: Run['positions'] | null; advanceWidth: number };
  encode(text: string, features?: unknown): [string[], Run['positions']];
  widthOfString(text: string, size: number, features?: unknown): number;
}
interface PdfkitDocClass {
  prototype: { _font: unknown; font(this: { _font: unknown }, ...args: unknown[]): unknown };
}

/** The 4-digit hex of each glyph id pdfkit writes (`0000${gid.toString(16)}`.slice(-4)), made once. */
const hex4: string[] = [];
function hex(gid: number): string {
  return (hex4[gid] ??= `0000${gid.toString(16)}`.slice(-4));
}

/** Sum of the advances of `text`'s words: pdfkit's word split (each word ends after a space or tab). */
function widthOf(font: EmbeddedFont, text: string): number {
  let width = 0;
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      width += font.layoutCached(text.slice(last, i + 1)).advanceWidth;
      last = i + 1;
    }
  }
  if (last < n) width += font.layoutCached(last === 0 ? text : text.slice(last)).advanceWidth;
  return width;
}

/** The glyphs and positions of `text`'s words, one after the other (pdfkit's `layout`). */
function layoutOf(font: EmbeddedFont, text: string): { glyphs: Run['glyphs']; positions: Run['positions']; advanceWidth: number } {
  const glyphs: Run['glyphs'] = [];
  const positions: Run['positions'] = [];
  let advanceWidth = 0;
  const add = (run: Run): void => {
    for (let k = 0; k < run.glyphs.length; k++) glyphs.push(run.glyphs[k]!);
    for (let k = 0; k < run.positions.length; k++) positions.push(run.positions[k]!);
    advanceWidth += run.advanceWidth;
  };
  let last = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      add(font.layoutCached(text.slice(last, i + 1)));
      last = i + 1;
    }
  }
  if (last < n) add(font.layoutCached(last === 0 ? text : text.slice(last)));
  return { glyphs, positions, advanceWidth };
}

/**
 * Shaped and scaled words by the decoded tables of their font: shared by every document of one
 * font file where font-cache.ts shares the tables (else each document has its own tables, so its
 * own words, as in pdfkit). Runs are read-only once made: pdfkit scales a run's positions in
 * `layoutRun`, before it is kept, and then only reads them (`layout`, `encode`, `_fragment`,
 * svg-to-pdfkit's `getTextPos`), as it did with its per-document cache. Bounded like font-cache's
 * shaped words: forgotten all at once past MAX_SHARED_WORDS.
 */
const MAX_SHARED_WORDS = 20_000;
const sharedRuns = new WeakMap<object, Map<string, Run>>();
let runHits = 0;
function runsOf(font: EmbeddedFont): Map<string, Run> {
  const tables = font.font?._tables;
  if (!tables || typeof tables !== 'object') return new Map();
  let runs = sharedRuns.get(tables);
  if (!runs) sharedRuns.set(tables, (runs = new Map()));
  return runs;
}

/** How many words were found already shaped and scaled (tests: the shared runs really serve). */
export function sharedRunHits(): number {
  return runHits;
}

let installed = false;
let patched: EmbeddedFont | null = null;
type Methods = Pick<EmbeddedFont, 'layoutCached' | 'layout' | 'encode' | 'widthOfString'>;
const METHODS = ['layoutCached', 'layout', 'encode', 'widthOfString'] as const;
const originals: Partial<Methods> = {};
const replacements: Methods = {
  layoutCached(this: EmbeddedFont, text) {
    if (!this.layoutCache) return this.layoutRun(text);
    const runs = (this._runs ??= runsOf(this));
    let run = runs.get(text);
    if (run) {
      runHits++;
      return run;
    }
    run = this.layoutRun(text);
    if (runs.size >= MAX_SHARED_WORDS) runs.clear();
    runs.set(text, run);
    return run;
  },
  layout(this: EmbeddedFont, text, features, onlyWidth) {
    if (features || typeof text !== 'string') return (originals.layout as EmbeddedFont['layout']).call(this, text, features, onlyWidth);
    if (onlyWidth) return { glyphs: null, positions: null, advanceWidth: widthOf(this, text) };
    return layoutOf(this, text);
  },
  widthOfString(this: EmbeddedFont, text, size, features) {
    if (features || typeof text !== 'string') return (originals.widthOfString as EmbeddedFont['widthOfString']).call(this, text, size, features);
    return widthOf(this, text) * (size / 1000);
  },
  encode(this: EmbeddedFont, text, features) {
    const { glyphs, positions } = features ? this.layoutRun(text, features) : layoutOf(this, text);
    const res: string[] = new Array<string>(glyphs.length);
    for (let i = 0; i < glyphs.length; i++) {
      const glyph = glyphs[i]!;
      const gid = this.subset.includeGlyph(glyph.id);
      res[i] = hex(gid);
      if (this.widths[gid] == null) this.widths[gid] = glyph.advanceWidth * this.scale;
      if (this.unicode[gid] == null) this.unicode[gid] = glyph.codePoints;
    }
    return [res, positions];
  },
};

/** Swaps pdfkit's own methods (false) and this module's (true) on the EmbeddedFont class (tests). */
export function useFontLayout(on: boolean): boolean {
  if (!patched) return false;
  const proto = patched as unknown as Record<string, unknown>;
  for (const name of METHODS) proto[name] = on ? replacements[name] : originals[name];
  return true;
}

/**
 * pdfkit's word-by-word text measuring and encoding without its garbage.
 *
 * pdfmake measures every word it places (`TextInlines.measure` → pdfkit `widthOfString`), and
 * pdfkit's EmbeddedFont splits each text into words char by char (`text.charAt(i)` — a new
 * one-character string for every Cyrillic letter — and a new `[' ', '\t']` array per character),
 * concatenates the glyph arrays of the words into new arrays word after word, even when only the
 * width is wanted, and writes each glyph id as a new template string: about a sixth of a warm
 * protocol's garbage (sampling heap profile with freed objects, seventh pass). Here the same words
 * (a word ends after each space or tab; the shaped words come from pdfkit's own cache, so the
 * glyphs and advances are pdfkit's) are measured without building glyph arrays, laid out with one
 * array each, and glyph ids are written from a table: the same numbers, the same strings, the same
 * file (test/electron/core/pdf/patches.test.ts renders every document kind with and without it).
 * Text with OpenType features goes to pdfkit's own methods.
 *
 * pdfkit does not export EmbeddedFont: its prototype is patched the first time a document selects
 * an embedded font (pdfkit's `font`), before that font measures anything.
 */
export function installFontLayout(): void {
  if (installed) return;
  installed = true;
  let PDFDocument: PdfkitDocClass;
  try {
    PDFDocument = createRequire(path.join(appRoot(), 'package.json'))('pdfkit') as PdfkitDocClass;
  } catch {
    return; // pdfkit's own methods
  }
  const font = PDFDocument.prototype.font;
  if (typeof font !== 'function') return;
  PDFDocument.prototype.font = function (this: { _font: unknown }, ...args: unknown[]): unknown {
    const result = font.apply(this, args);
    if (!patched) {
      const f = this._font as Partial<EmbeddedFont> | null;
      if (f && typeof f.layoutCached === 'function' && typeof f.layout === 'function' && typeof f.encode === 'function' && typeof f.widthOfString === 'function') {
        const proto = Object.getPrototypeOf(f) as EmbeddedFont;
        // Only pdfkit's EmbeddedFont (its own layout/encode), not a standard font or a subclass.
        if (Object.prototype.hasOwnProperty.call(proto, 'layoutCached')) {
          for (const name of METHODS) (originals as Record<string, unknown>)[name] = proto[name];
          patched = proto;
          useFontLayout(true);
        }
      }
    }
    return result;
  };
}
