/**
 * The bundle reader: validates everything that can be validated without inflating content before
 * it returns; content hashes are checked while streaming (policies in archive.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import yauzl from 'yauzl';
import { readEntryAt, type EntryRef } from './archive-entry';
import { yauzlOpen } from './archive-window';
import { BundleError, isBundleError } from './errors';
import { decodeBase64Strict, isPublicKey, fingerprint as keyFingerprint, verify } from './keys';
import {
  BUNDLE_FORMAT,
  BUNDLE_KINDS,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  SUPPORTED_MAJORS,
  attachmentHashOf,
  manifestSchema,
  parseVersion,
  pathCollisionKey,
  unsafePathReason,
  type Manifest,
  type ManifestEntry,
} from './manifest';
import { cancelled, DEFAULT_LIMITS, MAX_SIGNATURE_ENTRY_SIZE, PROGRESS_STEP, type BundleLimits } from './archive-limits';

// ---------------------------------------------------------------------------------------------
// Reader

export interface TrustQuery {
  fingerprint: string;
  installationId: string;
  name?: string;
  /** The bundle's kind, from the signed manifest (so trust is asked only for a usable kind). */
  kind: string;
}

export interface OpenBundleOptions {
  limits?: Partial<BundleLimits>;
  /** Absent means nobody is trusted: every bundle is refused with `bundle.untrusted_sender`. */
  isTrusted?: (publicKey: string, sender: TrustQuery) => boolean | Promise<boolean>;
}

export interface VerifyProgress {
  entries: number;
  entriesTotal: number;
  bytes: number;
  bytesTotal: number;
  path?: string;
}

export interface BundleReader {
  readonly file: string;
  readonly manifest: Manifest;
  /** The exact signed bytes, for an audit record of what was imported. */
  readonly manifestBytes: Buffer;
  readonly signature: string;
  /** Fingerprint of the sender's key ("AB12 CD34 …"). */
  readonly fingerprint: string;
  readonly entries: readonly ManifestEntry[];
  has(path: string): boolean;
  entry(path: string): ManifestEntry | undefined;
  /** Paths whose content has this SHA-256 (attachments are found by hash, wherever they live). */
  pathsForHash(sha256: string): string[];
  /** Whole entry in memory (records); bounded by `maxBytes` or limits.maxEntrySize; hash checked. */
  readEntry(path: string, opts?: { maxBytes?: number }): Promise<Buffer>;
  /**
   * The same, synchronously (read + inflate + size and SHA-256 check), for a consumer that must
   * stay inside one synchronous database transaction. Bounded by `maxBytes`.
   */
  readEntrySync(path: string, opts?: { maxBytes?: number }): Buffer;
  /** Where an entry is and what the manifest says of it (for a reader of the same file elsewhere). */
  entryRef(path: string): EntryRef;
  /** readEntry + JSON.parse; a parse failure is `bundle.invalid_record`. */
  readJson(path: string, opts?: { maxBytes?: number }): Promise<unknown>;
  /** Streams an entry; errors with `bundle.hash_mismatch` at the end if size or SHA-256 differ. */
  openEntryStream(path: string): Readable;
  /** Streams every entry and checks every hash; throws the first failure. */
  verifyAll(onProgress?: (p: VerifyProgress) => void, signal?: AbortSignal): Promise<{ entries: number; bytes: number }>;
  close(): Promise<void>;
}

/** yauzl refuses unsafe names itself (strictFileNames); its messages are mapped to our code. */
const YAUZL_PATH_ERRORS: ReadonlyArray<[RegExp, string]> = [
  [/^invalid characters in fileName: (.*)$/s, 'backslash'],
  [/^absolute path: (.*)$/s, 'absolute'],
  [/^invalid relative path: (.*)$/s, 'dot_segment'],
];

