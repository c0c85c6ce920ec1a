/**
 * Encrypting a plain (wave-1) data folder, re-keying an encrypted one, and the first set-up of
 * an empty one: one procedure, safe against a process killed at any moment.
 *
 *   1. stage: in `<data>/.convert/` build the complete new state — the database (a copy made by
 *      `VACUUM INTO`, migrated, given its first user, then encrypted in place by SQLite3 Multiple
 *      Ciphers' `PRAGMA rekey` with a PERSIST journal that is overwritten before it is removed),
 *      every stored file re-written under the new keys, and the new keyring;
 *   2. verify it: the database opens with the new key, `integrity_check` is ok, every table
 *      of the old database has as many rows, every file decrypts to the hash it is stored under;
 *   3. commit: fsync, then write `.convert/READY` (atomically). This is the one moment the
 *      operation happens: before it, the old state is untouched and the staging is thrown away
 *      (overwritten first if it held plaintext); after it, any process that opens the folder
 *      first rolls the operation forward (rollForward), step by step, each step idempotent:
 *      the old database (and files) are overwritten with random bytes when they were plain,
 *      then removed, and the new ones renamed into place; the keyring comes last.
 *
 * Packing the database (`packDatabase`) takes the same road with the database alone and the same
 * key: its packed copy is staged, verified and committed, then rolled forward.
 *
 * Overwriting a file before deleting it defeats an undelete on a hard disk; on flash storage
 * the drive may keep old blocks (see docs/threat-model.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, openDatabase, rekeyDatabase, type Db } from '../db';
import { decryptBuffer, FileStore, sha256Of, type FileStoreKeys } from '../files';
import { fsyncDir, KEYRING_FILE, writeFileAtomic, type Keyring } from './keyring';
import { caseSearchBroken } from '../migrations/0027-register';

export const STAGING_DIR = '.convert';
const READY = 'READY';
const DB = 'htmp.sqlite';
const DB_SIDE = ['-wal', '-shm', '-journal'];

export interface ConvertPlan {
  kind: 'setup' | 'encrypt' | 'rekey';
  /** The current database key (null: plain or no database). */
  oldKey: string | null;
  oldFiles: FileStoreKeys | null;
  newKey: string;
  newFiles: FileStoreKeys;
  keyring: Keyring;
  /** Runs on the staged database after migration, before encryption (e.g. inserts the first admin). Returns tables it wrote. */
  prepare?: (db: Db) => string[];
  /** Test hook: called at named points (the kill tests print them). */
  onStep?: (step: string) => void;
}

export interface ConvertResult {
  tables: number;
  rows: number;
  files: number;
}

const staging = (dataDir: string): string => path.join(dataDir, STAGING_DIR);

/** Overwrites a file with random bytes (same length), fsyncs it and removes it. */
export function wipeFile(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const block = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < size; at += block.length) {
      randomBytes(Math.min(block.length, size - at)).copy(block);
      fs.writeSync(fd, block, 0, Math.min(block.length, size - at), at);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(file, { force: true });
}

/** Wipes (plain) or removes (encrypted) a folder tree. */
function removeTree(dir: string, wipe: boolean): void {
  if (!fs.existsSync(dir)) return;
  if (wipe) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) removeTree(p, true);
      else wipeFile(p);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) fsyncTree(p);
    else fsyncFile(p);
  }
  fsyncDir(dir);
}

interface ReadyNote {
  kind: ConvertPlan['kind'] | 'pack';
  /** The old state held plaintext: overwrite before removing. */
  wipe: boolean;
}

/**
 * Finishes or undoes an interrupted operation; every host calls it before opening a folder.
 * Returns what it did.
 */
