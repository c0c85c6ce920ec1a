import { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/** A measured word of a pdfmake line (what `Renderer.renderLine` reads of it). */
interface Inline {
  text: string;
  x: number;
  width: number;
  height?: number;
  font: { ascender: number };
  fontSize: number;
  color?: unknown;
  opacity?: unknown;
  characterSpacing?: number;
  fontFeatures?: unknown;
  link?: unknown;
  linkToPage?: unknown;
  linkToDestination?: unknown;
  _pageNodeRef?: unknown;
  sup?: boolean;
  sub?: boolean;
  justifyShift?: number;
}
interface Line {
  inlines: Inline[];
  id?: unknown;
  _outline?: unknown;
  _pageNodeRef?: unknown;
  getHeight(): number;
  getAscenderHeight(): number;
}
interface PdfkitDoc {
  _font: unknown;
  opacity(o: number): PdfkitDoc;
  fill(color: unknown): PdfkitDoc;
  resolveColor(c: unknown, fallback: string): unknown;
  fontSize(s: number): PdfkitDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfkitDoc;
}
interface Decorator {
  drawBackground(line: Line, x: number, y: number): void;
  drawDecorations(line: Line, x: number, y: number): void;
}
type RendererClass = { prototype: { pdfDocument: PdfkitDoc; renderLine(this: { pdfDocument: PdfkitDoc }, line: Line, x?: number, y?: number): void } };

/** A word pdfmake draws exactly as a plain piece of text: no link, shift, spacing or feature. */
function plain(inline: Inline): boolean {
  return (
    inline.link == null &&
    inline.linkToPage == null &&
    inline.linkToDestination == null &&
    inline._pageNodeRef == null &&
    !inline.fontFeatures &&
    !inline.characterSpacing &&
    !inline.sup &&
    !inline.sub &&
    !inline.justifyShift &&
    typeof inline.text === 'string' &&
    !inline.text.includes('\n')
  );
}

/**
 * `b` continues `a` on the line: same font, size, colour and opacity, starting where `a` ends,
 * and `a` ends with a space or a tab. pdfkit shapes a text word by word, a word ending after each
 * space or tab: joined at a space, the words are shaped exactly as when drawn one by one. Pieces
 * of one word (pdfmake breaks a long code at `-` or `|`) are not joined: shaped together they
 * would be kerned across the break, which pdfmake's measure did not do (seventh pass: the
 * verification code in the footer moved by up to 0.13 pt; test/electron/core/pdf/patches.test.ts).
 */
function continues(a: Inline, b: Inline): boolean {
  const end = a.text.charCodeAt(a.text.length - 1);
  return (
    (end === 32 || end === 9) &&
    b.font === a.font &&
    b.fontSize === a.fontSize &&
    b.color === a.color &&
    b.opacity === a.opacity &&
    Math.abs(b.x - (a.x + a.width)) < 1e-6
  );
}

let installed = false;
let target: RendererClass['prototype'] | null = null;
let original: RendererClass['prototype']['renderLine'] | null = null;
let replacement: RendererClass['prototype']['renderLine'] | null = null;

/** Swaps pdfmake's own `renderLine` (false) and this module's (true) (tests). */
export function useTextRuns(on: boolean): boolean {
  const fn = on ? replacement : original;
  if (!target || !fn) return false;
  target.renderLine = fn;
  return true;
}

/**
 * A line's words drawn as runs of text, not one text object each.
 *
 * pdfmake draws every word of a line as its own text object (`Renderer.renderLine`: colour,
 * opacity, an empty fill, save, a text matrix, the font, the glyphs, restore; its own
 * "TODO: lines without differently styled inlines should be written to pdf as one stream"): a
 * protocol's two pages took ~320 text objects and 80 KB of page content, built and compressed
 * for every document. Here the consecutive words of a line in the same font, size, colour and
 * opacity, each starting where the one before ends, are handed to pdfkit as ONE text at the first
 * word's position: pdfkit shapes a text word by word (its cache), so the glyphs and their advances
 * are the same and the words land where pdfmake placed them (the positions differ by rounding in
 * the sixth decimal; the fixture protocol's pages were pixel-identical at 150 and 300 dpi with
 * pdftoppm, sixth pass; tested on every document kind since the seventh pass: test/electron/core/pdf/patches.test.ts). Words with a link, a
 * page reference, font features, letter spacing, a raised or lowered baseline or justification
 * spacing, and lines with an outline entry or a destination, are drawn by pdfmake itself.
 */
export function installTextRuns(): void {
  if (installed) return;
  installed = true;
  let renderer: RendererClass;
  let Decorator: new (doc: PdfkitDoc) => Decorator;
  try {
    const req = createRequire(path.join(appRoot(), 'package.json'));
    renderer = (req('pdfmake/js/Renderer') as { default: RendererClass }).default;
    Decorator = (req('pdfmake/js/TextDecorator') as { default: new (doc: PdfkitDoc) => Decorator }).default;
  } catch {
    return; // pdfmake draws every word itself
  }
  const own = renderer.prototype.renderLine;
  if (typeof own !== 'function' || typeof Decorator !== 'function') return;
  target = renderer.prototype;
  original = own;
  replacement = function (line, x, y) {
    if (line._outline || line._pageNodeRef || line.id || !line.inlines.every(plain)) return own.call(this, line, x, y);
    x = x || 0;
    y = y || 0;
    const doc = this.pdfDocument;
    const lineHeight = line.getHeight();
    const descent = lineHeight - line.getAscenderHeight();
    const decorator = new Decorator(doc);
    decorator.drawBackground(line, x, y);
    const inlines = line.inlines;
    for (let i = 0; i < inlines.length; ) {
      const first = inlines[i]!;
      let text = first.text;
      let width = first.width;
      let j = i + 1;
      for (; j < inlines.length && continues(inlines[j - 1]!, inlines[j]!); j++) {
        text += inlines[j]!.text;
        width += inlines[j]!.width;
      }
      const shiftToBaseline = lineHeight - (first.font.ascender / 1000) * first.fontSize - descent;
      doc.opacity(typeof first.opacity === 'number' && !Number.isNaN(first.opacity) ? first.opacity : 1);
      doc.fill(doc.resolveColor(first.color, 'black'));
      doc._font = first.font;
      doc.fontSize(first.fontSize);
      doc.text(text, x + first.x, y + shiftToBaseline, { lineBreak: false, textWidth: width, characterSpacing: first.characterSpacing, wordCount: j - i, link: undefined });
      i = j;
    }
    decorator.drawDecorations(line, x, y);
  };
  useTextRuns(true);
}
