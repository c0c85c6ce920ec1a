import path from 'node:path';
import { lazyRequire } from '../lazy-require';
import { assetsDir } from '../paths';
import { PDF_FONT_FAMILY } from '../pdf/fonts';
import { loadMetrics, measureText } from './measure';

/** A chart's option as ECharts takes it (built by a pure module, e.g. shared/reports/charts.ts). */
export type ChartOption = Record<string, unknown>;

export interface ChartSize {
  /** Size of the SVG in its own units; in a PDF one unit is drawn as one point, scaled to the node's width. */
  width: number;
  height: number;
}

type EChartsModule = typeof import('echarts');
let loaded: Promise<EChartsModule> | null = null;
let ready: EChartsModule | null = null;

/**
 * ECharts, loaded on the first chart (it takes a second to load on a busy laptop; the CLI and the
 * app start without it), with text measured on the PDF font.
 */
function echarts(fontsDir: string): Promise<EChartsModule> {
  loaded ??= (async () => {
    await loadMetrics(fontsDir);
    const e = lazyRequire<EChartsModule>('echarts');
    e.setPlatformAPI({ measureText: measureText as never });
    ready = e;
    return e;
  })();
  return loaded;
}

/** Loads ECharts and the font metrics, so `renderChartSvgSync` can be used (inside a document builder). */
export async function prepareCharts(opts: { assetsDir?: string } = {}): Promise<void> {
  await echarts(path.join(opts.assetsDir ?? assetsDir(), 'fonts'));
}

function render(e: EChartsModule, option: ChartOption, size: ChartSize): string {
  const chart = e.init(null as unknown as HTMLElement, undefined, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    const textStyle = { fontFamily: PDF_FONT_FAMILY, ...((option.textStyle as Record<string, unknown> | undefined) ?? {}) };
    chart.setOption({ ...option, textStyle, animation: false } as never);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** `renderChartSvg` for synchronous callers (pdfmake document builders); call `prepareCharts` first. */
export function renderChartSvgSync(option: ChartOption, size: ChartSize): string {
  if (!ready) throw new Error('charts: call prepareCharts() before renderChartSvgSync()');
  return render(ready, option, size);
}

/**
 * Renders an ECharts option to an SVG string on the server (ECharts SSR: no DOM, no canvas).
 * Animation is off; text defaults to the PDF font family so the SVG drawn into a PDF by pdfmake
 * uses the embedded DejaVu Sans (Kazakh and Russian letters). Deterministic for a given option.
 */
export async function renderChartSvg(option: ChartOption, size: ChartSize, opts: { assetsDir?: string } = {}): Promise<string> {
  return render(await echarts(path.join(opts.assetsDir ?? assetsDir(), 'fonts')), option, size);
}

/**
 * A pdfmake node drawing the chart at `widthPt` points wide (the height follows the aspect ratio).
 * pdfmake maps the SVG's font family to the document's registered fonts (`font` is the fallback).
 */
export async function chartPdfNode(option: ChartOption, size: ChartSize, widthPt: number, opts: { assetsDir?: string } = {}): Promise<Record<string, unknown>> {
  return { svg: await renderChartSvg(option, size, opts), width: widthPt, font: PDF_FONT_FAMILY };
}
