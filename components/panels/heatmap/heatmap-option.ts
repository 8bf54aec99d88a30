/**
 * The heatmap panel (pure): a time × bucket grid from classic Prometheus histogram buckets
 * (series with an `le` label: sorted by bound, series of one bound summed, cumulative counts
 * de-accumulated, `+Inf` last), or from plain series (one row each), and its ECharts option
 * (category axes, a continuous colour scale in the chosen scheme, a tooltip naming the bucket).
 */
import type { HeatmapSeriesOption } from "echarts/charts";
import type { GridComponentOption, TooltipComponentOption, VisualMapComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { format } from "date-fns";
import { chartColors, escapeHtml, formatChartTime } from "@/components/charts/time-series-option";
import { formatValue } from "@/components/charts/value-format";
import type { HeatmapOptions } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";

export type HeatmapPanelOption = ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

export interface HeatmapRow {
  /** What the axis shows: the bucket's upper bound (`le`) or the series name. */
  label: string;
  /** Histogram buckets: the bounds (lower is the previous bucket's upper; the first has none). */
  lower?: number;
  upper?: number;
}

export interface HeatmapGrid {
  mode: "buckets" | "series";
  times: number[];
  rows: HeatmapRow[];
  /** `[time index, row index, value]`; cells without a value are left out. */
  cells: [number, number, number][];
  max: number;
}

/** `le` as a number: `+Inf` / `Inf` are Infinity; null when not a bound. */
export function parseLe(le: string | undefined): number | null {
  if (le === undefined) return null;
  const s = le.trim();
  if (/^\+?inf$/i.test(s)) return Infinity;
  if (s === "" || Number.isNaN(Number(s))) return null;
  return Number(s);
}

/** A bound as the axis shows it: `+Inf`, or the number in the y-axis unit (raw without one). */
export function formatBound(v: number, unit?: string): string {
  if (v === Infinity) return "+Inf";
  return unit ? formatValue(v, unit) : String(v);
}

export function heatmapGrid(data: PanelData | undefined, options: Pick<HeatmapOptions, "calculate" | "deaccumulate" | "yAxisUnit">): HeatmapGrid {
  const frames = (data?.results ?? []).flatMap((r) => (r.kind === "series" ? r.series : []));
  const timeSet = new Set<number>();
  for (const f of frames) for (const [t] of f.points) timeSet.add(t);
  const times = [...timeSet].sort((a, b) => a - b);
  const timeIndex = new Map(times.map((t, i) => [t, i]));
  const bucketed = !options.calculate && frames.some((f) => parseLe(f.labels.le) !== null);

  if (!bucketed) {
    const cells: [number, number, number][] = [];
    let max = 0;
    frames.forEach((f, row) => {
      for (const [t, v] of f.points) {
        if (v === null || !Number.isFinite(v)) continue;
        cells.push([timeIndex.get(t)!, row, v]);
        if (v > max) max = v;
      }
    });
    return { mode: "series", times, rows: frames.map((f) => ({ label: f.name })), cells, max };
  }

  // Sum the series of each bound, per time.
  const byBound = new Map<number, Map<number, number>>();
  for (const f of frames) {
    const le = parseLe(f.labels.le);
    if (le === null) continue;
    let m = byBound.get(le);
    if (!m) byBound.set(le, (m = new Map()));
    for (const [t, v] of f.points) if (v !== null && Number.isFinite(v)) m.set(t, (m.get(t) ?? 0) + v);
  }
  const bounds = [...byBound.keys()].sort((a, b) => a - b);
  const rows: HeatmapRow[] = bounds.map((upper, i) => ({ label: formatBound(upper, options.yAxisUnit), upper, ...(i > 0 ? { lower: bounds[i - 1]! } : {}) }));
  const cells: [number, number, number][] = [];
  let max = 0;
  times.forEach((t, x) => {
    let prev: number | undefined;
    bounds.forEach((b, y) => {
      const cum = byBound.get(b)!.get(t);
      if (cum === undefined) {
        prev = undefined;
        return;
      }
      let v = cum;
      if (options.deaccumulate && y > 0) {
        if (prev === undefined) {
          prev = cum;
          return; // the bucket below is missing: this bucket's own count is unknown
        }
        // A lower bucket above a higher one only happens across a counter reset: no negative counts.
        v = Math.max(0, cum - prev);
      }
      prev = cum;
      cells.push([x, y, v]);
      if (v > max) max = v;
    });
  });
  return { mode: "buckets", times, rows, cells, max };
}

/** Colour schemes, lightest (lowest count) first. */
export const COLOR_SCHEMES: Record<HeatmapOptions["colorScheme"], string[]> = {
  oranges: ["#fff7ed", "#fed7aa", "#fdba74", "#fb923c", "#ea580c", "#9a3412"],
  blues: ["#eff6ff", "#bfdbfe", "#93c5fd", "#60a5fa", "#2563eb", "#1e3a8a"],
  greens: ["#f0fdf4", "#bbf7d0", "#86efac", "#4ade80", "#16a34a", "#14532d"],
  reds: ["#fef2f2", "#fecaca", "#fca5a5", "#f87171", "#dc2626", "#7f1d1d"],
  purples: ["#faf5ff", "#e9d5ff", "#d8b4fe", "#c084fc", "#9333ea", "#581c87"],
  spectral: ["#3288bd", "#66c2a5", "#abdda4", "#e6f598", "#fee08b", "#fdae61", "#f46d43", "#d53e4f"],
};

/** An x-axis label: time of day, with the date when the range spans days. */
export function timeLabel(ms: number, spanMs: number, useUTC: boolean): string {
  const withDate = spanMs > 86_400_000;
  if (useUTC) {
    const iso = new Date(ms).toISOString();
    return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
  }
  return format(new Date(ms), withDate ? "MM-dd HH:mm" : "HH:mm");
}

/** The cell under the pointer: the time, the bucket (bounds) or series, the value. */
export function heatmapTooltip(grid: HeatmapGrid, cell: [number, number, number], useUTC: boolean, unit?: string): string {
  const [x, y, v] = cell;
  const row = grid.rows[y];
  const what =
    grid.mode === "buckets" && row?.upper !== undefined
      ? `${row.lower !== undefined ? `${formatBound(row.lower, unit)} – ` : "≤ "}${formatBound(row.upper, unit)}`
      : (row?.label ?? "");
  return (
    `<div style="font-size:12px"><div style="opacity:.8">${escapeHtml(formatChartTime(grid.times[x] ?? 0, useUTC))}</div>` +
    `<div>${escapeHtml(grid.mode === "buckets" ? `Bucket ${what}` : what)}</div><b style="font-variant-numeric:tabular-nums">${escapeHtml(formatValue(v, "short"))}</b></div>`
  );
}

export function buildHeatmapOption(grid: HeatmapGrid, input: { options: HeatmapOptions; useUTC?: boolean; dark?: boolean }): HeatmapPanelOption {
  const dark = input.dark ?? false;
  const useUTC = input.useUTC ?? false;
  const { text, line } = chartColors(dark);
  const span = grid.times.length > 1 ? grid.times[grid.times.length - 1]! - grid.times[0]! : 0;
  const colors = COLOR_SCHEMES[input.options.colorScheme];
  return {
    animation: false,
    grid: { left: 8, right: 56, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: {
      type: "category",
      data: grid.times.map(String),
      axisLabel: { color: text, hideOverlap: true, formatter: (v: string) => timeLabel(Number(v), span, useUTC) },
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      splitArea: { show: false },
    },
    yAxis: {
      type: "category",
      data: grid.rows.map((r) => r.label),
      axisLabel: { color: text, hideOverlap: true },
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
    },
    visualMap: {
      type: "continuous",
      min: 0,
      max: Math.max(1, grid.max),
      calculable: false,
      orient: "vertical",
      right: 0,
      top: "middle",
      itemWidth: 10,
      itemHeight: 80,
      textStyle: { color: text, fontSize: 10 },
      formatter: (v: unknown) => formatValue(Number(v), "short"),
      inRange: { color: colors },
    },
    tooltip: {
      trigger: "item",
      confine: true,
      backgroundColor: dark ? "#0f172a" : "#ffffff",
      borderColor: line,
      textStyle: { color: dark ? "#e2e8f0" : "#0f172a" },
      formatter: (p: unknown) => {
        const value = (p as { value?: unknown })?.value;
        return Array.isArray(value) && value.length === 3 ? heatmapTooltip(grid, value as [number, number, number], useUTC, input.options.yAxisUnit) : "";
      },
    },
    series: [{ type: "heatmap", name: "buckets", data: grid.cells, emphasis: { disabled: true }, progressive: 0, animation: false }],
  };
}
