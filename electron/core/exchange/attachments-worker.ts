/**
 * Worker thread entry (bundled to dist/electron/attachments-worker.cjs): stages a sync import's
 * attachments (attachments-stage.ts) while the importing thread applies the records. It talks
 * through shared memory, which the importing thread can wait on inside its transaction (the
 * FLAG_* slots of attachments-stage.ts), and posts its outcome on `port` before it says it is done.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { FLAG_DONE, FLAG_PROGRESS, FLAG_RUNNING, FLAG_STOP, runStageJob, stageError, type StageJob, type StageOutcome } from './attachments-stage';

if (parentPort !== null && workerData !== null && typeof workerData === 'object' && 'job' in workerData) {
  const { job, flags: shared, port } = workerData as { job: StageJob; flags: SharedArrayBuffer; port: MessagePort };
  const flags = new Int32Array(shared);
  Atomics.store(flags, FLAG_RUNNING, 1);
  let out: StageOutcome;
  try {
    out = runStageJob(
      job,
      () => Atomics.load(flags, FLAG_STOP) === 1,
      (done) => Atomics.store(flags, FLAG_PROGRESS, done),
    );
  } catch (err) {
    out = { ok: false, done: Atomics.load(flags, FLAG_PROGRESS), error: stageError(err) };
  }
  port.postMessage(out);
  port.close();
  Atomics.store(flags, FLAG_DONE, 1);
  Atomics.notify(flags, FLAG_DONE);
}
