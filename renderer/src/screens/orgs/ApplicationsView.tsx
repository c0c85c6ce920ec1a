import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationListItem } from '../../../../shared/contract/orgs';
import { useQuery } from '../../api/context';
import { FilterBar, FilterField } from '../../components/FilterBar';
import { ErrorText } from '../../components/ErrorText';
import { href, navigate } from '../../router';
import { fmtDate, orgName, useLang } from './util';

/** The days left to the 30-day assessment deadline (point 26), or how late it is. */
export function DueCell({ a, badgeOnly }: { a: Pick<ApplicationListItem, 'assessmentDue' | 'daysLeft' | 'status'>; badgeOnly?: boolean }) {
  const { t } = useTranslation('orgs');
  if (!a.assessmentDue) return <span className="muted">—</span>;
  if (a.status !== 'received' || a.daysLeft === null) return <span>{fmtDate(a.assessmentDue)}</span>;
  const cls = a.daysLeft < 0 ? 'badge err strong' : a.daysLeft <= 5 ? 'badge warn strong' : 'badge';
  const label = a.daysLeft < 0 ? t('applications.overdue', { count: -a.daysLeft }) : a.daysLeft === 0 ? t('applications.dueToday') : t('applications.daysLeft', { count: a.daysLeft });
  return (
    <span className="due">
      {!badgeOnly && <span className="due-date">{fmtDate(a.assessmentDue)}</span>}
      <span className={cls} data-testid="application-due">{label}</span>
    </span>
  );
}

/** Applications of a year, those being assessed first (by deadline). */
export function ApplicationsView() {
  const { t } = useTranslation('orgs');
  const lang = useLang();
  const [year, setYear] = useState('');
  const [status, setStatus] = useState('');
  const list = useQuery('conformity.listApplications', {
    ...(/^\d{4}$/.test(year) ? { year: Number(year) } : {}),
    ...(status ? { status: status as ApplicationListItem['status'] } : {}),
  });
  const items = list.data?.items ?? [];
  return (
    <>
      <div className="screen-head">
        <h2>{t('applications.title')}</h2>
        <button type="button" className="primary" onClick={() => navigate('orgs', 'application', 'new')} data-testid="application-new">
          {t('applications.new')}
        </button>
      </div>
      <FilterBar
        label={t('applications.title')}
        testId="applications-filter"
        onReset={() => {
          setYear('');
          setStatus('');
        }}
        dirty={year !== '' || status !== ''}
      >
        <FilterField label={t('applications.year')}>
          <input type="number" min={2000} max={2100} value={year} placeholder={t('applications.allYears')} onChange={(e) => setYear(e.target.value)} data-testid="applications-year" />
        </FilterField>
        <FilterField label={t('applications.status')}>
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="applications-status">
            <option value="">{t('applications.allStatuses')}</option>
            {(['draft', 'received', 'concluded'] as const).map((s) => <option key={s} value={s}>{t(`applications.statuses.${s}`)}</option>)}
          </select>
        </FilterField>
      </FilterBar>
      <ErrorText error={list.error} />
      {items.length === 0 ? (
        <p className="muted">{t('applications.empty')}</p>
      ) : (
        <table className="grid" data-testid="applications-table">
          <thead>
            <tr>
              <th scope="col">{t('applications.columns.org')}</th>
              <th scope="col">{t('applications.columns.code')}</th>
              <th scope="col">{t('applications.columns.year')}</th>
              <th scope="col">{t('applications.columns.status')}</th>
              <th scope="col">{t('applications.columns.received')}</th>
              <th scope="col">{t('applications.columns.due')}</th>
              <th scope="col">{t('applications.columns.conclusion')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  <a className="row-link" href={href('orgs', 'application', a.id)}>{orgName(a.org, lang)}</a>
                  <div className="mono muted">{a.org.bin}</div>
                </td>
                <td>
                  {a.code}
                  {a.firstTime && <span className="badge small">{t('applications.firstTime')}</span>}
                </td>
                <td>{a.year}</td>
                <td>{t(`applications.statuses.${a.status}`)}</td>
                <td>{fmtDate(a.receivedOn)}</td>
                <td><DueCell a={a} /></td>
                <td>{a.conclusion?.number ? `№ ${a.conclusion.number}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
