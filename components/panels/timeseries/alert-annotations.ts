/**
 * Alert annotations on time-axis panels (pure): alert periods (server/alerting/alert-periods.ts)
 * as translucent vertical bands (ECharts markArea) with a thin line where each began (markLine):
 * firing red, pending amber, no data and error grey. Hovering a band shows its rule title on it;
 * the axis tooltip lists the periods going on at the hovered time with their labels.
 */
import type { LineSeriesOption } from "echarts/charts";
import type { MarkAreaComponentOption, MarkLineComponentOption } from "echarts/components";
import { escapeHtml } from "@/components/charts/time-series-option";
import { periodsAt, type AlertPeriod, type AlertPeriodState } from "@/server/alerting/alert-periods";

/** What a panel is given: the dashboard's alert periods. */
export type PanelAnnotation = AlertPeriod;

/** The series that carries the bands and lines (no data, no tooltip row of its own). */
export const ALERT_ANNOTATION_SERIES = "__alert_annotations";

/** Bands drawn per panel at most (the latest); the tooltip still lists every period. */
export const MAX_DRAWN_PERIODS = 500;

export const ANNOTATION_STYLE: Record<AlertPeriodState, { color: string; opacity: number; label: string }> = {
  firing: { color: "#ef4444", opacity: 0.12, label: "Firing" },
  pending: { color: "#f59e0b", opacity: 0.12, label: "Pending" },
  nodata: { color: "#94a3b8", opacity: 0.16, label: "No data" },
  error: { color: "#94a3b8", opacity: 0.16, label: "Error" },
};

/** `{alertname="X", instance="a"}` without `alertname` (the title says it). */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).filter(([k]) => k !== "alertname");
  return entries.length ? `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}` : "";
}

/** The periods to draw over [startMs, endMs], each with the part inside it (open ones reach the end). */
export function visiblePeriods(periods: readonly PanelAnnotation[], startMs: number, endMs: number): { period: PanelAnnotation; from: number; to: number }[] {
  const out: { period: PanelAnnotation; from: number; to: number }[] = [];
  for (const p of periods) {
    const from = Math.max(p.start, startMs);
    const to = Math.min(p.end ?? endMs, endMs);
    if (to <= from) continue;
    out.push({ period: p, from, to });
  }
  return out.length > MAX_DRAWN_PERIODS ? out.slice(out.length - MAX_DRAWN_PERIODS) : out;
}

type AreaPoint = { name?: string; xAxis: number; itemStyle?: { color: string; opacity: number } };

/**
 * The series drawing the periods over the panel's range, or null when none is in it. A period
 * begun inside the range gets a line at its start; one begun before has only its band.
 */
export function alertAnnotationSeries(periods: readonly PanelAnnotation[] | undefined, range: { startMs: number; endMs: number }): LineSeriesOption | null {
  const shown = visiblePeriods(periods ?? [], range.startMs, range.endMs);
  if (shown.length === 0) return null;
  const areas = shown.map(({ period, from, to }): [AreaPoint, AreaPoint] => {
    const style = ANNOTATION_STYLE[period.state];
    return [{ name: `${style.label}: ${period.ruleTitle}`, xAxis: from, itemStyle: { color: style.color, opacity: style.opacity } }, { xAxis: to }];
  });
  const lines = shown
    .filter(({ period }) => period.start >= range.startMs)
    .map(({ period, from }) => ({ xAxis: from, lineStyle: { color: ANNOTATION_STYLE[period.state].color, width: 1, type: "solid" as const, opacity: 0.9 } }));
  const markArea: MarkAreaComponentOption = {
    animation: false,
    label: { show: false },
    emphasis: { label: { show: true, position: "insideTop", formatter: "{b}", fontSize: 11, color: "#64748b" }, itemStyle: { opacity: 0.3 } },
    data: areas as NonNullable<MarkAreaComponentOption["data"]>,
  };
  const markLine: MarkLineComponentOption = { silent: true, symbol: ["none", "none"], animation: false, label: { show: false }, data: lines };
  return { type: "line", name: ALERT_ANNOTATION_SERIES, data: [], animation: false, tooltip: { show: false }, markArea, ...(lines.length ? { markLine } : {}) };
}

/**
 * Tooltip HTML listing the periods going on at `timeMs` (or at some time of [timeMs, untilMs):
 * a histogram bucket); empty when none.
 */
export function alertTooltipHtml(periods: readonly PanelAnnotation[] | undefined, timeMs: number, opts: { untilMs?: number; max?: number } = {}): string {
  if (!periods?.length || !Number.isFinite(timeMs)) return "";
  const max = opts.max ?? 8;
  const until = opts.untilMs ?? timeMs;
  const now = until > timeMs ? periods.filter((p) => p.start < until && (p.end === null || p.end > timeMs)) : periodsAt(periods, timeMs);
  if (now.length === 0) return "";
  const rows = now.slice(0, max).map((p) => {
    const style = ANNOTATION_STYLE[p.state];
    const labels = labelsText(p.labels);
    return (
      `<div style="display:flex;gap:6px;align-items:baseline;min-width:0"><span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${style.color}"></span>` +
      `<span style="white-space:nowrap"><b>${escapeHtml(style.label)}</b> ${escapeHtml(p.ruleTitle)}</span>` +
      (labels ? `<span style="opacity:.7;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:320px">${escapeHtml(labels)}</span>` : "") +
      `</div>`
    );
  });
  const more = now.length > max ? `<div style="opacity:.7">… ${now.length - max} more alerts</div>` : "";
  return `<div style="font-size:12px;margin-top:6px;padding-top:4px;border-top:1px solid rgba(148,163,184,.4)">${rows.join("")}${more}</div>`;
}
