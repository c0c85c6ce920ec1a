import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { downloadPdf } from '../protocols/pdf';

/** Shown once after set-up: the recovery key, its printable sheet in kk and ru, and a confirmation. */
export function RecoveryKeyPage({ recoveryKey, onDone }: { recoveryKey: string; onDone(): void }) {
  const { t } = useTranslation('auth');
  const api = useApi();
  const [ok, setOk] = useState(false);
  const [error, setError] = useState<AppError>();
  const sheet = async (lang: Lang) => {
    const r = await api.call('auth.recoverySheet', { recoveryKey, lang });
    if (!r.ok) return setError(r.error);
    downloadPdf({ pdfBase64: r.value.base64, fileName: r.value.fileName.replace('.pdf', `_${lang}.pdf`) });
  };
  return (
    <div className="auth-page">
      <section className="auth-card wide" aria-labelledby="recovery-title">
        <h1 id="recovery-title">{t('recovery.title')}</h1>
        <p>{t('recovery.intro')}</p>
        <p className="recovery-key" data-testid="recovery-key" translate="no">
          {recoveryKey}
        </p>
        <div className="actions">
          <button type="button" onClick={() => void sheet('kk')} data-testid="sheet-kk">
            {t('recovery.sheetKk')}
          </button>
          <button type="button" onClick={() => void sheet('ru')} data-testid="sheet-ru">
            {t('recovery.sheetRu')}
          </button>
        </div>
        <label className="inline">
          <input type="checkbox" checked={ok} onChange={(e) => setOk(e.target.checked)} data-testid="recovery-confirm" />
          {t('recovery.confirm')}
        </label>
        <div className="actions">
          <button type="button" className="primary" disabled={!ok} onClick={onDone} data-testid="recovery-continue">
            {t('recovery.continue')}
          </button>
        </div>
        <ErrorText error={error} />
      </section>
    </div>
  );
}