function mapCentralDirectoryError(err: unknown): BundleError {
  if (isBundleError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  for (const [re, reason] of YAUZL_PATH_ERRORS) {
    const m = re.exec(message);
    if (m) {
      const path = m[1]!;
      const refined = reason === 'absolute' && /^[A-Za-z]:/.test(path) ? 'drive_letter' : reason;
      return new BundleError('bundle.unsafe_path', { path, reason: refined }, { cause: err });
    }
  }
  return new BundleError('bundle.not_a_bundle', { reason: 'zip_structure' }, { cause: err });
}

function mapReadError(err: unknown, path: string): unknown {
  if (isBundleError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith('too many bytes in the stream')) {
    return new BundleError('bundle.too_large', { path, reason: 'inflated_beyond_declared' }, { cause: err });
  }
  if (message.startsWith('not enough bytes in the stream')) {
    return new BundleError('bundle.hash_mismatch', { path, reason: 'size' }, { cause: err });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new BundleError('bundle.hash_mismatch', { path, reason: 'corrupt' }, { cause: err });
  }
  if (/signature|overflows file bounds|compression method/.test(message)) {
    return new BundleError('bundle.not_a_bundle', { path, reason: 'zip_structure' }, { cause: err });
  }
  return err;
}

/** Checks size and SHA-256 of the bytes passing through against the manifest. */
class Verifier extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;

  constructor(
    private readonly path: string,
    private readonly expectedSize: number,
    private readonly expectedSha256: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.expectedSize) {
      cb(new BundleError('bundle.too_large', { path: this.path, reason: 'inflated_beyond_declared' }));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.count !== this.expectedSize) {
      cb(new BundleError('bundle.hash_mismatch', { path: this.path, reason: 'size', expected: this.expectedSize, actual: this.count }));
      return;
    }
    const digest = this.hash.digest('hex');
    if (digest !== this.expectedSha256) {
      cb(new BundleError('bundle.hash_mismatch', { path: this.path, reason: 'content' }));
      return;
    }
    cb();
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/** Refusals that need only the central directory record of one entry. */
function checkZipEntry(entry: yauzl.Entry, limits: BundleLimits): void {
  const path = entry.fileName;
  if (path.endsWith('/')) throw new BundleError('bundle.unsafe_path', { path, reason: 'directory' });
  const reason = unsafePathReason(path, { allowReserved: true });
  if (reason !== null) throw new BundleError('bundle.unsafe_path', { path, reason });
  const unixType = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (unixType === S_IFLNK) throw new BundleError('bundle.unsafe_path', { path, reason: 'symlink' });
  if (unixType !== 0 && unixType !== S_IFREG) throw new BundleError('bundle.unsafe_path', { path, reason: 'special_file' });
  if ((entry.externalFileAttributes & DOS_DIRECTORY) !== 0) throw new BundleError('bundle.unsafe_path', { path, reason: 'directory' });
  if ((entry.generalPurposeBitFlag & 0x1) !== 0) throw new BundleError('bundle.not_a_bundle', { path, reason: 'encrypted' });
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    throw new BundleError('bundle.not_a_bundle', { path, reason: 'compression_method' });
  }
  const size = entry.uncompressedSize;
  const limit = path === MANIFEST_PATH ? limits.maxManifestSize : path === SIGNATURE_PATH ? MAX_SIGNATURE_ENTRY_SIZE : limits.maxEntrySize;
  if (size > limit) throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit, size });
  // Every entry, whatever its size: no gap below which a bomb of many entries goes unchecked.
  if (size > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
    throw new BundleError('bundle.too_large', { path, reason: 'compression_ratio', limit: limits.maxCompressionRatio });
  }
}

/**
 * Refuses entries whose data ranges overlap (the "overlapping files" zip bomb, and archives
 * where two names share bytes). Lower bound of each local record: header + name + data.
 */
function checkNoOverlap(entries: Iterable<yauzl.Entry>, fileSize: number): void {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    const end = e.relativeOffsetOfLocalHeader + 30 + e.fileNameLength + e.compressedSize;
    const next = i + 1 < sorted.length ? sorted[i + 1]!.relativeOffsetOfLocalHeader : fileSize;
    if (end > next) throw new BundleError('bundle.not_a_bundle', { path: e.fileName, reason: 'overlapping_entries' });
  }
}

/**
 * What the reader keeps of a central directory record once it is checked: the fields reading the
 * entry needs (yauzl's openReadStream, readEntryAt, the overlap check), without the raw name,
 * extra field and comment buffers and the parsed extra fields. A bundle of 20,000 attachments
 * kept about 15 MB of those for the whole import.
 */
function slimEntry(e: yauzl.Entry): yauzl.Entry {
  const slim = Object.create(yauzl.Entry.prototype) as yauzl.Entry;
  slim.fileName = e.fileName;
  slim.fileNameLength = e.fileNameLength;
  slim.relativeOffsetOfLocalHeader = e.relativeOffsetOfLocalHeader;
  slim.compressedSize = e.compressedSize;
  slim.uncompressedSize = e.uncompressedSize;
  slim.compressionMethod = e.compressionMethod;
  slim.generalPurposeBitFlag = e.generalPurposeBitFlag;
  slim.extraFields = [];
  return slim;
}

