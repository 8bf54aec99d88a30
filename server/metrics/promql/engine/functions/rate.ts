/**
 * rate, increase, delta (extrapolated to the window edges), irate, idelta, deriv and
 * predict_linear (least squares), changes, resets. Semantics follow Prometheus's functions docs.
 */
import { kahanSumInc } from "../kahan";
import type { RollupColumns } from "../../../model";
import type { Window, WindowFn } from "./windows";

/**
 * Prometheus's extrapolation: the increase between the first and last sample (counter resets
 * added back for counters), extrapolated towards the window edges: all the way when the gap to
 * an edge is under 1.1× the average sample interval, else by half an interval; a counter is
 * never extrapolated below zero.
 */
export function extrapolatedRate(isCounter: boolean, isRate: boolean): WindowFn {
  // resets[i]: number of counter resets at indices 1..i of the current series, so a window
  // without any skips the reset scan.
  let resets = new Int32Array(0);
  const fn: WindowFn = (ts, vs, from, to, w) => {
    if (to - from < 2) return undefined;
    const last = to - 1;
    const firstV = vs[from];
    let result = vs[last] - firstV;
    if (isCounter && resets[last] !== resets[from]) {
      let prev = 0;
      for (let i = from; i < to; i++) {
        const v = vs[i];
        if (v < prev) result += prev;
        prev = v;
      }
    }
    return extrapolate(isCounter, isRate, result, firstV, ts[from], ts[last], to - from, w);
  };
  fn.rollup = extrapolatedRateOverRollups(isCounter, isRate);
  fn.windows = (ts, vs, windowEnd, range, values, present) => extrapolatedWindows(isCounter, isRate, ts, vs, windowEnd, range, values, present);
  if (isCounter) {
    fn.series = (_ts, vs) => {
      if (resets.length < vs.length) resets = new Int32Array(Math.max(vs.length, resets.length * 2));
      let n = 0;
      resets[0] = 0;
      for (let i = 1; i < vs.length; i++) {
        if (vs[i] < vs[i - 1]) n++;
        resets[i] = n;
      }
    };
  }
  return fn;
}

/**
 * The function over every window of one series (WindowFn.windows): what calling it per window
 * computes, in one loop — counter resets counted as the window slides instead of per series
 * beforehand, the range in seconds divided once.
 */
function extrapolatedWindows(
  isCounter: boolean,
  isRate: boolean,
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  windowEnd: Float64Array,
  range: number,
  values: Float64Array,
  present: Uint8Array,
): boolean {
  const len = ts.length;
  const n = windowEnd.length;
  const rangeSeconds = range / 1000;
  let lo = 0;
  let hi = 0;
  // Counter resets between consecutive samples inside [lo, hi).
  let drops = 0;
  let prevEnd = -Infinity;
  let any = false;
  for (let i = 0; i < n; i++) {
    const end = windowEnd[i];
    const start = end - range;
    if (end < prevEnd) {
      lo = 0;
      hi = 0;
      drops = 0;
    }
    prevEnd = end;
    while (lo < len && ts[lo] <= start) {
      if (lo + 1 < hi && vs[lo + 1] < vs[lo]) drops--;
      lo++;
    }
    if (hi < lo) {
      hi = lo;
      drops = 0;
    }
    while (hi < len && ts[hi] <= end) {
      if (hi > lo && vs[hi] < vs[hi - 1]) drops++;
      hi++;
    }
    if (hi - lo < 2) continue;
    const last = hi - 1;
    const firstV = vs[lo];
    let result = vs[last] - firstV;
    if (isCounter && drops > 0) {
      let prev = 0;
      for (let k = lo; k < hi; k++) {
        const v = vs[k];
        if (v < prev) result += prev;
        prev = v;
      }
    }
    values[i] = extrapolateIn(isCounter, isRate, result, firstV, ts[lo], ts[last], hi - lo, start, end, rangeSeconds);
    present[i] = 1;
    any = true;
  }
  return any;
}

