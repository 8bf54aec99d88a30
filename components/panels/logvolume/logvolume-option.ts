/**
 * The log volume panel's ECharts option (pure): counts per interval as bars on a time axis,
 * stacked by level in level colours (error red, warn amber, info green, debug grey…), or one
 * total series; tooltip with the counts per level and their total; a brush for drag-to-zoom; the
 * dashboard's alert periods as bands (components/panels/timeseries/alert-annotations.ts).
 */
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type { BrushComponentOption, GridComponentOption, MarkAreaComponentOption, MarkLineComponentOption, TooltipComponentOption } from "echarts/components";
import type { ComposeOption } from "echarts/core";
import { chartColors, escapeHtml, formatChartTime, seriesColor, timeAxis } from "@/components/charts/time-series-option";
import { formatValue } from "@/components/charts/value-format";
import { ALERT_ANNOTATION_SERIES, alertAnnotationSeries, alertTooltipHtml, type PanelAnnotation } from "@/components/panels/timeseries/alert-annotations";
import type { PanelData } from "@/server/dashboards/panel-data";

export type LogVolumeOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | BrushComponentOption | MarkAreaComponentOption | MarkLineComponentOption>;

/** Levels from the bottom of the stack up (most severe on top). */
export const LEVEL_ORDER = ["unknown", "trace", "debug", "info", "warn", "error", "fatal"] as const;

export const LEVEL_COLORS: Record<(typeof LEVEL_ORDER)[number], string> = {
  unknown: "#64748b",
  trace: "#cbd5e1",
  debug: "#94a3b8",
  info: "#22c55e",
  warn: "#f59e0b",
  error: "#ef4444",
  fatal: "#a855f7",
};

export interface VolumeSeries {
  name: string;
  color: string;
  points: [number, number | null][];
}

const levelRank = (name: string) => {
  const i = (LEVEL_ORDER as readonly string[]).indexOf(name);
  return i < 0 ? -1 : i;
};

/**
 * The bars to draw: level series (level colours, least severe first so errors stack on top);
 * other series (a `count` target) keep their order and take palette colours. With
 * `stackByLevel` off, everything is summed into one series "logs".
 */
export function volumeSeries(data: PanelData | undefined, stackByLevel: boolean): VolumeSeries[] {
  const frames = (data?.results ?? []).flatMap((r) => (r.kind === "series" ? r.series : []));
  if (frames.length === 0) return [];
  if (!stackByLevel) {
    const totals = new Map<number, number>();
    for (const f of frames) for (const [t, v] of f.points) totals.set(t, (totals.get(t) ?? 0) + (v !== null && Number.isFinite(v) ? v : 0));
    return [{ name: "logs", color: LEVEL_COLORS.info, points: [...totals.entries()].sort((a, b) => a[0] - b[0]) }];
  }
  const ranked = frames.map((f, i) => ({ f, i, rank: levelRank(f.labels.level ?? f.name) }));
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  let palette = 0;
  return ranked.map(({ f, rank }) => ({
    name: f.name,
    color: rank >= 0 ? LEVEL_COLORS[LEVEL_ORDER[rank]!] : seriesColor(palette++),
    points: f.points,
  }));
}

type AxisParam = { seriesName?: string; color?: unknown; value?: unknown };

/** Tooltip: the bucket's time, each level's count (most severe first), the total. */
export function volumeTooltip(params: unknown, stepMs: number, useUTC: boolean, annotations?: readonly PanelAnnotation[]): string {
  const list = ((Array.isArray(params) ? params : [params]) as AxisParam[]).filter((p) => p && p.seriesName !== ALERT_ANNOTATION_SERIES);
  if (list.length === 0 || !Array.isArray(list[0]?.value)) return "";
  const t = Number((list[0]!.value as unknown[])[0]) - stepMs / 2;
  let total = 0;
  const rows = [...list].reverse().map((p) => {
    const v = Array.isArray(p.value) ? Number(p.value[1]) || 0 : 0;
    total += v;
    return (
      `<div style="display:flex;gap:8px;justify-content:space-between"><span><span style="display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:6px;background:${escapeHtml(String(p.color ?? "#888"))}"></span>` +
      `${escapeHtml(p.seriesName ?? "")}</span><b style="font-variant-numeric:tabular-nums">${escapeHtml(formatValue(v, "none"))}</b></div>`
    );
  });
  const head = `<div style="margin-bottom:4px;opacity:.8">${escapeHtml(formatChartTime(t, useUTC))}</div>`;
  const foot = rows.length > 1 ? `<div style="margin-top:4px;display:flex;justify-content:space-between"><span>Total</span><b>${escapeHtml(formatValue(total, "none"))}</b></div>` : "";
  return `<div style="font-size:12px">${head}${rows.join("")}${foot}${alertTooltipHtml(annotations, t, { untilMs: t + stepMs })}</div>`;
}

export function buildLogVolumeOption(input: {
  series: readonly VolumeSeries[];
  startMs: number;
  endMs: number;
  /** Bucket width in ms: bars are centred in their bucket. */
  stepMs: number;
  useUTC?: boolean;
  dark?: boolean;
  hidden?: ReadonlySet<string>;
  /** Alert periods drawn as bands (and listed in the tooltip). */
  annotations?: readonly PanelAnnotation[];
}): LogVolumeOption {
  const dark = input.dark ?? false;
  const useUTC = input.useUTC ?? false;
  const { text, line } = chartColors(dark);
  const hidden = input.hidden ?? new Set<string>();
  const half = input.stepMs / 2;
  const bars: (BarSeriesOption | LineSeriesOption)[] = input.series
    .filter((s) => !hidden.has(s.name))
    .map((s) => ({
      type: "bar",
      name: s.name,
      stack: "volume",
      color: s.color,
      animation: false,
      emphasis: { disabled: true },
      barCategoryGap: "10%",
      data: s.points.map(([t, v]) => [t + half, v !== null && Number.isFinite(v) ? v : 0]),
    }));
  const alerts = alertAnnotationSeries(input.annotations, { startMs: input.startMs, endMs: input.endMs });
  if (alerts) bars.push(alerts);
  return {
    animation: false,
    useUTC,
    grid: { left: 8, right: 16, top: 12, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: timeAxis(input.startMs, input.endMs, { text, line }),
    yAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { color: text, formatter: (v: number) => formatValue(v, "short") },
      splitLine: { lineStyle: { color: line } },
    },
    tooltip: {
      trigger: "axis",
      confine: true,
      axisPointer: { type: "shadow" },
      backgroundColor: dark ? "#0f172a" : "#ffffff",
      borderColor: line,
      textStyle: { color: dark ? "#e2e8f0" : "#0f172a" },
      formatter: (params: unknown) => volumeTooltip(params, input.stepMs, useUTC, input.annotations),
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
    series: bars,
  };
}
