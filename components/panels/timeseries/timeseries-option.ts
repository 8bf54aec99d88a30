/**
 * The time series panel's ECharts option (pure): lines, areas, bars or points per series on a
 * time axis over the panel's range; stacking (normal or percent); line width, interpolation and
 * points; y-axis unit, min/max, log scale and placement; thresholds as lines and/or bands;
 * tooltip single/multi/none with per-series units; a horizontal brush for drag-to-zoom; the
 * dashboard's alert periods as bands (./alert-annotations.ts). Hidden series (legend toggling)
 * are left out; their colours stay with the series.
 */
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type { BrushComponentOption, GridComponentOption, MarkAreaComponentOption, MarkLineComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { chartColors, escapeHtml, formatChartTime, timeAxis } from "@/components/charts/time-series-option";
import type { FieldDefaults, Reducer, ThresholdStep, TimeSeriesOptions } from "@/server/dashboards/model";
import { resolveColor } from "@/components/panels/common/field-display";
import { formatValue } from "@/components/charts/value-format";
import { ALERT_ANNOTATION_SERIES, alertAnnotationSeries, alertTooltipHtml, type PanelAnnotation } from "./alert-annotations";
import type { DisplaySeries } from "./display-series";

/** Units counting indivisible things. */
const WHOLE_UNITS = new Set(["bytes", "decbytes", "bits", "decbits"]);

export type TimeseriesPanelOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | BrushComponentOption | MarkLineComponentOption | MarkAreaComponentOption
>;

/** The series that carries the threshold lines and bands (no data, no tooltip). */
export const THRESHOLD_SERIES = "__thresholds";

export interface TimeseriesOptionInput {
  series: readonly DisplaySeries[];
  options: TimeSeriesOptions;
  /** fieldConfig.defaults: min, max, thresholds, unit, decimals. */
  defaults: FieldDefaults;
  startMs: number;
  endMs: number;
  useUTC?: boolean;
  dark?: boolean;
  hidden?: ReadonlySet<string>;
  /** Panel width in px (decides when `showPoints: auto` draws points). */
  width?: number;
  /** The y value under the mouse pointer (single tooltip mode picks the nearest series). */
  pointerValue?: () => number | null;
  /** Alert periods drawn as bands (and listed in the tooltip). */
  annotations?: readonly PanelAnnotation[];
}

/** A point as drawn: `[t, y]`, plus the raw value when y is a share (percent stacking). */
type DrawnPoint = [number, number | null] | [number, number | null, number | null];

/** Non-finite values (NaN, ±Inf) and, on a log axis, values ≤ 0 cannot be drawn: gaps. */
function drawable(v: number | null, log: boolean): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  return log && v <= 0 ? null : v;
}

/** Each series' points as shares of the visible series' total at each time (percent stacking). */
export function percentPoints(series: readonly DisplaySeries[]): DrawnPoint[][] {
  const totals = new Map<number, number>();
  for (const s of series) for (const [t, v] of s.points) if (v !== null && Number.isFinite(v)) totals.set(t, (totals.get(t) ?? 0) + v);
  return series.map((s) =>
    s.points.map(([t, v]): DrawnPoint => {
      const total = totals.get(t) ?? 0;
      const ok = v !== null && Number.isFinite(v);
      return [t, ok && total !== 0 ? v / total : null, ok ? v : null];
    }),
  );
}

