import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueDiffView } from '../../../../shared/contract/exchange';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';
import { fmtInstant } from '../cases/format';
import { RollbackDialog, TrustDialog, trustAskOf, type TrustAsk } from './dialogs';
import { transferErrorOf, uploadFile } from './transfer';

/**
 * A catalogue update from the publisher: what each edition, the characteristics and the calendar
 * would become, shown before it is applied; a step back needs its own confirmation; the previous
 * catalogue can be put back.
 */
export function CataloguePanel() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const state = useQuery('exchange.catalogueState', {});
  const [file, setFile] = useState<File | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [preview, setPreview] = useState<CatalogueDiffView | null>(null);
  const [trustNew, setTrustNew] = useState(false);
  const [ask, setAsk] = useState<TrustAsk | null>(null);
  const [confirmRollback, setConfirmRollback] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<AppError>();
  const show = async (trustNewPublisher: boolean) => {
    if (!file) return;
    setError(undefined);
    setMessage(null);
    try {
      const id = uploadId ?? (await uploadFile(api, file, () => undefined));
      setUploadId(id);
      const r = await api.call('exchange.cataloguePreview', { uploadId: id, trustNewPublisher });
      if (r.ok) {
        setPreview(r.value);
        setTrustNew(trustNewPublisher);
      } else {
        const a = trustAskOf(r.error);
        if (a) setAsk(a);
        else setError(r.error);
      }
    } catch (e) {
      setError(transferErrorOf(e));
    }
  };
  const apply = async (allowRollback = false) => {
    if (!uploadId) return;
    const r = await api.call('exchange.catalogueApply', { uploadId, trustNewPublisher: trustNew, ...(allowRollback ? { allowRollback } : {}) });
    if (r.ok) {
      setMessage(r.value.applied ? t('catalogueUpdate.applied') : t('catalogueUpdate.alreadyApplied'));
      setPreview(null);
      state.reload();
    } else setError(r.error);
  };
  const restore = async () => {
    const r = await api.call('exchange.catalogueRestore', {});
    if (r.ok) {
      setMessage(t('catalogueUpdate.restored'));
      state.reload();
    } else setError(r.error);
  };
  return (
    <>
      <h2>{t('catalogueUpdate.title')}</h2>
      <p className="muted">{t('catalogueUpdate.intro')}</p>
      <p>{state.data?.current ? t('catalogueUpdate.current', { date: fmtInstant(state.data.current.appliedAt) }) : t('catalogueUpdate.none')}</p>
      <div className="form narrow">
        <FileInput
          button={t('import.chooseFile')}
          accept=".htmp"
          testId="catalogue-file"
          onChange={(f) => {
            setFile(f);
            setUploadId(null);
            setPreview(null);
          }}
        />
        <div className="actions">
          <button type="button" disabled={!file} onClick={() => void show(false)} data-testid="catalogue-show">
            {t('catalogueUpdate.preview')}
          </button>
          <button type="button" disabled={!state.data?.current} onClick={() => void restore()}>
            {t('catalogueUpdate.restore')}
          </button>
        </div>
      </div>
      {preview && (
        <div data-testid="catalogue-preview">
          <p>{t('catalogueUpdate.publisher', { name: preview.publisher.name ?? '', fingerprint: preview.publisher.fingerprint })}</p>
          <p data-testid="catalogue-editions">{t('importForm.editions', { added: preview.editionsAdded.join(', ') || '—', removed: preview.editionsRemoved.join(', ') || '—' })}</p>
          {preview.rollback && !preview.alreadyApplied && (
            <p className="warning" role="alert" data-testid="catalogue-rollback">
              {t(`catalogueUpdate.rollback.${preview.rollback.reason}`)}
            </p>
          )}
          <ul>
            {preview.editions.map((e) => (
              <li key={e.id}>
                {t('catalogueUpdate.edition', { id: e.id })}: {t(`catalogueUpdate.status.${e.status}`)}
                {e.status === 'changed' && ` (${t('catalogueUpdate.counts', e)})`}
                {e.sample.length > 0 && (
                  <ul className="muted">
                    {e.sample.slice(0, 10).map((s) => (
                      <li key={`${s.section}-${s.code}-${s.change}`}>
                        {s.section} · {s.code}: {s.before ?? ''} {s.before && s.after ? '→' : ''} {s.after ?? ''}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
            <li>
              {t('catalogueUpdate.characteristics')}: {t(`catalogueUpdate.status.${preview.characteristics.status}`)}
            </li>
            <li>
              {t('catalogueUpdate.calendar')}: {t(`catalogueUpdate.status.${preview.calendar.status}`)}
              {preview.calendar.years.length > 0 && ` (${preview.calendar.years.map((y) => `${y.year}: ${t(`catalogueUpdate.status.${y.status}`)}`).join(', ')})`}
            </li>
          </ul>
          <div className="actions">
            <button type="button" className="primary" onClick={() => (preview.rollback ? setConfirmRollback(true) : void apply())} disabled={preview.alreadyApplied} data-testid="catalogue-apply">
              {preview.rollback ? t('catalogueUpdate.applyRollback') : t('catalogueUpdate.apply')}
            </button>
          </div>
        </div>
      )}
      {confirmRollback && preview && (
        <RollbackDialog
          removed={preview.editionsRemoved}
          onReject={() => setConfirmRollback(false)}
          onAccept={() => {
            setConfirmRollback(false);
            void apply(true);
          }}
        />
      )}
      {message && <p role="status">{message}</p>}
      <ErrorText error={error ?? state.error} />
      {ask && (
        <TrustDialog
          ask={ask}
          onReject={() => setAsk(null)}
          onTrust={() => {
            setAsk(null);
            void show(true);
          }}
        />
      )}
    </>
  );
}
