import { createRequire } from 'node:module';
import path from 'node:path';
import { appRoot } from '../paths';

/** A rectangle of a pdfmake canvas. */
export interface QrRect {
  type: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  lineWidth: number;
  color: string;
  /** The dark modules of one code, filled together (see installQrFill); absent on the background. */
  qrGroup?: QrGroup;
}

/** The dark rectangles of one QR code: how many, and how many the renderer has drawn so far. */
interface QrGroup {
  count: number;
  drawn: number;
}

type QrEncoder = { measure(node: { qr: string; fit: number; eccLevel: string }): { _canvas: QrRect[]; _width: number } };
let encoder: QrEncoder | null = null;

/**
 * The QR code of `text` as a pdfmake canvas: the very modules pdfmake's own `qr` node draws
 * (its encoder: same version, error correction level and mask), but each run of dark modules in
 * a row, and each stack of equal runs in the rows below, drawn as ONE rectangle instead of one
 * per module. The printed code is the same picture; a protocol's QR code took ~700 rectangles,
 * each a vector with its own colour and line settings (a tenth of a warm rendering), and now
 * takes about a hundred.
 */
export function qrCanvas(text: string, fit: number, eccLevel: 'L' | 'M' | 'Q' | 'H' = 'M'): QrRect[] {
  // pdfmake's encoder, loaded with pdfmake (on first use in the app's bundles).
  encoder ??= (createRequire(path.join(appRoot(), 'package.json'))('pdfmake/js/qrEnc') as { default: QrEncoder }).default;
  const [background, ...modules] = encoder.measure({ qr: text, fit, eccLevel })._canvas;
  if (!background) return [];
  const dark = mergeRects(modules);
  // Non-enumerable: the definition stays the plain canvas (tests compare it, pdfmake copies it).
  const group: QrGroup = { count: dark.length, drawn: 0 };
  for (const r of dark) Object.defineProperty(r, 'qrGroup', { value: group, enumerable: false, writable: true });
  return [background, ...dark];
}

interface PdfkitDoc {
  lineWidth(w: number): PdfkitDoc;
  undash(): PdfkitDoc;
  lineJoin(j: string): PdfkitDoc;
  lineCap(c: string): PdfkitDoc;
  rect(x: number, y: number, w: number, h: number): PdfkitDoc;
  fillColor(c: unknown, opacity: number): PdfkitDoc;
  resolveColor(c: unknown, fallback: string): unknown;
  fill(): PdfkitDoc;
}
type Renderer = { prototype: { renderVector(this: { pdfDocument: PdfkitDoc }, v: QrRect): void } };
let fillInstalled = false;

/**
 * pdfmake draws each rectangle of a canvas as its own path with its own line, dash, join, cap
 * and colour settings and its own fill (~100 for a QR code: a tenth of a warm protocol). The dark
 * rectangles of one QR code (made by qrCanvas, consecutive in the page's items) are drawn here as
 * ONE path of rectangles with one fill: the settings once, at the first one, the fill at the last.
 */
export function installQrFill(): void {
  if (fillInstalled) return;
  fillInstalled = true;
  try {
    const renderer = (createRequire(path.join(appRoot(), 'package.json'))('pdfmake/js/Renderer') as { default: Renderer }).default;
    const original = renderer.prototype.renderVector;
    renderer.prototype.renderVector = function (vector) {
      const group = vector.qrGroup;
      if (!group) return original.call(this, vector);
      const doc = this.pdfDocument;
      if (group.drawn === 0) {
        doc.lineWidth(vector.lineWidth || 1).undash().lineJoin('miter').lineCap('butt');
        doc.fillColor(doc.resolveColor(vector.color, 'black'), 1);
      }
      // Each rectangle still filled on its own: the same picture, pixel for pixel.
      doc.rect(vector.x, vector.y, vector.w, vector.h).fill();
      if (++group.drawn === group.count) group.drawn = 0;
    };
  } catch {
    /* pdfmake draws every rectangle itself */
  }
}

/** Joins adjacent equal rectangles: runs along a row, then equal runs in consecutive rows. */
export function mergeRects(rects: readonly QrRect[]): QrRect[] {
  const runs: QrRect[] = [];
  for (const r of rects) {
    const last = runs[runs.length - 1];
    if (last && last.y === r.y && last.h === r.h && last.color === r.color && last.x + last.w === r.x) last.w += r.w;
    else runs.push({ ...r });
  }
  // A run continues a run of the row above with the same columns: one taller rectangle.
  const open = new Map<string, QrRect>();
  const out: QrRect[] = [];
  for (const r of runs) {
    const key = `${r.x}:${r.w}:${r.color}`;
    const above = open.get(key);
    if (above && above.y + above.h === r.y) above.h += r.h;
    else {
      const copy = { ...r };
      open.set(key, copy);
      out.push(copy);
    }
  }
  return out;
}
