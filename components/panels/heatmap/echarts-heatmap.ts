/**
 * Registers the heatmap series and the visual map (colour scale) on the console's ECharts
 * instance. Imported dynamically by HeatmapView before it draws, so only dashboards with a
 * heatmap load this code.
 */
import { HeatmapChart } from "echarts/charts";
import { VisualMapComponent } from "echarts/components";
import { echarts } from "@/components/charts/echarts-core";

echarts.use([HeatmapChart, VisualMapComponent]);

export const heatmapReady = true;
