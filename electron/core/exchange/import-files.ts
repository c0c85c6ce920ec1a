/**
 * The attachments of a sync import, in ONE pass over the bundle: each entry is read once, its
 * stored bytes checked against the signed manifest (size, SHA-256), decrypted (an encrypted
 * bundle), its content checked against the hash it is named by, and (not in a dry run) written,
 * encrypted for this folder, to a hidden temporary file of the store (`FileStore.stage`).
 * Nothing becomes visible until every entry has passed: `commit()` renames them into place,
 * `discard()` (on any failure or cancellation) removes them. So a damaged bundle still stores
 * nothing, as when every entry was verified in a pass of its own, and each attachment is read,
 * decrypted and hashed once instead of twice.
 *
 * An entry is handled in memory up to INLINE_MAX bytes (scans, letters: tens of KB; a sync
 * import of 10,000 cases carries 2,000 of them and the per-stream overhead of six piped stages
 * cost more than the bytes); a bigger one is verified by streaming and streamed into the store at
 * `commit()` (memory stays bounded whatever the bundle holds).
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { CoreContext } from '../context';
import { fileStore, type StagedFile } from '../files';
import type { BundleReader } from './archive';
import { BundleError } from './errors';
import type { Job } from './jobs';
import { decryptBuffer, decryptStream, entryKey } from './seal';

/** The largest attachment read whole into memory (bigger ones are streamed). */
export const INLINE_MAX = 4 * 1024 * 1024;

export interface BundleContent {
  reader: BundleReader;
  /** The content key of an encrypted bundle (null: plain). */
  contentKey: Buffer | null;
  chunkSize: number;
}

/** Hashes what passes through; fails at the end when it is not `expected`. */
export class HashCheck extends Transform {
  private readonly hash = createHash('sha256');
  constructor(
    private readonly expected: string,
    private readonly path: string,
    private readonly reason: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const d = this.hash.digest('hex');
    cb(d === this.expected ? null : new BundleError('bundle.hash_mismatch', { path: this.path, reason: this.reason }));
  }
}

/** Pipes streams into one Readable that fails when any of them fails. */
export function chain(first: Readable, ...rest: Transform[]): Readable {
  let cur: Readable = first;
  for (const t of rest) {
    const from = cur;
    from.on('error', (err) => t.destroy(err));
    from.pipe(t);
    cur = t;
  }
  return cur;
}

const drain = async (stream: Readable): Promise<void> => {
  for await (const _ of stream) void _;
};

/** The checked plain content of an attachment entry as a stream (decrypted, hash bound to its name). */
export function openAttachment(b: BundleContent, sha256: string, path: string): Readable {
  const stream = b.reader.openEntryStream(path);
  if (b.contentKey === null) return stream; // bound to its name when the bundle was opened
  return chain(stream, decryptStream(entryKey(b.contentKey, b.reader.manifest.bundleId, path), b.chunkSize, path), new HashCheck(sha256, path, 'attachment_name'));
}

/** The checked plain content of a small attachment entry, synchronously. */
function readAttachment(b: BundleContent, sha256: string, path: string): Buffer {
  const stored = b.reader.readEntrySync(path, { maxBytes: INLINE_MAX });
  if (b.contentKey === null) return stored; // size and hash (= its name) checked by the reader
  const plain = decryptBuffer(entryKey(b.contentKey, b.reader.manifest.bundleId, path), stored, b.chunkSize, path);
  if (createHash('sha256').update(plain).digest('hex') !== sha256) throw new BundleError('bundle.hash_mismatch', { path, reason: 'attachment_name' });
  return plain;
}

export interface ReceivedFiles {
  /** Makes every staged attachment visible in the store (big ones streamed in now); returns how many were new. */
  commit(signal?: AbortSignal): Promise<number>;
  /** Removes what was staged (nothing of the bundle's attachments stays). */
  discard(): void;
}

/**
 * Verifies every entry of `paths` that is not a records entry (attachments by `files`, sha256 ->
 * path; any other entry by its manifest hash) and, unless `dryRun`, stages the attachments.
 * Progress in the phase 'files'. Throws the first failure after discarding what it staged.
 */
export async function receiveFiles(ctx: Pick<CoreContext, 'dataDir'>, b: BundleContent, files: ReadonlyMap<string, string>, others: readonly string[], opts: { dryRun: boolean; job: Job }): Promise<ReceivedFiles> {
  const { job, dryRun } = opts;
  const store = fileStore(ctx.dataDir);
  const staged: StagedFile[] = [];
  const streamed: [string, string][] = [];
  const discard = (): void => {
    for (const s of staged.splice(0)) s.discard();
  };
  const total = files.size + others.length;
  let done = 0;
  try {
    for (const path of others) {
      job.throwIfCancelled();
      const size = b.reader.entry(path)?.size ?? 0;
      if (size <= INLINE_MAX) b.reader.readEntrySync(path, { maxBytes: INLINE_MAX });
      else await drain(b.reader.openEntryStream(path));
      job.progress('files', ++done, total);
    }
    for (const [sha, path] of files) {
      job.throwIfCancelled();
      const size = b.reader.entry(path)?.size ?? 0;
      if (size <= INLINE_MAX) {
        const plain = readAttachment(b, sha, path);
        if (!dryRun) {
          const s = store.stage(sha, plain);
          if (s) staged.push(s);
        }
      } else {
        // Too big to hold: checked now by streaming, streamed into the store at commit.
        await drain(openAttachment(b, sha, path));
        if (!dryRun && !store.has(sha)) streamed.push([sha, path]);
      }
      job.progress('files', ++done, total);
    }
  } catch (err) {
    discard();
    throw err;
  }
  return {
    async commit(signal) {
      let added = 0;
      try {
        for (const [sha, path] of streamed) if (await store.storeStream(sha, () => openAttachment(b, sha, path), signal)) added++;
      } catch (err) {
        discard();
        throw err;
      }
      for (const s of staged.splice(0)) if (s.commit()) added++;
      return added;
    },
    discard,
  };
}
