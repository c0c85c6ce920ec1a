/**
 * Who has a data folder open, and the staging area inside it (issue 12.3 and 12.9).
 *
 * Every core that opens a folder — the Electron app, the web host, each CLI command, a test —
 * leaves a lease in `<data>/.locks/open-<pid>-<id>.json` (its pid, host and start) for as long as
 * it is open. A restore takes `<data>/.locks/restore.lock` (created exclusively, with its pid),
 * then looks at the leases: any other live one refuses the restore (`exchange.restore_in_use`),
 * so a restore never replaces a database that someone is still writing. A core that opens while
 * a live restore lock exists is refused (`db.restore_in_progress`). Both sides write their own
 * file first and look at the other's second, so of two that race, at least one sees the other.
 *
 * The files live inside the folder, found through its real path (symlinks resolved): every path
 * to the same folder sees the same locks. A lease or lock whose pid is no longer running (a
 * killed process) is stale and is taken over.
 *
 * Staging (`<data>/.staging/<what>-<pid>-<id>`): what a backup, restore, import or print writes
 * on its way stays inside the (private, 0700) data folder, never in the system temp folder; it is
 * removed on every exit path, and what a killed process left is removed at the next start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../shared/result';

export const LOCKS_DIR = '.locks';
export const STAGING_DIR = '.staging';
const RESTORE_LOCK = 'restore.lock';

/** Names inside a data folder that belong to its housekeeping, not to its data. */
export const HOUSEKEEPING = [LOCKS_DIR, STAGING_DIR] as const;

export interface LeaseInfo {
  pid: number;
  host: string;
  since: string;
  id: string;
}

export interface OpenLease {
  readonly id: string;
  /** The folder's real path (symlinks resolved). */
  readonly realDir: string;
  release(): void;
}

/** Ids of this process's leases and locks still held (a file with our pid but another id is stale). */
const held = new Set<string>();
const heldFiles = new Map<string, string>();
let exitHook = false;

function onExit(): void {
  for (const file of heldFiles.values()) {
    try {
      fs.rmSync(file, { force: true });
    } catch {
      /* exiting anyway */
    }
  }
}

function hold(id: string, file: string): void {
  held.add(id);
  heldFiles.set(id, file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', onExit);
  }
}

function letGo(id: string): void {
  const file = heldFiles.get(id);
  held.delete(id);
  heldFiles.delete(id);
  if (!file) return;
  fs.rmSync(file, { force: true });
  // The last one out removes the folder (a closed data folder looks as it did before).
  try {
    fs.rmdirSync(path.dirname(file));
  } catch {
    /* others still hold it */
  }
}

/** Writes a file in `.locks` (made if needed; made again if the last holder just removed it). */
function writeLockFile(realDir: string, name: string, body: string, flag: 'w' | 'wx'): string {
  for (let attempt = 0; ; attempt++) {
    const file = path.join(locksDir(realDir), name);
    try {
      fs.writeFileSync(file, body, { flag, mode: 0o600 });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 3) throw err;
    }
  }
}

/** True while the process runs (a pid of another user still counts: EPERM). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const alive = (l: LeaseInfo): boolean => (l.pid === process.pid ? held.has(l.id) : pidAlive(l.pid));

/** The folder's real path, creating it (0700) if needed. */
export function realDataDir(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return fs.realpathSync(dataDir);
}

function locksDir(realDir: string): string {
  const dir = path.join(realDir, LOCKS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function readInfo(file: string): LeaseInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LeaseInfo>;
    if (typeof v.pid !== 'number' || typeof v.id !== 'string') return null;
    return { pid: v.pid, id: v.id, host: String(v.host ?? ''), since: String(v.since ?? '') };
  } catch {
    return null;
  }
}

