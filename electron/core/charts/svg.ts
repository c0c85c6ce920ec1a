/**
 * Charts for documents: a ChartSpec (shared/charts/chart-spec.ts) drawn by Apache ECharts'
 * server-side SVG renderer (`ssr: true`, no DOM, no canvas), for pdfmake's `svg` node. The
 * renderer draws the same spec on screen (renderer/src/components/Chart.tsx).
 *
 * ECharts is loaded on the first chart, not when the core starts: every CLI command and host start
 * would otherwise pay for it (about 2 s on a busy district laptop).
 */
import { chartOption, type ChartSpec } from '../../../shared/charts/chart-spec';

export interface SvgSize {
  width: number;
  height: number;
  /** The font family the SVG names; pdfmake maps it to a font it knows (see abroad/pdf.ts). */
  fontFamily?: string;
}

/** The chart as a standalone SVG document string. */
export async function renderChartSvg(spec: ChartSpec, size: SvgSize): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(chartOption(spec, { fontFamily: size.fontFamily ?? 'DejaVu Sans' }));
    return chart.renderToSVGString();
  } finally {
    // Without dispose the instance keeps a timer and the process does not exit.
    chart.dispose();
  }
}
