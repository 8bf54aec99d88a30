/**
 * Hits over time → ECharts option (pure): bars on a time axis stacked by level, one colour per
 * level (levels.ts), a tooltip with the bucket's range and per-level counts, and a horizontal
 * brush for drag-to-zoom.
 */
import type { BarSeriesOption } from "echarts/charts";
import type { BrushComponentOption, GridComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { chartColors, escapeHtml, formatChartTime, timeAxis } from "@/components/charts/time-series-option";
import { formatCount } from "@/server/lib/units";
import type { HistogramResult } from "@/server/logs/search/contract";
import { LEVEL_COLORS, LEVEL_LABELS, LEVEL_ORDER, type LevelKey } from "./levels";

export type HistogramOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption | BrushComponentOption>;

/** Levels that occur in the buckets, most severe first. */
export function presentLevels(buckets: HistogramResult["buckets"]): LevelKey[] {
  return LEVEL_ORDER.filter((l) => buckets.some((b) => (b.levels?.[l] ?? 0) > 0));
}

/** Tooltip HTML of one bucket: its time range, the total and the non-zero levels. */
export function bucketTooltipHtml(bucket: HistogramResult["buckets"][number], step: number): string {
  const rows = LEVEL_ORDER.filter((l) => (bucket.levels?.[l] ?? 0) > 0).map(
    (l) =>
      `<div style="display:flex;gap:12px;justify-content:space-between"><span><span style="display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:6px;background:${LEVEL_COLORS[l]}"></span>${escapeHtml(LEVEL_LABELS[l])}</span>` +
      `<b style="font-variant-numeric:tabular-nums">${formatCount(bucket.levels[l])}</b></div>`,
  );
  return (
    `<div style="font-size:12px"><div style="opacity:.8;margin-bottom:4px">${escapeHtml(formatChartTime(bucket.ts))} – ${escapeHtml(formatChartTime(bucket.ts + step).slice(11))}</div>` +
    `<div style="display:flex;gap:12px;justify-content:space-between;margin-bottom:2px"><span>hits</span><b>${formatCount(bucket.count)}</b></div>${rows.join("")}</div>`
  );
}

export function buildHistogramOption(result: HistogramResult, input: { startMs: number; endMs: number; dark?: boolean }): HistogramOption {
  const dark = input.dark ?? false;
  const { text, line } = chartColors(dark);
  const { buckets, step } = result;
  const byTs = new Map(buckets.map((b) => [b.ts + step / 2, b]));
  // Bars are centred on their bucket; `ts` is the bucket's start.
  const series: BarSeriesOption[] = presentLevels(buckets)
    .reverse() // least severe at the bottom of the stack, errors on top where the eye goes
    .map((level) => ({
      type: "bar",
      name: LEVEL_LABELS[level],
      stack: "hits",
      color: LEVEL_COLORS[level],
      data: buckets.map((b) => [b.ts + step / 2, b.levels?.[level] ?? 0]),
      barCategoryGap: "12%",
      animation: false,
      emphasis: { disabled: true },
      large: buckets.length > 500,
    }));

  return {
    animation: false,
    grid: { left: 8, right: 12, top: 8, bottom: 4, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: timeAxis(input.startMs, input.endMs, { text, line }),
    yAxis: {
      type: "value",
      minInterval: 1,
      splitNumber: 3,
      axisLabel: { color: text, formatter: (v: number) => formatCount(v) },
      splitLine: { lineStyle: { color: line } },
    },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "shadow" },
      backgroundColor: dark ? "#0f172a" : "#ffffff",
      borderColor: line,
      textStyle: { color: dark ? "#e2e8f0" : "#0f172a" },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { value?: unknown } | undefined;
        const x = Array.isArray(first?.value) ? Number(first.value[0]) : NaN;
        const bucket = byTs.get(x);
        return bucket ? bucketTooltipHtml(bucket, step) : "";
      },
    },
    brush: {
      xAxisIndex: 0,
      brushType: "lineX",
      brushMode: "single",
      transformable: false,
      throttleType: "debounce",
      throttleDelay: 50,
      brushStyle: { color: "rgba(59,130,246,0.15)", borderColor: "rgba(59,130,246,0.6)", borderWidth: 1 },
      outOfBrush: { colorAlpha: 1 },
    },
    series,
  };
}
