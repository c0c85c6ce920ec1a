import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href } from '../../router';
import { fmtDate, personName } from '../cases/format';
import { OverdueTable } from './OverdueTable';

/**
 * What the Today screen shows after the decisions: the annual report due (from January), steps
 * after approval past their due date, one-year follow-ups falling due, and inpatients' refusals
 * still to be entered in the journal of point 40. Blocks with nothing in them are not shown.
 */
export function AftercareToday() {
  const { t } = useTranslation('aftercare');
  const { t: tr } = useTranslation('reports');
  const q = useQuery('aftercare.today', {});
  const report = useQuery('reports.status', {});
  const d = q.data;
  const s = report.data;
  return (
    <>
      <ErrorText error={q.error ?? report.error} />
      {s?.remind && (
        <section className={`today-block panel ${s.overdue ? 'is-overdue' : 'is-due'}`} aria-labelledby="today-annual" data-testid="today-annual">
          <h2 id="today-annual">{tr('today.title', { year: s.year })}</h2>
          <p>{s.overdue ? tr('today.overdue', { date: fmtDate(s.dueBy) }) : tr('today.due', { date: fmtDate(s.dueBy) })}</p>
          <a href={href('reports', 'annual')} data-testid="today-annual-open">
            {tr('today.open')}
          </a>
        </section>
      )}
      {d && d.overdue.length > 0 && (
        <CountedBlock tone="is-overdue" id="today-after-overdue" testId="today-after-overdue" title={t('today.overdue')} count={d.overdue.length}>
          <OverdueTable items={d.overdue} caption={t('today.overdue')} />
        </CountedBlock>
      )}
      {d && d.followUpsDue.length > 0 && (
        <CountedBlock tone="is-due" id="today-followups" testId="today-followups" title={t('today.followUps')} count={d.followUpsDue.length}>
          <table className="grid cases">
            <caption className="sr-only">{t('today.followUps')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('today.col.due')}</th>
                <th scope="col">{t('overdue.col.patient')}</th>
                <th scope="col">{t('overdue.col.code')}</th>
                <th scope="col">{t('today.col.operation')}</th>
                <th scope="col">{t('overdue.col.who')}</th>
              </tr>
            </thead>
            <tbody>
              {d.followUpsDue.map((f) => (
                <tr key={f.caseId} className={f.daysLeft < 0 ? 'overdue' : undefined} data-testid="followup-row">
                  <td className="nowrap">
                    <span className={`badge ${f.daysLeft < 0 ? 'err strong' : f.daysLeft === 0 ? 'warn strong' : 'warn'}`}>
                      {f.daysLeft < 0 ? t('state.overdueDays', { count: -f.daysLeft }) : f.daysLeft === 0 ? t('today.dueToday') : t('today.daysLeft', { count: f.daysLeft })}
                    </span>{' '}
                    <span className="muted small">{fmtDate(f.due)}</span>
                  </td>
                  <td>
                    <a href={href('cases', f.caseId)} className="row-link">
                      {personName(f.patient)}
                    </a>
                  </td>
                  <td>{f.htmpCode}</td>
                  <td>{fmtDate(f.operationDate)}</td>
                  <td>
                    {t('actor.primary_care')}
                    {f.primaryCareOrg && <div className="small muted">{f.primaryCareOrg}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </CountedBlock>
      )}
      {d && d.journalPending.length > 0 && (
        <CountedBlock tone="is-due" id="today-journal" testId="today-journal" title={t('today.journal')} count={d.journalPending.length}>
          <ul className="plain-list">
            {d.journalPending.map((j) => (
              <li key={j.decisionId}>
                <a href={href('cases', j.caseId)}>{personName(j.patient)}</a> — {t('journal.refusalOf', { protocol: j.protocol, date: fmtDate(j.date) })}
              </li>
            ))}
          </ul>
          <a href={href('cases', 'inpatient-journal')}>{t('journal.openAll')}</a>
        </CountedBlock>
      )}
    </>
  );
}

/** A block of Today with its count in the heading (the table or list below it is the child). */
function CountedBlock(props: { tone: 'is-overdue' | 'is-due'; id: string; testId: string; title: string; count: number; children: ReactNode }) {
  return (
    <section className={`today-block ${props.tone}`} aria-labelledby={props.id} data-testid={props.testId}>
      <h2 id={props.id}>
        {props.title} <span className="count">{props.count}</span>
      </h2>
      {props.children}
    </section>
  );
}
