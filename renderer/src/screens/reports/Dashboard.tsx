import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dashboardCharts } from '../../../../shared/reports/charts';
import { addDays } from '../../../../shared/domain/calendar';
import { useQuery } from '../../api/context';
import { Chart } from '../../components/Chart';
import { ErrorText } from '../../components/ErrorText';
import { fmtDate, todayKz } from '../cases/format';
import { FilterBar, PeriodFilter } from '../../components/FilterBar';

const KEY = 'htmp.reports.period';
const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);

function initial(today: string): { from: string; to: string } {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { from: string; to: string } | null;
    if (s && valid(s.from) && valid(s.to)) return s;
  } catch {
    /* start with this year */
  }
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** Charts over a chosen period of receipt, each with the table of its numbers. */
export function Dashboard() {
  const { t, i18n } = useTranslation('reports');
  const today = todayKz();
  const [period, setPeriodState] = useState(() => initial(today));
  const setPeriod = (p: { from: string; to: string }) => {
    setPeriodState(p);
    sessionStorage.setItem(KEY, JSON.stringify(p));
  };
  const ok = valid(period.from) && valid(period.to);
  const q = useQuery('reports.dashboard', ok ? { from: period.from, to: period.to, lang: i18n.language === 'ru' ? 'ru' : 'kk' } : null);
  const d = q.data;
  const tr = (key: string, params?: Record<string, string | number>) => t(key, params ?? {});
  const charts = useMemo(() => (d ? dashboardCharts(d, tr) : []), [d, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const year = Number(today.slice(0, 4));
  return (
    <>
      <FilterBar
        label={t('ui.period')}
        testId="dash-period"
        actions={
          <>
            <button type="button" onClick={() => setPeriod({ from: `${year}-01-01`, to: today })}>
              {t('ui.presets.thisYear')}
            </button>
            <button type="button" onClick={() => setPeriod({ from: `${year - 1}-01-01`, to: `${year - 1}-12-31` })}>
              {t('ui.presets.lastYear')}
            </button>
            <button type="button" onClick={() => setPeriod({ from: addDays(today, -364), to: today })}>
              {t('ui.presets.last12')}
            </button>
          </>
        }
      >
        <PeriodFilter from={period.from} to={period.to} fromLabel={t('ui.from')} toLabel={t('ui.to')} onChange={setPeriod} testIds={['dash-from', 'dash-to']} bounded />
      </FilterBar>
      <ErrorText error={q.error} />
      {d && (
        <>
          <p className="muted small" data-testid="dash-lead">
            {t('ui.periodLead', { from: fmtDate(d.period.from), to: fmtDate(d.period.to), today: fmtDate(d.today) })}
          </p>
          <p data-testid="dash-totals">
            <strong>{t('ui.totals', d.totals)}</strong>
          </p>
          <div className="chart-grid" aria-busy={q.loading || undefined}>
            {charts.map((c) => (
              <Chart key={c.id} id={c.id} title={c.title} description={c.description} option={c.option} table={c.table} height={c.size.height} />
            ))}
          </div>
        </>
      )}
      {!d && q.loading && <p className="muted">{t('ui.loading')}</p>}
    </>
  );
}
