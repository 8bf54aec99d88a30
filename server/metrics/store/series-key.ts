/**
 * Canonical identity of a series: its labels sorted by name, joined with separators that cannot
 * occur in label names (and are escaped out of values by construction: 0xff never appears in
 * UTF-8 text). The MD5 of that string is the `metric_series.fingerprint`.
 */
import { createHash } from "node:crypto";
import type { Labels } from "@/server/metrics/model";

export const SEP_PAIR = "\u00ff";
export const SEP_KV = "\u00fe";

/** Sorted label names of a set (cheap for the usual ≤ 15 labels). */
export function sortedLabelNames(labels: Labels): string[] {
  return Object.keys(labels).sort();
}

/** The canonical key: equal for equal label sets, whatever the key order; empty values ignored. */
export function seriesKey(labels: Labels): string {
  let key = "";
  for (const name of sortedLabelNames(labels)) {
    const value = labels[name];
    if (value === "" || value === undefined) continue;
    key += name + SEP_KV + value + SEP_PAIR;
  }
  return key;
}

export function fingerprintOfKey(key: string): Buffer {
  return createHash("md5").update(key).digest();
}

/** The labels without empty values, in name order (the form stored in `metric_series.labels`). */
export function normaliseLabels(labels: Labels): Labels {
  const out: Labels = {};
  for (const name of sortedLabelNames(labels)) {
    const value = labels[name];
    if (value !== "" && value !== undefined) out[name] = value;
  }
  return out;
}