function readCentralDirectory(zipfile: yauzl.ZipFile, limits: BundleLimits): Promise<Map<string, yauzl.Entry>> {
  const byName = new Map<string, yauzl.Entry>();
  const byKey = new Map<string, string>();
  let total = 0;
  return new Promise((resolve, reject) => {
    zipfile.on('error', (err: unknown) => reject(mapCentralDirectoryError(err)));
    zipfile.on('end', () => resolve(byName));
    zipfile.on('entry', (entry: yauzl.Entry) => {
      try {
        checkZipEntry(entry, limits);
        const path = entry.fileName;
        if (byName.has(path)) throw new BundleError('bundle.invalid_record', { path, reason: 'duplicate_entry' });
        const key = pathCollisionKey(path);
        if (byKey.has(key)) throw new BundleError('bundle.unsafe_path', { path, reason: 'case_collision' });
        byName.set(path, slimEntry(entry));
        byKey.set(key, path);
        total += entry.uncompressedSize;
        if (total > limits.maxTotalSize) throw new BundleError('bundle.too_large', { reason: 'total_size', limit: limits.maxTotalSize });
        zipfile.readEntry();
      } catch (err) {
        reject(err);
      }
    });
    zipfile.readEntry();
  });
}

function openZipStream(zipfile: yauzl.ZipFile, entry: yauzl.Entry, verifier: Verifier, path: string): void {
  zipfile.openReadStream(entry, (err, stream) => {
    if (err) {
      verifier.destroy(mapReadError(err, path) as Error);
      return;
    }
    stream.on('error', (e) => verifier.destroy(mapReadError(e, path) as Error));
    verifier.on('close', () => {
      if (!stream.readableEnded) {
        stream.unpipe(verifier);
        stream.destroy();
      }
    });
    stream.pipe(verifier);
  });
}

async function collect(stream: Readable, limit: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a zip entry that is not in the manifest (manifest.json, manifest.sig): size-bounded, no hash. */
function readRaw(zipfile: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err) return reject(mapReadError(err, entry.fileName));
      collect(stream, limit, entry.fileName).then(resolve, (e: unknown) => reject(mapReadError(e, entry.fileName)));
    });
  });
}

function closeZip(zipfile: yauzl.ZipFile): Promise<void> {
  return new Promise((resolve) => {
    if (!zipfile.isOpen) {
      resolve();
      return;
    }
    zipfile.once('close', () => resolve());
    zipfile.close();
  });
}

/**
 * The part of a manifest that must be read before its signature can be checked: JSON, format,
 * a MAJOR this build reads, a known kind, and the sender's key. Nothing else is interpreted
 * before the signature is verified.
 */
function parseManifestHead(bytes: Buffer): { raw: Record<string, unknown>; publicKey: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new BundleError('bundle.not_a_bundle', { reason: 'manifest_json' }, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new BundleError('bundle.not_a_bundle', { reason: 'format' });
  }
  const { version, kind, sender } = raw as { version?: unknown; kind?: unknown; sender?: unknown };
  const parsed = typeof version === 'string' ? parseVersion(version) : null;
  const supported = `${SUPPORTED_MAJORS.join('.x, ')}.x`;
  if (parsed === null || !SUPPORTED_MAJORS.includes(parsed.major)) {
    throw new BundleError('bundle.unsupported_version', { version: String(version), supported });
  }
  if (typeof kind !== 'string' || !(BUNDLE_KINDS as readonly string[]).includes(kind)) {
    throw new BundleError('bundle.unsupported_version', { version: String(version), supported, kind: String(kind) });
  }
  const publicKey = typeof sender === 'object' && sender !== null ? (sender as { publicKey?: unknown }).publicKey : undefined;
  if (typeof publicKey !== 'string' || !isPublicKey(publicKey)) {
    throw new BundleError('bundle.invalid_record', { path: MANIFEST_PATH, reason: 'schema', field: 'sender.publicKey', detail: 'not a base64 raw Ed25519 public key' });
  }
  return { raw: raw as Record<string, unknown>, publicKey };
}

/** Full schema of a manifest whose signature has been verified. */
function parseManifest(raw: Record<string, unknown>): Manifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join('.');
    const pathIssue = result.error.issues.find((i) => i.code === 'custom' && i.path.at(-1) === 'path');
    if (pathIssue !== undefined) {
      const value = pathIssue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k as PropertyKey], raw);
      throw new BundleError('bundle.unsafe_path', { path: String(value), reason: String((pathIssue as { params?: { reason?: unknown } }).params?.reason ?? 'invalid') });
    }
    throw new BundleError('bundle.invalid_record', { path: MANIFEST_PATH, reason: 'schema', field: where, detail: issue.message });
  }
  return result.data;
}

