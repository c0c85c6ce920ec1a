import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type EChart = ReturnType<(typeof import('echarts/core'))['init']>;

export interface ChartTableData {
  columns: string[];
  rows: (string | number)[][];
}

/**
 * One chart: an ECharts option drawn with the SVG renderer, in a figure that says in words what it
 * shows (aria-label, caption) with the table of its numbers behind it (a disclosure the keyboard
 * and screen readers reach; open by default for people who prefer it: `tableOpen`).
 * The option is plain JSON (built by a pure module, e.g. shared/reports/charts.ts), so the same
 * option is rendered to SVG on the server for PDFs (electron/core/charts).
 */
export function Chart({
  id,
  title,
  description,
  option,
  table,
  height = 260,
  tableOpen = false,
  testId,
}: {
  id: string;
  /** Test id of the figure (its table gets `<testId>-table`); `chart-<id>` by default. */
  testId?: string;
  title: string;
  description: string;
  option: Record<string, unknown>;
  table: ChartTableData;
  height?: number;
  tableOpen?: boolean;
}) {
  const { t } = useTranslation('reports');
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChart | null>(null);
  const latest = useRef(option);
  latest.current = option;
  const [failed, setFailed] = useState(false);
  const titleId = useId();
  const tid = testId ?? `chart-${id}`;

  useEffect(() => {
    // ECharts is its own chunk, loaded with the first chart: screens without charts never load it.
    let live = true;
    let dispose = () => {};
    import('../charts/echarts').then(
      ({ echarts }) => {
        const node = el.current;
        if (!live || !node) return;
        try {
          const c = echarts.init(node, undefined, { renderer: 'svg' });
          chart.current = c;
          c.setOption(latest.current as never, { notMerge: true });
          const ro = new ResizeObserver(() => c.resize());
          ro.observe(node);
          dispose = () => {
            ro.disconnect();
            c.dispose();
            chart.current = null;
          };
        } catch {
          setFailed(true);
        }
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option as never, { notMerge: true });
  }, [option]);

  return (
    <figure className="chart" data-testid={tid} aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      {/* The drawing is an image for assistive technology: its words are the description and the table. */}
      <div ref={el} className="chart-canvas" style={{ height }} role="img" aria-label={`${title}. ${description}`} data-testid={`${tid}-canvas`} />
      {failed && <p className="error">{t('ui.chartFailed')}</p>}
      <p className="chart-desc small muted">{description}</p>
      <details className="chart-table" open={tableOpen}>
        <summary>{t('ui.showTable')}</summary>
        <table className="grid compact" data-testid={`${tid}-table`}>
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={i}>
                {r.map((v, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {v}
                    </th>
                  ) : (
                    <td key={j} className={typeof v === 'number' ? 'num' : undefined}>
                      {v}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
