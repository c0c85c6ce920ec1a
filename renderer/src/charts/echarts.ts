/**
 * ECharts for the page: only what the app's charts use, drawn with the SVG renderer (crisp at any
 * zoom, text selectable, the same renderer as the server-side SVG that goes into PDFs).
 * Charts of other areas add their chart types and components here.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, AriaComponent, MarkLineComponent, MarkAreaComponent, SVGRenderer]);

export { echarts };
