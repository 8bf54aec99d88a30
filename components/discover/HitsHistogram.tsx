"use client";

import type { EChartsType } from "echarts/core";
import { useCallback, useMemo } from "react";
import { EChart, type EChartHandlers } from "@/components/charts/EChart";
import { brushRange } from "@/components/charts/time-series-option";
import { useDarkMode } from "@/components/charts/useDarkMode";
import type { HistogramResult } from "@/server/logs/search/contract";
import { buildHistogramOption, presentLevels } from "./histogram-option";
import { LEVEL_COLORS, LEVEL_LABELS } from "./levels";

/** Hits over time stacked by level; drag across it to zoom the time range. */
export function HitsHistogram({
  result,
  startMs,
  endMs,
  onZoom,
  height = 112,
}: {
  result: HistogramResult;
  startMs: number;
  endMs: number;
  onZoom: (startMs: number, endMs: number) => void;
  height?: number;
}) {
  const dark = useDarkMode();
  const option = useMemo(() => buildHistogramOption(result, { startMs, endMs, dark }), [result, startMs, endMs, dark]);
  const levels = useMemo(() => presentLevels(result.buckets), [result]);
  const handlers = useMemo<EChartHandlers>(
    () => ({
      brushEnd: (params, chart) => {
        const range = brushRange(params);
        chart.dispatchAction({ type: "brush", areas: [] });
        if (range) onZoom(range[0], range[1]);
      },
    }),
    [onZoom],
  );
  const armBrush = useCallback((chart: EChartsType) => {
    chart.dispatchAction({ type: "takeGlobalCursor", key: "brush", brushOption: { brushType: "lineX", brushMode: "single" } });
  }, []);

  return (
    <div data-testid="hits-histogram">
      <EChart option={option} handlers={handlers} afterSetOption={armBrush} label="Hits over time by level (drag to zoom)" style={{ height }} testId="hits-histogram-chart" />
      {levels.length > 0 && (
        <ul aria-label="Levels" className="mt-1 flex flex-wrap gap-3 text-[11px] text-slate-600 dark:text-slate-400">
          {levels.map((l) => (
            <li key={l} className="flex items-center gap-1">
              <span aria-hidden className="inline-block size-2 rounded-sm" style={{ background: LEVEL_COLORS[l] }} />
              {LEVEL_LABELS[l]}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
