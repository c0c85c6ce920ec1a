import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi, useQuery } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { href, navigate } from '../../router';
import { AftercareToday } from '../aftercare/AftercareToday';
import { CaseTable, createCase } from '../cases/CaseList';
import { fmtDate } from '../cases/format';
import { SetupBanner } from '../setup/SetupGuide';
import { UnsavedDrafts } from '../cases/UnsavedDrafts';
import { AbroadLateSteps } from '../abroad/AbroadLateSteps';

/** What needs the secretary today: overdue reviews first, then those due today, then today's decisions. */
export function TodayScreen() {
  const { t } = useTranslation('cases');
  const api = useApi();
  const q = useQuery('cases.today', {});
  const [error, setError] = useState<AppError>();
  const d = q.data;
  const create = async () => {
    const r = await createCase(api);
    if (r.ok) navigate('cases', r.value);
    else setError(r.error);
  };
  const block = (key: 'overdue' | 'dueToday' | 'decidedToday', cls: string) => {
    const items = d?.[key] ?? [];
    return (
      <section className={`today-block ${cls}`} aria-labelledby={`today-${key}`} data-testid={`today-${key}`}>
        <h2 id={`today-${key}`}>
          {t(`ui.today.${key}`)} <span className="count">{items.length}</span>
        </h2>
        {items.length === 0 ? <p className="muted">{t(`ui.today.${key}Empty`)}</p> : <CaseTable items={items} today={d!.today} caption={t(`ui.today.${key}`)} />}
      </section>
    );
  };
  return (
    <section className="screen" aria-labelledby="today-title">
      <div className="screen-head">
        <h1 id="today-title">
          {t('ui.today.title')} {d && <span className="muted">{fmtDate(d.today)}</span>}
        </h1>
        <div className="actions">
          <a href={href('cases')}>{t('ui.today.allCases')}</a>
          <a href={href('cases', 'journal')}>{t('ui.journal.title')}</a>
          <button type="button" className="primary" onClick={() => void create()} data-testid="today-new-case">
            {t('ui.list.new')}
          </button>
        </div>
      </div>
      <SetupBanner />
      <UnsavedDrafts />
      <ErrorText error={q.error ?? error} />
      {d && (
        <>
          {block('overdue', 'is-overdue')}
          {block('dueToday', 'is-due')}
          {block('decidedToday', 'is-decided')}
          <AbroadLateSteps />
          <AftercareToday />
        </>
      )}
      {!d && q.loading && <p className="muted">{t('ui.loading')}</p>}
    </section>
  );
}
