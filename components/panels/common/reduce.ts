/**
 * Reducing a series to one value (stat, gauge, bar gauge, table, legend calculations), with
 * Grafana's reducer names and meanings. Pure.
 *
 * Missing points (`null`) and NaN are skipped by every reducer except `first` and `last`, which
 * return the first/last point as it is. With no usable point the answer is `null` (`count`: 0),
 * so the panel shows its "No value" text.
 */
import type { Reducer } from "@/server/dashboards/model";

export type { Reducer };

export const REDUCER_LABELS: Record<Reducer, string> = {
  last: "Last",
  lastNotNull: "Last *",
  first: "First",
  firstNotNull: "First *",
  mean: "Mean",
  min: "Min",
  max: "Max",
  sum: "Total",
  count: "Count",
  range: "Range",
  delta: "Delta",
  diff: "Difference",
};

/** Reducers in the order the option pickers list them. */
export const REDUCERS: readonly Reducer[] = ["lastNotNull", "last", "firstNotNull", "first", "mean", "min", "max", "sum", "count", "range", "delta", "diff"];

const usable = (v: number | null): v is number => v !== null && !Number.isNaN(v);

export function reduceSeries(points: readonly (readonly [number, number | null])[], reducer: Reducer): number | null {
  switch (reducer) {
    case "first":
      return points.length ? normalise(points[0]![1]) : null;
    case "last":
      return points.length ? normalise(points[points.length - 1]![1]) : null;
    case "firstNotNull":
      for (const p of points) if (usable(p[1])) return p[1];
      return null;
    case "lastNotNull":
      for (let i = points.length - 1; i >= 0; i--) if (usable(points[i]![1])) return points[i]![1];
      return null;
    default:
      return aggregate(points, reducer);
  }
}

/** NaN counts as missing for the first/last reducers too. */
const normalise = (v: number | null): number | null => (usable(v) ? v : null);

function aggregate(points: readonly (readonly [number, number | null])[], reducer: Reducer): number | null {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let first: number | null = null;
  let prev: number | null = null;
  let delta = 0;
  for (const [, v] of points) {
    if (!usable(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (first === null) first = v;
    // Counter semantics: a drop is a reset, after which the counter counted up from zero.
    if (prev !== null) delta += v >= prev ? v - prev : v;
    prev = v;
  }
  if (reducer === "count") return count;
  if (count === 0) return null;
  switch (reducer) {
    case "mean":
      return sum / count;
    case "min":
      return min;
    case "max":
      return max;
    case "sum":
      return sum;
    case "range":
      return max - min;
    case "delta":
      return delta;
    case "diff":
      return prev! - first!;
    default:
      return null;
  }
}
