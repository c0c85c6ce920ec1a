/**
 * Charts for documents and the CLI: an ECharts option (plain data, built by a pure module) rendered
 * to an SVG string on the server, and that SVG as a pdfmake node. The renderer draws the same
 * options with ECharts in the page (renderer/src/components/Chart.tsx). See README.md.
 */
export { chartPdfNode, prepareCharts, renderChartSvg, renderChartSvgSync, type ChartOption, type ChartSize } from './svg';
export { measureText } from './measure';
