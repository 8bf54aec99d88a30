/**
 * Test helper: draws an option with the real ECharts in server-side (SVG string) mode, so option
 * builder tests know ECharts accepts what they build. Import only from `*.test.ts`.
 */
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { BrushComponent, GridComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, BrushComponent, MarkLineComponent, MarkAreaComponent, VisualMapComponent, SVGRenderer]);

/** The SVG ECharts renders for `option` at the given size; throws what ECharts throws. */
export function renderSvg(option: echarts.EChartsCoreOption, width = 600, height = 300): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
