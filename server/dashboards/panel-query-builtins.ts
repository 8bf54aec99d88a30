/**
 * The pure half of a panel query: the step a PromQL target runs at, the range aligned to it, and
 * the built-in variables Grafana fills in PromQL (`$__interval`, `$__rate_interval`, `$__range`…).
 * Dashboard variables (`$job`) are interpolated by the client before the query is sent; only the
 * built-ins left in the expression are filled here, with the step actually used.
 *
 * Pure: no I/O, safe anywhere.
 */
import { formatDuration, parseDuration } from "@/server/metrics/duration";

/** The scrape interval `$__rate_interval` assumes (Grafana's default for a Prometheus data source). */
export const SCRAPE_INTERVAL_MS = 15_000;
/** Most points per series a range query may ask for (Prometheus's limit). */
export const MAX_POINTS_PER_SERIES = 11_000;

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