/** The live leases of a folder except `exceptId`; stale ones (dead pid, unreadable) are removed. */
export function openLeases(realDir: string, exceptId?: string): LeaseInfo[] {
  const dir = path.join(realDir, LOCKS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: LeaseInfo[] = [];
  for (const n of names) {
    if (!n.startsWith('open-')) continue;
    const file = path.join(dir, n);
    const info = readInfo(file);
    if (info && info.id === exceptId) continue;
    if (info && alive(info)) out.push(info);
    else if (info || Date.now() - safeMtime(file) > 60_000) fs.rmSync(file, { force: true });
  }
  return out;
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function restoreHolder(realDir: string): LeaseInfo | null {
  const file = path.join(realDir, LOCKS_DIR, RESTORE_LOCK);
  if (!fs.existsSync(file)) return null;
  const info = readInfo(file);
  if (info && alive(info)) return info;
  // A restore that was killed: its lock is stale.
  if (info || Date.now() - safeMtime(file) > 60_000) fs.rmSync(file, { force: true });
  return null;
}

/**
 * Registers this core as having the folder open. Refused (`db.restore_in_progress`) while a live
 * process restores into it.
 */
export function registerOpen(dataDir: string, host: string): OpenLease {
  const realDir = realDataDir(dataDir);
  const id = `${process.pid}-${randomUUID()}`;
  const file = writeLockFile(realDir, `open-${id}.json`, JSON.stringify({ pid: process.pid, host, since: new Date().toISOString(), id }), 'w');
  hold(id, file);
  const restoring = restoreHolder(realDir);
  if (restoring) {
    letGo(id);
    throw new AppFailure('db.restore_in_progress', { pid: restoring.pid });
  }
  let released = false;
  return {
    id,
    realDir,
    release() {
      if (released) return;
      released = true;
      letGo(id);
    },
  };
}

/**
 * Takes the folder's lock (`restore.lock`), for what replaces the database file under everyone
 * who has it open: a restore, a re-key, packing the database in place. Refused (`refusal`:
 * `exchange.restore_in_use` unless said otherwise, with the pid and host of one that has it open)
 * while another live process or core has the folder open or holds the lock. `exceptLeaseId`: the
 * lease of the core that does it on its own folder (it closes its database first). Returns the
 * release.
 */
export function acquireFolderLock(dataDir: string, exceptLeaseId?: string, refusal = 'exchange.restore_in_use'): () => void {
  const realDir = realDataDir(dataDir);
  const id = `${process.pid}-${randomUUID()}`;
  const body = JSON.stringify({ pid: process.pid, host: 'restore', since: new Date().toISOString(), id });
  let file: string;
  for (let attempt = 0; ; attempt++) {
    try {
      file = writeLockFile(realDir, RESTORE_LOCK, body, 'wx');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = restoreHolder(realDir);
      if (holder) throw new AppFailure(refusal, { pid: holder.pid, host: 'restore', dataDir: realDir });
      if (attempt > 2) throw new AppFailure(refusal, { pid: 0, host: 'restore', dataDir: realDir });
    }
  }
  hold(id, file);
  const others = openLeases(realDir, exceptLeaseId);
  if (others.length > 0) {
    letGo(id);
    const o = others[0]!;
    throw new AppFailure(refusal, { pid: o.pid, host: o.host, dataDir: realDir });
  }
  return () => letGo(id);
}

/** A new private staging folder inside the data folder, named with this process's pid. */
export function stagingDir(dataDir: string, what: string): string {
  const dir = path.join(dataDir, STAGING_DIR, `${what}-${process.pid}-${randomUUID()}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/**
 * Removes what killed processes left in `<data>/.staging`: entries whose pid (in their name) no
 * longer runs, at once; entries without a pid, after an hour (a backup another process writes
 * right now is left alone).
 */
export function cleanStaging(dataDir: string): void {
  sweep(path.join(dataDir, STAGING_DIR), (n, p) => {
    const pid = /^[a-z]+-(\d+)-/.exec(n)?.[1];
    return pid !== undefined ? Number(pid) !== process.pid && !pidAlive(Number(pid)) : Date.now() - fs.statSync(p).mtimeMs > 3_600_000;
  });
}

/** Removes each entry of `dir` that `stale` names (a missing folder, or an entry gone meanwhile, is fine). */
function sweep(dir: string, stale: (name: string, fullPath: string) => boolean): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    try {
      const p = path.join(dir, n);
      if (stale(n, p)) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

/**
 * Removes uploads (`<data>/exchange/incoming/*.htmp`, a page's bundle or backup sent in chunks)
 * untouched for an hour: an upload whose import never came (the tab closed, the process was
 * killed) leaves no patient data behind. Each chunk renews the file's time.
 */
export function cleanIncoming(dataDir: string, maxAgeMs = 3_600_000): void {
  sweep(path.join(dataDir, 'exchange', 'incoming'), (_n, p) => Date.now() - fs.statSync(p).mtimeMs > maxAgeMs);
}
