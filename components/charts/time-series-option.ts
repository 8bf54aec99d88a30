/**
 * Time series → ECharts option (pure). Lines or stacked areas on a time axis, gaps drawn as
 * breaks, y-axis and tooltip values in the chosen unit, tooltip sorted by value, a horizontal
 * brush for drag-to-zoom. Hidden series (legend isolation) are left out; colours stay with the
 * series' position so isolating one does not repaint the others.
 */
import type { LineSeriesOption } from "echarts/charts";
import type { BrushComponentOption, GridComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { format } from "date-fns";
import { formatValue, type UnitId } from "./value-format";

export type TimeSeriesOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | BrushComponentOption>;

/** `[epoch ms, value]`; null is a gap (missing sample, NaN, ±Inf). */
export type ChartPoint = [number, number | null];
export type ChartSeries = { name: string; points: ChartPoint[] };

/** A palette that reads on white and on slate-900. */
export const SERIES_COLORS = [
  "#3b82f6", "#22c55e", "#f59e0b", "#ef4444", "#a855f7", "#14b8a6", "#ec4899", "#84cc16",
  "#f97316", "#06b6d4", "#6366f1", "#eab308", "#0ea5e9", "#d946ef", "#10b981", "#fb7185",
];

export const seriesColor = (index: number): string => SERIES_COLORS[index % SERIES_COLORS.length]!;

export type TimeSeriesOptionInput = {
  startMs: number;
  endMs: number;
  unit?: UnitId;
  stacked?: boolean;
  hidden?: ReadonlySet<string>;
  /** Axis and tooltip times in UTC instead of the browser's zone. */
  useUTC?: boolean;
  dark?: boolean;
};

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** A tooltip/axis timestamp, local or UTC: `2024-05-01 13:45:00`. */
export function formatChartTime(ms: number, useUTC = false): string {
  if (!useUTC) return format(new Date(ms), "yyyy-MM-dd HH:mm:ss");
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ") + " UTC";
}

export type TooltipEntry = { name: string; color: string; value: number | null };

/** Tooltip rows sorted by value, highest first (gaps last); at most `max` rows plus "… N more". */
export function tooltipHtml(timeMs: number, entries: TooltipEntry[], opts: { unit?: UnitId; useUTC?: boolean; max?: number } = {}): string {
  const max = opts.max ?? 20;
  const sorted = [...entries].sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity));
  const rows = sorted.slice(0, max).map(
    (e) =>
      `<div style="display:flex;gap:8px;align-items:center;justify-content:space-between">` +
      `<span style="display:flex;gap:6px;align-items:center;min-width:0"><span style="display:inline-block;width:8px;height:8px;border-radius:2px;background:${escapeHtml(e.color)}"></span>` +
      `<span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:420px">${escapeHtml(e.name)}</span></span>` +
      `<b style="font-variant-numeric:tabular-nums">${escapeHtml(formatValue(e.value, opts.unit))}</b></div>`,
  );
  const more = sorted.length > max ? `<div style="opacity:.7">… ${sorted.length - max} more</div>` : "";
  return `<div style="font-size:12px"><div style="margin-bottom:4px;opacity:.8">${escapeHtml(formatChartTime(timeMs, opts.useUTC))}</div>${rows.join("")}${more}</div>`;
}

type AxisParam = { seriesName?: string; color?: unknown; value?: unknown; axisValue?: unknown };

function pointValue(v: unknown): number | null {
  if (Array.isArray(v)) {
    const y = v[1];
    return typeof y === "number" && Number.isFinite(y) ? y : null;
  }
  return null;
}

/** Axis text and grid-line colours of the console's charts, light or dark. */
export function chartColors(dark: boolean): { text: string; line: string } {
  return { text: dark ? "#cbd5e1" : "#475569", line: dark ? "#334155" : "#e2e8f0" };
}

/** The time x-axis shared by the console's charts: exactly the range, labels that never overlap. */
export function timeAxis(startMs: number, endMs: number, colors: { text: string; line: string }) {
  return {
    type: "time" as const,
    min: startMs,
    max: endMs,
    axisLabel: { color: colors.text, hideOverlap: true },
    axisLine: { lineStyle: { color: colors.line } },
    splitLine: { show: false },
  };
}

export function buildTimeSeriesOption(series: readonly ChartSeries[], input: TimeSeriesOptionInput): TimeSeriesOption {
  const unit = input.unit ?? "short";
  const stacked = input.stacked ?? false;
  const dark = input.dark ?? false;
  const { text, line } = chartColors(dark);
  const hidden = input.hidden ?? new Set<string>();

  const lines: LineSeriesOption[] = [];
  series.forEach((s, i) => {
    if (hidden.has(s.name)) return;
    const visiblePoints = s.points.reduce((n, p) => (p[1] === null ? n : n + 1), 0);
    lines.push({
      type: "line",
      name: s.name,
      data: s.points,
      color: seriesColor(i),
      // Sparse series get dots, so a lone sample between gaps is visible.
      showSymbol: visiblePoints <= 60,
      symbolSize: 4,
      connectNulls: false,
      animation: false,
      lineStyle: { width: 1.5 },
      emphasis: { disabled: true },
      ...(stacked ? { stack: "total", areaStyle: { opacity: 0.35 } } : {}),
    });
  });

  return {
    animation: false,
    useUTC: input.useUTC ?? false,
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: timeAxis(input.startMs, input.endMs, { text, line }),
    yAxis: {
      type: "value",
      scale: !stacked,
      axisLabel: { color: text, formatter: (v: number) => formatValue(v, unit) },
      splitLine: { lineStyle: { color: line } },
    },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "line" },
      backgroundColor: dark ? "#0f172a" : "#ffffff",
      borderColor: line,
      textStyle: { color: dark ? "#e2e8f0" : "#0f172a" },
      formatter: (params: unknown) => {
        const list = (Array.isArray(params) ? params : [params]) as AxisParam[];
        if (list.length === 0) return "";
        const first = list[0]!;
        const t = Array.isArray(first.value) ? Number(first.value[0]) : Number(first.axisValue);
        return tooltipHtml(
          t,
          list.map((p) => ({ name: p.seriesName ?? "", color: typeof p.color === "string" ? p.color : "#888", value: pointValue(p.value) })),
          { unit, useUTC: input.useUTC },
        );
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
    series: lines,
  };
}

/**
 * Grafana's legend clicks: a click shows only that series (or everything again when it already
 * was the only one shown); with Ctrl/⌘/Shift it toggles that series alone. Returns the hidden set.
 */
export function nextHiddenSeries(all: readonly string[], hidden: ReadonlySet<string>, clicked: string, additive: boolean): Set<string> {
  if (additive) {
    const next = new Set(hidden);
    if (next.has(clicked)) next.delete(clicked);
    else next.add(clicked);
    return next;
  }
  const onlyThisShown = !hidden.has(clicked) && all.every((n) => n === clicked || hidden.has(n));
  if (onlyThisShown) return new Set();
  return new Set(all.filter((n) => n !== clicked));
}

/** The brush's x range (epoch ms, ordered) from a `brushEnd` event, or null. */
export function brushRange(event: unknown): [number, number] | null {
  const areas = (event as { areas?: { coordRange?: unknown }[] })?.areas;
  const range = areas?.[0]?.coordRange;
  if (!Array.isArray(range) || range.length !== 2) return null;
  const [a, b] = range.map(Number) as [number, number];
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return null;
  return [Math.round(Math.min(a, b)), Math.round(Math.max(a, b))];
}
