/** The files a command writes (--out): checked before anything is read or written, written atomically. */
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../shared/result';
import { writePdfAtomic } from '../core/pdf/write';

/** The file named by --out, resolved; its folder must exist (bad input leaves no file behind). */
export function outputPath(file: string): string {
  const out = path.resolve(file);
  if (!fs.existsSync(path.dirname(out))) throw new AppFailure('pdf.write_failed', { reason: `ENOENT ${path.dirname(out)}` });
  return out;
}

/** Writes what the core returned in base64 to the file, atomically (no file at all on any error). */
export async function writeBase64(file: string, base64: string): Promise<void> {
  await writePdfAtomic(file, Buffer.from(base64, 'base64'));
}

/** Writes a rendered PDF; the command's JSON: the file, its pages and SHA-256. */
export async function writeRendered(file: string, r: { pdfBase64: string; pages: number; sha256: string }): Promise<{ file: string; pages: number; sha256: string }> {
  await writeBase64(file, r.pdfBase64);
  return { file, pages: r.pages, sha256: r.sha256 };
}
