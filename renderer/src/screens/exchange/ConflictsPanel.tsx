import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { fmtInstant } from '../cases/format';

/**
 * The open conflicts an import left: a field changed here and there, or a record deleted on one
 * side and changed on the other; each is decided by keeping this laptop's value or taking the other's.
 */
export function ConflictsPanel() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const open = useQuery('exchange.conflicts', { status: 'open' });
  const [error, setError] = useState<AppError>();
  const resolve = async (id: string, choice: 'local' | 'remote') => {
    const r = await api.call('exchange.resolve', { id, choice });
    setError(r.ok ? undefined : r.error);
    open.reload();
  };
  const show = (v: string | number | null) => (v === null ? '—' : String(v));
  return (
    <>
      <h2>{t('conflicts.title')}</h2>
      <p className="muted">{t('conflicts.intro')}</p>
      {open.data && open.data.length === 0 && <p data-testid="conflicts-empty">{t('conflicts.empty')}</p>}
      {open.data && open.data.length > 0 && (
        <table className="grid compact" data-testid="conflicts-table">
          <thead>
            <tr>
              <th>{t('conflicts.record')}</th>
              <th>{t('conflicts.field')}</th>
              <th>{t('conflicts.local')}</th>
              <th>{t('conflicts.remote')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {open.data.map((c) => (
              <tr key={c.id}>
                <td>
                  {c.table} · <span className="muted">{c.recordId.slice(0, 8)}</span>
                  <div className="muted">{t(`conflicts.kind.${c.kind}`)}</div>
                </td>
                <td>{c.field}</td>
                <td>
                  <strong>{show(c.local)}</strong>
                  <div className="muted">{t('conflicts.by', { name: c.localBy.name ?? c.localBy.installationId ?? '', at: fmtInstant(c.localBy.at ?? '') })}</div>
                </td>
                <td>
                  <strong>{show(c.remote)}</strong>
                  <div className="muted">{t('conflicts.by', { name: c.remoteBy.name ?? c.remoteBy.installationId, at: fmtInstant(c.remoteBy.at) })}</div>
                </td>
                <td>
                  <div className="actions">
                    <button type="button" onClick={() => void resolve(c.id, 'local')} data-testid="conflict-keep">
                      {c.kind === 'field' ? t('conflicts.keepLocal') : t('conflicts.dismiss')}
                    </button>
                    {(c.kind === 'field' || c.kind === 'delete') && (
                      <button type="button" onClick={() => void resolve(c.id, 'remote')} data-testid="conflict-take">
                        {t('conflicts.takeRemote')}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorText error={error ?? open.error} />
    </>
  );
}
