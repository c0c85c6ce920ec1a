/**
 * The charts of the dashboard and of the annual report, built ONCE here as Apache ECharts options
 * (plain JSON: no functions, so the same option renders in the page and, as SVG, on the server for
 * the PDF) together with the table behind each chart (the same numbers, for screen readers, for
 * people who would rather read, and for print).
 *
 * Pure: the caller passes the translation function (keys of the `reports` namespace).
 */
import type { AnnualReport, DashboardData } from '../contract/reports';
import { GROUNDS } from '../domain/reports';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence saying what the chart shows (aria-label of the figure, the PDF's caption). */
  description: string;
  /** An ECharts option (JSON). */
  option: Record<string, unknown>;
  table: ChartTable;
  /** Drawing size the option is laid out for (the screen scales it to its column). */
  size: { width: number; height: number };
}

export interface ChartOptions {
  /** For a PDF: no tooltips, fixed sizes. */
  print?: boolean;
  fontFamily?: string;
}

/** Colours with enough contrast on white and apart for the common colour blindness (no red/green pair alone). */
export const CHART_COLORS = {
  approved: '#1b7f3b',
  refused: '#c0392b',
  undecided: '#8c99a6',
  accent: '#0b5cad',
  late: '#d35400',
  secondary: '#6c3fa0',
  gobmp: '#0b5cad',
  osms: '#1b7f3b',
  gobmp_or_osms: '#d4a017',
  none: '#8c99a6',
};

const FUNDINGS = ['gobmp', 'osms', 'gobmp_or_osms', 'none'] as const;
const MAX_PROVIDERS = 10;

function base(o: ChartOptions, extra: Record<string, unknown>, description: string): Record<string, unknown> {
  return {
    animation: false,
    textStyle: { fontFamily: o.fontFamily ?? 'DejaVu Sans, Segoe UI, Noto Sans, Arial, sans-serif', fontSize: 11 },
    aria: { enabled: true, label: { description } },
    ...(o.print ? {} : { tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } } }),
    ...extra,
  };
}

const legend = { top: 0, left: 'center', itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 } };
const valueAxis = { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: '#e3e7ec' } } };

/** 'YYYY-MM' as 'MM.YYYY' (numeric months read the same in Kazakh and Russian). */
export const monthLabel = (m: string): string => `${m.slice(5, 7)}.${m.slice(0, 4)}`;

