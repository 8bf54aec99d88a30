"use client";

import type { EChartsType } from "echarts/core";
import { useCallback, useMemo, useState, type MouseEvent } from "react";
import { cn } from "@/components/ui/cn";
import { EChart, type EChartHandlers } from "./EChart";
import { brushRange, buildTimeSeriesOption, nextHiddenSeries, seriesColor, type ChartSeries } from "./time-series-option";
import { useDarkMode } from "./useDarkMode";
import type { UnitId } from "./value-format";

const LEGEND_LIMIT = 200;

/**
 * A time-series graph: ECharts lines (or stacked areas) with a Grafana-style legend below
 * (click isolates a series, Ctrl/⌘/Shift-click toggles it) and drag-to-zoom (`onZoom` gets the
 * selected range in epoch ms).
 */
export function TimeSeriesChart({
  series,
  startMs,
  endMs,
  unit = "short",
  stacked = false,
  useUTC = false,
  onZoom,
  height = 300,
  label,
}: {
  series: readonly ChartSeries[];
  startMs: number;
  endMs: number;
  unit?: UnitId;
  stacked?: boolean;
  useUTC?: boolean;
  onZoom?: (startMs: number, endMs: number) => void;
  height?: number;
  label: string;
}) {
  const dark = useDarkMode();
  const [hiddenState, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const names = useMemo(() => series.map((s) => s.name), [series]);
  // Forget hidden names that are no longer in the result.
  const hidden = useMemo(() => new Set(names.filter((n) => hiddenState.has(n))), [names, hiddenState]);

  const option = useMemo(
    () => buildTimeSeriesOption(series, { startMs, endMs, unit, stacked, hidden, useUTC, dark }),
    [series, startMs, endMs, unit, stacked, hidden, useUTC, dark],
  );

  const handlers = useMemo<EChartHandlers | undefined>(
    () =>
      onZoom
        ? {
            brushEnd: (params, chart) => {
              const range = brushRange(params);
              chart.dispatchAction({ type: "brush", areas: [] });
              if (range) onZoom(range[0], range[1]);
            },
          }
        : undefined,
    [onZoom],
  );

  const armBrush = useCallback(
    (chart: EChartsType) => {
      if (!onZoom) return;
      chart.dispatchAction({ type: "takeGlobalCursor", key: "brush", brushOption: { brushType: "lineX", brushMode: "single" } });
    },
    [onZoom],
  );

  function onLegendClick(e: MouseEvent, name: string) {
    setHidden(nextHiddenSeries(names, hidden, name, e.ctrlKey || e.metaKey || e.shiftKey));
  }

  return (
    <div>
      <EChart option={option} handlers={handlers} afterSetOption={armBrush} label={label} style={{ height }} testId="timeseries-chart" />
      {series.length > 0 && (
        <ul aria-label="Graph legend" className="mt-2 flex max-h-28 flex-wrap gap-x-3 gap-y-0.5 overflow-y-auto text-xs">
          {series.slice(0, LEGEND_LIMIT).map((s, i) => {
            const shown = !hidden.has(s.name);
            return (
              <li key={s.name} className="min-w-0">
                <button
                  type="button"
                  aria-pressed={shown}
                  title={`${s.name}\nClick: show only this series · Ctrl/⌘/Shift-click: toggle it`}
                  onClick={(e) => onLegendClick(e, s.name)}
                  className={cn(
                    "flex max-w-[36rem] items-center gap-1.5 rounded px-1 py-0.5 text-left hover:bg-slate-100 dark:hover:bg-slate-800",
                    shown ? "text-slate-700 dark:text-slate-200" : "text-slate-400 line-through dark:text-slate-600",
                  )}
                >
                  <span aria-hidden className="inline-block h-1 w-3 shrink-0 rounded-sm" style={{ background: shown ? seriesColor(i) : "currentColor" }} />
                  <span className="truncate font-mono">{s.name}</span>
                </button>
              </li>
            );
          })}
          {series.length > LEGEND_LIMIT && <li className="text-slate-500">… {series.length - LEGEND_LIMIT} more series</li>}
        </ul>
      )}
    </div>
  );
}
