import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AbroadRequestDetail, AbroadStepView } from '../../../../shared/contract/abroad';
import type { PdfFile } from '../../../../shared/contract/protocols';
import { timelineChart } from '../../../../shared/domain/abroad-charts';
import { CATEGORY_CONFIRMATIONS, type ConfirmationId } from '../../../../shared/domain/abroad';
import { kzToday } from '../../../../shared/domain/kz-time';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { SpecChart } from '../../components/SpecChart';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { FilePreview, fileToBase64, formatBytes, type PreviewFile } from '../../components/FilePreview';
import { navigate } from '../../router';
import { downloadPdf, pdfBlob } from '../protocols/pdf';
import { ConfirmSelect, EligibilityPanel } from './NewRequest';
import { fmtDate, pick } from './format';
import { DateField } from '../../components/DateField';

type Tri = '' | 'yes' | 'no';
const toTri = (v: boolean | null | undefined): Tri => (v === true ? 'yes' : v === false ? 'no' : '');

/** One request: where it stands, its grounds, the route with due dates, files, letters and the timeline chart. */
export function RequestDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation('abroad');
  const q = useQuery('abroad.get', { id });
  const d = q.data;
  const lang = i18n.language;
  if (!d) return q.error ? <ErrorText error={q.error} /> : <p className="muted">{t('ui.loading')}</p>;
  const cur = d.currentStep === null ? null : d.steps[d.currentStep - 1]!;
  const name = [d.patient.lastName, d.patient.firstName, d.patient.middleName].filter(Boolean).join(' ');
  const tr = (key: string, params?: Record<string, string | number>) => t(key, params ?? {});
  return (
    <div data-testid="abroad-detail">
      <p>
        <a href="#/abroad">{t('ui.detail.back')}</a>
      </p>
      <div className="abroad-head">
        <h2 data-testid="abroad-number">{t('ui.detail.title', { number: d.number })}</h2>
        <strong>{name}</strong>
        <span className="mono muted">{d.patient.iin}</span>
        <span className="muted">{t('ui.detail.started', { date: fmtDate(d.startedOn) })}</span>
      </div>
      <p className="small" style={{ margin: '4px 0' }}>
        {t('ui.detail.route', { title: pick(d.route.title, lang), version: d.route.version })}. <span className="muted">{t('ui.detail.routeKept')}</span>
      </p>
      <section className="panel" aria-live="polite" data-testid="abroad-status">
        {d.status === 'contracted' ? (
          <p style={{ margin: 0 }} className="ok">
            <strong>{t('ui.detail.contract', { date: fmtDate(d.contractDate), clinic: d.clinic ?? '' })}</strong> {t('ui.detail.progressDone', { count: d.elapsedDays, total: d.route.totalWorkingDays })}
          </p>
        ) : (
          <p style={{ margin: 0 }}>
            <strong className={cur?.late ? 'error' : undefined}>{cur && t('ui.detail.current', { n: cur.n, holder: pick(cur.holder, lang), due: fmtDate(cur.due) })}</strong>{' '}
            {cur?.late && <span className="badge err strong">{t('ui.due.late', { count: cur.lateDays })}</span>}{' '}
            {t('ui.detail.progress', { elapsed: d.elapsedDays, count: d.route.totalWorkingDays, due: fmtDate(d.routeDue) })}
          </p>
        )}
        {d.lateSteps > 0 && <p className="error small" style={{ margin: '4px 0 0' }}>{t('ui.detail.lateSteps', { count: d.lateSteps })}</p>}
        {d.clinic && d.status !== 'contracted' && <p className="small" style={{ margin: '4px 0 0' }}>{t('ui.detail.clinic', { clinic: d.clinic })}</p>}
        {!d.calendarConfirmed && <p className="warning small" style={{ margin: '4px 0 0' }}>{t('ui.due.unconfirmed')}: {d.unconfirmedYears.join(', ')}</p>}
      </section>

      <Grounds d={d} onSaved={q.reload} />

      <h3>{t('ui.detail.steps')}</h3>
      <StepsTable d={d} />
      {cur && <AdvanceForm d={d} step={cur} />}
      <ReopenDelete d={d} />

      <h3>{t('ui.detail.timeline')}</h3>
      <SpecChart spec={timelineChart(d.steps, d.route.totalWorkingDays, lang === 'ru' ? 'ru' : 'kk', tr)} height={90 + d.steps.length * 40} testId="abroad-timeline" />

      <StepFiles d={d} />
      <Letters d={d} />
    </div>
  );
}

