import { useTranslation } from 'react-i18next';
import type { OverdueItem } from '../../../../shared/contract/aftercare';
import { href } from '../../router';
import { fmtDate, personName } from '../cases/format';

/** Overdue steps, one row each: due date and days past it, the step, the patient, who must act. */
export function OverdueTable({ items, testId, caption }: { items: OverdueItem[]; testId?: string; caption?: string }) {
  const { t } = useTranslation('aftercare');
  const who = (x: OverdueItem) => (x.step === 'hospitalization_date' ? x.providerOrg : x.step === 'inform' || x.step === 'follow_up' ? x.primaryCareOrg : null);
  return (
    <table className="grid cases" data-testid={testId}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('overdue.col.due')}</th>
          <th scope="col">{t('overdue.col.step')}</th>
          <th scope="col">{t('overdue.col.patient')}</th>
          <th scope="col">{t('overdue.col.code')}</th>
          <th scope="col">{t('overdue.col.who')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((x) => (
          <tr key={`${x.caseId}-${x.step}`} className="overdue" data-testid="overdue-row" data-step={x.step} data-case={x.caseId}>
            <td className="nowrap">
              <span className="badge err strong">{t('state.overdueDays', { count: x.daysOverdue })}</span> <span className="muted small">{fmtDate(x.due)}</span>
              {!x.calendarConfirmed && <span className="mark">{t('steps.unconfirmedShort')}</span>}
            </td>
            <td>{t(`overdueStep.${x.step}`)}</td>
            <td>
              <a href={href('cases', x.caseId)} className="row-link">
                {personName(x.patient) || x.patient.iin}
              </a>
              <div className="mono muted">{x.patient.iin}</div>
            </td>
            <td>{x.htmpCode}</td>
            <td>
              {t(`overdueActor.${x.step}`)}
              {who(x) && <div className="small muted">{who(x)}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
