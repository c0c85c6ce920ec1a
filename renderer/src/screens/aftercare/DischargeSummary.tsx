import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_AFTERCARE_FILE_BYTES, type AftercareFileRef, type DischargeSummaryView } from '../../../../shared/contract/aftercare';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FilePreview, fileToBase64, formatBytes } from '../../components/FilePreview';
import { todayKz } from '../cases/format';
import { DateField } from '../../components/DateField';

/**
 * Point 41: the discharge summary («шығару эпикризі») the providing organization sends after the
 * care, with its recommendations and the plan of joint follow-up; its scans are kept in the store.
 */
export function DischargeSummary({ caseId, view, onChanged }: { caseId: string; view: DischargeSummaryView | null; onChanged(): void }) {
  const { t } = useTranslation('aftercare');
  const api = useApi();
  const today = todayKz();
  const [receivedOn, setReceivedOn] = useState(view?.receivedOn ?? '');
  const [recommendations, setRecommendations] = useState(view?.recommendations ?? '');
  const [plan, setPlan] = useState(view?.followUpPlan ?? '');
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<AftercareFileRef>();
  // Follow what is stored when it changes (a save here, or elsewhere), but not when only the files
  // change: attaching a scan must not wipe what is being typed.
  const stored = [view?.receivedOn ?? null, view?.recommendations ?? null, view?.followUpPlan ?? null] as const;
  useEffect(() => {
    setReceivedOn(stored[0] ?? '');
    setRecommendations(stored[1] ?? '');
    setPlan(stored[2] ?? '');
  }, stored); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('aftercare.dischargeSummary', { caseId, receivedOn: receivedOn || null, recommendations: recommendations.trim() || null, followUpPlan: plan.trim() || null });
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok);
    if (r.ok) onChanged();
  };
  const attach = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    setError(undefined);
    for (const file of Array.from(files)) {
      if (file.size > MAX_AFTERCARE_FILE_BYTES) {
        setError({ code: 'aftercare.file_too_large', params: { size: file.size, maxMb: Math.round(MAX_AFTERCARE_FILE_BYTES / 1024 / 1024) } });
        continue;
      }
      const r = await api.call('aftercare.attachFile', { caseId, name: file.name, mime: file.type || 'application/octet-stream', contentBase64: await fileToBase64(file) });
      if (!r.ok) {
        setError(r.error);
        break;
      }
    }
    setBusy(false);
    onChanged();
  };
  const remove = async (f: AftercareFileRef) => {
    if (!window.confirm(t('discharge.removeConfirm', { name: f.name }))) return;
    if (preview?.id === f.id) setPreview(undefined);
    const r = await api.call('aftercare.removeFile', { caseId, fileId: f.id });
    setError(r.ok ? undefined : r.error);
    onChanged();
  };
  const files = view?.files ?? [];
  return (
    <form className="after-block" onSubmit={(e) => void save(e)} data-testid="discharge">
      <h3>{t('block.discharge')}</h3>
      <div className="field narrow-field">
        <label htmlFor="dis-received">{t('discharge.receivedOn')}</label>
        <DateField id="dis-received" value={receivedOn} max={today} onChange={(e) => { setReceivedOn(e.target.value); setSaved(false); }} data-testid="discharge-received" />
      </div>
      <div className="field">
        <label htmlFor="dis-rec">{t('discharge.recommendations')}</label>
        <textarea id="dis-rec" rows={2} value={recommendations} onChange={(e) => { setRecommendations(e.target.value); setSaved(false); }} data-testid="discharge-recommendations" />
      </div>
      <div className="field">
        <label htmlFor="dis-plan">{t('discharge.plan')}</label>
        <textarea id="dis-plan" rows={2} value={plan} onChange={(e) => { setPlan(e.target.value); setSaved(false); }} data-testid="discharge-plan" />
      </div>
      <div className="files">
        <label className="file-button">
          <span>{t('discharge.attach')}</span>
          <input type="file" multiple accept="application/pdf,image/*,.doc,.docx,.odt,.txt" onChange={(e) => void attach(e.target.files).then(() => (e.target.value = ''))} disabled={busy} data-testid="discharge-attach" />
        </label>
        {files.length > 0 && (
          <ul className="file-list" data-testid="discharge-files">
            {files.map((f) => (
              <li key={f.id}>
                <button type="button" className="link" onClick={() => setPreview(preview?.id === f.id ? undefined : f)} aria-expanded={preview?.id === f.id}>
                  {f.name}
                </button>
                <span className="muted small"> {formatBytes(f.size)}</span>
                <button type="button" className="link danger" onClick={() => void remove(f)} aria-label={t('discharge.removeNamed', { name: f.name })}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {busy && <p role="status" className="small">{t('discharge.uploading')}</p>}
      {preview && (
        <FilePreview
          key={preview.id}
          file={preview}
          onClose={() => setPreview(undefined)}
          load={async () => {
            const r = await api.call('aftercare.fileContent', { fileId: preview.id });
            return r.ok ? { ok: true, base64: r.value.contentBase64 } : { ok: false, error: r.error };
          }}
        />
      )}
      <button type="submit" data-testid="discharge-save">
        {t('save')}
      </button>
      <ErrorText error={error} />
      {saved && (
        <p role="status" className="ok small" data-testid="discharge-saved">
          {t('saved')}
        </p>
      )}
    </form>
  );
}
