import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The content-addressed file store of the data folder: every attached file is copied to
 * `<dataDir>/files/<sha256[0:2]>/<sha256>` (never referenced where the user picked it), written
 * to a temporary name first and renamed, so a crash never leaves a partial file under its hash.
 * The same content is stored once, whatever its names.
 */

const SHA256 = /^[0-9a-f]{64}$/;

export const filesDir = (dataDir: string): string => path.join(dataDir, 'files');

/** Where the content with this hash lives (whether or not it is there). */
export function storedFilePath(dataDir: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
  return path.join(filesDir(dataDir), sha256.slice(0, 2), sha256);
}

export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** True when the content is in the store. */
export function hasStoredFile(dataDir: string, sha256: string): boolean {
  if (!SHA256.test(sha256)) return false;
  try {
    return fs.statSync(storedFilePath(dataDir, sha256)).isFile();
  } catch {
    return false;
  }
}

/** Puts content into the store; `existed` when the same bytes were already there. */
export function putStoredFile(dataDir: string, content: Buffer): { sha256: string; size: number; existed: boolean } {
  const sha256 = sha256Of(content);
  const target = storedFilePath(dataDir, sha256);
  if (hasStoredFile(dataDir, sha256)) return { sha256, size: content.length, existed: true };
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomUUID()}.tmp`;
  try {
    fs.writeFileSync(tmp, content, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { sha256, size: content.length, existed: false };
}

/** Reads stored content, or null when it is not in the store. */
export function readStoredFile(dataDir: string, sha256: string): Buffer | null {
  if (!hasStoredFile(dataDir, sha256)) return null;
  return fs.readFileSync(storedFilePath(dataDir, sha256));
}
