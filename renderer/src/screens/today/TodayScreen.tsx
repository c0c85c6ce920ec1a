import { useEffect, useState } from 'react';
import { todayListArgs, type CaseListItem, type TodayList, type TodayView } from '../../../../shared/contract/cases';
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
  const block = (key: TodayList, cls: string) => <TodayBlock key={`${key}-${d!.today}`} list={key} cls={cls} view={d!} />;
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

/**
 * One list of Today: its first cases (from `cases.today`), its exact number, and the rest page by
 * page through `cases.list` with the list's filter and the cursor (key paging).
 */
function TodayBlock({ list, cls, view }: { list: TodayList; cls: string; view: TodayView }) {
  const { t } = useTranslation('cases');
  const api = useApi();
  const [more, setMore] = useState<{ items: CaseListItem[]; next: string | null }>({ items: [], next: view.next[list] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  useEffect(() => setMore({ items: [], next: view.next[list] }), [view, list]);
  const items = [...view[list], ...more.items];
  const total = view.totals[list];
  const loadMore = async () => {
    if (more.next === null) return;
    setBusy(true);
    const r = await api.call('cases.list', { ...todayListArgs(list, view.today), after: more.next, limit: 100, withTotal: false });
    setBusy(false);
    if (r.ok) setMore((m) => ({ items: [...m.items, ...r.value.items], next: r.value.next }));
    else setError(r.error);
  };
  return (
    <section className={`today-block ${cls}`} aria-labelledby={`today-${list}`} data-testid={`today-${list}`}>
      <h2 id={`today-${list}`}>
        {t(`ui.today.${list}`)} <span className="count">{total}</span>
      </h2>
      {items.length === 0 ? <p className="muted">{t(`ui.today.${list}Empty`)}</p> : <CaseTable items={items} today={view.today} caption={t(`ui.today.${list}`)} />}
      <ErrorText error={error} />
      {more.next !== null && (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={busy} data-testid={`today-${list}-more`}>
            {t('ui.today.more', { shown: items.length, total })}
          </button>
        </p>
      )}
    </section>
  );
}
