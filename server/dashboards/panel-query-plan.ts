/**
 * The pure half of a panel query (panel-query.ts): the step a PromQL target runs at, the range
 * aligned to it, the built-in variables Grafana fills in PromQL (`$__interval`,
 * `$__rate_interval`, `$__range`…), and engine results as frames on the step grid.
 * Dashboard variables (`$job`) are interpolated by the client before the query is sent; only the
 * built-ins left in the expression are filled here, with the step actually used.
 *
 * Pure: no I/O, safe anywhere.
 */
import { formatLegend, uniqueNames } from "@/components/metrics/legend";
import { formatDuration, parseDuration } from "@/server/metrics/duration";
import type { Labels } from "@/server/metrics/model";
import { PromQLExecError, type QueryResult } from "@/server/metrics/promql/engine/types";
import type { LogTarget, PromTarget } from "./model";
import type { SeriesFrame } from "./panel-data";

/** The scrape interval `$__rate_interval` assumes (Grafana's default for a Prometheus data source). */
export const SCRAPE_INTERVAL_MS = 15_000;
/** Most points per series a range query may ask for (Prometheus's limit). */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Most log histogram buckets one target may ask for (the search service's own limit). */
const MAX_LOG_BUCKETS = 10_000;

/**
 * The step of a range query: the panel's interval, never below the target's own minimum interval,
 * raised where needed so the range gives at most 11,000 points (as Grafana's "safe interval").
 */
export function promStep(intervalMs: number, rangeMs: number, targetInterval?: string): number {
  const min = targetInterval ? (parseDuration(targetInterval) ?? 0) : 0;
  const safe = Math.ceil(Math.max(0, rangeMs) / MAX_POINTS_PER_SERIES);
  return Math.max(1, Math.round(intervalMs), min, safe);
}

/** Start and end moved down to multiples of `step` (epoch based, UTC), as Grafana aligns range queries. */
export function alignRange(start: number, end: number, step: number): { start: number; end: number } {
  return { start: Math.floor(start / step) * step, end: Math.floor(end / step) * step };
}

/** Grafana's `$__rate_interval`: at least four scrape intervals, and at least one step plus a scrape interval. */
export function rateInterval(intervalMs: number, scrapeIntervalMs = SCRAPE_INTERVAL_MS): number {
  return Math.max(4 * scrapeIntervalMs, intervalMs + scrapeIntervalMs);
}

/** Values of the built-ins for one evaluation. */
export function builtinValues(intervalMs: number, rangeMs: number): Record<string, string> {
  const rangeS = Math.round(rangeMs / 1000);
  return {
    __interval: formatDuration(intervalMs),
    __interval_ms: String(intervalMs),
    __rate_interval: formatDuration(rateInterval(intervalMs)),
    __rate_interval_ms: String(rateInterval(intervalMs)),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(Math.round(rangeMs)),
  };
}

// `${__name}`, `[[__name]]` or `$__name` (the longest name wins: `$__interval_ms` before `$__interval`).
const BUILTIN_RE = /\$\{(__[A-Za-z_]+)\}|\[\[(__[A-Za-z_]+)\]\]|\$(__[A-Za-z_]+)/g;

/** Fills the built-ins still present in `expr`; anything else is left as written. */
export function interpolateBuiltins(expr: string, intervalMs: number, rangeMs: number): string {
  const values = builtinValues(intervalMs, rangeMs);
  return expr.replace(BUILTIN_RE, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c!;
    const v = values[name];
    if (v !== undefined) return v;
    if (c) {
      // `$__interval_msfoo` is not a built-in, but its longest built-in prefix is (as Grafana reads it).
      const prefix = Object.keys(values)
        .filter((k) => name.startsWith(k))
        .sort((x, y) => y.length - x.length)[0];
      if (prefix) return values[prefix] + name.slice(prefix.length);
    }
    return whole;
  });
}

/** The panel's range and interval. */
export type PlanRange = { start: number; end: number; intervalMs: number };

