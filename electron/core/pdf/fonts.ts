import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pdfmake from 'pdfmake';
import { installFontCache } from './font-cache';

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

/**
 * Loads the fonts from `<assetsDir>/fonts` into pdfmake's in-memory file system (once per folder)
 * and locks pdfmake down: documents are built from our data only, so no URL may be fetched and no
 * local file read (pdfmake's access policies deny everything; fonts are served from memory).
 * Call it with the packaged app's assets folder; by default `assetsDir()` of electron/core/paths.
 */
export function registerPdfFonts(assetsDir: string): void {
  installFontCache(); // before pdfmake (and pdfkit) load: fonts parsed once per process
  const dir = path.resolve(assetsDir, 'fonts');
  if (registeredFrom === dir) return;
  const descriptor: Record<string, string> = {};
  for (const [style, file] of Object.entries(PDF_FONT_FILES)) {
    const full = path.join(dir, file);
    let data: Buffer;
    try {
      data = fs.readFileSync(full);
    } catch (cause) {
      throw new Error(`pdf: font file missing: ${full}`, { cause });
    }
    // Keyed by folder so that re-registering from another folder never mixes files.
    const key = `htmp-fonts/${createHash('sha256').update(dir).digest('hex').slice(0, 16)}/${file}`;
    pdfmake.virtualfs.writeFileSync(key, data);
    descriptor[style] = key;
  }
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
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
