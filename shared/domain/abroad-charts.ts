/**
 * The charts of the treatment-abroad area as ChartSpecs (shared/charts/chart-spec.ts), built the
 * same way for the screen and for the PDF: a request's timeline against its route's working days,
 * and the yearly mean time per step against the norm.
 */
import type { ChartSpec } from '../charts/chart-spec';
import type { AbroadText, StepSchedule } from './abroad';

/** Translates a key of the abroad namespace (without the `abroad:` prefix). */
export type AbroadTr = (key: string, params?: Record<string, string | number>) => string;

const pick = (v: AbroadText, lang: 'kk' | 'ru') => v[lang];

/**
 * A request's timeline: one bar per step, starting where the step started (working days from the
 * request's start) and as long as it took (done), has taken so far (current) or may take
 * (planned); the part past the step's due date is red; a dashed line marks the route's total.
 */
export function timelineChart(
  steps: (Pick<StepSchedule, 'n' | 'state' | 'workingDays' | 'usedDays' | 'offsetDays' | 'lateDays'> & { holder: AbroadText })[],
  totalWorkingDays: number,
  lang: 'kk' | 'ru',
  tr: AbroadTr,
): ChartSpec {
  const within = steps.map((s) => (s.state === 'planned' ? null : Math.max(0, (s.usedDays ?? 0) - s.lateDays)));
  return {
    type: 'bar',
    orientation: 'horizontal',
    title: tr('chart.timelineTitle', { count: totalWorkingDays }),
    categoryHeader: tr('chart.step'),
    unit: tr('chart.unit'),
    categories: steps.map((s) => `${s.n}. ${pick(s.holder, lang)}`),
    valueAxisName: tr('chart.axis'),
    series: [
      { name: tr('chart.start'), values: steps.map((s) => s.offsetDays), stack: 'd', invisible: true },
      { name: tr('chart.withinTerm'), values: within, stack: 'd', color: '#1f5fa8' },
      { name: tr('chart.late'), values: steps.map((s) => (s.state === 'planned' || s.lateDays === 0 ? null : s.lateDays)), stack: 'd', color: '#c0392b' },
      { name: tr('chart.planned'), values: steps.map((s) => (s.state === 'planned' ? s.workingDays : null)), stack: 'd', color: '#b8c2d0' },
      { name: tr('chart.norm'), values: steps.map((s) => s.workingDays), kind: 'line', color: 'transparent', invisible: true },
    ],
    markLines: [{ value: totalWorkingDays, label: tr('chart.limit', { days: totalWorkingDays }) }],
  };
}

/**
 * A route of the summary ("<id> v<version>", the statement's language-neutral form) in words of
 * the document's language: the shipped routes by their status, another by its id.
 */
export function abroadRouteLabel(route: string, tr: AbroadTr): string {
  const m = /^(\S+) v(\d+)$/.exec(route);
  if (!m) return route;
  const [, id, version] = m as unknown as [string, string, string];
  return id === 'current' || id === 'proposed' ? tr(`chart.route.${id}`, { version }) : tr('chart.route.other', { id, version });
}

/** Mean working days per step against the norm, for the steps of the most used route in the summary. */
export function summaryStepsChart(
  doc: { steps: { route: string; n: number; norm: number; completed: number; mean: string }[] },
  tr: AbroadTr,
): ChartSpec | null {
  const routes = [...new Set(doc.steps.map((s) => s.route))];
  const route = routes
    .map((r) => ({ r, n: doc.steps.filter((s) => s.route === r).reduce((a, s) => a + s.completed, 0) }))
    .sort((a, b) => b.n - a.n)[0]?.r;
  if (!route) return null;
  const steps = doc.steps.filter((s) => s.route === route);
  const mean = (s: string) => (s === '—' || s === '' ? null : Number(s.replace(',', '.')));
  return {
    type: 'bar',
    orientation: 'vertical',
    title: tr('chart.summaryTitle', { route: abroadRouteLabel(route, tr) }),
    categoryHeader: tr('chart.step'),
    unit: tr('chart.unit'),
    categories: steps.map((s) => String(s.n)),
    valueAxisName: tr('chart.axis'),
    series: [
      { name: tr('chart.norm'), values: steps.map((s) => s.norm), color: '#b8c2d0', labels: true },
      { name: tr('chart.mean'), values: steps.map((s) => mean(s.mean)), color: '#1f5fa8', labels: true },
    ],
  };
}
