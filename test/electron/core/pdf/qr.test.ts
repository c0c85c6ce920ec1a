/** The QR code drawn with merged rectangles covers exactly the modules pdfmake's own QR node draws. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QR_SIZE } from '../../../../electron/core/pdf/common';
import { renderDocument } from '../../../../electron/core/pdf/index';
import { mergeRects, qrCanvas, type QrRect } from '../../../../electron/core/pdf/qr';
import * as fx from './fixtures';

type Measure = { measure(node: object): { _canvas: QrRect[] } };
const pdfmakeQr = (text: string): QrRect[] => (createRequire(import.meta.url)('pdfmake/js/qrEnc') as { default: Measure }).default.measure({ qr: text, fit: QR_SIZE, eccLevel: 'M' })._canvas;

/** The cells (module-size squares) a list of rectangles paints, by colour. */
function cells(rects: readonly QrRect[], size: number): Set<string> {
  const out = new Set<string>();
  for (const r of rects) for (let x = r.x; x < r.x + r.w; x += size) for (let y = r.y; y < r.y + r.h; y += size) out.add(`${x},${y},${r.color}`);
  return out;
}

describe('pdf: QR code', () => {
  const texts = ['HTMP-PROTOCOL|12/2026|' + 'ab'.repeat(32), 'HTMP-SCORING|x|' + '0'.repeat(64), 'A'];
  it.each(texts)('paints the same modules as pdfmake, with about half the rectangles: %s', (text) => {
    const original = pdfmakeQr(text);
    const drawn = qrCanvas(text, QR_SIZE);
    const size = original[1]!.w;
    expect(drawn[0]).toEqual(original[0]); // the white background, first
    expect(cells(drawn.slice(1), size)).toEqual(cells(original.slice(1), size));
    // No two rectangles overlap (each module painted once).
    const painted = drawn.slice(1).reduce((n, r) => n + (r.w / size) * (r.h / size), 0);
    expect(painted).toBe(original.length - 1);
    expect(drawn.length).toBeLessThan(original.length * 0.6);
  });

  it('merges runs along a row, then equal runs down the rows, and nothing else', () => {
    const r = (x: number, y: number, color = '#000'): QrRect => ({ type: 'rect', x, y, w: 2, h: 2, lineWidth: 0, color });
    expect(mergeRects([r(0, 0), r(2, 0), r(6, 0), r(0, 2), r(2, 2), r(0, 4)])).toEqual([
      { ...r(0, 0), w: 4, h: 4 },
      r(6, 0),
      r(0, 4),
    ]);
    expect(mergeRects([r(0, 0), r(2, 0, '#fff')])).toEqual([r(0, 0), r(2, 0, '#fff')]);
    expect(mergeRects([r(0, 0), r(0, 4)])).toEqual([r(0, 0), r(0, 4)]);
  });

  it('draws the code with one set of line and colour settings: the same page, pixel for pixel', async () => {
    const doc = fx.protocol();
    const grouped = (await renderDocument(doc, { lang: 'kk' })).buffer; // installs the QR fill
    type Proto = { renderVector(this: unknown, v: QrRect): void };
    const proto = (createRequire(import.meta.url)('pdfmake/js/Renderer') as { default: { prototype: Proto } }).default.prototype;
    const patched = proto.renderVector;
    // Without the group mark every rectangle goes through pdfmake's own drawing.
    proto.renderVector = function (v) {
      return patched.call(this, { ...v });
    };
    let plain: Buffer;
    try {
      plain = (await renderDocument(doc, { lang: 'kk' })).buffer;
    } finally {
      proto.renderVector = patched;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'htmp-qr-fill-'));
    try {
      const page = (name: string, pdf: Buffer, dpi: number): Buffer => {
        fs.writeFileSync(path.join(dir, `${name}.pdf`), pdf);
        execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', path.join(dir, `${name}.pdf`), path.join(dir, `${name}-${dpi}`)]);
        return fs.readFileSync(path.join(dir, `${name}-${dpi}.pgm`));
      };
      const strip = (b: Buffer) => b.toString('latin1').replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '');
      expect(strip(grouped)).not.toBe(strip(plain)); // the grouped drawing really ran
      for (const dpi of [100, 300]) expect(page('grouped', grouped, dpi).equals(page('plain', plain, dpi)), `${dpi} dpi`).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
