/** Runs a function over each step's window (start, end] of every series of a range argument. */
import type { RollupColumns } from "../../../model";
import type { Evaluator } from "../evaluator";
import { PromQLExecError } from "../types";
import { dropMetricName } from "../labels";
import { mergeSameLabels } from "../series-ops";
import type { RangeArg, RangeSeries, StepSeries } from "../types";

export interface Window {
  /** Exclusive start and inclusive end of the window, ms. */
  start: number;
  end: number;
  range: number;
  /** Step index and the step's own timestamp (differs from `end` under offset / @). */
  step: number;
  evalT: number;
}

/**
 * Returns the value for samples [from, to) of the window, or undefined for no output. `series`,
 * when set, runs once per series before its windows (for per-series precomputation).
 */
export type WindowFn = ((ts: ArrayLike<number>, vs: ArrayLike<number>, from: number, to: number, w: Window) => number | undefined) & {
  series?: (ts: ArrayLike<number>, vs: ArrayLike<number>) => void;
  /** The same function over rollup buckets [from, to) (all inside the window); see ROLLUP_RANGE_FUNCS. */
  rollup?: (r: RollupColumns, from: number, to: number, w: Window) => number | undefined;
  /**
   * Optional: the function over every window of one series at once (samples, no rollups), for
   * windows (windowEnd[i] − range, windowEnd[i]]; sets values/present like windowValues and
   * returns whether any window had a value. Must equal calling the function per window.
   */
  windows?: (ts: ArrayLike<number>, vs: ArrayLike<number>, windowEnd: Float64Array, range: number, values: Float64Array, present: Uint8Array) => boolean;
};

export function overWindows(ev: Evaluator, arg: RangeArg, fn: WindowFn, keepName = false): StepSeries[] {
  const n = ev.n;
  const out: StepSeries[] = [];
  const w = newWindow(arg);
  let count = 0;
  let values = new Float64Array(n);
  let present = new Uint8Array(n);
  for (const s of arg.series) {
    if ((++count & 255) === 0) ev.checkTimeout();
    if (!windowValues(ev, arg, s, fn, w, values, present)) continue;
    out.push({ labels: keepName ? s.labels : dropMetricName(s.labels), values, present });
    values = new Float64Array(n);
    present = new Uint8Array(n);
  }
  return keepName ? out : mergeSameLabels(out);
}

/** A Window to pass to windowValues (reused across series). */
export function newWindow(arg: RangeArg): Window {
  return { start: 0, end: 0, range: arg.range, step: 0, evalT: 0 };
}

/**
 * `fn` over the windows of one series of `arg`: sets values[i] and present[i] = 1 for each step
 * with a result and returns whether there was one; values and present must be zero on entry
 * (their length is the step count) and are left untouched where there is no result.
 * `perWindowOnly`: call the function per window even when it has a whole-series form (tests).
 */
export function windowValues(ev: Evaluator, arg: RangeArg, s: RangeSeries, fn: WindowFn, w: Window, values: Float64Array, present: Uint8Array, perWindowOnly = false): boolean {
  const n = ev.n;
  const rollup = s.rollup;
  const onRollup = rollup && fn.rollup;
  if (rollup && !onRollup) throw new PromQLExecError("execution", "internal error: rollup data for a function that cannot use it");
  // Over rollups a window holds the buckets whose end lies in (start, end].
  const ts = rollup ? rollup.end : s.ts;
  const vs = s.vs;
  const len = ts.length;
  if (len === 0) return false;
  if (!rollup && fn.windows && !perWindowOnly) return fn.windows(ts, vs, arg.windowEnd, arg.range, values, present);
  if (!rollup) fn.series?.(ts, vs);
  const windowEnd = arg.windowEnd;
  const range = arg.range;
  let lo = 0;
  let hi = 0;
  let prevEnd = -Infinity;
  let any = false;
  for (let i = 0; i < n; i++) {
    const end = windowEnd[i];
    const start = end - range;
    if (end < prevEnd) {
      lo = 0;
      hi = 0;
    }
    prevEnd = end;
    while (lo < len && ts[lo] <= start) lo++;
    if (hi < lo) hi = lo;
    while (hi < len && ts[hi] <= end) hi++;
    if (hi <= lo) continue;
    w.start = start;
    w.end = end;
    w.step = i;
    w.evalT = ev.steps[i];
    const r = onRollup ? onRollup(rollup, lo, hi, w) : fn(ts, vs, lo, hi, w);
    if (r === undefined) continue;
    values[i] = r;
    present[i] = 1;
    any = true;
  }
  return any;
}
