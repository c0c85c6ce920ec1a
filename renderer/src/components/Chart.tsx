import { useEffect, useId, useRef } from 'react';
import { chartOption, chartTable, type ChartSpec } from '../../../shared/charts/chart-spec';

/**
 * A chart drawn from a ChartSpec (shared/charts/chart-spec.ts) by ECharts with its SVG renderer:
 * the same spec the PDFs draw in Node (electron/core/charts/svg.ts). The data is always there as
 * a table too: announced with the chart (aria-describedby) and shown on request (`<details>`).
 */
export function Chart({ spec, height = 300, tableLabel, testId }: { spec: ChartSpec; height?: number; tableLabel: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  const key = JSON.stringify(spec);
  useEffect(() => {
    let live = true;
    let dispose = () => {};
    void import('./echarts-svg').then(({ echarts }) => {
      const el = ref.current;
      if (!live || !el) return;
      const chart = echarts.init(el, null, { renderer: 'svg' });
      chart.setOption(chartOption(spec, { fontFamily: getComputedStyle(el).fontFamily }));
      const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => chart.resize()) : null;
      observer?.observe(el);
      dispose = () => {
        observer?.disconnect();
        chart.dispose();
      };
    });
    return () => {
      live = false;
      dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const table = chartTable(spec);
  return (
    <figure className="chart" data-testid={testId}>
      <div ref={ref} className="chart-canvas" role="img" aria-label={spec.title} aria-describedby={`${id}-table`} style={{ height }} />
      <details className="chart-table">
        <summary>{tableLabel}</summary>
        <table className="grid compact" id={`${id}-table`} data-testid={testId ? `${testId}-table` : undefined}>
          <caption className="sr-only">{table.caption}</caption>
          <thead>
            <tr>
              {table.head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (j === 0 ? <th key={j} scope="row">{c}</th> : <td key={j}>{c}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
