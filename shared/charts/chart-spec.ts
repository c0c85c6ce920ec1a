/**
 * Charts as data, drawn by Apache ECharts in two places from the same description:
 * - in Node, as an SVG string for PDFs (electron/core/charts/svg.ts, ECharts server-side rendering);
 * - in the renderer, as a live SVG chart (renderer/src/components/Chart.tsx).
 * Every chart also has its data as a table (`chartTable`), shown beside the chart for screen
 * readers and for anyone who prefers numbers.
 *
 * `chartOption()` builds the ECharts option from a spec; it is plain data (no ECharts import), so
 * shared/ stays pure and both hosts produce the same picture.
 */

export interface ChartSeries {
  name: string;
  /** One value per category (null: no value). */
  values: (number | null)[];
  /** 'bar' (default) or 'line' (pie charts use the first series only). */
  kind?: 'bar' | 'line';
  color?: string;
  /** Series with the same stack are drawn on top of each other. */
  stack?: string;
  /** Drawn transparent (a stacked offset, e.g. where a timeline bar starts); still listed in the table. */
  invisible?: boolean;
  /** Print each value on its bar. */
  labels?: boolean;
}

export interface ChartSpec {
  type: 'bar' | 'pie';
  /** Bars grow up (vertical) or to the right (horizontal: categories listed top to bottom). */
  orientation?: 'vertical' | 'horizontal';
  title: string;
  categories: string[];
  series: ChartSeries[];
  valueAxisName?: string;
  /** Reference lines across the value axis (e.g. the 44 working days of a route). */
  markLines?: { value: number; label: string; color?: string }[];
  /** Heading of the category column of the table. */
  categoryHeader: string;
  /** Unit shown after numbers in the table (e.g. "w.d."). */
  unit?: string;
}

export interface ChartTable {
  caption: string;
  head: string[];
  rows: string[][];
}

const PALETTE = ['#1f5fa8', '#c0392b', '#8a96a8', '#2e8b57', '#d68910', '#6c3483'];

function fmt(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  return Number.isInteger(v) ? String(v) : v.toFixed(1).replace('.', ',');
}

/** The data of a chart as a table: one row per category, one column per series. */
export function chartTable(spec: ChartSpec): ChartTable {
  return {
    caption: spec.title,
    head: [spec.categoryHeader, ...spec.series.map((s) => (spec.unit ? `${s.name}, ${spec.unit}` : s.name))],
    rows: spec.categories.map((c, i) => [c, ...spec.series.map((s) => fmt(s.values[i] ?? null))]),
  };
}

/** A category label wrapped at about `width` characters, two lines at most. */
function wrap(label: string, width: number): string {
  const words = label.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (line + ' ' + w).length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  // Two lines at most: the full text is in the table.
  if (lines.length > 2) lines.splice(1, lines.length - 1, `${lines[1]!.slice(0, Math.max(1, width - 1))}…`);
  return lines.join('\n');
}

/**
 * The ECharts option of a spec (animation off: the same picture in a PDF and on screen).
 * `fontFamily` is the font the host has (the PDF's embedded DejaVu Sans, the page's system font).
 */
export function chartOption(spec: ChartSpec, opts: { fontFamily?: string; labelWidth?: number } = {}): Record<string, unknown> {
  const textStyle = { fontFamily: opts.fontFamily ?? 'sans-serif', fontSize: 11, color: '#222' };
  const title = { text: spec.title, left: 'center', top: 4, textStyle: { ...textStyle, fontSize: 13, fontWeight: 'bold' } };
  const visible = spec.series.filter((s) => !s.invisible);
  const legend = { bottom: 0, textStyle, data: visible.map((s) => s.name) };
  if (spec.type === 'pie') {
    const s = spec.series[0];
    return {
      animation: false,
      textStyle,
      title,
      legend,
      color: PALETTE,
      series: [
        {
          type: 'pie',
          name: s?.name ?? '',
          radius: ['35%', '62%'],
          center: ['50%', '52%'],
          label: { formatter: '{b}: {c}', ...textStyle },
          data: spec.categories.map((c, i) => ({ name: c, value: s?.values[i] ?? 0 })),
        },
      ],
    };
  }
  const horizontal = spec.orientation === 'horizontal';
  const categoryAxis = {
    type: 'category',
    data: spec.categories.map((c) => wrap(c, opts.labelWidth ?? 32)),
    inverse: horizontal,
    axisLabel: { ...textStyle, interval: 0, lineHeight: 13 },
    axisTick: { alignWithLabel: true },
  };
  const valueAxis = {
    type: 'value',
    name: spec.valueAxisName ?? '',
    // Under a horizontal chart's axis; above a vertical chart's axis (a rotated name gets cut at the edge).
    nameLocation: horizontal ? 'middle' : 'end',
    nameGap: horizontal ? 26 : 12,
    nameTextStyle: horizontal ? textStyle : { ...textStyle, align: 'left' },
    axisLabel: textStyle,
    splitLine: { lineStyle: { color: '#e3e6ea' } },
    // Room for the reference lines, on a round number.
    ...(spec.markLines?.length ? { max: (v: { max: number }) => Math.ceil((Math.max(v.max, ...spec.markLines!.map((m) => m.value)) + 1) / 5) * 5 } : {}),
  };
  let colorIndex = 0;
  const series = spec.series.map((s, i) => {
    const color = s.invisible ? 'transparent' : s.color ?? PALETTE[colorIndex++ % PALETTE.length];
    const out: Record<string, unknown> = {
      type: s.kind ?? 'bar',
      name: s.name,
      data: s.values,
      itemStyle: { color },
      ...(s.stack ? { stack: s.stack } : {}),
      ...(s.invisible ? { silent: true, emphasis: { disabled: true }, tooltip: { show: false }, symbol: 'none', lineStyle: { opacity: 0 } } : {}),
      ...(s.labels ? { label: { show: true, position: horizontal ? 'right' : 'top', ...textStyle, fontSize: 10 } } : {}),
      barMaxWidth: 28,
    };
    if (i === 0 && spec.markLines?.length) {
      out.markLine = {
        silent: true,
        symbol: 'none',
        // On a horizontal chart the category axis runs top-down (inverse): 'start' is the top.
        label: { formatter: '{b}', position: horizontal ? 'start' : 'end', ...textStyle, fontSize: 10 },
        lineStyle: { type: 'dashed', width: 1.5 },
        data: spec.markLines.map((m) => ({ name: m.label, [horizontal ? 'xAxis' : 'yAxis']: m.value, lineStyle: { color: m.color ?? '#c0392b' } })),
      };
    }
    return out;
  });
  return {
    animation: false,
    textStyle,
    title,
    legend,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 12, right: 36, top: horizontal ? 40 : 58, bottom: 48, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  };
}
