import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseDetail } from '../../../../shared/contract/cases';
import type { AppError, Result } from '../../../../shared/result';
import type { ApiClient } from '../../api/client';
import { useApi } from '../../api/context';
import type { SaveStatus } from '../../components/SaveState';
import { nowKz } from './format';
import { fromDetail, mergeServerIds, toPayload, type FormState } from './model';

export const AUTOSAVE_MS = 600;
const PENDING_PREFIX = 'htmp.case-pending.';
const pendingKey = (id: string) => `${PENDING_PREFIX}${id}`;
let replaying: Promise<number> | null = null;

/**
 * Saves the edits a closed window left in this machine's storage, for every case, so they reach
 * the core even if that case is never opened again. Runs once at a time; returns how many were
 * saved. A draft whose case changed elsewhere since is left for the form to show as a conflict.
 */
export function replayPendingDrafts(api: ApiClient): Promise<number> {
  replaying ??= (async () => {
    let saved = 0;
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(PENDING_PREFIX));
    for (const key of keys) {
      const id = key.slice(PENDING_PREFIX.length);
      let pending: Pending | null = null;
      try {
        pending = JSON.parse(localStorage.getItem(key) ?? 'null') as Pending | null;
      } catch {
        pending = null;
      }
      if (pending?.at && Date.now() - pending.at < 15_000) continue;
      const current = await api.call('cases.get', { id });
      if (!current.ok) {
        if (current.error.code === 'cases.not_found') localStorage.removeItem(key);
        continue;
      }
      if (!pending?.form || JSON.stringify(toPayload(pending.form, id, undefined)) === JSON.stringify(toPayload(fromDetail(current.value), id, undefined))) {
        localStorage.removeItem(key);
        continue;
      }
      const r = await api.call('cases.save', toPayload(pending.form, id, pending.base || current.value.updatedAt));
      if (r.ok && localStorage.getItem(key) === JSON.stringify(pending)) {
        localStorage.removeItem(key);
        saved++;
      }
      // An issued protocol locked the case meanwhile: these edits can no longer apply.
      if (!r.ok && r.error.code === 'cases.locked') localStorage.removeItem(key);
    }
    return saved;
  })().finally(() => {
    replaying = null;
  });
  return replaying;
}

interface Pending {
  base: string;
  form: FormState;
  /** When it was written (ms): a fresh one may belong to a form open in another window. */
  at?: number;
}

/**
 * The case form's state and its autosave. Every edit is written to localStorage at once (so a
 * closed window or a crash loses nothing) and to the core after a 600 ms pause, on blur, on Enter
 * and before the page unloads. All writes for the case go through one queue, in order, so a file
 * attached right after typing lands on the document the typing created.
 */
