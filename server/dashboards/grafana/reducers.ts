/**
 * Grafana reducer ids (stat/gauge `reduceOptions.calcs`, legend calcs) and the legacy names of
 * graph legends (`avg`, `current`, `total`) and singlestat's `valueName` → our reducers.
 */
import type { Reducer } from "../model";

const SAME: readonly Reducer[] = ["last", "lastNotNull", "first", "firstNotNull", "mean", "min", "max", "sum", "count", "range", "delta", "diff"];

const LEGACY: Record<string, Reducer> = { avg: "mean", average: "mean", total: "sum", current: "last" };

/** A Grafana reducer id as ours, or undefined when we have no such reducer (median, stdDev, …). */
export function reducerOf(id: unknown): Reducer | undefined {
  if (typeof id !== "string") return undefined;
  if ((SAME as readonly string[]).includes(id)) return id as Reducer;
  return LEGACY[id];
}

/**
 * Singlestat's `valueName`: `current` is the last non-null value there (Grafana's own migration
 * to stat says the same); `name` shows the series name (handled by the caller as text mode).
 */
export function singlestatReducer(valueName: unknown): Reducer | undefined {
  if (valueName === "current" || valueName === undefined || valueName === "name") return "lastNotNull";
  return reducerOf(valueName);
}

/** Graph legend flags (`min`, `max`, `avg`, `current`, `total`) → calcs, in Grafana's order. */
export function graphLegendCalcs(legend: Record<string, unknown>): Reducer[] {
  const out: Reducer[] = [];
  if (legend.min === true) out.push("min");
  if (legend.max === true) out.push("max");
  if (legend.avg === true) out.push("mean");
  if (legend.current === true) out.push("last");
  if (legend.total === true) out.push("sum");
  return out;
}
