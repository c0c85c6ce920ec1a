import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/contract';
import type { AppError } from '../../../shared/result';
import { useApi, useQuery } from '../api/context';
import { ErrorText } from '../components/ErrorText';
import { CalendarSettings } from './CalendarSettings';

/** Commission details printed on protocols, and the interface language. */
export function SettingsScreen() {
  const { t } = useTranslation('common');
  const api = useApi();
  const settings = useQuery('settings.get', {});
  const [form, setForm] = useState<Pick<Settings, 'commissionName' | 'authorityName'>>({ commissionName: '', authorityName: '' });
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError>();
  const [loaded, setLoaded] = useState(false);
  // Fill the form once from the stored values; later reloads must not overwrite what is typed.
  useEffect(() => {
    if (settings.data && !loaded) {
      setForm({ commissionName: settings.data.commissionName, authorityName: settings.data.authorityName });
      setLoaded(true);
    }
  }, [settings.data, loaded]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('settings.update', form);
    setSaved(r.ok);
    setError(r.ok ? undefined : r.error);
  };
  return (
    <section aria-labelledby="settings-title" className="screen">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <form onSubmit={save} className="form narrow">
        <label>
          {t('settings.commissionName')}
          <input value={form.commissionName} maxLength={300} disabled={!loaded} onChange={(e) => setForm({ ...form, commissionName: e.target.value })} />
        </label>
        <label>
          {t('settings.authorityName')}
          <input value={form.authorityName} maxLength={300} disabled={!loaded} onChange={(e) => setForm({ ...form, authorityName: e.target.value })} />
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            {t('actions.save')}
          </button>
          {saved && <span role="status">{t('settings.saved')}</span>}
        </div>
        <ErrorText error={error ?? settings.error} />
      </form>
      <CalendarSettings />
    </section>
  );
}
