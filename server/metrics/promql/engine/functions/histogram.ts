/**
 * histogram_quantile and histogram_fraction over classic histograms (`le` bucket series). Native
 * histograms are out of scope: the native-only functions (histogram_count, …) find no input.
 */
import type { Call } from "../../ast";
import type { Evaluator } from "../evaluator";
import { dropLabels, labelsKey, METRIC_NAME } from "../labels";
import { mergeSameLabels } from "../series-ops";
import type { StepSeries } from "../types";

interface Bucket {
  upperBound: number;
  count: number;
}

/** Go `strconv.ParseFloat` for `le` values: decimals, exponents, Inf/Infinity, NaN, hex. */
export function parseGoFloat(s: string): number | undefined {
  const m = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (m) return m[1] === "-" ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s) && !s.includes("_")) return Number(s);
  if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return (s[0] === "-" ? -1 : 1) * parseInt(s.replace(/^[+-]?0x/i, ""), 16);
  return undefined;
}

function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const minNormal = 2.2250738585072014e-308;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Sorts by upper bound and sums buckets with equal bounds (`0.2` and `2e-1`). */
function coalesce(buckets: Bucket[]): Bucket[] {
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  const out: Bucket[] = [];
  for (const b of buckets) {
    const last = out[out.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else out.push({ ...b });
  }
  return out;
}

/** Raises counts that dip below an earlier bucket; returns whether a real dip was fixed. */
function ensureMonotonic(buckets: Bucket[]): boolean {
  let forced = false;
  let prev = buckets[0].count;
  for (let i = 1; i < buckets.length; i++) {
    const cur = buckets[i].count;
    if (cur === prev) continue;
    if (almostEqual(prev, cur, 1e-12)) {
      buckets[i].count = prev;
      continue;
    }
    if (cur < prev) {
      buckets[i].count = prev;
      forced = true;
      continue;
    }
    prev = cur;
  }
  return forced;
}

/** φ-quantile of a classic histogram, linear interpolation inside the bucket. */
export function bucketQuantile(q: number, input: Bucket[]): { value: number; forcedMonotonic: boolean } {
  if (Number.isNaN(q)) return { value: NaN, forcedMonotonic: false };
  if (q < 0) return { value: -Infinity, forcedMonotonic: false };
  if (q > 1) return { value: Infinity, forcedMonotonic: false };
  const sorted = input.slice().sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0 || sorted[sorted.length - 1].upperBound !== Infinity) return { value: NaN, forcedMonotonic: false };
  const buckets = coalesce(sorted);
  const forcedMonotonic = ensureMonotonic(buckets);
  if (buckets.length < 2) return { value: NaN, forcedMonotonic };
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0 || Number.isNaN(observations)) return { value: NaN, forcedMonotonic };
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && !(buckets[b].count >= rank)) b++;
  if (b === buckets.length - 1) return { value: buckets[buckets.length - 2].upperBound, forcedMonotonic };
  if (b === 0 && buckets[0].upperBound <= 0) return { value: buckets[0].upperBound, forcedMonotonic };
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic };
}

/** Estimated fraction of observations in [lower, upper] of a classic histogram. */
export function bucketFraction(lower: number, upper: number, input: Bucket[]): number {
  const sorted = input.slice().sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0 || sorted[sorted.length - 1].upperBound !== Infinity) return NaN;
  const buckets = coalesce(sorted);
  ensureMonotonic(buckets);
  const count = buckets[buckets.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    const ub = b.upperBound;
    const lb = i > 0 ? buckets[i - 1].upperBound : ub > 0 ? 0 : -Infinity;
    const interpolate = (v: number): number => {
      if (lb === -Infinity) return rank;
      if (ub === Infinity) return b.count;
      return rank + ((b.count - rank) * (v - lb)) / (ub - lb);
    };
    if (!lowerSet && lb >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lb >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lb < lower && ub > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lb < upper && ub > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

interface BucketGroup {
  labels: StepSeries["labels"];
  name: string;
  members: { series: StepSeries; upperBound: number }[];
}

const BUCKET_EXCLUDED = new Set(["le", METRIC_NAME]);

/** Groups the bucket series of a vector by their labels without `le`. */
function groupBuckets(ev: Evaluator, call: Call, series: StepSeries[]): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of series) {
    const le = s.labels.le ?? "";
    const ub = parseGoFloat(le);
    const name = s.labels[METRIC_NAME] ?? "";
    if (ub === undefined) {
      ev.env.annotations.warn(`bucket label "le" is missing or has a malformed value of "${le}" for metric name "${name}"`, call.args[call.args.length - 1].pos);
      continue;
    }
    const key = labelsKey(dropLabels(s.labels, new Set(["le"])));
    let g = groups.get(key);
    if (!g) {
      g = { labels: dropLabels(s.labels, BUCKET_EXCLUDED), name, members: [] };
      groups.set(key, g);
    }
    g.members.push({ series: s, upperBound: ub });
  }
  return [...groups.values()];
}

function perStep(ev: Evaluator, groups: BucketGroup[], f: (buckets: Bucket[], step: number, g: BucketGroup) => number): StepSeries[] {
  const out: StepSeries[] = [];
  for (const g of groups) {
    const s = ev.newSeries(g.labels);
    let any = false;
    for (let i = 0; i < ev.n; i++) {
      const buckets: Bucket[] = [];
      for (const m of g.members) if (m.series.present[i] === 1) buckets.push({ upperBound: m.upperBound, count: m.series.values[i] });
      if (buckets.length === 0) continue;
      s.values[i] = f(buckets, i, g);
      s.present[i] = 1;
      any = true;
    }
    if (any) out.push(s);
  }
  return mergeSameLabels(out);
}

export function histogramQuantile(ev: Evaluator, call: Call): StepSeries[] {
  const q = ev.evalScalar(call.args[0]);
  const series = ev.evalVector(call.args[1]);
  const groups = groupBuckets(ev, call, series);
  for (let i = 0; i < ev.n; i++) {
    if (!(q[i] >= 0 && q[i] <= 1)) ev.env.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(q[i])}`, call.args[0].pos);
  }
  return perStep(ev, groups, (buckets, i, g) => {
    const r = bucketQuantile(q[i], buckets);
    if (r.forcedMonotonic) {
      ev.env.annotations.info(
        `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "${g.name}"`,
        call.args[1].pos,
      );
    }
    return r.value;
  });
}

export function histogramFraction(ev: Evaluator, call: Call): StepSeries[] {
  const lower = ev.evalScalar(call.args[0]);
  const upper = ev.evalScalar(call.args[1]);
  const groups = groupBuckets(ev, call, ev.evalVector(call.args[2]));
  return perStep(ev, groups, (buckets, i) => bucketFraction(lower[i], upper[i], buckets));
}

/** Go's %g-ish rendering used in annotation messages. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}
