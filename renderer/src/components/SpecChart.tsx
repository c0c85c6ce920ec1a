import { useMemo } from 'react';
import { chartOption, chartTable, type ChartSpec } from '../../../shared/charts/chart-spec';
import { Chart } from './Chart';

/**
 * A chart described by a ChartSpec (shared/charts/chart-spec.ts: kind, axes, series, marks), drawn
 * by the one `Chart` component. The same spec becomes the SVG in the PDFs (electron/core/charts).
 */
export function SpecChart({ spec, height = 300, testId, description = '' }: { spec: ChartSpec; height?: number; testId: string; description?: string }) {
  // The figure's caption names the chart; the drawing does not repeat the title.
  const option = useMemo(() => {
    const { title: _title, ...rest } = chartOption(spec, { fontFamily: getComputedStyle(document.body).fontFamily });
    return rest;
  }, [spec]);
  const table = useMemo(() => {
    const t = chartTable(spec);
    return { columns: t.head, rows: t.rows };
  }, [spec]);
  return <Chart id={testId} testId={testId} title={spec.title} description={description} option={option} table={table} height={height} />;
}