export function useCaseDraft(id: string) {
  const api = useApi();
  const [detail, setDetail] = useState<CaseDetail>();
  const [form, setFormState] = useState<FormState>();
  const [loadError, setLoadError] = useState<AppError>();
  const [status, setStatus] = useState<SaveStatus>('idle');
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const saveErrorRef = useRef<AppError | null>(null);
  saveErrorRef.current = saveError;
  const formRef = useRef<FormState | undefined>(undefined);
  const updatedAt = useRef<string>('');
  const seq = useRef(0);
  const savedSeq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const setForm = (f: FormState) => {
    formRef.current = f;
    setFormState(f);
  };

  const run = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.current.then(fn, fn);
    queue.current = p.catch(() => undefined);
    return p;
  }, []);

  const stamp = () => setSavedAt(nowKz().slice(11, 16));

  /** Takes a case the core returned: the form follows it unless the user typed meanwhile. */
  const adopt = useCallback((d: CaseDetail, sentSeq = seq.current) => {
    updatedAt.current = d.updatedAt;
    setDetail(d);
    if (!formRef.current || seq.current === sentSeq) {
      setForm(fromDetail(d, formRef.current));
      if (seq.current === savedSeq.current) localStorage.removeItem(pendingKey(id));
    } else setForm(mergeServerIds(formRef.current, d));
  }, [id]);

  const saveNow = useCallback(async (): Promise<boolean> => {
    if (!formRef.current || savedSeq.current === seq.current) return true;
    const sent = seq.current;
    setStatus('saving');
    const r = await api.call('cases.save', toPayload(formRef.current, id, updatedAt.current || undefined));
    if (!r.ok) {
      setStatus('error');
      setSaveError(r.error);
      // A locked case keeps what was issued: the unsaved copy is dropped, the error says why.
      if (r.error.code === 'cases.locked') localStorage.removeItem(pendingKey(id));
      return false;
    }
    savedSeq.current = sent;
    adopt(r.value.detail, sent);
    setSaveError(null);
    if (seq.current === sent) {
      setStatus('saved');
      stamp();
    } else setStatus('pending');
    return true;
  }, [api, id, adopt]);

  const flush = useCallback((): Promise<boolean> => {
    clearTimeout(timer.current);
    return run(saveNow);
  }, [run, saveNow]);

  /** Applies an edit; `now` saves at once (documents created, checkboxes), else after a pause. */
  const edit = useCallback(
    (mut: (f: FormState) => FormState, opts: { now?: boolean } = {}) => {
      if (!formRef.current) return;
      setForm(mut(formRef.current));
      seq.current += 1;
      setStatus('pending');
      try {
        localStorage.setItem(pendingKey(id), JSON.stringify({ base: updatedAt.current, form: formRef.current, at: Date.now() } satisfies Pending));
      } catch {
        /* storage full: the core save still runs */
      }
      clearTimeout(timer.current);
      if (opts.now) void flush();
      else timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [id, flush],
  );

  /** Runs a write (attach, decide…) after pending edits are saved, then takes its result. */
  const write = useCallback(
    <T,>(call: () => Promise<Result<T>>, pick: (v: T) => CaseDetail): Promise<Result<T>> => {
      clearTimeout(timer.current);
      return run(async () => {
        const saved = await saveNow();
        if (!saved) return { ok: false as const, error: saveErrorRef.current ?? { code: 'api.unknown' } };
        const sent = seq.current;
        const r = await call();
        if (r.ok) adopt(pick(r.value), sent);
        return r;
      });
    },
    [run, saveNow, adopt],
  );

  const reload = useCallback(async () => {
    const r = await api.call('cases.get', { id });
    if (!r.ok) return setLoadError(r.error);
    seq.current = 0;
    savedSeq.current = 0;
    localStorage.removeItem(pendingKey(id));
    formRef.current = undefined;
    adopt(r.value);
    setStatus('idle');
    setSaveError(null);
  }, [api, id, adopt]);

  // Load, and replay edits a closed window left unsaved.
  useEffect(() => {
    let live = true;
    seq.current = 0;
    savedSeq.current = 0;
    formRef.current = undefined;
    setDetail(undefined);
    setFormState(undefined);
    setLoadError(undefined);
    setStatus('idle');
    void api.call('cases.get', { id }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        if (r.error.code === 'cases.not_found') localStorage.removeItem(pendingKey(id));
        return setLoadError(r.error);
      }
      let pending: Pending | null = null;
      try {
        pending = JSON.parse(localStorage.getItem(pendingKey(id)) ?? 'null') as Pending | null;
      } catch {
        pending = null;
      }
      adopt(r.value);
      // The last save of the closed window may have reached the core after all: nothing to replay.
      if (pending?.form && JSON.stringify(toPayload(pending.form, id, undefined)) === JSON.stringify(toPayload(fromDetail(r.value), id, undefined))) {
        pending = null;
        localStorage.removeItem(pendingKey(id));
      }
      if (pending?.form) {
        // Keep the copy until the core has it.
        localStorage.setItem(pendingKey(id), JSON.stringify(pending));
        updatedAt.current = pending.base || r.value.updatedAt;
        setForm(pending.form);
        seq.current += 1;
        setStatus('pending');
        void flush();
      }
    });
    return () => {
      live = false;
      void flush();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  useEffect(() => {
    const before = () => {
      if (seq.current !== savedSeq.current) void flush();
    };
    window.addEventListener('beforeunload', before);
    window.addEventListener('pagehide', before);
    return () => {
      window.removeEventListener('beforeunload', before);
      window.removeEventListener('pagehide', before);
    };
  }, [flush]);

  // Edits typed while the host was away are saved as soon as it is back.
  useEffect(
    () =>
      api.onConnection((state) => {
        if (state === 'open' && seq.current !== savedSeq.current) void flush();
      }),
    [api, flush],
  );

  // Changes made elsewhere (another window, the CLI, an import) show up when nothing is pending.
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'data.changed' || seq.current !== savedSeq.current) return;
        if (e.payload.area !== undefined && e.payload.area !== 'cases') return;
        void run(async () => {
          const r = await api.call('cases.get', { id });
          if (r.ok && r.value.updatedAt !== updatedAt.current && seq.current === savedSeq.current) adopt(r.value);
        });
      }),
    [api, id, run, adopt],
  );

  return { detail, form, loadError, status, saveError, savedAt, edit, flush, write, reload, adopt };
}
