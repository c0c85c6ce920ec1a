/**
 * The file store of the data folder: every attached document, by the SHA-256 of its content
 * (the hash the database records). One module for every area (cases, exchange, and any new one):
 * callers name content by its plain SHA-256 only; where and how it is kept is this module's.
 *
 * Two layouts:
 * - encrypted (a folder set up with users): `files/<n[0:2]>/<n>`, where n = HMAC-SHA256 of the
 *   plain hash under a name key derived from the data key, so equal files still dedupe but a
 *   copy of the folder does not reveal which well-known file is in it. The content is
 *   AES-256-GCM in 64 KiB chunks (format `htmp-file-gcm-1`, vault/file-cipher.ts) under a per-file key
 *   derived from the file key and a random salt; the first 32 plain bytes hold the content's
 *   SHA-256, so a file can be listed and checked without the database.
 * - plain (a wave-1 folder before its first set-up, and tests that show encryption matters):
 *   `files/<sha[0:2]>/<sha>`, the bytes as they are.
 *
 * Every read is checked against the hash it was asked for: a name is a claim, the hash is the
 * proof. A file is written to a temporary name inside the store and renamed, so a present file
 * is always complete.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppFailure } from '../../shared/result';
import { CHUNK, damaged, Decryptor, decryptBuffer, decryptHeader, ENCRYPTED_HEADER_BYTES, Encryptor, encryptParts, headerOf, plainSizeOf, TAG } from './vault/file-cipher';
import { KEYRING_FILE } from './vault/keyring';

export { damaged, decryptBuffer, encryptBufferSync, encryptParts, ENCRYPTED_HEADER_BYTES, fileKey, plainSizeOf } from './vault/file-cipher';

export const SHA256_RE = /^[0-9a-f]{64}$/;

/** A file written but not yet visible in the store (FileStore.stage). */
export interface StagedFile {
  /** Renames it into place; false when the same content was stored meanwhile (then it is removed). */
  commit(): boolean;
  discard(): void;
}

/** A staged file as plain data: its content's hash, its hidden temporary file and its place. */
export interface StagedPath {
  sha256: string;
  tmp: string;
  target: string;
}

export const filesDir = (dataDir: string): string => path.join(dataDir, 'files');

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

/** SHA-256 (hex) of a file on disk, streamed. */
export async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

/**
 * Columns named like attachments that hold another hash: `protocol_statements.sha256` is the
 * SHA-256 of a rendered protocol (printed in its QR code), not a file of the store.
 */
const NOT_ATTACHMENTS: ReadonlySet<string> = new Set(['protocol_statements.sha256']);

/** Columns whose values name an attachment by hash: `sha256` or `<something>_sha256`. */
export function isAttachmentColumn(column: string, table?: string): boolean {
  if (table !== undefined && NOT_ATTACHMENTS.has(`${table}.${column}`)) return false;
  return column === 'sha256' || column.endsWith('_sha256');
}

/** The two keys of the encrypted layout (derived from the data key by the vault). */
export interface FileStoreKeys {
  /** Encrypts content (each file's own key is derived from it and a random salt). */
  enc: Buffer;
  /** Names files: HMAC of the plain hash. */
  name: Buffer;
}

/** Passes plain bytes through, checking at the end that they hash to `sha256`. */
class PlainCheck extends Transform {
  private readonly hash = createHash('sha256');
  constructor(private readonly sha256: string) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    cb(this.hash.digest('hex') === this.sha256 ? null : damaged(this.sha256, 'hash'));
  }
}

/** One data folder's file store. */
export class FileStore {
  constructor(
    readonly dataDir: string,
    private readonly keys: FileStoreKeys | null,
  ) {}

  get encrypted(): boolean {
    return this.keys !== null;
  }

  /** The stored name of a hash (the hash itself in the plain layout). */
  nameOf(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new TypeError('sha256 must be 64 lower-case hex digits');
    return this.keys ? createHmac('sha256', this.keys.name).update(sha256).digest('hex') : sha256;
  }

  private fileOf(sha256: string): string {
    const n = this.nameOf(sha256);
    return path.join(filesDir(this.dataDir), n.slice(0, 2), n);
  }

  has(sha256: string): boolean {
    if (!SHA256_RE.test(sha256)) return false;
    try {
      return fs.statSync(this.fileOf(sha256)).isFile();
    } catch {
      return false;
    }
  }