/** Smallest and largest drawable value over the series, or null without any. */
function extent(series: readonly DisplaySeries[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const [, v] of s.points) {
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  return lo <= hi ? [lo, hi] : null;
}

/** Threshold steps as absolute values (percentage steps are shares of min…max), base first. */
export function thresholdLevels(defaults: FieldDefaults, range: [number, number]): { value: number | null; color: string }[] {
  const th = defaults.thresholds;
  if (!th || th.steps.length === 0) return [];
  const [min, max] = range;
  const steps: ThresholdStep[] = [...th.steps].sort((a, b) => (a.value ?? -Infinity) - (b.value ?? -Infinity));
  return steps.map((s) => ({
    value: s.value === null ? null : th.mode === "percentage" ? min + ((max - min) * s.value) / 100 : s.value,
    color: resolveColor(s.color),
  }));
}

function thresholdSeries(input: TimeseriesOptionInput, range: [number, number]): LineSeriesOption | null {
  const style = input.options.thresholdsStyle;
  if (style === "off") return null;
  const levels = thresholdLevels(input.defaults, range);
  if (levels.length === 0) return null;
  const out: LineSeriesOption = { type: "line", name: THRESHOLD_SERIES, data: [], silent: true, animation: false, tooltip: { show: false } };
  if (style === "line" || style === "line+area") {
    out.markLine = {
      silent: true,
      symbol: "none",
      animation: false,
      label: { show: false },
      data: levels.filter((l) => l.value !== null).map((l) => ({ yAxis: l.value!, lineStyle: { color: l.color, type: "dashed", width: 1 } })),
    };
  }
  if (style === "area" || style === "line+area") {
    // Bands from each step up to the next; ±Infinity reaches the edge of the plot (ECharts).
    out.markArea = {
      silent: true,
      animation: false,
      data: levels.map((l, i) => [
        { yAxis: l.value ?? -Infinity, itemStyle: { color: l.color, opacity: 0.12 } },
        { yAxis: levels[i + 1]?.value ?? Infinity },
      ]) as NonNullable<MarkAreaComponentOption["data"]>,
    };
  }
  return out;
}

type AxisParam = { seriesName?: string; color?: unknown; value?: unknown; axisValue?: unknown };
export type TooltipRow = { name: string; color: string; value: number | null; text: string };

/** The value a tooltip row shows: the raw value (percent stacking keeps it third), else y. */
function rawValue(v: unknown): number | null {
  if (!Array.isArray(v)) return null;
  const y = v.length > 2 ? v[2] : v[1];
  return typeof y === "number" && Number.isFinite(y) ? y : null;
}

/** Tooltip HTML: the time, then rows (sorted by value, highest first, in `multi` mode). */
export function tooltipContent(timeMs: number, rows: readonly TooltipRow[], useUTC: boolean, max = 20): string {
  const shown = rows.slice(0, max).map(
    (r) =>
      `<div style="display:flex;gap:8px;align-items:center;justify-content:space-between">` +
      `<span style="display:flex;gap:6px;align-items:center;min-width:0"><span style="display:inline-block;width:8px;height:8px;border-radius:2px;background:${escapeHtml(r.color)}"></span>` +
      `<span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:360px">${escapeHtml(r.name)}</span></span>` +
      `<b style="font-variant-numeric:tabular-nums">${escapeHtml(r.text)}</b></div>`,
  );
  const more = rows.length > max ? `<div style="opacity:.7">… ${rows.length - max} more</div>` : "";
  return `<div style="font-size:12px"><div style="margin-bottom:4px;opacity:.8">${escapeHtml(formatChartTime(timeMs, useUTC))}</div>${shown.join("")}${more}</div>`;
}

/** Rows for the hovered time: all, sorted by value (multi), or the one nearest the pointer (single). */
export function tooltipRows(params: unknown, byName: ReadonlyMap<string, DisplaySeries>, mode: "single" | "multi", pointer: number | null): { time: number; rows: TooltipRow[] } | null {
  const list = ((Array.isArray(params) ? params : [params]) as AxisParam[]).filter((p) => p && p.seriesName !== THRESHOLD_SERIES && p.seriesName !== ALERT_ANNOTATION_SERIES);
  if (list.length === 0) return null;
  const first = list[0]!;
  const time = Array.isArray(first.value) ? Number(first.value[0]) : Number(first.axisValue);
  let rows = list.map((p): TooltipRow => {
    const s = byName.get(p.seriesName ?? "");
    const value = rawValue(p.value);
    return { name: p.seriesName ?? "", color: typeof p.color === "string" ? p.color : (s?.color ?? "#888"), value, text: formatValue(value, s?.unit ?? "short", s?.decimals) };
  });
  if (mode === "single") {
    const withValue = rows.filter((r) => r.value !== null);
    if (withValue.length === 0) return { time, rows: rows.slice(0, 1) };
    const target = pointer;
    const nearest = target === null ? withValue[0]! : withValue.reduce((a, b) => (Math.abs(b.value! - target) < Math.abs(a.value! - target) ? b : a));
    rows = [nearest];
  } else {
    rows = [...rows].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  }
  return { time, rows };
}

export function buildTimeseriesPanelOption(input: TimeseriesOptionInput): TimeseriesPanelOption {
  const o = input.options;
  const dark = input.dark ?? false;
  const useUTC = input.useUTC ?? false;
  const { text, line } = chartColors(dark);
  const hidden = input.hidden ?? new Set<string>();
  const visible = input.series.filter((s) => !hidden.has(s.name));
  const log = o.axis.scale === "log";
  const percent = o.stacking === "percent";
  const stacked = o.stacking !== "none" && o.drawStyle !== "points";
  const shares = percent ? percentPoints(visible) : null;
  const maxPointsForSymbols = Math.max(20, Math.floor((input.width ?? 600) / 10));

  const drawn: (LineSeriesOption | BarSeriesOption)[] = visible.map((s, i) => {
    const data: DrawnPoint[] = shares ? shares[i]! : s.points.map(([t, v]) => [t, drawable(v, log)]);
    const common = { name: s.name, color: s.color, animation: false, emphasis: { disabled: true }, ...(stacked ? { stack: "A" } : {}) };
    if (o.drawStyle === "bars") {
      return { ...common, type: "bar", data, barMaxWidth: 48, itemStyle: { opacity: o.fillOpacity > 0 ? Math.max(0.1, o.fillOpacity / 100) : 0.85 } } satisfies BarSeriesOption;
    }
    const points = o.drawStyle === "points";
    const count = s.points.reduce((n, p) => (p[1] === null ? n : n + 1), 0);
    const showSymbol = points || o.showPoints === "always" || (o.showPoints === "auto" && count <= maxPointsForSymbols);
    return {
      ...common,
      type: "line",
      data,
      connectNulls: false,
      showSymbol,
      symbolSize: points ? Math.max(2, o.pointSize) : Math.max(2, Math.min(o.pointSize, 8)),
      lineStyle: { width: points ? 0 : o.lineWidth },
      ...(o.lineInterpolation === "smooth" && !points ? { smooth: 0.35 } : {}),
      ...(o.lineInterpolation === "stepBefore" && !points ? { step: "start" as const } : {}),
      ...(o.lineInterpolation === "stepAfter" && !points ? { step: "end" as const } : {}),
      ...(o.fillOpacity > 0 && !points ? { areaStyle: { opacity: o.fillOpacity / 100 } } : {}),
    } satisfies LineSeriesOption;
  });

  const data = extent(visible);
  const min = percent ? 0 : input.defaults.min;
  const max = percent ? 1 : input.defaults.max;
  const range: [number, number] = [min ?? Math.min(0, data?.[0] ?? 0), max ?? data?.[1] ?? 100];
  const marks = percent ? null : thresholdSeries(input, range);
  if (marks) drawn.push(marks);
  const alerts = alertAnnotationSeries(input.annotations, { startMs: input.startMs, endMs: input.endMs });
  if (alerts) drawn.push(alerts);

  const axisUnit = percent ? "percentunit" : (visible[0]?.unit ?? input.defaults.unit ?? "short");
  const axisDecimals = percent ? undefined : (visible[0]?.decimals ?? input.defaults.decimals);
  const placement = o.axis.placement;
  const byName = new Map(visible.map((s) => [s.name, s]));
  const tooltipMode = o.tooltip.mode;

  return {
    animation: false,
    useUTC,
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: timeAxis(input.startMs, input.endMs, { text, line }),
    yAxis: {
      type: log ? "log" : "value",
      ...(log ? { logBase: o.axis.logBase } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      scale: !stacked && min === undefined && !log,
      // Whole units (bytes, bits): no "0.2 B" ticks that round to a ladder of "0 B, 0 B, 1 B".
      ...(!log && WHOLE_UNITS.has(axisUnit) ? { minInterval: 1 } : {}),
      show: placement !== "hidden",
      position: placement === "right" ? "right" : "left",
      ...(o.axis.label ? { name: o.axis.label, nameLocation: "middle" as const, nameGap: 44, nameTextStyle: { color: text } } : {}),
      axisLabel: { color: text, formatter: (v: number) => formatValue(v, axisUnit, axisDecimals) },
      splitLine: { lineStyle: { color: line } },
    },
    tooltip:
      tooltipMode === "none"
        ? { trigger: "axis", showContent: false, axisPointer: { type: "line" } }
        : {
            trigger: "axis",
            confine: true,
            axisPointer: { type: "line" },
            backgroundColor: dark ? "#0f172a" : "#ffffff",
            borderColor: line,
            textStyle: { color: dark ? "#e2e8f0" : "#0f172a" },
            formatter: (params: unknown) => {
              const r = tooltipRows(params, byName, tooltipMode, input.pointerValue?.() ?? null);
              return r ? tooltipContent(r.time, r.rows, useUTC) + alertTooltipHtml(input.annotations, r.time) : "";
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
    series: drawn,
  };
}

// ---------------------------------------------------------------------------------------------
// Legend
// ---------------------------------------------------------------------------------------------

export interface LegendItem {
  name: string;
  color: string;
  /** Per calc: the value and its text in the series' unit. */
  calcs: { reducer: Reducer; value: number | null; text: string }[];
}

/** Legend entries with the chosen calculations (`reduce` is common/reduce's reduceSeries). */
export function legendItems(
  series: readonly DisplaySeries[],
  calcs: readonly Reducer[],
  reduce: (points: [number, number | null][], reducer: Reducer) => number | null,
): LegendItem[] {
  return series.map((s) => ({
    name: s.name,
    color: s.color,
    calcs: calcs.map((reducer) => {
      const value = reduce(s.points, reducer);
      return { reducer, value, text: formatValue(value, reducer === "count" ? "none" : s.unit, reducer === "count" ? undefined : s.decimals) };
    }),
  }));
}

export type LegendSort = { reducer: Reducer; desc: boolean } | null;

/** Table legend sorting by one calculation (missing values last), or the series order. */
export function sortLegend(items: readonly LegendItem[], sort: LegendSort): LegendItem[] {
  if (!sort) return [...items];
  const key = (i: LegendItem) => i.calcs.find((c) => c.reducer === sort.reducer)?.value ?? null;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || Number.isNaN(x)) return y === null || Number.isNaN(y) ? 0 : 1;
    if (y === null || Number.isNaN(y)) return -1;
    return sort.desc ? y - x : x - y;
  });
}
