/** Prometheus query results → chart series and stats (pure). */
import type { ChartPoint, ChartSeries } from "@/components/charts/time-series-option";
import { formatLegend, uniqueNames } from "./legend";
import { parseSampleValue, type PromLabels, type PromMatrixSeries, type PromQueryData } from "./prom-api-client";

export type GraphSeries = ChartSeries & { labels: PromLabels };

/**
 * A range query's matrix → chart series: names from the legend format (unique), values parsed
 * (NaN and ±Inf become gaps), and a gap (null) inserted wherever consecutive samples are more
 * than one step apart, so the line breaks instead of bridging missing data.
 */
export function matrixToSeries(result: readonly PromMatrixSeries[], opts: { legend: string; stepMs: number }): GraphSeries[] {
  const names = uniqueNames(result.map((s) => formatLegend(opts.legend, s.metric)));
  const tolerance = opts.stepMs * 1.5;
  return result.map((s, i) => {
    const points: ChartPoint[] = [];
    let prev: number | null = null;
    for (const [t, raw] of s.values ?? []) {
      const ms = Math.round(t * 1000);
      if (prev !== null && opts.stepMs > 0 && ms - prev > tolerance) points.push([prev + opts.stepMs, null]);
      const v = parseSampleValue(raw);
      points.push([ms, Number.isFinite(v) ? v : null]);
      prev = ms;
    }
    return { name: names[i]!, labels: s.metric, points };
  });
}

export type ResultStats = { resultType: PromQueryData["resultType"]; series: number; points: number };

/** Series and sample counts of a result, for the stats line. */
export function resultStats(data: PromQueryData): ResultStats {
  switch (data.resultType) {
    case "matrix":
      return { resultType: "matrix", series: data.result.length, points: data.result.reduce((n, s) => n + (s.values?.length ?? 0), 0) };
    case "vector":
      return { resultType: "vector", series: data.result.length, points: data.result.length };
    default:
      return { resultType: data.resultType, series: 0, points: 1 };
  }
}
