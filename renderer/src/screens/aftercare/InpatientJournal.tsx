import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { fmtDate, personName, todayKz } from '../cases/format';
import { JournalEntryForm } from './InpatientRefusalPanel';
import { FilterBar, PeriodFilter } from '../../components/FilterBar';

/**
 * Point 40: the refusals of patients already in hospital, each with its entry in the journal of
 * admissions and refusals of hospitalization (kept on the Portal), or the form to record it.
 */
export function InpatientJournal() {
  const { t } = useTranslation('aftercare');
  const today = todayKz();
  const yearStart = `${today.slice(0, 4)}-01-01`;
  const [from, setFrom] = useState(yearStart);
  const [to, setTo] = useState(today);
  const [pending, setPending] = useState(false);
  const q = useQuery('aftercare.inpatientRefusals', { ...(from ? { from } : {}), ...(to ? { to } : {}), pending });
  const items = q.data?.items ?? [];
  return (
    <section className="screen" aria-labelledby="inpatient-journal-title">
      <p>
        <a href={href('cases')}>← {t('journal.back')}</a>
      </p>
      <h1 id="inpatient-journal-title">{t('journal.screenTitle')}</h1>
      <p className="muted">{t('journal.lead')}</p>
      <FilterBar
        label={t('journal.period')}
        testId="inpatient-journal-filter"
        onReset={() => {
          setFrom(yearStart);
          setTo(today);
          setPending(false);
        }}
        dirty={from !== yearStart || to !== today || pending}
      >
        <PeriodFilter
          from={from}
          to={to}
          fromLabel={t('journal.from')}
          toLabel={t('journal.to')}
          onChange={(p) => {
            setFrom(p.from);
            setTo(p.to);
          }}
          testIds={['journal-from', 'journal-to']}
        />
        <label className="check-row">
          <input type="checkbox" checked={pending} onChange={(e) => setPending(e.target.checked)} data-testid="journal-pending-only" />
          {t('journal.pendingOnly')}
        </label>
      </FilterBar>
      <ErrorText error={q.error} />
      <table className="grid" data-testid="inpatient-journal-table">
        <thead>
          <tr>
            <th scope="col">{t('journal.col.protocol')}</th>
            <th scope="col">{t('overdue.col.patient')}</th>
            <th scope="col">{t('overdue.col.code')}</th>
            <th scope="col">{t('journal.col.reason')}</th>
            <th scope="col">{t('journal.col.entry')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((x) => (
            <tr key={x.decisionId} data-testid="inpatient-row" data-case={x.caseId}>
              <td className="nowrap">
                № {x.protocol}
                <div className="small muted">{fmtDate(x.date)}</div>
              </td>
              <td>
                <a href={href('cases', x.caseId)}>{personName(x.patient)}</a>
                <div className="mono muted">{x.patient.iin}</div>
              </td>
              <td>{x.htmpCode}</td>
              <td>{t(`ui.reasonShort.${x.reason}`, { ns: 'cases' })}</td>
              <td>
                <JournalEntryForm caseId={x.caseId} entry={x.entry} onSaved={q.reload} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.data && items.length === 0 && <p className="muted">{t('journal.empty')}</p>}
    </section>
  );
}
