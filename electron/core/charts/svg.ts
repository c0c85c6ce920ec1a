/**
 * Charts for documents: a ChartSpec (shared/charts/chart-spec.ts) drawn by Apache ECharts'
 * server-side SVG renderer (`ssr: true`, no DOM, no canvas), for pdfmake's `svg` node. The
 * renderer draws the same spec on screen (renderer/src/components/Chart.tsx).
 */
import * as echarts from 'echarts';
import { chartOption, type ChartSpec } from '../../../shared/charts/chart-spec';

export interface SvgSize {
  width: number;
  height: number;
  /** The font family the SVG names; pdfmake maps it to an embedded font (default: the PDF's). */
  fontFamily?: string;
}

/** The chart as a standalone SVG document string. */
export function renderChartSvg(spec: ChartSpec, size: SvgSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(chartOption(spec, { fontFamily: size.fontFamily ?? 'DejaVu Sans' }));
    return chart.renderToSVGString();
  } finally {
    // Without dispose the instance keeps a timer and the process does not exit.
    chart.dispose();
  }
}
