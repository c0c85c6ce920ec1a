import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OVERDUE_STEPS, type OverdueStepId } from '../../../../shared/contract/aftercare';
import { useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { Pager } from '../../components/Pager';
import { OverdueTable } from './OverdueTable';

const PAGE = 50;

/**
 * The case list's "overdue steps" filter: every step past its due date, of every case (the review of
 * point 35 and the steps after approval), from its own indexed query (`aftercare.overdue`).
 */
export function OverdueSteps() {
  const { t } = useTranslation('aftercare');
  const [step, setStep] = useState<OverdueStepId | ''>('');
  const [offset, setOffset] = useState(0);
  const q = useQuery('aftercare.overdue', { ...(step ? { step } : {}), offset, limit: PAGE });
  const d = q.data;
  return (
    <section aria-labelledby="overdue-steps-title" data-testid="overdue-steps">
      <h2 id="overdue-steps-title" className="sr-only">
        {t('overdue.title')}
      </h2>
      <div className="toolbar">
        <label>
          {t('overdue.stepFilter')}
          <select value={step} onChange={(e) => { setStep(e.target.value as OverdueStepId | ''); setOffset(0); }} data-testid="overdue-step">
            <option value="">{t('overdue.allSteps')}</option>
            {OVERDUE_STEPS.map((s) => (
              <option key={s} value={s}>
                {t(`overdueStep.${s}`)} ({d?.byStep[s] ?? 0})
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText error={q.error} />
      {d && (
        <>
          <OverdueTable items={d.items} testId="overdue-table" caption={t('overdue.title')} />
          {d.total === 0 && <p className="muted">{t('overdue.none')}</p>}
          <Pager offset={d.offset} limit={d.limit} total={d.total} onChange={setOffset} />
        </>
      )}
    </section>
  );
}