  /** Stores content; `existed` when the same bytes were already there. */
  put(content: Buffer): { sha256: string; size: number; existed: boolean } {
    const sha256 = sha256Of(content);
    if (this.has(sha256)) return { sha256, size: content.length, existed: true };
    const target = this.fileOf(sha256);
    this.ensureDir(path.dirname(target));
    const tmp = `${target}.${randomUUID()}.tmp`;
    try {
      this.writeContent(tmp, sha256, content);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return { sha256, size: content.length, existed: false };
  }

  /**
   * Writes content held in memory that must hash to `sha256` to a hidden temporary file beside
   * its place in the store, without making it visible: `commit()` renames it into place (false
   * when the same content got there meanwhile), `discard()` removes it. Null when the content is
   * stored already. For a caller that checks many files first and keeps all or none of them (a
   * sync import: every attachment verified and written once, shown only when all are good).
   * `hashed`: the caller has just checked that the content hashes to `sha256` (not hashed again).
   */
  stage(sha256: string, content: Buffer, opts: { hashed?: true } = {}): StagedFile | null {
    const p = this.stagePath(sha256, content, opts);
    return p && this.staged(p);
  }

  /** `stage` as plain data (a worker thread stages, the thread holding the transaction commits: `staged`). */
  stagePath(sha256: string, content: Buffer, opts: { hashed?: true; token?: string } = {}): StagedPath | null {
    if (opts.hashed !== true && sha256Of(content) !== sha256) throw damaged(sha256, 'hash');
    if (this.has(sha256)) return null;
    const p = this.stagedPathOf(sha256, opts.token ?? randomUUID());
    this.ensureDir(path.dirname(p.target));
    try {
      this.writeContent(p.tmp, sha256, content);
    } catch (err) {
      fs.rmSync(p.tmp, { force: true });
      throw err;
    }
    return p;
  }

  /** Where `stagePath` puts content with this token (a caller that gave the token can find it without being told). */
  stagedPathOf(sha256: string, token: string): StagedPath {
    const target = this.fileOf(sha256);
    return { sha256, tmp: `${target}.${token}.partial`, target };
  }

  /** The commit and discard of a staged file of this store. */
  staged(p: StagedPath): StagedFile {
    return {
      commit: () => {
        if (this.has(p.sha256)) {
          fs.rmSync(p.tmp, { force: true });
          return false;
        }
        fs.renameSync(p.tmp, p.target);
        return true;
      },
      discard: () => fs.rmSync(p.tmp, { force: true }),
    };
  }

  /** What a worker thread needs to write into this store (`new FileStore(dataDir, keys)` there). */
  shareable(): { dataDir: string; keys: FileStoreKeys | null } {
    return { dataDir: this.dataDir, keys: this.keys };
  }

  /** Folders of the store known to exist (made or seen by this store): a sync import writes thousands of files into 256 folders. */
  private readonly knownDirs = new Set<string>();

  private ensureDir(dir: string): void {
    if (this.knownDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.knownDirs.add(dir);
  }

  /** Writes content (encrypted in the encrypted layout) to a new private file. */
  private writeContent(file: string, sha256: string, content: Buffer): void {
    const parts = this.keys ? encryptParts(this.keys.enc, sha256, content) : [content];
    try {
      writeNewFile(file, parts);
    } catch (err) {
      // Its folder removed since it was made (by hand, or a restore): made again, written once more.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.knownDirs.delete(path.dirname(file));
      this.ensureDir(path.dirname(file));
      writeNewFile(file, parts);
    }
  }

  /** Reads and checks content; null when it is not in the store. A damaged file throws `files.damaged`. */
  read(sha256: string): Buffer | null {
    if (!this.has(sha256)) return null;
    const raw = fs.readFileSync(this.fileOf(sha256));
    if (!this.keys) {
      if (sha256Of(raw) !== sha256) throw damaged(sha256, 'hash');
      return raw;
    }
    return decryptBuffer(this.keys.enc, raw, sha256);
  }

  /**
   * The checked content when it is at most `maxBytes` long, read in one go (open, size, read,
   * close); `'large'` when it is longer (then stream it); null when it is not in the store.
   */
  readUpTo(sha256: string, maxBytes: number): Buffer | 'large' | null {
    if (!SHA256_RE.test(sha256)) return null;
    let fd: number;
    try {
      fd = fs.openSync(this.fileOf(sha256), 'r');
    } catch {
      return null;
    }
    let raw: Buffer;
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) return null;
      if ((this.keys ? plainSizeOf(st.size) : st.size) > maxBytes) return 'large';
      raw = Buffer.allocUnsafe(st.size);
      let at = 0;
      while (at < raw.length) {
        const n = fs.readSync(fd, raw, at, raw.length - at, at);
        if (n === 0) throw damaged(sha256, 'truncated');
        at += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    if (!this.keys) {
      if (sha256Of(raw) !== sha256) throw damaged(sha256, 'hash');
      return raw;
    }
    return decryptBuffer(this.keys.enc, raw, sha256);
  }

  /** A stream of the checked content (fails with `files.damaged` at its end if it is not). */
  stream(sha256: string): Readable {
    if (!this.has(sha256)) throw new AppFailure('files.missing', { sha256 });
    const raw = createReadStream(this.fileOf(sha256));
    const check = this.keys ? new Decryptor(this.keys.enc, sha256) : new PlainCheck(sha256);
    raw.on('error', (err) => check.destroy(err));
    return raw.pipe(check);
  }

  /**
   * Copies a stream of content that should hash to `sha256` into the store unless it is there.
   * The file becomes visible only after the stream ended and its hash matched; otherwise
   * nothing is stored and the error (`files.damaged` for a hash mismatch) is thrown.
   */
  async storeStream(sha256: string, open: () => Readable, signal?: AbortSignal): Promise<boolean> {
    if (this.has(sha256)) return false;
    const target = this.fileOf(sha256);
    this.ensureDir(path.dirname(target));
    const tmp = `${target}.${randomUUID()}.partial`;
    const hash = createHash('sha256');
    const counter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      const stages: NodeJS.ReadWriteStream[] = [counter];
      // Encrypted while streaming (the header is the hash the caller expects); the hash of what
      // really came is checked at the end and the file dropped if it differs.
      if (this.keys) stages.push(new Encryptor(this.keys.enc, headerOf(sha256)));
      await pipeline([open(), ...stages, createWriteStream(tmp, { mode: 0o600, flags: 'wx' })], signal ? { signal } : {});
      if (hash.digest('hex') !== sha256) throw damaged(sha256, 'hash');
      fs.renameSync(tmp, target);
      return true;
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** Every stored file as its plain hash and size (the encrypted layout reads each file's header). */
  list(): Promise<{ sha256: string; size: number }[]> {
    return Promise.resolve(this.listSync());
  }

  listSync(): { sha256: string; size: number }[] {
    const out: { sha256: string; size: number }[] = [];
    for (const f of this.files()) {
      if (!this.keys) {
        out.push({ sha256: f.name, size: f.size });
        continue;
      }
      const head = readHead(f.file);
      const meta = head ? decryptHeader(this.keys.enc, head) : null;
      if (meta && this.nameOf(meta) === f.name) out.push({ sha256: meta, size: plainSizeOf(f.size) });
    }
    return out.sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
  }

  /** The stored files as they are on disk (names and sizes), for copying a folder whole (backups). */
  files(): { name: string; file: string; rel: string; size: number }[] {
    const root = filesDir(this.dataDir);
    const out: { name: string; file: string; rel: string; size: number }[] = [];
    let dirs: string[];
    try {
      dirs = fs.readdirSync(root).filter((d) => /^[0-9a-f]{2}$/.test(d)).sort();
    } catch {
      return out;
    }
    for (const d of dirs) {
      for (const name of fs.readdirSync(path.join(root, d)).sort()) {
        if (!SHA256_RE.test(name) || name.slice(0, 2) !== d) continue;
        const file = path.join(root, d, name);
        const st = fs.statSync(file);
        if (st.isFile()) out.push({ name, file, rel: `${d}/${name}`, size: st.size });
      }
    }
    return out;
  }
}

function readHead(file: string): Buffer | null {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(ENCRYPTED_HEADER_BYTES + CHUNK + TAG + 1);
    const n = fs.readSync(fd, b, 0, b.length, 0);
    return b.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes pieces to a new file (flag 'wx', private) with as few system calls as it takes. */
function writeNewFile(file: string, parts: readonly Buffer[]): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    let rest = parts.filter((b) => b.length > 0);
    while (rest.length > 0) {
      // writev takes at most IOV_MAX (1024) buffers and may write fewer bytes than asked.
      let n = fs.writevSync(fd, rest.slice(0, 1024));
      while (n > 0 && rest.length > 0) {
        const first = rest[0]!;
        if (n >= first.length) {
          n -= first.length;
          rest = rest.slice(1);
        } else {
          rest = [first.subarray(n), ...rest.slice(1)];
          n = 0;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

// --- Which store a data folder has --------------------------------------------------------------

const open = new Map<string, FileStore>();

/** The core registers the store of an unlocked folder (and removes it when it closes). */
export function registerFileStore(store: FileStore): () => void {
  const key = path.resolve(store.dataDir);
  open.set(key, store);
  return () => {
    if (open.get(key) === store) open.delete(key);
  };
}

/**
 * The file store of a data folder: the one its core registered when it was unlocked; the plain
 * layout for a folder without a keyring; `auth.locked` for an encrypted folder nobody unlocked.
 */
export function fileStore(dataDir: string): FileStore {
  const key = path.resolve(dataDir);
  const s = open.get(key);
  if (s) return s;
  if (fs.existsSync(path.join(key, KEYRING_FILE))) throw new AppFailure('auth.locked');
  return new FileStore(key, null);
}

// The function-level API every area uses (by the plain SHA-256 the database records).

export const hasStoredFile = (dataDir: string, sha256: string): boolean => fileStore(dataDir).has(sha256);
export const putStoredFile = (dataDir: string, content: Buffer): { sha256: string; size: number; existed: boolean } => fileStore(dataDir).put(content);
export const readStoredFile = (dataDir: string, sha256: string): Buffer | null => fileStore(dataDir).read(sha256);
/** A checked stream of stored content (for bundle entries and downloads). */
export const openStoredFile = (dataDir: string, sha256: string): Readable => fileStore(dataDir).stream(sha256);
export const storeStream = (dataDir: string, sha256: string, open: () => Readable, signal?: AbortSignal): Promise<boolean> =>
  fileStore(dataDir).storeStream(sha256, open, signal);
export const listFileStore = (dataDir: string): Promise<{ sha256: string; size: number }[]> => fileStore(dataDir).list();

/**
 * Verifies the file store against the records: every hash a user table names (columns `sha256`
 * or `*_sha256`, generic over the Store's tables) is read back through the store (decrypted in a
 * folder with users) and hashed. Reports each missing or damaged file with the cases that use it
 * (a `case_id` column, or the case itself), for `db check`.
 */
export async function verifyFileStore(
  dataDir: string,
  db: { prepare(sql: string): { all(...p: unknown[]): unknown[] } },
  tables: readonly { name: string; columns: readonly string[] }[],
): Promise<{ checked: number; problems: { sha256: string; status: 'missing' | 'damaged'; cases: string[]; records: { table: string; id: string }[] }[] }> {
  const refs = new Map<string, { cases: Set<string>; records: { table: string; id: string }[] }>();
  for (const t of tables) {
    const cols = t.columns.filter((c) => isAttachmentColumn(c, t.name));
    if (cols.length === 0) continue;
    const caseCol = t.name === 'cases' ? 'id' : t.columns.includes('case_id') ? 'case_id' : null;
    for (const col of cols) {
      const rows = db.prepare(`SELECT id, ${col} AS sha${caseCol ? `, ${caseCol} AS case_id` : ''} FROM ${t.name} WHERE ${col} IS NOT NULL`).all() as { id: string; sha: unknown; case_id?: string | null }[];
      for (const r of rows) {
        if (typeof r.sha !== 'string' || !SHA256_RE.test(r.sha)) continue;
        let e = refs.get(r.sha);
        if (!e) refs.set(r.sha, (e = { cases: new Set(), records: [] }));
        e.records.push({ table: t.name, id: String(r.id) });
        if (r.case_id) e.cases.add(String(r.case_id));
      }
    }
  }
  const store = fileStore(dataDir);
  const problems: { sha256: string; status: 'missing' | 'damaged'; cases: string[]; records: { table: string; id: string }[] }[] = [];
  for (const [sha, e] of [...refs].sort(([a], [b]) => a.localeCompare(b))) {
    let status: 'missing' | 'damaged' | null = null;
    if (!store.has(sha)) status = 'missing';
    else {
      // The store's stream checks the hash (and, encrypted, every chunk's tag) at its end.
      try {
        const h = createHash('sha256');
        await pipeline(store.stream(sha), h);
        if (h.digest('hex') !== sha) status = 'damaged';
      } catch {
        status = 'damaged';
      }
    }
    if (status !== null) problems.push({ sha256: sha, status, cases: [...e.cases].sort(), records: e.records });
  }
  return { checked: refs.size, problems };
}

export { Readable };
