import fs from 'node:fs';
import path from 'node:path';
import { lazyRequire } from '../lazy-require';

/**
 * Text widths for ECharts' layout on the server, from the same DejaVu Sans the PDFs embed. Without
 * it zrender (no canvas in Node) counts every non-Latin letter as a full em, so Kazakh and Russian
 * labels are laid out 1.5-2 times too wide: legends spread, axis labels are dropped or rotated.
 *
 * Widths are the glyphs' advance widths (no kerning), cached per character.
 */
type Metrics = { unitsPerEm: number; advance(cp: number): number };

let fonts: { normal: Metrics; bold: Metrics } | null = null;

async function load(fontsDir: string): Promise<{ normal: Metrics; bold: Metrics }> {
  const fontkit = lazyRequire<typeof import('fontkit')>('fontkit');
  const open = (file: string): Metrics => {
    const font = fontkit.create(fs.readFileSync(path.join(fontsDir, file)));
    const cache = new Map<number, number>();
    return {
      unitsPerEm: font.unitsPerEm,
      advance(cp) {
        let w = cache.get(cp);
        if (w === undefined) cache.set(cp, (w = font.glyphForCodePoint(cp).advanceWidth));
        return w;
      },
    };
  };
  return { normal: open('DejaVuSans.ttf'), bold: open('DejaVuSans-Bold.ttf') };
}

/** Loads the font metrics once (from `<assetsDir>/fonts`). */
export async function loadMetrics(fontsDir: string): Promise<void> {
  fonts ??= await load(fontsDir);
}

/** zrender's `measureText(text, font)` over the loaded metrics ('bold 12px Family' and the like). */
export function measureText(text: string, font?: string): { width: number } {
  const spec = font ?? '12px sans-serif';
  const size = Number(/([0-9.]+)px/.exec(spec)?.[1] ?? 12);
  const m = /\bbold\b|\b[6-9]00\b/.test(spec) ? fonts?.bold : fonts?.normal;
  if (!m) return { width: (text ?? '').length * size * 0.6 };
  let units = 0;
  for (const ch of text ?? '') units += m.advance(ch.codePointAt(0)!);
  return { width: (units / m.unitsPerEm) * size };
}
