/**
 * The attachments of a sync import, in ONE pass over the bundle: each entry is read once, its
 * stored bytes checked against the signed manifest (size, SHA-256), decrypted (an encrypted
 * bundle), its content checked against the hash it is named by, and (not in a dry run) written,
 * encrypted for this folder, to a hidden temporary file of the store (attachments-stage.ts).
 * Nothing becomes visible until every entry has passed and the records are applied: `settle()`,
 * inside the records' transaction, renames them into place; `discard()` (on any failure or
 * cancellation) removes them. So a damaged bundle still stores nothing.
 *
 * An entry is handled in memory up to INLINE_MAX bytes (scans, letters: tens of KB; a sync
 * import of 10,000 cases carries 2,000 of them). Those are staged on a worker thread
 * (attachments-worker.ts) while the importing thread applies the records, the two cores of a
 * district laptop each doing half of the work; a bigger one is verified by streaming and
 * streamed into the store at `commit()` (memory stays bounded whatever the bundle holds).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { CoreContext } from '../context';
import { fileStore } from '../files';
import { appRoot } from '../paths';
import type { BundleReader } from './archive';
import { FLAG_COUNT, FLAG_DONE, FLAG_PROGRESS, FLAG_RUNNING, FLAG_STOP, INLINE_MAX, runStageJob, stageErrorToThrow, type StageItem, type StageJob, type StageOutcome } from './attachments-stage';
import { BundleError } from './errors';
import type { Job } from './jobs';
import { decryptStream, entryKey } from './seal';

export { INLINE_MAX };


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

export interface ReceivedFiles {
  /** Stores the big attachments (streamed in now, before the records' transaction); returns how many were new. */
  commit(signal?: AbortSignal): Promise<number>;
  /**
   * Inside the records' transaction, before it commits: waits for the attachments staged beside
   * it (a worker thread) and makes them visible; returns how many were new. Throws what failed
   * (a damaged attachment refuses the whole bundle: the caller rolls back and discards).
   */
  settle(): number;
  /** Removes what was staged (nothing of the bundle's attachments stays); stops a worker first. */
  discard(): void;
}

/** Fewer inline attachments than this are staged on the importing thread (a worker costs its start). */
export const WORKER_MIN_FILES = 16;
/**
 * The worker: `file` its script (undefined: dist/electron/attachments-worker.cjs when built; null:
 * never one; tests set it); how long it may take to start, and then to stage one attachment,
 * before the importer stages them itself; `started` counts the workers started (tests).
 */
export const stageWorker: { file: string | null | undefined; startMs: number; stallMs: number; started: number } = { file: undefined, startMs: 5_000, stallMs: 60_000, started: 0 };

function workerFile(): string | null {
  if (stageWorker.file !== undefined) return stageWorker.file;
  // Inside a packaged app the bundles are in app.asar; a worker's script is read from the unpacked copy.
  const f = path.join(appRoot(), 'dist', 'electron', 'attachments-worker.cjs').replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  return fs.existsSync(f) ? f : null;
}

interface Running {
  worker: Worker;
  flags: Int32Array;
  port: MessagePort;
  outcome: StageOutcome | null;
}

