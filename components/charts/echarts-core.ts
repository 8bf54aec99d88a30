/**
 * The slice of ECharts the console uses, registered once. Imported dynamically by EChart.tsx, so
 * the library is a separate chunk loaded only by pages that draw a chart.
 */
import { BarChart, LineChart } from "echarts/charts";
import { BrushComponent, GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, BrushComponent, CanvasRenderer]);

export { echarts };