/**
 * Opens and validates a bundle. Nothing in it may be imported before this resolves; content
 * hashes are then checked by the streams (or all at once by verifyAll()).
 */
export async function openBundle(file: string, options: OpenBundleOptions = {}): Promise<BundleReader> {
  const limits: BundleLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw new BundleError('bundle.not_a_bundle', { reason: 'not_a_file' }, { cause: err });
  }
  if (!info.isFile()) throw new BundleError('bundle.not_a_bundle', { reason: 'not_a_file' });

  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await yauzlOpen(file, info.size);
  } catch (err) {
    throw new BundleError('bundle.not_a_bundle', { reason: 'not_zip' }, { cause: err });
  }

  try {
    if (zipfile.entryCount > limits.maxEntries + 2) {
      throw new BundleError('bundle.too_large', { reason: 'entries', limit: limits.maxEntries, size: zipfile.entryCount });
    }
    const zipEntries = await readCentralDirectory(zipfile, limits);
    checkNoOverlap(zipEntries.values(), zipfile.fileSize);

    const manifestZip = zipEntries.get(MANIFEST_PATH);
    if (manifestZip === undefined) throw new BundleError('bundle.not_a_bundle', { reason: 'no_manifest' });
    // Signature first: of a bundle nobody signed, nothing but the manifest head is interpreted
    // and no content entry is ever inflated (2.0 stores manifest.json uncompressed).
    const manifestBytes = await readRaw(zipfile, manifestZip, limits.maxManifestSize);
    const head = parseManifestHead(manifestBytes);
    const sigZip = zipEntries.get(SIGNATURE_PATH);
    if (sigZip === undefined) throw new BundleError('bundle.signature_invalid', { reason: 'missing' });
    const sigText = (await readRaw(zipfile, sigZip, MAX_SIGNATURE_ENTRY_SIZE)).toString('latin1').trim();
    const signature = decodeBase64Strict(sigText);
    const publicKey = head.publicKey;
    const fingerprint = keyFingerprint(publicKey);
    if (signature === null || !verify(manifestBytes, signature, publicKey)) {
      throw new BundleError('bundle.signature_invalid', { reason: 'mismatch', fingerprint });
    }
    const manifest = parseManifest(head.raw);

    const query: TrustQuery = {
      fingerprint,
      installationId: manifest.sender.installationId,
      ...(manifest.sender.name !== undefined ? { name: manifest.sender.name } : {}),
      kind: manifest.kind,
    };
    const trusted = options.isTrusted ? await options.isTrusted(publicKey, query) : false;
    if (trusted !== true) {
      throw new BundleError('bundle.untrusted_sender', {
        fingerprint,
        publicKey,
        installationId: manifest.sender.installationId,
        name: manifest.sender.name ?? null,
      });
    }

    // The signed manifest and the zip must describe exactly the same set of entries.
    if (manifest.entries.length > limits.maxEntries) {
      throw new BundleError('bundle.too_large', { reason: 'entries', limit: limits.maxEntries, size: manifest.entries.length });
    }
    const declared = new Map<string, ManifestEntry>();
    const byHash = new Map<string, string[]>();
    const keys = new Set<string>();
    // Total inflated bytes, capped from the signed manifest before any content is read.
    const declaredTotal = manifest.entries.reduce((n, e) => n + e.size, 0);
    if (declaredTotal > limits.maxTotalSize) throw new BundleError('bundle.too_large', { reason: 'total_size', limit: limits.maxTotalSize, size: declaredTotal });
    for (const e of manifest.entries) {
      // `files/<sha256>` is content-addressed: its name is the hash its content must have.
      const named = attachmentHashOf(e.path);
      if (named !== null && named !== e.sha256) throw new BundleError('bundle.hash_mismatch', { path: e.path, reason: 'attachment_name' });
      if (manifest.encryption !== undefined && !e.path.endsWith('.enc')) throw new BundleError('bundle.invalid_record', { path: e.path, reason: 'not_encrypted' });
      if (declared.has(e.path)) throw new BundleError('bundle.invalid_record', { path: e.path, reason: 'duplicate_entry' });
      const key = pathCollisionKey(e.path);
      if (keys.has(key)) throw new BundleError('bundle.unsafe_path', { path: e.path, reason: 'case_collision' });
      keys.add(key);
      declared.set(e.path, e);
      const z = zipEntries.get(e.path);
      if (z === undefined) throw new BundleError('bundle.invalid_record', { path: e.path, reason: 'missing_entry' });
      if (z.uncompressedSize !== e.size) {
        throw new BundleError('bundle.hash_mismatch', { path: e.path, reason: 'size', expected: e.size, actual: z.uncompressedSize });
      }
      const list = byHash.get(e.sha256);
      if (list) list.push(e.path);
      else byHash.set(e.sha256, [e.path]);
    }
    for (const path of zipEntries.keys()) {
      if (path !== MANIFEST_PATH && path !== SIGNATURE_PATH && !declared.has(path)) {
        throw new BundleError('bundle.invalid_record', { path, reason: 'undeclared_entry' });
      }
    }

    const fd = openSync(file, 'r');
    return createReader({ file, fd, zipfile, zipEntries, manifest, manifestBytes, signature: sigText, fingerprint, declared, byHash, limits });
  } catch (err) {
    await closeZip(zipfile);
    throw err;
  }
}