/** Prometheus's extrapolation of `result` (the increase from the first to the last sample of the window). */
function extrapolate(isCounter: boolean, isRate: boolean, result: number, firstV: number, firstT: number, lastT: number, count: number, w: Window): number {
  return extrapolateIn(isCounter, isRate, result, firstV, firstT, lastT, count, w.start, w.end, w.range / 1000);
}

/** extrapolate over the window (start, end] of `rangeSeconds` (= range / 1000). */
function extrapolateIn(
  isCounter: boolean,
  isRate: boolean,
  result: number,
  firstV: number,
  firstT: number,
  lastT: number,
  count: number,
  start: number,
  end: number,
  rangeSeconds: number,
): number {
  let durationToStart = (firstT - start) / 1000;
  let durationToEnd = (end - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (count - 1);
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeSeconds;
  return result * factor;
}

/**
 * The same over rollup buckets: the first and last sample, the sample count and the counter
 * corrections are exactly those of the raw window, so only the summation order of the
 * corrections differs from raw (bit-identical when no counter reset is in the window).
 */
function extrapolatedRateOverRollups(isCounter: boolean, isRate: boolean) {
  return (r: RollupColumns, from: number, to: number, w: Window): number | undefined => {
    let count = 0;
    for (let k = from; k < to; k++) count += r.count[k];
    if (count < 2) return undefined;
    const last = to - 1;
    const firstV = r.first[from];
    let result = r.last[last] - firstV;
    if (isCounter) {
      for (let k = from; k < to; k++) {
        if (r.corr[k] !== 0) result += r.corr[k];
        if (k > from && r.first[k] < r.last[k - 1]) result += r.last[k - 1];
      }
    }
    return extrapolate(isCounter, isRate, result, firstV, r.firstTs[from], r.lastTs[last], count, w);
  };
}

/** irate / idelta: the last two samples of the window. */
export function instantValue(isRate: boolean): WindowFn {
  return (ts, vs, from, to) => {
    if (to - from < 2) return undefined;
    const last = vs[to - 1];
    const prev = vs[to - 2];
    const interval = ts[to - 1] - ts[to - 2];
    if (interval === 0) return undefined;
    let result = isRate && last < prev ? last : last - prev;
    if (isRate) result /= interval / 1000;
    return result;
  };
}

const buf = new Float64Array(2);

/** Least-squares slope and intercept at `interceptTime` (ms), compensated sums. */
export function linearRegression(ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number, interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = vs[from];
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = vs[i];
    if (constY && i > from && y !== initY) constY = false;
    n++;
    const x = (ts[i] - interceptTime) / 1000;
    kahanSumInc(x, sumX, cX, buf);
    sumX = buf[0];
    cX = buf[1];
    kahanSumInc(y, sumY, cY, buf);
    sumY = buf[0];
    cY = buf[1];
    kahanSumInc(x * y, sumXY, cXY, buf);
    sumXY = buf[0];
    cXY = buf[1];
    kahanSumInc(x * x, sumX2, cX2, buf);
    sumX2 = buf[0];
    cX2 = buf[1];
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

export const deriv: WindowFn = (ts, vs, from, to) => {
  if (to - from < 2) return undefined;
  return linearRegression(ts, vs, from, to, ts[from])[0];
};

export function predictLinear(durationSeconds: Float64Array): WindowFn {
  return (ts, vs, from, to, w) => {
    if (to - from < 2) return undefined;
    const [slope, intercept] = linearRegression(ts, vs, from, to, w.evalT);
    return slope * durationSeconds[w.step] + intercept;
  };
}

export const changes: WindowFn = (_ts, vs, from, to) => {
  let n = 0;
  let prev = vs[from];
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i];
    if (!(cur === prev || (Number.isNaN(cur) && Number.isNaN(prev)))) n++;
    prev = cur;
  }
  return n;
};

export const resets: WindowFn = (_ts, vs, from, to) => {
  let n = 0;
  let prev = vs[from];
  for (let i = from + 1; i < to; i++) {
    const cur = vs[i];
    if (cur < prev) n++;
    prev = cur;
  }
  return n;
};
