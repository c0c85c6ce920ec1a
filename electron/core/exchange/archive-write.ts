/**
 * The bundle writer: streams every entry once, hashing as it goes, then writes manifest.json and
 * manifest.sig last, to `<file>.partial`, fsynced and renamed (policies in archive.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open as openFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import { BundleError } from './errors';
import { publicKeyFromPrivate, sign } from './keys';
import {
  BUNDLE_FORMAT,
  BUNDLE_KINDS,
  CURRENT_VERSION,
  MANIFEST_PATH,
  SIGNATURE_PATH,
  attachmentHashOf,
  canonicalBytes,
  manifestSchema,
  pathCollisionKey,
  unsafePathReason,
  type BundleKind,
  type EncryptionHeader,
  type Manifest,
  type ManifestEntry,
} from './manifest';
import { cancelled, DEFAULT_LIMITS, DEFAULT_MAX_BUNDLE_SIZE, FILE_MODE, PROGRESS_STEP } from './archive-limits';

// ---------------------------------------------------------------------------------------------
// Writer

export type EntrySource = { file: string } | { buffer: Buffer } | { stream: () => Readable };

export interface WriteBundleEntry {
  /** Relative '/' path, see unsafePathReason(); attachments by convention `files/<sha256>`. */
  path: string;
  source: EntrySource;
  /** 'record' | 'attachment' | 'document' | 'index' | another lower-case role. */
  role?: string;
  /** Deflate the entry (default true); false for data that is already compressed. */
  compress?: boolean;
  /** zlib level 1-9 when compressed (default 6): 1 for large records that must be written fast. */
  compressionLevel?: number;
  /**
   * SHA-256 the entry's bytes must have: checked as they are written, `bundle.hash_mismatch` (and
   * no bundle) otherwise. `files/<sha256>` paths are always checked against their name; this is
   * for documents under other names (a referral's attachments), so a damaged store never ships.
   */
  expectSha256?: string;
}

export interface WriteProgress {
  phase: 'entries' | 'finishing' | 'done';
  /** Entries written so far. */
  entries: number;
  /** Uncompressed content bytes read so far. */
  bytes: number;
  path?: string;
}

export interface BundleSenderSecret {
  installationId: string;
  publicKey: string;
  privateKey: string;
  name?: string;
  /** The sender's X25519 public key (format 2.0), so its peers can encrypt to it. */
  encryptionKey?: string;
}

export interface WriteBundleOptions {
  file: string;
  kind: BundleKind;
  sender: BundleSenderSecret;
  /** Kind-specific meta; a function is called after the last entry (counts known only then). */
  meta: Record<string, unknown> | (() => Record<string, unknown>);
  entries: AsyncIterable<WriteBundleEntry> | Iterable<WriteBundleEntry>;
  onProgress?: (progress: WriteProgress) => void;
  signal?: AbortSignal;
  /** Defaults to a random UUID. */
  bundleId?: string;
  /** Defaults to now. */
  createdAt?: Date;
  generator?: { name: string; version: string };
  /** Refuse (`bundle.too_large`) instead of writing a bigger file; default 4 GiB - 1 (FAT32). */
  maxBundleSize?: number;
  /**
   * The sealed content key of an encrypted bundle (exchange/seal.ts). The caller encrypts every
   * entry itself; each path must then end in `.enc`.
   */
  encryption?: EncryptionHeader;
}

export interface WriteBundleResult {
  file: string;
  /** SHA-256 (hex) of the whole bundle file, to show and to log. */
  sha256: string;
  /** Content entries written (after dedupe), manifest.json and manifest.sig not counted. */
  entries: number;
  /** Size of the bundle file in bytes. */
  bytes: number;
  /** Uncompressed bytes of all content entries. */
  contentBytes: number;
  bundleId: string;
  manifest: Manifest;
}

function openSource(source: EntrySource): Readable {
  if ('file' in source) return createReadStream(source.file);
  if ('buffer' in source) return Readable.from([source.buffer], { objectMode: false });
  return source.stream();
}

