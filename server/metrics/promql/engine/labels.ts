/**
 * Label-set helpers: the canonical key (sorted `name=value` pairs), Prometheus's ordering of
 * label sets, and the small edits the evaluator makes (drop `__name__`, keep/drop lists).
 */
import type { Labels } from "../../model";

export const METRIC_NAME = "__name__";

/** Stable key of a label set: sorted names, `\xff` between name and value, `\xfe` after pairs. */
export function labelsKey(l: Labels): string {
  const names = Object.keys(l);
  if (names.length > 1) names.sort();
  let out = "";
  for (const n of names) out += n + "\xff" + l[n] + "\xfe";
  return out;
}

/** Key over a subset of names (`on(...)`, `by(...)`); names must be sorted. Absent = "". */
export function keyOf(l: Labels, sortedNames: readonly string[]): string {
  let out = "";
  for (const n of sortedNames) out += n + "\xff" + (l[n] ?? "") + "\xfe";
  return out;
}

/** Key over every label except `exclude` (a set, usually holding `__name__`). */
export function keyWithout(l: Labels, exclude: ReadonlySet<string>): string {
  const names = Object.keys(l).filter((n) => !exclude.has(n));
  if (names.length > 1) names.sort();
  let out = "";
  for (const n of names) out += n + "\xff" + l[n] + "\xfe";
  return out;
}

/** Prometheus `labels.Compare`: pairwise over sorted labels by name, then value; shorter first. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    if (an[i] !== bn[i]) return an[i] < bn[i] ? -1 : 1;
    const av = a[an[i]];
    const bv = b[bn[i]];
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}

export function dropMetricName(l: Labels): Labels {
  if (!(METRIC_NAME in l)) return l;
  const out: Labels = {};
  for (const n in l) if (n !== METRIC_NAME) out[n] = l[n];
  return out;
}

export function keepLabels(l: Labels, names: readonly string[]): Labels {
  const out: Labels = {};
  for (const n of names) {
    const v = l[n];
    if (v !== undefined && v !== "") out[n] = v;
  }
  return out;
}

export function dropLabels(l: Labels, names: ReadonlySet<string>): Labels {
  const out: Labels = {};
  for (const n in l) if (!names.has(n)) out[n] = l[n];
  return out;
}

/** `{a="b", c="d"}` in Prometheus's print format (sorted), for messages. */
export function formatLabels(l: Labels): string {
  const names = Object.keys(l).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(l[n])}`).join(", ")}}`;
}
