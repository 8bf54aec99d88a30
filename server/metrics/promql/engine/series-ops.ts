/** Helpers over step series: allocation, merging duplicates, mapping values. */
import type { Labels } from "../../model";
import { labelsKey } from "./labels";
import { execError, type StepSeries } from "./types";

export function newStepSeries(labels: Labels, n: number): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n) };
}

export function hasAny(s: StepSeries): boolean {
  const p = s.present;
  for (let i = 0; i < p.length; i++) if (p[i] === 1) return true;
  return false;
}

export const DUPLICATE_LABELSET = "vector cannot contain metrics with the same labelset";

/**
 * Series whose label sets became equal (after dropping `__name__`, label_replace, …) are merged
 * into one; two of them holding a value at the same step is Prometheus's duplicate-labelset error.
 */
export function mergeSameLabels(series: StepSeries[]): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries>();
  let merged = false;
  const copied = new Set<StepSeries>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, s);
      continue;
    }
    merged = true;
    let out = prev;
    if (!copied.has(prev)) {
      out = { labels: prev.labels, values: Float64Array.from(prev.values), present: Uint8Array.from(prev.present) };
      copied.add(out);
      byKey.set(key, out);
    }
    for (let i = 0; i < s.present.length; i++) {
      if (s.present[i] !== 1) continue;
      if (out.present[i] === 1) throw execError(DUPLICATE_LABELSET);
      out.present[i] = 1;
      out.values[i] = s.values[i];
    }
  }
  return merged ? [...byKey.values()] : series;
}

/** Applies `f` to every present value; labels by `relabel`. Drops series left without values. */
export function mapValues(series: StepSeries[], relabel: (l: Labels) => Labels, f: (v: number, step: number) => number): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of series) {
    const n = s.values.length;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) if (s.present[i] === 1) values[i] = f(s.values[i], i);
    out.push({ labels: relabel(s.labels), values, present: s.present });
  }
  return out;
}
