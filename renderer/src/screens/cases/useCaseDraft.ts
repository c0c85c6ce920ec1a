import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseDetail } from '../../../../shared/contract/cases';
import type { AppError, Result } from '../../../../shared/result';
import { useApi } from '../../api/context';
import type { SaveStatus } from '../../components/SaveState';
import { nowKz } from './format';
import { fromDetail, mergeServerIds, toPayload, type FormState } from './model';

export const AUTOSAVE_MS = 600;
/** Unsaved edits are copied to the user's drafts in the core after this pause (and as the page closes). */
export const DRAFT_MS = 250;

/** Unsaved edits of this user found when the case was opened, offered back. */
export interface DraftOffer {
  form: FormState;
  base: string;
  savedAt: string;
}

const sameForm = (a: FormState, b: FormState, id: string): boolean => JSON.stringify(toPayload(a, id, undefined)) === JSON.stringify(toPayload(b, id, undefined));

/**
 * The case form's state and its autosave. Every edit is saved to the case after a 600 ms pause,
 * on blur, on Enter and before the page unloads; until it is, a copy is kept in the signed-in
 * user's drafts in the core (`prefs.putDraft`, after 250 ms and as the page closes), so a closed
 * tab or a restarted host loses nothing: the next time the case is opened the edits are offered
 * back (restore or discard). Nothing is kept in the browser's storage. All writes for the case go through one queue, in order, so a file
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
  const [offer, setOffer] = useState<DraftOffer | null>(null);
  // The copy of unsaved edits in the core: its own queue, so a drop never overtakes a put.
  const draftTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const draftQueue = useRef<Promise<unknown>>(Promise.resolve());
  const draftStored = useRef(false);
  const inDraftQueue = useCallback((fn: () => Promise<unknown>) => {
    draftQueue.current = draftQueue.current.then(fn, fn).catch(() => undefined);
  }, []);
  const putDraft = useCallback(() => {
    clearTimeout(draftTimer.current);
    const form = formRef.current;
    if (!form || seq.current === savedSeq.current) return;
    draftStored.current = true;
    const base = updatedAt.current;
    inDraftQueue(() => api.call('prefs.putDraft', { caseId: id, base, form }));
  }, [api, id, inDraftQueue]);
  const dropDraft = useCallback(() => {
    clearTimeout(draftTimer.current);
    if (!draftStored.current) return;
    draftStored.current = false;
    inDraftQueue(() => api.call('prefs.dropDraft', { caseId: id }));
  }, [api, id, inDraftQueue]);

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
      if (seq.current === savedSeq.current) dropDraft();
    } else setForm(mergeServerIds(formRef.current, d));
  }, [dropDraft]);

  const saveNow = useCallback(async (): Promise<boolean> => {
    if (!formRef.current || savedSeq.current === seq.current) return true;
    const sent = seq.current;
    setStatus('saving');
    const r = await api.call('cases.save', toPayload(formRef.current, id, updatedAt.current || undefined));
    if (!r.ok) {
      setStatus('error');
      setSaveError(r.error);
      // A locked case keeps what was issued: the unsaved copy is dropped, the error says why.
      if (r.error.code === 'cases.locked') dropDraft();
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
  }, [api, id, adopt, dropDraft]);

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
      clearTimeout(draftTimer.current);
      draftTimer.current = setTimeout(putDraft, DRAFT_MS);
      clearTimeout(timer.current);
      if (opts.now) void flush();
      else timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
    },
    [flush, putDraft],
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
        if (r.ok) {
          adopt(pick(r.value), sent);
          // The call wrote the case: say so as a save would.
          if (seq.current === sent) {
            setStatus('saved');
            stamp();
          }
        }
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
    draftStored.current = true;
    dropDraft();
    setOffer(null);
    formRef.current = undefined;
    adopt(r.value);
    setStatus('idle');
    setSaveError(null);
  }, [api, id, adopt, dropDraft]);

  /** Takes the offered unsaved edits back into the form and saves them. */
  const restoreDraft = useCallback(() => {
    if (!offer) return;
    setOffer(null);
    updatedAt.current = offer.base || updatedAt.current;
    setForm(offer.form);
    seq.current += 1;
    draftStored.current = true;
    setStatus('pending');
    void flush();
  }, [offer, flush]);

  /** Drops the offered unsaved edits: the case stays as saved. */
  const discardDraft = useCallback(() => {
    setOffer(null);
    draftStored.current = true;
    dropDraft();
  }, [dropDraft]);

  // Load, and offer back the edits a closed tab or a restarted host left unsaved.
  useEffect(() => {
    let live = true;
    seq.current = 0;
    savedSeq.current = 0;
    formRef.current = undefined;
    draftStored.current = false;
    setDetail(undefined);
    setFormState(undefined);
    setLoadError(undefined);
    setOffer(null);
    setStatus('idle');
    void Promise.all([api.call('cases.get', { id }), api.call('prefs.getDraft', { caseId: id })]).then(([r, d]) => {
      if (!live) return;
      if (!r.ok) return setLoadError(r.error);
      adopt(r.value);
      const stored = d.ok ? d.value.draft : null;
      if (!stored) return;
      draftStored.current = true;
      const form = stored.form as FormState | null;
      // The last save of the closed tab reached the core after all: nothing to offer.
      if (!form || typeof form !== 'object' || !('patient' in form) || sameForm(form, fromDetail(r.value), id)) return dropDraft();
      setOffer({ form, base: stored.base, savedAt: stored.savedAt });
    });
    return () => {
      live = false;
      // Leaving the case (another screen) with edits not saved yet: their copy goes to the core
      // now, not after the draft pause, so a page closed right after still finds them on Today.
      putDraft();
      void flush();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, id]);

  useEffect(() => {
    const before = () => {
      if (seq.current === savedSeq.current || !formRef.current) return;
      // The copy reaches the core even as the page goes (keepalive), then the save is tried.
      draftStored.current = true;
      api.beacon('prefs.putDraft', { caseId: id, base: updatedAt.current, form: formRef.current });
      void flush();
    };
    window.addEventListener('beforeunload', before);
    window.addEventListener('pagehide', before);
    return () => {
      window.removeEventListener('beforeunload', before);
      window.removeEventListener('pagehide', before);
    };
  }, [api, id, flush]);

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

  return { detail, form, loadError, status, saveError, savedAt, edit, flush, write, reload, adopt, offer, restoreDraft, discardDraft, dropDraft };
}