/** Shortens a long name for an axis label (the table keeps it whole). */
export function shorten(s: string, max = 34): string {
  return s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`;
}

function sectionLabel(t: Translate, s: number | null): string {
  return s === null ? t('charts.sectionNone') : t('charts.section', { n: s });
}

// ---------------------------------------------------------------------------------------------
// Dashboard.

export function dashboardCharts(d: DashboardData, t: Translate, o: ChartOptions = {}): ChartSpec[] {
  return [perMonth(d, t, o), reviewTime(d, t, o), overdueNow(d, t, o), sectionFunding(d, t, o), providers(d, t, o), refusals(d.refusalsByGround, t, o, 'refusals'), followUp(d, t, o)];
}

function perMonth(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const months = d.perMonth.map((m) => monthLabel(m.month));
  const series = (['approved', 'refused', 'undecided'] as const).map((k) => ({
    name: t(`charts.outcome.${k}`),
    type: 'bar',
    stack: 'cases',
    barMaxWidth: 28,
    itemStyle: { color: CHART_COLORS[k] },
    data: d.perMonth.map((m) => m[k]),
  }));
  const description = t('charts.perMonth.description', { received: d.totals.received, approved: d.totals.approved, refused: d.totals.refused, undecided: d.totals.undecided });
  return {
    id: 'perMonth',
    title: t('charts.perMonth.title'),
    description,
    size: { width: 560, height: 260 },
    option: base(o, {
      legend,
      grid: { left: 8, right: 12, top: 30, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: months, axisLabel: { fontSize: 10, hideOverlap: true } },
      yAxis: valueAxis,
      series,
    }, description),
    table: {
      columns: [t('charts.col.month'), t('charts.outcome.approved'), t('charts.outcome.refused'), t('charts.outcome.undecided'), t('charts.col.total')],
      rows: d.perMonth.map((m) => [monthLabel(m.month), m.approved, m.refused, m.undecided, m.approved + m.refused + m.undecided]),
    },
  };
}

function reviewTime(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const r = d.reviewTime;
  const labels = r.buckets.map((b) => (b.days >= 5 ? '5+' : String(b.days)));
  const within = r.buckets.map((b) => (b.days <= r.deadline ? b.count : 0));
  const after = r.buckets.map((b) => (b.days > r.deadline ? b.count : 0));
  const description = t('charts.reviewTime.description', { onTime: r.onTime, late: r.late, deadline: r.deadline, median: r.median === null ? '—' : String(r.median) });
  return {
    id: 'reviewTime',
    title: t('charts.reviewTime.title', { deadline: r.deadline }),
    description,
    size: { width: 560, height: 260 },
    option: base(o, {
      legend,
      grid: { left: 8, right: 12, top: 30, bottom: 22, containLabel: true },
      xAxis: { type: 'category', data: labels, name: t('charts.reviewTime.axis'), nameLocation: 'middle', nameGap: 22, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
      yAxis: valueAxis,
      series: [
        { name: t('charts.reviewTime.onTime', { deadline: r.deadline }), type: 'bar', stack: 'd', barMaxWidth: 40, itemStyle: { color: CHART_COLORS.approved }, data: within },
        { name: t('charts.reviewTime.late', { deadline: r.deadline }), type: 'bar', stack: 'd', barMaxWidth: 40, itemStyle: { color: CHART_COLORS.late }, data: after },
      ],
    }, description),
    table: {
      columns: [t('charts.reviewTime.axis'), t('charts.col.cases'), t('charts.col.inTime')],
      rows: r.buckets.map((b, i) => [labels[i]!, b.count, b.days <= r.deadline ? t('charts.yes') : t('charts.no')]),
    },
  };
}

function hbar(o: ChartOptions, categories: string[], series: Record<string, unknown>[], description: string, legendOn: boolean): Record<string, unknown> {
  return base(o, {
    ...(legendOn ? { legend } : {}),
    grid: { left: 8, right: 24, top: legendOn ? 28 : 6, bottom: 4, containLabel: true },
    yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { fontSize: 10 } },
    xAxis: valueAxis,
    series: series.map((s) => ({ type: 'bar', barMaxWidth: 18, label: { show: true, position: 'right', fontSize: 10 }, ...s })),
  }, description);
}

function overdueNow(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const steps = ['review', 'hospitalization_date', 'inform', 'follow_up'] as const;
  const cats = steps.map((s) => t(`charts.step.${s}`));
  const total = steps.reduce((s, k) => s + d.overdueNow[k], 0);
  const description = t('charts.overdueNow.description', { total, today: d.today.split('-').reverse().join('.') });
  return {
    id: 'overdueNow',
    title: t('charts.overdueNow.title'),
    description,
    size: { width: 560, height: 200 },
    option: hbar(o, cats, [{ name: t('charts.col.steps'), itemStyle: { color: CHART_COLORS.refused }, data: steps.map((s) => d.overdueNow[s]) }], description, false),
    table: { columns: [t('charts.col.step'), t('charts.col.steps')], rows: steps.map((s, i) => [cats[i]!, d.overdueNow[s]]) },
  };
}

function sectionFunding(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const sections = [...new Set(d.bySectionFunding.map((x) => x.section))].sort((a, b) => (a ?? 9) - (b ?? 9));
  const cats = sections.map((s) => sectionLabel(t, s));
  const count = (s: number | null, f: string) => d.bySectionFunding.filter((x) => x.section === s && (x.funding ?? 'none') === f).reduce((a, x) => a + x.count, 0);
  const present = FUNDINGS.filter((f) => sections.some((s) => count(s, f) > 0));
  const description = t('charts.sectionFunding.description', { received: d.totals.received });
  return {
    id: 'sectionFunding',
    title: t('charts.sectionFunding.title'),
    description,
    size: { width: 560, height: 260 },
    option: base(o, {
      legend,
      grid: { left: 8, right: 12, top: 30, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: cats, axisLabel: { fontSize: 10 } },
      yAxis: valueAxis,
      series: present.map((f) => ({ name: t(`charts.funding.${f}`), type: 'bar', stack: 'f', barMaxWidth: 48, itemStyle: { color: CHART_COLORS[f] }, data: sections.map((s) => count(s, f)) })),
    }, description),
    table: {
      columns: [t('charts.col.section'), ...FUNDINGS.map((f) => t(`charts.funding.${f}`)), t('charts.col.total')],
      rows: sections.map((s, i) => [cats[i]!, ...FUNDINGS.map((f) => count(s, f)), FUNDINGS.reduce((a, f) => a + count(s, f), 0)]),
    },
  };
}

/** The providers shown: the largest MAX_PROVIDERS, the rest summed as "other". */
export function topProviders(rows: DashboardData['byProvider'], t: Translate): DashboardData['byProvider'] {
  const named = rows.map((r) => ({ ...r, provider: r.provider === '' ? t('charts.providerNone') : r.provider }));
  if (named.length <= MAX_PROVIDERS) return named;
  const rest = named.slice(MAX_PROVIDERS - 1);
  return [...named.slice(0, MAX_PROVIDERS - 1), { provider: t('charts.providerOther', { count: rest.length }), providerOrgId: null, approved: rest.reduce((a, r) => a + r.approved, 0), operations: rest.reduce((a, r) => a + r.operations, 0) }];
}

function providers(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const top = topProviders(d.byProvider, t);
  const description = t('charts.providers.description', { count: d.byProvider.length, approved: d.totals.approved });
  return {
    id: 'providers',
    title: t('charts.providers.title'),
    description,
    size: { width: 560, height: Math.max(160, 40 + top.length * 30) },
    option: hbar(
      o,
      top.map((p) => shorten(p.provider)),
      [
        { name: t('charts.outcome.approved'), itemStyle: { color: CHART_COLORS.accent }, data: top.map((p) => p.approved) },
        { name: t('charts.followUp.operated'), itemStyle: { color: CHART_COLORS.secondary }, data: top.map((p) => p.operations) },
      ],
      description,
      true,
    ),
    table: {
      columns: [t('charts.col.provider'), t('charts.outcome.approved'), t('charts.followUp.operated')],
      rows: d.byProvider.map((p) => [p.provider === '' ? t('charts.providerNone') : p.provider, p.approved, p.operations]),
    },
  };
}

function refusals(r: Record<(typeof GROUNDS)[number], number>, t: Translate, o: ChartOptions, id: string): ChartSpec {
  const cats = GROUNDS.map((g) => t(`charts.ground.${g}`));
  const total = GROUNDS.reduce((a, g) => a + r[g], 0);
  const description = t('charts.refusals.description', { total });
  return {
    id,
    title: t('charts.refusals.title'),
    description,
    size: { width: 560, height: 170 },
    option: hbar(o, cats, [{ name: t('charts.col.refusals'), itemStyle: { color: CHART_COLORS.refused }, data: GROUNDS.map((g) => r[g]) }], description, false),
    table: { columns: [t('charts.col.ground'), t('charts.col.refusals')], rows: GROUNDS.map((g, i) => [cats[i]!, r[g]]) },
  };
}

function followUp(d: DashboardData, t: Translate, o: ChartOptions): ChartSpec {
  const f = d.followUp;
  const items: [string, number, string][] = [
    ['operated', f.operated, CHART_COLORS.accent],
    ['complications', f.complications, CHART_COLORS.late],
    ['disability', f.disability, CHART_COLORS.secondary],
    ['deaths', f.deaths, CHART_COLORS.refused],
    ['followUpDue', f.followUpDue, CHART_COLORS.undecided],
    ['aliveOneYear', f.aliveOneYear, CHART_COLORS.approved],
    ['pending', f.pending, CHART_COLORS.gobmp_or_osms],
  ];
  const cats = items.map(([k]) => t(`charts.followUp.${k}`));
  const description = t('charts.followUp.description', { approved: f.approved, operated: f.operated, deaths: f.deaths });
  return {
    id: 'followUp',
    title: t('charts.followUp.title'),
    description,
    size: { width: 560, height: 240 },
    option: hbar(o, cats, [{ name: t('charts.col.patients'), data: items.map(([, v, color]) => ({ value: v, itemStyle: { color } })) }], description, false),
    table: { columns: [t('charts.col.measure'), t('charts.col.patients')], rows: items.map(([, v], i) => [cats[i]!, v]) },
  };
}

// ---------------------------------------------------------------------------------------------
// Annual report.

export function annualCharts(r: Pick<AnnualReport, 'year' | 'totals' | 'bySection'>, t: Translate, o: ChartOptions = {}): ChartSpec[] {
  const cats = r.bySection.map((s) => sectionLabel(t, s.section));
  const measures = [
    ['referrals', CHART_COLORS.undecided],
    ['approvals', CHART_COLORS.approved],
    ['refusalsTotal', CHART_COLORS.refused],
    ['operations', CHART_COLORS.accent],
  ] as const;
  const d1 = t('charts.annualSections.description', { year: r.year, referrals: r.totals.referrals, approvals: r.totals.approvals, refusals: r.totals.refusalsTotal });
  const sections: ChartSpec = {
    id: 'annualSections',
    title: t('charts.annualSections.title'),
    description: d1,
    size: { width: 560, height: 240 },
    option: base(o, {
      legend,
      grid: { left: 8, right: 12, top: 30, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: cats, axisLabel: { fontSize: 10 } },
      yAxis: valueAxis,
      series: measures.map(([k, color]) => ({ name: t(`charts.measure.${k}`), type: 'bar', barMaxWidth: 26, itemStyle: { color }, label: { show: true, position: 'top', fontSize: 9 }, data: r.bySection.map((s) => s[k]) })),
    }, d1),
    table: {
      columns: [t('charts.col.section'), ...measures.map(([k]) => t(`charts.measure.${k}`))],
      rows: r.bySection.map((s, i) => [cats[i]!, ...measures.map(([k]) => s[k])]),
    },
  };
  const outcomes = [
    ['operations', CHART_COLORS.accent],
    ['complications', CHART_COLORS.late],
    ['disability', CHART_COLORS.secondary],
    ['followUpDue', CHART_COLORS.undecided],
    ['aliveOneYear', CHART_COLORS.approved],
    ['deaths', CHART_COLORS.refused],
  ] as const;
  const d3 = t('charts.annualOutcomes.description', { operations: r.totals.operations, deaths: r.totals.deaths });
  const outcome: ChartSpec = {
    id: 'annualOutcomes',
    title: t('charts.annualOutcomes.title'),
    description: d3,
    size: { width: 560, height: 220 },
    option: hbar(o, outcomes.map(([k]) => t(`charts.measure.${k}`)), [{ name: t('charts.col.patients'), data: outcomes.map(([k, color]) => ({ value: r.totals[k], itemStyle: { color } })) }], d3, false),
    table: { columns: [t('charts.col.measure'), t('charts.col.patients')], rows: outcomes.map(([k]) => [t(`charts.measure.${k}`), r.totals[k]]) },
  };
  return [sections, refusals(r.totals.refusals, t, o, 'annualRefusals'), outcome];
}
