/**
 * Staging a sync bundle's attachments (the ones read whole, up to INLINE_MAX each) into the file
 * store, as plain data in and out, so it runs on a worker thread beside the import's transaction
 * (attachments-worker.ts; a sync of 10,000 cases carries 2,000 scans: reading, decrypting,
 * hashing, encrypting and writing them took about a sixth of the import on the thread that
 * applies the records) or, where no worker can be started, on the calling thread.
 *
 * Each entry: read (size and SHA-256 against the signed manifest), decrypted (an encrypted
 * bundle), its content checked against the hash it is named by, then (not in a dry run) written,
 * encrypted for this folder, to a hidden temporary file beside its place: `<place>.<token>.partial`.
 * The token is the caller's, so the caller finds (to commit or remove) every file staged for it
 * without being told which, even of a worker that never answered.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { FileStore, type FileStoreKeys } from '../files';
import { readEntryAt, type EntryRef } from './archive-entry';
import { BundleError, type BundleErrorCode, type BundleErrorParams } from './errors';
import { decryptBuffer, entryKey } from './seal';

/**
 * Slots of the Int32Array a worker and the importing thread share: FLAG_DONE 1 when the worker
 * finished (its outcome is then on its port), FLAG_STOP set by the importer (cancelled, failed),
 * FLAG_RUNNING 1 once the worker runs, FLAG_PROGRESS entries done so far (a heartbeat).
 */
export const FLAG_DONE = 0;
export const FLAG_STOP = 1;
export const FLAG_RUNNING = 2;
export const FLAG_PROGRESS = 3;
export const FLAG_COUNT = 4;

/** The largest attachment read whole into memory (bigger ones are streamed). */
export const INLINE_MAX = 4 * 1024 * 1024;

export interface StageItem {
  sha256: string;
  path: string;
  ref: EntryRef;
}

export interface StageJob {
  /** The bundle file. */
  file: string;
  items: StageItem[];
  /** Encrypted bundle: its content key, id and chunk size (null: a plain bundle). */
  sealed: { contentKey: Uint8Array; bundleId: string; chunkSize: number } | null;
  store: { dataDir: string; keys: { enc: Uint8Array; name: Uint8Array } | null };
  /** The name part of every staged file (`FileStore.stagedPathOf`). */
  token: string;
  /** Verify only: nothing is written. */
  dryRun: boolean;
}

/** An error as it crosses threads: a bundle error keeps its code and parameters. */
export type StageError = { bundle: { code: BundleErrorCode; params: BundleErrorParams } } | { other: { message: string; code?: string } };

export type StageOutcome = { ok: true; done: number } | { ok: false; done: number; error: StageError };

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The checked plain content of an attachment entry read whole. */
export function plainAttachment(stored: Buffer, sha256: string, path: string, sealed: StageJob['sealed']): Buffer {
  if (sealed === null) return stored; // size and hash (= its name) checked by the reader
  const plain = decryptBuffer(entryKey(asBuffer(sealed.contentKey), sealed.bundleId, path), stored, sealed.chunkSize, path);
  if (createHash('sha256').update(plain).digest('hex') !== sha256) throw new BundleError('bundle.hash_mismatch', { path, reason: 'attachment_name' });
  return plain;
}

/**
 * Runs a job; `stop()` is asked before each entry (a cancelled import). `onItem` after each.
 * Never throws: the outcome says how far it got and why it stopped.
 */
export function runStageJob(job: StageJob, stop: () => boolean, onItem: (done: number) => void = () => undefined): StageOutcome {
  let done = 0;
  let fd: number | null = null;
  try {
    fd = openSync(job.file, 'r');
    const keys: FileStoreKeys | null = job.store.keys ? { enc: asBuffer(job.store.keys.enc), name: asBuffer(job.store.keys.name) } : null;
    const store = new FileStore(job.store.dataDir, keys);
    for (const it of job.items) {
      if (stop()) return { ok: false, done, error: { bundle: { code: 'bundle.cancelled', params: {} } } };
      const plain = plainAttachment(readEntryAt(fd, it.ref, it.path, INLINE_MAX), it.sha256, it.path, job.sealed);
      if (!job.dryRun) store.stagePath(it.sha256, plain, { hashed: true, token: job.token });
      onItem(++done);
    }
    return { ok: true, done };
  } catch (err) {
    return { ok: false, done, error: stageError(err) };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export function stageError(err: unknown): StageError {
  if (err instanceof BundleError) return { bundle: { code: err.code, params: { ...err.params } } };
  const e = err as { message?: unknown; code?: unknown };
  return { other: { message: typeof e?.message === 'string' ? e.message : String(err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) } };
}

/** The error again, on the thread that throws it. */
export function stageErrorToThrow(e: StageError): Error {
  if ('bundle' in e) return new BundleError(e.bundle.code, e.bundle.params);
  return Object.assign(new Error(e.other.message), e.other.code !== undefined ? { code: e.other.code } : {});
}
