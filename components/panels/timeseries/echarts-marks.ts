/**
 * Registers threshold lines and bands (markLine, markArea) on the console's ECharts instance.
 * Imported dynamically by the time-axis panels before they draw, so dashboards without them do
 * not load this code.
 */
import { MarkAreaComponent, MarkLineComponent } from "echarts/components";
import { echarts } from "@/components/charts/echarts-core";

echarts.use([MarkLineComponent, MarkAreaComponent]);

export { echarts };