interface ReaderState {
  file: string;
  /** A descriptor of the same file for synchronous reads (readEntrySync). */
  fd: number;
  zipfile: yauzl.ZipFile;
  zipEntries: Map<string, yauzl.Entry>;
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: string;
  fingerprint: string;
  declared: Map<string, ManifestEntry>;
  byHash: Map<string, string[]>;
  limits: BundleLimits;
}

function createReader(s: ReaderState): BundleReader {
  const notInBundle = (path: string): BundleError => new BundleError('bundle.invalid_record', { path, reason: 'not_in_bundle' });

  const openEntryStream = (path: string): Readable => {
    const declared = s.declared.get(path);
    const zipEntry = s.zipEntries.get(path);
    if (declared === undefined || zipEntry === undefined) throw notInBundle(path);
    const verifier = new Verifier(path, declared.size, declared.sha256);
    openZipStream(s.zipfile, zipEntry, verifier, path);
    return verifier;
  };

  const readEntry = async (path: string, opts: { maxBytes?: number } = {}): Promise<Buffer> => {
    const declared = s.declared.get(path);
    if (declared === undefined) throw notInBundle(path);
    const limit = opts.maxBytes ?? s.limits.maxEntrySize;
    if (declared.size > limit) throw new BundleError('bundle.too_large', { path, reason: 'entry_size', limit, size: declared.size });
    return collect(openEntryStream(path), limit, path);
  };

  const entryRef = (path: string): EntryRef => {
    const declared = s.declared.get(path);
    const z = s.zipEntries.get(path);
    if (declared === undefined || z === undefined) throw notInBundle(path);
    return { offset: z.relativeOffsetOfLocalHeader, compressedSize: z.compressedSize, method: z.compressionMethod, size: declared.size, sha256: declared.sha256 };
  };
  const readEntrySync = (path: string, opts: { maxBytes?: number } = {}): Buffer => readEntryAt(s.fd, entryRef(path), path, opts.maxBytes ?? s.limits.maxEntrySize);

  return {
    file: s.file,
    manifest: s.manifest,
    manifestBytes: s.manifestBytes,
    signature: s.signature,
    fingerprint: s.fingerprint,
    entries: s.manifest.entries,
    has: (path) => s.declared.has(path),
    entry: (path) => s.declared.get(path),
    pathsForHash: (sha256) => [...(s.byHash.get(sha256) ?? [])],
    readEntry,
    readEntrySync,
    entryRef,
    async readJson(path, opts) {
      const buf = await readEntry(path, opts);
      try {
        return JSON.parse(buf.toString('utf8')) as unknown;
      } catch (err) {
        throw new BundleError('bundle.invalid_record', { path, reason: 'json' }, { cause: err });
      }
    },
    openEntryStream,
    async verifyAll(onProgress, signal) {
      const entriesTotal = s.manifest.entries.length;
      const bytesTotal = s.manifest.entries.reduce((n, e) => n + e.size, 0);
      let entries = 0;
      let bytes = 0;
      let lastReport = 0;
      onProgress?.({ entries, entriesTotal, bytes, bytesTotal });
      for (const e of s.manifest.entries) {
        if (signal?.aborted) throw cancelled();
        const stream = openEntryStream(e.path);
        const onAbort = (): void => {
          stream.destroy(cancelled());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          for await (const chunk of stream) {
            bytes += (chunk as Buffer).length;
            if (bytes - lastReport >= PROGRESS_STEP) {
              lastReport = bytes;
              onProgress?.({ entries, entriesTotal, bytes, bytesTotal, path: e.path });
            }
          }
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
        entries += 1;
        onProgress?.({ entries, entriesTotal, bytes, bytesTotal, path: e.path });
      }
      return { entries, bytes };
    },
    close: async () => {
      try {
        closeSync(s.fd);
      } catch {
        // closed already
      }
      await closeZip(s.zipfile);
    },
  };
}
