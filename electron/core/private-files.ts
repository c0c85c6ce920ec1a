import fs from 'node:fs';
import path from 'node:path';

/**
 * Files on disk are private (issue 12, point 13): the data folder is 0700 and every file the app
 * writes — the database and its WAL/SHM, stored files, staging, and every bundle, backup and PDF
 * it exports — is 0600, readable by this OS user only. On Windows the user's profile already
 * restricts access and modes are not used.
 *
 * Each host process calls `privateUmask()` first thing, so everything it creates (SQLite's own
 * files included, which no option of ours reaches) is born private; `makePrivate()` tightens a
 * data folder created by an earlier version with the default 0755/0644.
 */
export function privateUmask(): void {
  if (process.platform !== 'win32') process.umask(0o077);
}

/**
 * The data folder 0700 and the app's own entries in it (the database and its journal files, the
 * folders the app keeps there) 0600/0700, so an installation created by an earlier version with
 * the default 0755/0644 is tightened. Only the app's own names are touched: a data folder named
 * by mistake (a home folder) keeps its other files as they are.
 */
export function makePrivate(dataDir: string): void {
  if (process.platform === 'win32') return;
  fs.chmodSync(dataDir, 0o700);
  for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
    const p = path.join(dataDir, entry.name);
    // Another process on the folder (a CLI command, the app) may rename or remove one of its
    // temporary files between the listing and the chmod: a name gone meanwhile is not an error.
    if (entry.isFile() && OWN_FILE.test(entry.name)) chmodIfThere(p, 0o600);
    else if (entry.isDirectory() && OWN_DIRS.has(entry.name)) chmodIfThere(p, 0o700);
  }
}

function chmodIfThere(p: string, mode: number): void {
  try {
    fs.chmodSync(p, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const OWN_FILE = /^((htmp|reference)\.sqlite(-wal|-shm|-journal)?|keyring(\.json)?|\.?htmp[\w.-]*)$/;
const OWN_DIRS = new Set(['files', 'exchange', 'catalogue', 'staging', '.staging', 'tmp']);