/** What one target evaluates: the target with built-ins filled, the (aligned) range and step. */
export interface Plan<T extends PromTarget | LogTarget = PromTarget | LogTarget> {
  target: T;
  start: number;
  end: number;
  step: number;
}

/** A PromQL target's step, aligned range and expression. Instant targets evaluate at the end, aligned to the scrape interval at most. */
export function planProm(target: PromTarget, range: PlanRange): Plan<PromTarget> {
  const rangeMs = range.end - range.start;
  const step = promStep(range.intervalMs, rangeMs, target.interval);
  const expr = interpolateBuiltins(target.expr, step, rangeMs);
  const evaluated: PromTarget = { ...target, expr };
  if (target.instant) {
    // Sharing the cache needs a common time; a scrape interval is as fine as the data gets.
    const grain = Math.min(step, SCRAPE_INTERVAL_MS);
    const at = Math.floor(range.end / grain) * grain;
    return { target: evaluated, start: at, end: at, step: 0 };
  }
  const aligned = alignRange(range.start, range.end, step);
  return { target: evaluated, ...aligned, step };
}

/** A log target's range: lines to whole seconds, counts to whole buckets of the step. */
export function planLogs(target: LogTarget, range: PlanRange): Plan<LogTarget> {
  if (target.mode === "lines") {
    return { target, start: Math.floor(range.start / 1000) * 1000, end: Math.floor(range.end / 1000) * 1000 + 999, step: 0 };
  }
  const step = Math.max(1, range.intervalMs, Math.ceil((range.end - range.start + 1) / (MAX_LOG_BUCKETS - 10)));
  const start = Math.floor(range.start / step) * step;
  const end = Math.floor(range.end / step) * step + step - 1;
  return { target, start, end, step };
}

/** Series names: the legend format applied (unique), or the label set; a label-less series is named by its expression. */
export function seriesNames(labelSets: readonly Labels[], target: Pick<PromTarget, "expr" | "legendFormat">): string[] {
  const legend = target.legendFormat ?? "";
  return uniqueNames(labelSets.map((l) => (Object.keys(l).length === 0 && !legend.trim() ? target.expr : formatLegend(legend, l))));
}

/** A range result on the step grid: one point per step from start to end, `null` where the series has no value. */
export function rangeFrames(r: QueryResult, target: Pick<PromTarget, "expr" | "legendFormat">, plan: { start: number; end: number; step: number }): SeriesFrame[] {
  if (r.resultType !== "matrix") return instantFrames(r, target);
  const n = Math.floor((plan.end - plan.start) / plan.step) + 1;
  const names = seriesNames(
    r.result.map((s) => s.labels),
    target,
  );
  return r.result.map((s, i) => {
    const points: [number, number | null][] = new Array(n);
    for (let k = 0; k < n; k++) points[k] = [plan.start + k * plan.step, null];
    for (let j = 0; j < s.timestamps.length; j++) {
      const k = Math.round((s.timestamps[j]! - plan.start) / plan.step);
      if (k >= 0 && k < n) points[k]![1] = s.values[j]!;
    }
    return { name: names[i]!, labels: { ...s.labels }, points };
  });
}

/** An instant result: one point per series. */
export function instantFrames(r: QueryResult, target: Pick<PromTarget, "expr" | "legendFormat">): SeriesFrame[] {
  switch (r.resultType) {
    case "vector": {
      const names = seriesNames(
        r.result.map((s) => s.labels),
        target,
      );
      return r.result.map((s, i) => ({ name: names[i]!, labels: { ...s.labels }, points: [[s.t, s.v]] }));
    }
    case "scalar":
      return [{ name: seriesNames([{}], target)[0]!, labels: {}, points: [[r.result.t, r.result.v]] }];
    case "matrix": {
      const names = seriesNames(
        r.result.map((s) => s.labels),
        target,
      );
      return r.result.map((s, i) => ({ name: names[i]!, labels: { ...s.labels }, points: Array.from(s.timestamps, (t, j): [number, number | null] => [t, s.values[j]!]) }));
    }
    case "string":
      throw new PromQLExecError("bad_data", "a string result cannot be shown in a panel");
  }
}

