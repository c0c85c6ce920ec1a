import fs from 'node:fs';
import path from 'node:path';
import pdfmake from 'pdfmake';
import { installFontCache, shareFontFiles } from './font-cache';
import { installFontLayout } from './font-layout';
import { installQrFill } from './qr';
import { installStreamWrites } from './stream-writes';
import { installStyleStack } from './style-stack';
import { installTextRuns } from './text-runs';

/** The font family name documents use (DejaVu Sans: full Kazakh and Russian Cyrillic). */
export const PDF_FONT_FAMILY = 'HtmpDejaVuSans';

/** Font files under `<assetsDir>/fonts`, by pdfmake style. */
export const PDF_FONT_FILES = {
  normal: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italics: 'DejaVuSans-Oblique.ttf',
  bolditalics: 'DejaVuSans-BoldOblique.ttf',
} as const;

let registeredFrom: string | null = null;
let allowedFiles = new Set<string>();

/**
 * Registers the fonts of `<assetsDir>/fonts` with pdfmake (once per folder) and locks pdfmake down:
 * documents are built from our data only, so no URL may be fetched and no local file read except
 * these font files (pdfmake's access policies allow nothing else).
 * Call it with the packaged app's assets folder; by default `assetsDir()` of electron/core/paths.
 *
 * The fonts are named by their real paths, not loaded into pdfmake's in-memory file system: pdfkit
 * then opens each one by path, for the text and for the text inside SVG charts alike (pdfmake's SVG
 * support, svg-to-pdfkit, asks pdfkit for a font by that path), and finds it in its per-document
 * cache under that path. A font loaded from memory is cached under no path, so every label of a
 * chart would re-read and re-parse the 750 KB font (seconds per document).
 */
export function registerPdfFonts(assetsDir: string): void {
  installFontCache(); // before pdfmake (and pdfkit) load: fonts parsed once per process
  installQrFill();
  installStyleStack();
  installStreamWrites(); // after installFontCache: pdfkit is loaded there first
  installTextRuns();
  installFontLayout(); // after installFontCache: pdfkit is loaded there first
  const dir = path.resolve(assetsDir, 'fonts');
  if (registeredFrom === dir) return;
  const descriptor: Record<string, string> = {};
  for (const [style, file] of Object.entries(PDF_FONT_FILES)) {
    const full = path.join(dir, file);
    try {
      fs.accessSync(full, fs.constants.R_OK);
    } catch (cause) {
      throw new Error(`pdf: font file missing: ${full}`, { cause });
    }
    descriptor[style] = full;
  }
  allowedFiles = new Set(Object.values(descriptor));
  shareFontFiles(Object.values(descriptor));
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => allowedFiles.has(path.resolve(p)));
  pdfmake.addFonts({
    [PDF_FONT_FAMILY]: {
      normal: descriptor['normal'] ?? '',
      bold: descriptor['bold'] ?? '',
      italics: descriptor['italics'] ?? '',
      bolditalics: descriptor['bolditalics'] ?? '',
    },
  });
  registeredFrom = dir;
}
