import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AbroadListItem } from '../../../../shared/contract/abroad';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FilterBar, FilterField } from '../../components/FilterBar';
import { href } from '../../router';
import { fmtDate, pick } from './format';

/** The current step's due date: late in red with its working days, else "until <date>". */
export function StepDue({ item, showDate = true }: { item: Pick<AbroadListItem, 'due' | 'late' | 'lateDays' | 'calendarConfirmed'>; showDate?: boolean }) {
  const { t } = useTranslation('abroad');
  if (!item.due) return null;
  return (
    <span className="due">
      {item.late ? (
        <span className="badge err strong" data-testid="abroad-late-badge">
          {t('ui.due.late', { count: item.lateDays })}
        </span>
      ) : (
        <span className="badge">{t('ui.due.until', { date: fmtDate(item.due) })}</span>
      )}
      {item.late && showDate && <span className="muted due-date">{fmtDate(item.due)}</span>}
      {!item.calendarConfirmed && <span className="mark">{t('ui.due.unconfirmed')}</span>}
    </span>
  );
}

/** The register of requests, most recent first; filter by state or late only. */
export function RequestList() {
  const { t, i18n } = useTranslation('abroad');
  const [filter, setFilter] = useState<'all' | 'open' | 'contracted' | 'late'>('all');
  const q = useQuery('abroad.list', filter === 'late' ? { late: true } : { status: filter });
  const items = q.data?.items ?? [];
  return (
    <div>
      <div className="toolbar">
        <FilterBar label={t('ui.list.filterLabel')} testId="abroad-filters" onReset={() => setFilter('all')} dirty={filter !== 'all'}>
          <FilterField label={t('ui.list.filter')}>
            <select value={filter} onChange={(e) => setFilter(e.target.value as typeof filter)} data-testid="abroad-filter">
              {(['all', 'open', 'contracted', 'late'] as const).map((f) => (
                <option key={f} value={f}>
                  {t(f === 'late' ? 'ui.list.lateOnly' : `ui.list.${f}`)}
                </option>
              ))}
            </select>
          </FilterField>
        </FilterBar>
        <span className="spacer" />
        <a className="row-link" href={href('abroad', 'new')} data-testid="abroad-new">
          {t('ui.list.new')}
        </a>
      </div>
      <ErrorText error={q.error} />
      {q.data && items.length === 0 && <p className="muted">{t('ui.list.empty')}</p>}
      {items.length > 0 && (
        <table className="grid cases" data-testid="abroad-list">
          <caption className="sr-only">{t('ui.list.caption')}</caption>
          <thead>
            <tr>
              {(['number', 'patient', 'group', 'category', 'step', 'holder', 'due', 'started'] as const).map((c) => (
                <th key={c} scope="col">
                  {t(`ui.list.columns.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} className={i.late ? 'overdue' : undefined} data-testid="abroad-row">
                <td>
                  <a className="row-link" href={href('abroad', 'r', i.id)}>
                    {i.number}
                  </a>
                </td>
                <td>
                  {i.patientName}
                  <div className="muted small mono">{i.iin}</div>
                </td>
                <td>{t(`groups.${i.diseaseGroup}.short`)}</td>
                <td>{t(`categories.${i.category}.short`)}</td>
                <td className="nowrap">
                  {i.currentStep === null ? <span className="status status-approved">{t('ui.list.done')}</span> : t('ui.list.stepOf', { n: i.currentStep, count: i.stepCount })}
                  {i.pending.length > 0 && <div className="badge warn small">{t('ui.list.pending', { count: i.pending.length })}</div>}
                </td>
                <td>{i.currentStep === null ? i.clinic ?? '' : pick(i.holder, i18n.language)}</td>
                <td>{i.currentStep !== null && <StepDue item={i} />}</td>
                <td className="nowrap">{fmtDate(i.startedOn)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
