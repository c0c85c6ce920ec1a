import fs from 'node:fs/promises';
import path from 'node:path';
import { lazyRequire } from '../lazy-require';
import { PdfError } from './errors';

/**
 * Writes `buffer` to `file` atomically: to a temporary file in the same folder (same file system,
 * so the rename is atomic), flushed to disk, then renamed over the target. A reader therefore sees
 * either the old file or the complete new one, never an empty or half-written PDF; on failure the
 * temporary file is removed and a `pdf.write_failed` error is thrown.
 */
export async function writePdfAtomic(file: string, buffer: Buffer): Promise<void> {
  if (buffer.length === 0) throw new PdfError('pdf.write_failed', { reason: 'empty buffer' });
  const dir = path.dirname(path.resolve(file));
  // node:crypto loads here, not when a command file that may write a PDF is loaded (start-up);
  // a CommonJS require (lazy-require.ts says why not `import()`).
  const { randomBytes } = lazyRequire<typeof import('node:crypto')>('node:crypto');
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(buffer);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (cause) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const reason = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause);
    throw new PdfError('pdf.write_failed', { reason }, { cause });
  }
}