export function rollForward(dataDir: string, onStep?: (s: string) => void): 'none' | 'forward' | 'back' {
  const dir = staging(dataDir);
  if (!fs.existsSync(dir)) return 'none';
  let note: ReadyNote | null = null;
  try {
    note = JSON.parse(fs.readFileSync(path.join(dir, READY), 'utf8')) as ReadyNote;
  } catch {
    note = null;
  }
  if (!note) {
    // Not committed: the old state is whole. The staging may hold a plaintext copy.
    removeTree(dir, true);
    return 'back';
  }
  if (fs.existsSync(path.join(dir, DB))) {
    for (const s of ['', ...DB_SIDE]) {
      const f = path.join(dataDir, DB + s);
      if (note.wipe) wipeFile(f);
      else fs.rmSync(f, { force: true });
    }
    onStep?.('forward:old-db-removed');
    fs.renameSync(path.join(dir, DB), path.join(dataDir, DB));
    fsyncDir(dataDir);
    onStep?.('forward:db');
  }
  if (fs.existsSync(path.join(dir, 'files'))) {
    const old = path.join(dataDir, 'files');
    if (fs.existsSync(old)) {
      // Move aside first (one rename), so a half-removed tree is never mistaken for the store.
      const aside = path.join(dir, 'files.old');
      if (!fs.existsSync(aside)) fs.renameSync(old, aside);
      else removeTree(old, note.wipe);
    }
    fs.renameSync(path.join(dir, 'files'), old);
    fsyncDir(dataDir);
    onStep?.('forward:files');
  }
  removeTree(path.join(dir, 'files.old'), note.wipe);
  if (fs.existsSync(path.join(dir, KEYRING_FILE))) {
    fs.renameSync(path.join(dir, KEYRING_FILE), path.join(dataDir, KEYRING_FILE));
    fsyncDir(dataDir);
    onStep?.('forward:keyring');
  }
  // The reference copy was made from the old state; it is rebuilt at the next sign-in.
  fs.rmSync(path.join(dir, READY), { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fsyncDir(dataDir);
  return 'forward';
}

const tablesOf = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

const countRows = (db: Db, table: string): number => (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;

/** Runs the whole operation: stage, verify, commit, roll forward. The database must be closed by its owner. */
export function convertFolder(dataDir: string, plan: ConvertPlan): ConvertResult {
  rollForward(dataDir);
  try {
    return stageAndCommit(dataDir, plan);
  } catch (err) {
    // Not committed (or committed and rolled forward by the next start): drop an uncommitted staging.
    if (!fs.existsSync(path.join(staging(dataDir), READY))) removeTree(staging(dataDir), true);
    throw err;
  }
}

function stageAndCommit(dataDir: string, plan: ConvertPlan): ConvertResult {
  const step = plan.onStep ?? (() => undefined);
  const dir = staging(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const source = path.join(dataDir, DB);
  const staged = path.join(dir, DB);
  const plainStage = plan.kind !== 'rekey';
  const counts = new Map<string, number>();

  // 1. The database.
  if (fs.existsSync(source)) {
    const src = openDatabase(source, { key: plan.oldKey });
    try {
      src.pragma('wal_checkpoint(TRUNCATE)');
      for (const t of tablesOf(src)) counts.set(t, countRows(src, t));
      src.prepare('VACUUM INTO ?').run(staged);
    } finally {
      src.close();
    }
  }
  step('staged:copy');
  const touched = new Set<string>();
  if (!fs.existsSync(staged)) {
    // A new folder: the database is created encrypted from its first page.
    const db = openDatabase(staged, { key: plan.newKey });
    try {
      db.pragma('journal_mode = DELETE');
      migrate(db);
      for (const t of plan.prepare?.(db) ?? []) touched.add(t);
      step('staged:prepared');
    } finally {
      db.close();
    }
  } else {
    const db = openDatabase(staged, { key: plan.oldKey });
    try {
      db.pragma('journal_mode = PERSIST');
      const mig = migrate(db);
      if (mig.from !== mig.to) touched.add('*schema*');
      for (const t of plan.prepare?.(db) ?? []) touched.add(t);
      step('staged:prepared');
      // Encrypt (or re-key) in place; the rollback journal holds the previous pages until the
      // transaction is done, then is overwritten below.
      rekeyDatabase(db, plan.newKey);
      step('staged:encrypted');
    } finally {
      db.close();
    }
    wipeFile(`${staged}-journal`);
  }

  // 2. The files.
  const oldStore = new FileStore(dataDir, plan.oldFiles);
  const newStore = new FileStore(dir, plan.newFiles);
  let files = 0;
  for (const f of oldStore.files()) {
    const raw = fs.readFileSync(f.file);
    // Checked on the way: a plain file against its name, an encrypted one against its header and name.
    const content = plan.oldFiles ? decryptBuffer(plan.oldFiles.enc, raw, null) : raw;
    const put = newStore.put(content);
    content.fill(0);
    if (oldStore.nameOf(put.sha256) !== f.name) throw new Error(`stored file ${f.rel} does not match its name`);
    files++;
    if (files % 50 === 0) step(`staged:files:${files}`);
  }
  step('staged:files');

  // 3. Verify the staged state from disk.
  let rows = 0;
  {
    const db = openDatabase(staged, { key: plan.newKey, readonly: true });
    try {
      const ic = db.pragma('integrity_check', { simple: true });
      if (ic !== 'ok') throw new Error(`staged database: ${String(ic)}`);
      for (const [t, n] of counts) {
        if (touched.has(t)) continue;
        const m = countRows(db, t);
        if (m !== n) throw new Error(`staged database: ${t} has ${m} rows, not ${n}`);
        rows += m;
      }
    } finally {
      db.close();
    }
  }
  const reread = new FileStore(dir, plan.newFiles);
  let checked = 0;
  for (const f of reread.files()) {
    const plain = decryptBuffer(plan.newFiles.enc, fs.readFileSync(f.file), null);
    if (reread.nameOf(sha256Of(plain)) !== f.name) throw new Error(`staged file ${f.rel} does not open`);
    plain.fill(0);
    checked++;
  }
  if (checked !== files) throw new Error(`staged files: ${checked} of ${files}`);
  step('staged:verified');

  // 4. The keyring, then the commit point.
  writeFileAtomic(path.join(dir, KEYRING_FILE), `${JSON.stringify(plan.keyring, null, 2)}\n`);
  fsyncTree(dir);
  step('staged:synced');
  const note: ReadyNote = { kind: plan.kind, wipe: plainStage && plan.oldKey === null };
  writeFileAtomic(path.join(dir, READY), JSON.stringify(note));
  step('committed');
  rollForward(dataDir, step);
  step('done');
  return { tables: counts.size, rows, files };
}

/**
 * Packs the open database `db` of `dataDir` (its key `key`, null when plain) without the
 * in-memory copy a VACUUM makes (issue 17, database size): `VACUUM INTO` writes a packed copy,
 * encrypted under the same key and cipher, into the staging folder (the copy's pages pass through
 * a small page cache: about 30 MB more at 100,000 cases, where VACUUM held the whole database);
 * the copy is verified (quick_check, every table as many rows); then `close` closes the owner's
 * connection, and the copy is committed and rolled forward in place of the database, like a
 * re-key. The caller must hold the folder alone (the folder lock: no other process has it open)
 * and write nothing meanwhile (all of this is synchronous). Returns false, with the database
 * untouched and still open, when the copy could not be made or did not verify (a full disk).
 * Throws when something fails once `close` was called (the owner then rolls forward or back with
 * `rollForward` and opens what is in place); from the commit on, a process killed midway leaves
 * the packed database to the next start.
 */
export function packDatabase(dataDir: string, db: Db, key: string | null, close: () => void, onStep?: (step: string) => void): boolean {
  const step = onStep ?? (() => undefined);
  rollForward(dataDir);
  const dir = staging(dataDir);
  const staged = path.join(dir, DB);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const counts = new Map<string, number>();
    for (const t of tablesOf(db)) counts.set(t, countRows(db, t));
    db.prepare('VACUUM INTO ?').run(staged);
    fs.chmodSync(staged, 0o600);
    step('pack:copied');
    const copy = openDatabase(staged, { key, readonly: true });
    try {
      const qc = copy.pragma('quick_check', { simple: true });
      if (qc !== 'ok') throw new Error(`packed database: ${String(qc)}`);
      // The index of names is keyed by the cases' rowids, which the copy keeps (0027-register).
      if (caseSearchBroken(copy)) throw new Error('packed database: the index of names does not match the cases');
      for (const [t, n] of counts) {
        const m = countRows(copy, t);
        if (m !== n) throw new Error(`packed database: ${t} has ${m} rows, not ${n}`);
      }
    } finally {
      copy.close();
    }
    fsyncTree(dir);
    step('pack:verified');
  } catch {
    removeTree(dir, false);
    return false;
  }
  close();
  step('pack:closed');
  writeFileAtomic(path.join(dir, READY), JSON.stringify({ kind: 'pack', wipe: false } satisfies ReadyNote));
  step('committed');
  rollForward(dataDir, step);
  step('done');
  return true;
}
