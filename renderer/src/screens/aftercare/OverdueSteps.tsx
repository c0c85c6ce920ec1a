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
  // Key paging as in the register: the cursors of the pages opened after the first; the page
  // shown is the last one, "previous" drops it.
  const [trail, setTrail] = useState<string[]>([]);
  const after = trail.at(-1);
  const q = useQuery('aftercare.overdue', { ...(step ? { step } : {}), ...(after !== undefined ? { after } : {}), limit: PAGE });
  const d = q.data;
  return (
    <section aria-labelledby="overdue-steps-title" data-testid="overdue-steps">
      <h2 id="overdue-steps-title" className="sr-only">
        {t('overdue.title')}
      </h2>
      <div className="toolbar">
        <label>
          {t('overdue.stepFilter')}
          <select value={step} onChange={(e) => { setStep(e.target.value as OverdueStepId | ''); setTrail([]); }} data-testid="overdue-step">
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
          <Pager
            from={trail.length * PAGE + 1}
            count={d.items.length}
            total={d.total}
            hasPrev={trail.length > 0}
            hasNext={d.next !== null}
            onPrev={() => setTrail((tr) => tr.slice(0, -1))}
            onNext={() => d.next !== null && setTrail((tr) => [...tr, d.next as string])}
          />
        </>
      )}
    </section>
  );
}
