/**
 * Registers the gauge series and the graphic component (threshold labels) on the console's
 * ECharts instance. Imported dynamically by GaugeView before it draws, so the gauge code is only
 * loaded by dashboards that have a gauge.
 */
import { GaugeChart } from "echarts/charts";
import { GraphicComponent } from "echarts/components";
import { echarts } from "@/components/charts/echarts-core";

echarts.use([GaugeChart, GraphicComponent]);

export const gaugeReady = true;