function startWorker(job: StageJob): Running | null {
  const file = workerFile();
  if (file === null) return null;
  try {
    const flags = new Int32Array(new SharedArrayBuffer(FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    // A small heap: it holds one attachment at a time, and its garbage is freed as it goes.
    const worker = new Worker(file, { workerData: { job, flags: flags.buffer, port: port2 }, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
    worker.unref();
    worker.on('error', () => undefined); // seen by the importer as a worker that never finishes
    stageWorker.started++;
    return { worker, flags, port: port1, outcome: null };
  } catch {
    return null;
  }
}

/**
 * Waits (blocking: the importer is inside its transaction) until the worker finished; null when it
 * did not start or stopped making progress (then it is terminated). Progress reported as it moves.
 */
function waitWorker(r: Running, onProgress: (done: number) => void): StageOutcome | null {
  if (r.outcome !== null) return r.outcome;
  let seen = -1;
  let movedAt = Date.now();
  for (;;) {
    Atomics.wait(r.flags, FLAG_DONE, 0, 200);
    if (Atomics.load(r.flags, FLAG_DONE) === 1) {
      const m = receiveMessageOnPort(r.port);
      r.port.close();
      r.outcome = m ? (m.message as StageOutcome) : null;
      return r.outcome;
    }
    const done = Atomics.load(r.flags, FLAG_PROGRESS);
    if (done !== seen) {
      seen = done;
      movedAt = Date.now();
      onProgress(done);
    }
    if (Date.now() - movedAt > (Atomics.load(r.flags, FLAG_RUNNING) === 1 ? stageWorker.stallMs : stageWorker.startMs)) {
      void r.worker.terminate();
      r.port.close();
      return null;
    }
  }
}

/**
 * Verifies every entry of `paths` that is not a records entry (attachments by `files`, sha256 ->
 * path; any other entry by its manifest hash) and, unless `dryRun`, stages the attachments: the
 * big ones are checked now by streaming and streamed into the store at `commit()`; the others
 * are staged by a worker thread while the caller applies the records (or here, when there are
 * few or no worker can be started), and `settle()` makes them visible. Progress in the phase
 * 'files'. Throws the first failure after discarding what it staged.
 */
export async function receiveFiles(ctx: Pick<CoreContext, 'dataDir'>, b: BundleContent, files: ReadonlyMap<string, string>, others: readonly string[], opts: { dryRun: boolean; job: Job }): Promise<ReceivedFiles> {
  const { job, dryRun } = opts;
  const store = fileStore(ctx.dataDir);
  const streamed: [string, string][] = [];
  const token = `${randomUUID()}.stage`;
  const items: StageItem[] = [];
  const total = files.size + others.length;
  let done = 0;
  let running: Running | null = null;
  const removeStaged = (): void => {
    for (const it of items) fs.rmSync(store.stagedPathOf(it.sha256, token).tmp, { force: true });
  };
  const discard = (): void => {
    if (running !== null) {
      Atomics.store(running.flags, FLAG_STOP, 1);
      waitWorker(running, () => undefined);
      running = null;
    }
    removeStaged(); // what was made visible already has no temporary file left
  };
  const sealed: StageJob['sealed'] = b.contentKey === null ? null : { contentKey: b.contentKey, bundleId: b.reader.manifest.bundleId, chunkSize: b.chunkSize };
  const stageJob: StageJob = { file: b.reader.file, items, sealed, store: store.shareable(), token, dryRun };
  try {
    for (const [sha, path] of files) {
      const size = b.reader.entry(path)?.size ?? 0;
      if (size <= INLINE_MAX) items.push({ sha256: sha, path, ref: b.reader.entryRef(path) });
    }
    // Beside the records (started first: it works while the rest is checked and the records applied).
    if (items.length >= WORKER_MIN_FILES) running = startWorker(stageJob);
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
      if (size > INLINE_MAX) {
        // Too big to hold: checked now by streaming, streamed into the store at commit.
        await drain(openAttachment(b, sha, path));
        if (!dryRun && !store.has(sha)) streamed.push([sha, path]);
        job.progress('files', ++done, total);
      }
    }
    if (running === null && items.length > 0) {
      // Here, now (few attachments, or no worker).
      const out = runStageJob(stageJob, () => job.signal.aborted, (n) => job.progress('files', done + n, total));
      if (!out.ok) throw stageErrorToThrow(out.error);
      done += items.length;
    }
  } catch (err) {
    discard();
    throw err;
  }
  let added = 0;
  return {
    async commit(signal) {
      try {
        for (const [sha, path] of streamed) if (await store.storeStream(sha, () => openAttachment(b, sha, path), signal)) added++;
      } catch (err) {
        discard();
        throw err;
      }
      return added;
    },
    settle() {
      if (running !== null) {
        const r = running;
        let out = waitWorker(r, (n) => job.progress('files', done + n, total));
        running = null;
        if (out === null) {
          // The worker did not start or stalled: stage them here (its partial files replaced).
          removeStaged();
          out = runStageJob(stageJob, () => job.signal.aborted);
        }
        if (!out.ok) throw stageErrorToThrow(out.error);
        done += items.length;
        job.progress('files', done, total);
      }
      let n = 0;
      if (!dryRun) {
        for (const it of items) {
          const p = store.stagedPathOf(it.sha256, token);
          if (!fs.existsSync(p.tmp)) continue; // already stored when it was staged
          if (store.staged(p).commit()) n++;
        }
      }
      return n;
    },
    discard,
  };
}
