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
  return background ? [background, ...mergeRects(modules)] : [];
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
