"use client";

import { useEffect, useMemo, useState } from "react";
import { EChart } from "@/components/charts/EChart";
import { useDarkMode } from "@/components/charts/useDarkMode";
import { NoDataText } from "@/components/panels/timeseries/NoDataText";
import type { PanelViewProps } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";
import { buildHeatmapOption, heatmapGrid } from "./heatmap-option";

type HeatmapPanel = Extract<VisualPanel, { type: "heatmap" }>;

/** The heatmap series is registered on ECharts once, on the first heatmap drawn. */
let registered: Promise<unknown> | null = null;
const registerHeatmap = () => (registered ??= import("./echarts-heatmap"));

/** Heatmap: histogram buckets (or series) over time, coloured by count. */
export function HeatmapView({ panel, data, height, timezone }: PanelViewProps<HeatmapPanel>) {
  const dark = useDarkMode();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void registerHeatmap().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  const { calculate, deaccumulate, yAxisUnit } = panel.options;
  const grid = useMemo(() => heatmapGrid(data, { calculate, deaccumulate, yAxisUnit }), [data, calculate, deaccumulate, yAxisUnit]);
  const option = useMemo(() => buildHeatmapOption(grid, { options: panel.options, useUTC: timezone === "utc", dark }), [grid, panel.options, timezone, dark]);

  if (!data) return null;
  if (grid.rows.length === 0 || grid.cells.length === 0) return <NoDataText />;
  if (!ready) return <div className="h-full w-full" aria-hidden />;
  return (
    <div className="h-full w-full" style={{ height }} data-testid="heatmap-panel">
      <EChart option={option} label={`Heatmap: ${panel.title || `${grid.rows.length} rows`}`} className="h-full w-full" testId="heatmap-chart" />
    </div>
  );
}
