import { useTranslation } from 'react-i18next';
import type { AfterStep } from '../../../../shared/domain/aftercare';
import { daysBetween, fmtDate, fmtDateTime } from '../cases/format';

const STATE_CLASS: Record<AfterStep['state'], string> = { waiting: '', open: 'warn', overdue: 'err strong', done: 'ok', late: 'warn' };

/** The steps after approval (points 36-42): who acts, from when, by when, done when, and the state. */
export function StepsTable({ steps, today, names }: { steps: AfterStep[]; today: string; names: { provider: string | null; primaryCare: string | null } }) {
  const { t } = useTranslation('aftercare');
  const actorName = (s: AfterStep) => (s.actor === 'provider' ? names.provider : s.actor === 'primary_care' ? names.primaryCare : null);
  return (
    <table className="grid compact steps" data-testid="after-steps">
      <caption className="sr-only">{t('steps.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('steps.col.step')}</th>
          <th scope="col">{t('steps.col.who')}</th>
          <th scope="col">{t('steps.col.due')}</th>
          <th scope="col">{t('steps.col.done')}</th>
          <th scope="col">{t('steps.col.state')}</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.id} data-testid={`step-${s.id}`} data-state={s.state} className={s.state === 'overdue' ? 'overdue' : undefined}>
            <th scope="row">{t(`step.${s.id}`)}</th>
            <td>
              {t(`actor.${s.actor}`)}
              {actorName(s) && <div className="small muted">{actorName(s)}</div>}
            </td>
            <td className="nowrap" data-testid={`step-${s.id}-due`}>
              {s.due ? (
                <>
                  {fmtDate(s.due)}
                  <div className="small muted">
                    {s.workingDays.length > 0 && s.start
                      ? t('steps.workingDays', { count: s.workingDays.length, date: fmtDateTime(s.start) })
                      : s.start
                        ? t('steps.fromDate', { date: fmtDate(s.start) })
                        : ''}
                  </div>
                  {!s.calendarConfirmed && <span className="mark">{t('steps.unconfirmed', { years: s.unconfirmedYears.join(', ') })}</span>}
                </>
              ) : (
                <span className="muted">{s.start ? t('steps.noTerm') : t('steps.notStarted')}</span>
              )}
            </td>
            <td className="nowrap">{s.done ? (s.doneOn ? fmtDate(s.doneOn) : t('steps.doneNoDate')) : '—'}</td>
            <td>
              <span className={`badge ${STATE_CLASS[s.state]}`} data-testid={`step-${s.id}-state`}>
                {s.state === 'overdue' && s.due ? t('state.overdueDays', { count: daysBetween(s.due, today) }) : t(`state.${s.state}`)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
