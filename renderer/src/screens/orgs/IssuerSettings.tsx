import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';

/** The subdivision (Бөлімше) that issues conclusions, printed on them, and the default signer. */
export function IssuerSettings() {
  const { t } = useTranslation('orgs');
  const api = useApi();
  const s = useQuery('orgs.settings', {});
  const [form, setForm] = useState({ issuerKk: '', issuerRu: '', signerName: '', signerPosition: '' });
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError>();
  useEffect(() => {
    if (s.data) setForm({ issuerKk: s.data.issuer.kk, issuerRu: s.data.issuer.ru, signerName: s.data.signer.name, signerPosition: s.data.signer.position });
  }, [s.data]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('orgs.updateSettings', form);
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok);
  };
  const field = (k: keyof typeof form, lang?: string) => (
    <div className="field">
      <label htmlFor={`issuer-${k}`}>{t(`settings.${k}`)}</label>
      <input id={`issuer-${k}`} lang={lang} value={form[k]} onChange={(e) => { setForm({ ...form, [k]: e.target.value }); setSaved(false); }} data-testid={`issuer-${k}`} />
    </div>
  );
  return (
    <form className="panel form narrow" onSubmit={(e) => void save(e)} aria-labelledby="issuer-title">
      <h2 id="issuer-title">{t('settings.title')}</h2>
      <p className="hint">{t('settings.hint')}</p>
      {field('issuerKk', 'kk')}
      {field('issuerRu', 'ru')}
      {field('signerName')}
      {field('signerPosition')}
      {(form.issuerKk.trim() === '' || form.issuerRu.trim() === '') && <p className="warning small">{t('settings.missing')}</p>}
      <div className="actions">
        <button type="submit" className="primary" data-testid="issuer-save">{t('settings.save')}</button>
        {saved && <span className="ok" role="status">{t('settings.saved')}</span>}
      </div>
      <ErrorText error={error} />
    </form>
  );
}
