/**
 * Long exchange jobs (export, import, backup, restore): progress reported to every window
 * through core events, and cancellation through an AbortSignal kept per job.
 *
 * Events: `job.progress` {jobId, kind, phase, done, total} (throttled), and `job.done`
 * {jobId, kind, ok, error?}. Cancelling aborts the signal; the job throws `bundle.cancelled`
 * and leaves nothing behind (a partial bundle file is removed, an import transaction is rolled
 * back before it commits).
 */
import { randomUUID } from 'node:crypto';
import { AppFailure } from '../../../shared/result';
import type { CoreContext } from '../context';
import { isBundleError } from './errors';

export interface Job {
  id: string;
  kind: string;
  signal: AbortSignal;
  /** Reports progress; sends at most ~10 events per second per phase, plus every phase change and the end. */
  progress(phase: string, done: number, total: number): void;
  throwIfCancelled(): void;
}

const running = new WeakMap<object, Map<string, { controller: AbortController; kind: string; started: string }>>();

function jobsOf(ctx: CoreContext): Map<string, { controller: AbortController; kind: string; started: string }> {
  // Keyed by the database handle: the same for every context object made over one core.
  let m = running.get(ctx.db);
  if (!m) {
    m = new Map();
    running.set(ctx.db, m);
  }
  return m;
}

export function cancelledFailure(): AppFailure {
  return new AppFailure('bundle.cancelled');
}

/** Runs `fn` as a job with this id (or a new one). */
export async function runJob<T>(ctx: CoreContext, kind: string, jobId: string | undefined, fn: (job: Job) => Promise<T>): Promise<T> {
  const id = jobId ?? randomUUID();
  const jobs = jobsOf(ctx);
  if (jobs.has(id)) throw new AppFailure('exchange.job_exists', { jobId: id });
  const controller = new AbortController();
  jobs.set(id, { controller, kind, started: new Date().toISOString() });
  let lastPhase = '';
  let lastAt = 0;
  const job: Job = {
    id,
    kind,
    signal: controller.signal,
    progress(phase, done, total) {
      const now = Date.now();
      if (phase === lastPhase && now - lastAt < 100 && done < total) return;
      lastPhase = phase;
      lastAt = now;
      ctx.emit({ type: 'job.progress', payload: { jobId: id, kind, phase, done, total } });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw cancelledFailure();
    },
  };
  try {
    const value = await fn(job);
    ctx.emit({ type: 'job.done', payload: { jobId: id, kind, ok: true } });
    return value;
  } catch (raw) {
    // Refusals of the bundle layer reach the caller as the API's failure, same code and params.
    const err = isBundleError(raw) ? new AppFailure(raw.code, raw.params) : raw;
    const code = err instanceof AppFailure ? err.code : 'api.internal';
    ctx.emit({ type: 'job.done', payload: { jobId: id, kind, ok: false, error: code } });
    throw err;
  } finally {
    jobs.delete(id);
  }
}

/** Cancels a running job; false when no such job runs (finished already, or unknown). */
export function cancelJob(ctx: CoreContext, jobId: string): boolean {
  const j = jobsOf(ctx).get(jobId);
  if (!j) return false;
  j.controller.abort();
  return true;
}

export function runningJobs(ctx: CoreContext): { jobId: string; kind: string; startedAt: string }[] {
  return [...jobsOf(ctx).entries()].map(([jobId, j]) => ({ jobId, kind: j.kind, startedAt: j.started }));
}

/** A job outside any core (the CLI's restore into a folder no core has open). */
export function standaloneJob(kind: string, onProgress?: (phase: string, done: number, total: number) => void, signal?: AbortSignal): Job {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  return {
    id: randomUUID(),
    kind,
    signal: controller.signal,
    progress: (phase, done, total) => onProgress?.(phase, done, total),
    throwIfCancelled() {
      if (controller.signal.aborted) throw cancelledFailure();
    },
  };
}
