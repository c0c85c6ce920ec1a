import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ZONES, type RegionId, type Zone } from '../../../../shared/domain/regions';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';

/** The region-to-zone grouping: the shipped default (labelled as such) or the commission's edit. */
export function ZonesScreen() {
  const { t, i18n } = useTranslation('scoring');
  const lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const api = useApi();
  const config = useQuery('transfer.regions', {});
  const [zones, setZones] = useState<Partial<Record<RegionId, Zone>>>({});
  const [error, setError] = useState<AppError>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (config.data) setZones(Object.fromEntries(config.data.regions.map((r) => [r.id, r.zone])));
  }, [config.data]);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('transfer.setZones', { regions: Object.entries(zones).map(([id, zone]) => ({ id, zone: zone as string })) });
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok);
    config.reload();
  };
  const reset = async () => {
    const r = await api.call('transfer.setZones', { reset: true });
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok);
    config.reload();
  };

  return (
    <form onSubmit={save}>
      <h2>
        {t('ui.zones.title')}{' '}
        {config.data && (
          <span className={`badge ${config.data.isDefault ? 'warn' : 'ok'}`} data-testid="zones-badge">
            {t(config.data.isDefault ? 'ui.zones.defaultBadge' : 'ui.zones.editedBadge')}
          </span>
        )}
      </h2>
      <p className="note">{t('zoneConfig.defaultNote')}</p>
      {config.data && !config.data.isDefault && <p className="muted">{t('zoneConfig.editedNote')}</p>}
      <ErrorText error={error ?? config.error} />
      <table className="grid" style={{ maxWidth: 760 }}>
        <thead>
          <tr>
            <th>{t('ui.transfer.region')}</th>
            <th>{t('ui.zones.kind')}</th>
            <th>{t('ui.transfer.zone')}</th>
          </tr>
        </thead>
        <tbody>
          {config.data?.regions.map((r) => (
            <tr key={r.id}>
              <td id={`zone-label-${r.id}`}>{r.name[lang]}</td>
              <td className="muted">{t(`ui.zones.${r.kind}`)}</td>
              <td>
                <select
                  aria-labelledby={`zone-label-${r.id}`}
                  value={zones[r.id] ?? r.zone}
                  onChange={(e) => {
                    setSaved(false);
                    setZones({ ...zones, [r.id]: e.target.value as Zone });
                  }}
                  data-testid={`zone-${r.id}`}
                >
                  {ZONES.map((z) => (
                    <option key={z} value={z}>
                      {t(`zones.${z}`)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions" style={{ marginTop: 10 }}>
        <button type="submit" className="primary" data-testid="zones-save">
          {t('ui.zones.save')}
        </button>
        <button type="button" onClick={() => void reset()} data-testid="zones-reset">
          {t('ui.zones.reset')}
        </button>
        {saved && <span role="status">{t('ui.zones.saved')}</span>}
      </div>
    </form>
  );
}