function Grounds({ d, onSaved }: { d: AbroadRequestDetail; onSaved(): void }) {
  const { t } = useTranslation('abroad');
  const api = useApi();
  const required = CATEGORY_CONFIRMATIONS[d.category] as readonly ConfirmationId[];
  const [conf, setConf] = useState<Partial<Record<ConfirmationId, Tri>>>(() => Object.fromEntries(required.map((c) => [c, toTri(d.confirmations[c])])));
  const [kind, setKind] = useState(d.transplantKind ?? '');
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const r = await api.call('abroad.update', {
      id: d.id,
      confirmations: Object.fromEntries(required.map((c) => [c, conf[c] === 'yes' ? true : conf[c] === 'no' ? false : null])),
      ...(d.diseaseGroup === 'transplantation' && kind ? { transplantKind: kind as NonNullable<AbroadRequestDetail['transplantKind']> } : {}),
    });
    if (r.ok) {
      setError(undefined);
      setSaved(true);
      onSaved();
    } else setError(r.error);
  };
  return (
    <section className="panel" aria-labelledby="abroad-grounds">
      <h3 id="abroad-grounds" style={{ marginTop: 0 }}>{t('ui.detail.eligibility')}</h3>
      <div className="two-col">
        <dl className="facts">
          <div className="facts-row">
            <dt>{t('ui.detail.group')}</dt>
            <dd>
              {t(`groups.${d.diseaseGroup}.short`)}
              <div className="abroad-quote" style={{ marginLeft: 0 }}>«{t(`groups.${d.diseaseGroup}.quote`)}»</div>
            </dd>
          </div>
          <div className="facts-row">
            <dt>{t('ui.detail.category')}</dt>
            <dd>
              {t(`categories.${d.category}.short`)}
              <div className="abroad-quote" style={{ marginLeft: 0 }}>«{t(`categories.${d.category}.quote`)}»</div>
            </dd>
          </div>
          {(d.diagnosis.icd10 || d.diagnosis.text) && (
            <div className="facts-row">
              <dt>{t('ui.form.diagnosisText')}</dt>
              <dd>{`${d.diagnosis.icd10} ${d.diagnosis.text}`.trim()}</dd>
            </div>
          )}
        </dl>
        <form className="form" onSubmit={(e) => void save(e)}>
          <strong>{t('ui.detail.confirmations')}</strong>
          {required.map((c) => (
            <label key={c}>
              {t(`confirmations.${c}.label`)}
              <ConfirmSelect value={conf[c] ?? ''} onChange={(v) => setConf((x) => ({ ...x, [c]: v }))} testId={`abroad-detail-confirm-${c}`} />
            </label>
          ))}
          {d.diseaseGroup === 'transplantation' && (
            <label>
              {t('ui.detail.transplantKind')}
              <select value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="">{t('ui.form.transplantPlaceholder')}</option>
                {(['organ', 'tissue', 'bone_marrow_unrelated', 'bone_marrow_autologous', 'bone_marrow_related'] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`transplantKinds.${k}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="actions">
            <button type="submit" data-testid="abroad-save-confirmations">
              {t('ui.detail.saveConfirmations')}
            </button>
            {saved && <span role="status" className="ok small">{t('ui.detail.saved')}</span>}
          </div>
          <ErrorText error={error} />
        </form>
      </div>
      <EligibilityPanel check={d.eligibility} />
    </section>
  );
}

function StepsTable({ d }: { d: AbroadRequestDetail }) {
  const { t, i18n } = useTranslation('abroad');
  const lang = i18n.language;
  return (
    <table className="grid abroad-steps" data-testid="abroad-steps">
      <caption className="sr-only">{t('ui.detail.stepsCaption')}</caption>
      <thead>
        <tr>
          {(['n', 'holder', 'action', 'documents', 'term', 'start', 'due', 'completed', 'state'] as const).map((c) => (
            <th key={c} scope="col">
              {t(`ui.detail.columns.${c}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {d.steps.map((s) => (
          <tr key={s.n} className={[s.state === 'current' ? 'is-current' : '', s.late ? 'is-late' : ''].join(' ')} data-testid={`abroad-step-${s.n}`} data-state={s.state} data-late={s.late}>
            <th scope="row">{s.n}</th>
            <td>{pick(s.holder, lang)}</td>
            <td>
              {pick(s.action, lang)}
              {s.routeNote && <div className="muted small">{pick(s.routeNote, lang)}</div>}
              {s.note && <div className="small">{s.note}</div>}
            </td>
            <td>
              <ul>
                {s.documents.map((doc) => {
                  const n = s.files.filter((f) => f.document === doc.id).length;
                  return (
                    <li key={doc.id}>
                      {pick(doc.name, lang)} {n > 0 && <span className="badge ok small">{n}</span>}
                    </li>
                  );
                })}
              </ul>
            </td>
            <td className="nowrap">{t('ui.detail.days', { count: s.workingDays })}</td>
            <td className="nowrap">{fmtDate(s.start)}</td>
            <td className="nowrap">{fmtDate(s.due)}</td>
            <td className="nowrap">{fmtDate(s.completedOn)}</td>
            <td>
              <span className={`status ${s.state === 'done' ? 'status-approved' : s.state === 'current' ? 'status-registered' : 'status-draft'}`}>{t(`ui.detail.states.${s.state}`)}</span>
              {s.late && (
                <div className="badge err small" data-testid="abroad-step-late">
                  {t('ui.detail.lateBy', { count: s.lateDays })}
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AdvanceForm({ d, step }: { d: AbroadRequestDetail; step: AbroadStepView }) {
  const { t } = useTranslation('abroad');
  const api = useApi();
  const today = kzToday();
  const [date, setDate] = useState(today < step.start ? step.start : today);
  const [note, setNote] = useState('');
  const [clinic, setClinic] = useState('');
  const [error, setError] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await api.call('abroad.advance', { id: d.id, step: step.n, date, ...(note.trim() ? { note: note.trim() } : {}), ...(clinic.trim() ? { clinic: clinic.trim() } : {}) });
    setBusy(false);
    if (r.ok) {
      setError(undefined);
      setNote('');
      setClinic('');
    } else setError(r.error);
  };
  return (
    <form className="panel inline-form" onSubmit={(e) => void submit(e)} data-testid="abroad-advance" aria-labelledby="abroad-advance-title">
      <h4 id="abroad-advance-title" style={{ margin: '0 0 6px' }}>{t('ui.detail.advance', { n: step.n })}</h4>
      <div className="toolbar">
        <label>
          {t('ui.detail.advanceDate')}
          <DateField value={date} min={step.start} max={today} onChange={(e) => setDate(e.target.value)} data-testid="abroad-advance-date" />
        </label>
        {step.records && (
          <label style={{ minWidth: 280 }}>
            {t(step.records === 'clinic' ? 'ui.detail.advanceClinic' : 'ui.detail.advanceClinicContract')}
            <input value={clinic} onChange={(e) => setClinic(e.target.value)} placeholder={d.clinic ?? ''} required={step.records === 'clinic'} data-testid="abroad-advance-clinic" />
          </label>
        )}
        <label style={{ minWidth: 240 }}>
          {t('ui.detail.advanceNote')}
          <input value={note} onChange={(e) => setNote(e.target.value)} data-testid="abroad-advance-note" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="abroad-advance-submit">
          {t('ui.detail.advanceSubmit', { n: step.n })}
        </button>
      </div>
      <ErrorText error={error} />
    </form>
  );
}

function ReopenDelete({ d }: { d: AbroadRequestDetail }) {
  const { t } = useTranslation('abroad');
  const api = useApi();
  const [error, setError] = useState<AppError>();
  const lastDone = [...d.steps].reverse().find((s) => s.state === 'done');
  const anyLetter = d.steps.some((s) => s.issued);
  const reopen = async () => {
    if (!lastDone) return;
    const r = await api.call('abroad.reopenStep', { id: d.id, step: lastDone.n });
    setError(r.ok ? undefined : r.error);
  };
  const remove = async () => {
    if (!window.confirm(t('ui.detail.deleteConfirm', { number: d.number }))) return;
    const r = await api.call('abroad.delete', { id: d.id });
    if (r.ok) navigate('abroad');
    else setError(r.error);
  };
  return (
    <div className="actions small" style={{ margin: '6px 0' }}>
      {lastDone && (
        <button type="button" onClick={() => void reopen()} data-testid="abroad-reopen">
          {t('ui.detail.reopen', { n: lastDone.n })}
        </button>
      )}
      {!anyLetter && (
        <button type="button" onClick={() => void remove()} data-testid="abroad-delete">
          {t('ui.detail.delete')}
        </button>
      )}
      <ErrorText error={error} />
    </div>
  );
}

function StepFiles({ d }: { d: AbroadRequestDetail }) {
  const { t, i18n } = useTranslation('abroad');
  const api = useApi();
  const lang = i18n.language;
  const [n, setN] = useState(d.currentStep ?? d.steps.length);
  const step = d.steps[n - 1]!;
  const [doc, setDoc] = useState(step.documents[0]?.id ?? 'other');
  const [error, setError] = useState<AppError>();
  const [preview, setPreview] = useState<{ id: string; file: PreviewFile }>();
  const [inputKey, setInputKey] = useState(0);
  // A new step offers its first document; a reload after an attachment keeps the choice.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setDoc(d.steps[n - 1]!.documents[0]?.id ?? 'other'), [n]);
  const attach = async (file: File | null) => {
    if (!file) return;
    const r = await api.call('abroad.attachFile', { requestId: d.id, step: n, document: doc, name: file.name, mime: file.type || 'application/octet-stream', contentBase64: await fileToBase64(file) });
    setError(r.ok ? undefined : r.error);
    setInputKey((k) => k + 1);
  };
  const remove = async (fileId: string) => {
    const r = await api.call('abroad.removeFile', { requestId: d.id, fileId });
    setError(r.ok ? undefined : r.error);
  };
  return (
    <section className="panel" aria-labelledby="abroad-files-title" data-testid="abroad-files">
      <div className="toolbar">
        <h3 id="abroad-files-title" style={{ margin: 0 }}>{t('ui.detail.files', { n })}</h3>
        <label>
          {t('ui.detail.columns.n')}
          <select value={n} onChange={(e) => setN(Number(e.target.value))} data-testid="abroad-files-step">
            {d.steps.map((s) => (
              <option key={s.n} value={s.n}>
                {s.n}. {pick(s.holder, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ui.detail.fileDocument')}
          <select value={doc} onChange={(e) => setDoc(e.target.value)} data-testid="abroad-files-document">
            {step.documents.map((x) => (
              <option key={x.id} value={x.id}>
                {pick(x.name, lang)}
              </option>
            ))}
            <option value="other">{t('ui.detail.fileOther')}</option>
          </select>
        </label>
        <FileInput key={inputKey} button={t('ui.detail.attach')} testId="abroad-file-input" onChange={(f) => void attach(f)} />
      </div>
      <ErrorText error={error} />
      {step.files.length === 0 ? (
        <p className="muted small">{t('ui.detail.noFiles')}</p>
      ) : (
        <ul className="abroad-step-files" data-testid="abroad-file-list">
          {step.files.map((f) => (
            <li key={f.id}>
              <span>{f.document === 'other' ? t('ui.detail.fileOther') : pick(step.documents.find((x) => x.id === f.document)?.name, lang)}:</span>
              <strong>{f.name}</strong>
              <span className="muted small">{formatBytes(f.size)}</span>
              <button type="button" onClick={() => setPreview({ id: f.id, file: f })}>
                {t('ui.detail.preview')}
              </button>
              <button type="button" onClick={() => void remove(f.id)}>
                {t('ui.detail.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {preview && (
        <FilePreview
          file={preview.file}
          onClose={() => setPreview(undefined)}
          load={async () => {
            const r = await api.call('abroad.fileContent', { fileId: preview.id });
            return r.ok ? { ok: true, base64: r.value.contentBase64 } : { ok: false, error: r.error };
          }}
        />
      )}
    </section>
  );
}

function Letters({ d }: { d: AbroadRequestDetail }) {
  const { t, i18n } = useTranslation('abroad');
  const letters = d.steps.filter((s) => s.letter !== null);
  if (letters.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="abroad-letters-title" data-testid="abroad-letters">
      <h3 id="abroad-letters-title" style={{ marginTop: 0 }}>{t('ui.detail.letters')}</h3>
      {letters.map((s) => (
        <LetterRow key={s.n} d={d} step={s} defaultLang={i18n.language === 'ru' ? 'ru' : 'kk'} />
      ))}
    </section>
  );
}

function LetterRow({ d, step, defaultLang }: { d: AbroadRequestDetail; step: AbroadStepView; defaultLang: 'kk' | 'ru' }) {
  const { t } = useTranslation('abroad');
  const api = useApi();
  const [lang, setLang] = useState<'kk' | 'ru'>(defaultLang);
  const [error, setError] = useState<AppError>();
  const [preview, setPreview] = useState<{ url: string; pdf: PdfFile }>();
  const [busy, setBusy] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview.url); }, [preview]);
  const reached = d.currentStep === null || step.n <= d.currentStep;
  const kind = step.letter!;
  const id = `abroad-letter-${step.n}`;
  const load = async (): Promise<PdfFile | undefined> => {
    setBusy(true);
    const r = await api.call('abroad.renderDocument', { id: d.id, doc: kind, step: step.n, lang });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return undefined;
    }
    setError(undefined);
    return r.value;
  };
  return (
    <div className="toolbar" data-testid={id}>
      <strong style={{ minWidth: 260 }}>{t(kind === 'petition' ? 'ui.detail.petition' : 'ui.detail.coverLetter', { n: step.n })}</strong>
      {reached ? (
        <>
          <label>
            {t('ui.detail.letterLang')}
            <select value={lang} onChange={(e) => setLang(e.target.value as 'kk' | 'ru')} data-testid={`${id}-lang`}>
              <option value="kk">қазақша</option>
              <option value="ru">русский</option>
            </select>
          </label>
          <button
            type="button"
            disabled={busy}
            data-testid={`${id}-preview`}
            onClick={() =>
              void load().then((pdf) => {
                if (pdf) setPreview({ url: URL.createObjectURL(pdfBlob(pdf)), pdf });
              })
            }
          >
            {t('ui.detail.letterPreview')}
          </button>
          <button type="button" disabled={busy} data-testid={`${id}-save`} onClick={() => void load().then((pdf) => pdf && downloadPdf(pdf))}>
            {t('ui.detail.letterSave')}
          </button>
          {step.issued && (
            <span className="muted small" data-testid={`${id}-issued`}>
              {t('ui.detail.letterIssued', { number: step.issued.number, sha: step.issued.sha256.slice(0, 12) })}
            </span>
          )}
        </>
      ) : (
        <span className="muted small">{t('ui.detail.letterNotYet', { n: step.n })}</span>
      )}
      <ErrorText error={error} />
      {preview && (
        <figure className="pdf-preview" style={{ width: '100%', margin: 0 }}>
          <figcaption className="small muted">
            {preview.pdf.fileName} · <span className="mono">{preview.pdf.verification}</span>{' '}
            <button type="button" onClick={() => setPreview(undefined)}>
              {t('actions.close', { ns: 'common' })}
            </button>
          </figcaption>
          <iframe ref={frame} src={preview.url} title={preview.pdf.fileName} data-testid={`${id}-frame`} style={{ width: '100%', height: '70vh', border: '1px solid #d5d9df' }} />
        </figure>
      )}
    </div>
  );
}
