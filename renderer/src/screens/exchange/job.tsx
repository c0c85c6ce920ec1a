import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/context';

/** One long exchange task's progress as the core reports it (`job.progress` events) or the page counts it (upload). */
export interface Progress {
  jobId: string;
  phase: string;
  done: number;
  total: number;
}

const newJobId = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * The state the exchange panels share: the one job running, its progress and its cancel. Panels
 * of one tab take the same job so a second task cannot start while one runs.
 */
export type Job = ReturnType<typeof useJob>;

/** Follows one job's progress events; `cancel` aborts it in the core. */
export function useJob() {
  const api = useApi();
  const [progress, setProgress] = useState<Progress | null>(null);
  const current = useRef<string | null>(null);
  const uploadAbort = useRef<AbortController | null>(null);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'job.progress' || e.payload.jobId !== current.current) return;
        setProgress({ jobId: String(e.payload.jobId), phase: String(e.payload.phase), done: Number(e.payload.done), total: Number(e.payload.total) });
      }),
    [api],
  );
  const start = useCallback((phase = 'verify') => {
    const jobId = newJobId();
    current.current = jobId;
    uploadAbort.current = new AbortController();
    setProgress({ jobId, phase, done: 0, total: 0 });
    return { jobId, signal: uploadAbort.current.signal, local: (p: string, done: number, total: number) => setProgress({ jobId, phase: p, done, total }) };
  }, []);
  const finish = useCallback(() => {
    current.current = null;
    setProgress(null);
  }, []);
  const cancel = useCallback(() => {
    uploadAbort.current?.abort();
    if (current.current) void api.call('exchange.cancel', { jobId: current.current });
  }, [api]);
  return { progress, start, finish, cancel };
}

export function ProgressBar({ progress, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const { t } = useTranslation('exchange');
  if (!progress) return null;
  return (
    <div className="actions" role="status" aria-live="polite" data-testid="exchange-progress">
      <span>{t(`phase.${progress.phase}`, { defaultValue: progress.phase })}</span>
      <progress max={progress.total || 1} value={progress.total ? progress.done : undefined} aria-label={t(`phase.${progress.phase}`, { defaultValue: progress.phase })} />
      <span className="muted">{progress.total ? `${progress.done} / ${progress.total}` : ''}</span>
      <button type="button" onClick={onCancel} data-testid="exchange-cancel">
        {t('cancel.button')}
      </button>
    </div>
  );
}