/** Passes bytes through while computing their SHA-256 and count. */
class HashCounter extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  digest = '';

  constructor(private readonly onBytes?: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.onBytes?.(chunk.length);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    cb();
  }
}

/**
 * Writes a signed bundle. Entries are pulled one at a time from `entries` and streamed into the
 * archive; only their manifest lines stay in memory. A repeated `files/<sha256>` path is
 * written once (attachments are stored once by content); any other repeated path is refused.
 */
export async function writeBundle(opts: WriteBundleOptions): Promise<WriteBundleResult> {
  const { file, kind, sender, signal, onProgress } = opts;
  const maxBundleSize = opts.maxBundleSize ?? DEFAULT_MAX_BUNDLE_SIZE;
  if (signal?.aborted) throw cancelled();
  if (!(BUNDLE_KINDS as readonly string[]).includes(kind)) throw new TypeError(`unknown bundle kind: ${kind}`);
  if (publicKeyFromPrivate(sender.privateKey) !== sender.publicKey) {
    throw new BundleError('bundle.signature_invalid', { reason: 'key_mismatch' });
  }
  const bundleId = opts.bundleId ?? randomUUID();
  const createdAt = (opts.createdAt ?? new Date()).toISOString();
  // Every entry carries the bundle's creation time: stable, and what an operator expects to see.
  const mtime = new Date(createdAt);
  if (typeof opts.meta !== 'function') canonicalBytes(opts.meta); // refuse non-JSON meta before any byte is written

  const partial = `${file}.partial`;
  const zip = new yazl.ZipFile();
  const out = createWriteStream(partial);
  const fileHash = createHash('sha256');
  let fileBytes = 0;
  const sink = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      fileHash.update(chunk);
      fileBytes += chunk.length;
      if (fileBytes > maxBundleSize) cb(new BundleError('bundle.too_large', { reason: 'bundle_size', limit: maxBundleSize }));
      else cb(null, chunk);
    },
  });

  // Any failure of the output side or cancellation rejects `failure`; every wait races it.
  let fail!: (err: unknown) => void;
  const failure = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failure.catch(() => undefined);
  const onAbort = (): void => fail(cancelled());
  signal?.addEventListener('abort', onAbort, { once: true });
  zip.on('error', (err: unknown) => fail(err));
  sink.on('error', (err) => fail(err));
  out.on('error', (err) => fail(err));
  zip.outputStream.on('error', (err) => fail(err));
  zip.outputStream.pipe(sink).pipe(out);
  const written = finished(out).catch((err: unknown) => fail(err));

  let current: { source: Readable; counter: HashCounter } | null = null;
  const entries: ManifestEntry[] = [];
  const seen = new Map<string, string>(); // collision key -> path
  let contentBytes = 0;
  let sinceProgress = 0;
  const progress = (phase: WriteProgress['phase'], path?: string): void => {
    sinceProgress = 0;
    onProgress?.({ phase, entries: entries.length, bytes: contentBytes, ...(path !== undefined ? { path } : {}) });
  };

  try {
    for await (const entry of opts.entries) {
      if (signal?.aborted) throw cancelled();
      const reason = unsafePathReason(entry.path);
      if (reason !== null) throw new BundleError('bundle.unsafe_path', { path: String(entry.path), reason });
      const key = pathCollisionKey(entry.path);
      const previous = seen.get(key);
      if (previous !== undefined) {
        if (previous === entry.path && attachmentHashOf(entry.path) !== null) continue; // stored once
        throw new BundleError('bundle.invalid_record', { path: entry.path, reason: previous === entry.path ? 'duplicate_entry' : 'case_collision' });
      }
      if (opts.encryption !== undefined && !entry.path.endsWith('.enc')) throw new BundleError('bundle.invalid_record', { path: entry.path, reason: 'not_encrypted' });
      if (entries.length >= DEFAULT_LIMITS.maxEntries) {
        throw new BundleError('bundle.too_large', { reason: 'entries', limit: DEFAULT_LIMITS.maxEntries });
      }
      seen.set(key, entry.path);

      const counter = new HashCounter((n) => {
        contentBytes += n;
        sinceProgress += n;
        if (sinceProgress >= PROGRESS_STEP) progress('entries', entry.path);
      });
      const source = openSource(entry.source);
      current = { source, counter };
      source.on('error', (err) => counter.destroy(err));
      counter.on('error', (err) => fail(err));
      source.pipe(counter);
      const compress = entry.compress ?? true;
      zip.addReadStream(counter, entry.path, { mtime, mode: FILE_MODE, compress, ...(compress && entry.compressionLevel !== undefined ? { compressionLevel: entry.compressionLevel } : {}) });
      await Promise.race([finished(counter), failure]);
      current = null;

      const named = attachmentHashOf(entry.path);
      if (named !== null && named !== counter.digest) {
        throw new BundleError('bundle.hash_mismatch', { path: entry.path, reason: 'attachment_name' });
      }
      if (entry.expectSha256 !== undefined && entry.expectSha256 !== counter.digest) {
        throw new BundleError('bundle.hash_mismatch', { path: entry.path, reason: 'attachment_content' });
      }
      entries.push({ path: entry.path, sha256: counter.digest, size: counter.size, ...(entry.role !== undefined ? { role: entry.role } : {}) });
      progress('entries', entry.path);
    }
    if (signal?.aborted) throw cancelled();

    progress('finishing');
    const manifest = manifestSchema.parse({
      format: BUNDLE_FORMAT,
      version: CURRENT_VERSION,
      kind,
      bundleId,
      createdAt,
      sender: {
        installationId: sender.installationId,
        publicKey: sender.publicKey,
        ...(sender.name !== undefined ? { name: sender.name } : {}),
        ...(sender.encryptionKey !== undefined ? { encryptionKey: sender.encryptionKey } : {}),
      },
      ...(opts.generator !== undefined ? { generator: opts.generator } : {}),
      entries,
      meta: typeof opts.meta === 'function' ? opts.meta() : opts.meta,
      ...(opts.encryption !== undefined ? { encryption: opts.encryption } : {}),
    });
    const manifestBytes = canonicalBytes(manifest);
    if (manifestBytes.length > DEFAULT_LIMITS.maxManifestSize) {
      throw new BundleError('bundle.too_large', { reason: 'manifest', limit: DEFAULT_LIMITS.maxManifestSize });
    }
    const signature = Buffer.from(sign(manifestBytes, sender.privateKey).toString('base64'), 'ascii');
    // Stored, not deflated (2.0): a reader checks the signature without inflating anything.
    zip.addBuffer(manifestBytes, MANIFEST_PATH, { mtime, mode: FILE_MODE, compress: false });
    zip.addBuffer(signature, SIGNATURE_PATH, { mtime, mode: FILE_MODE, compress: false });
    zip.end();
    await Promise.race([written, failure]);

    // A USB stick may be pulled right after "done": flush before the rename makes it visible.
    const fh = await openFile(partial, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (signal?.aborted) throw cancelled();
    await rename(partial, file);
    await syncDirectory(dirname(file));
    progress('done');
    return { file, sha256: fileHash.digest('hex'), entries: entries.length, bytes: fileBytes, contentBytes, bundleId, manifest };
  } catch (err) {
    if (current !== null) {
      current.source.unpipe(current.counter);
      current.source.destroy();
      current.counter.destroy();
    }
    zip.outputStream.unpipe(sink);
    sink.destroy();
    if (!out.closed) {
      out.destroy();
      await new Promise<void>((resolve) => {
        if (out.closed) resolve();
        else out.once('close', () => resolve());
      });
    }
    await rm(partial, { force: true });
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Best effort: makes the rename durable on POSIX; Windows cannot open a directory, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await openFile(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // not supported on this platform / file system
  }
}
