/** Function calls: dispatch by name to the implementations in this folder. */
import type { Call, Expr } from "../../ast";
import { absentLabels, type Evaluator } from "../evaluator";
import { dropMetricName, METRIC_NAME } from "../labels";
import { mapValues, mergeSameLabels } from "../series-ops";
import { PromQLExecError, type EvalValue, type RangeArg, type StepSeries } from "../types";
import { histogramFraction, histogramQuantile } from "./histogram";
import { labelJoin, labelReplace } from "./labels";
import { DATE_FUNCTIONS, MATH_FUNCTIONS } from "./math";
import * as overTime from "./over-time";
import * as rate from "./rate";
import { sortByLabels, sortByValue } from "./sort";
import { overWindows, type WindowFn } from "./windows";

function unwrap(e: Expr): Expr {
  let x = e;
  while (x.kind === "ParenExpr") x = x.expr;
  return x;
}

const vector = (series: StepSeries[]): EvalValue => ({ kind: "vector", series });

/** Element-wise on a vector: drops `__name__`, merges series that became equal. */
function elementwise(series: StepSeries[], f: (v: number, step: number) => number): StepSeries[] {
  return mergeSameLabels(mapValues(series, dropMetricName, f));
}

const SIMPLE_WINDOW: Record<string, WindowFn> = {
  delta: rate.extrapolatedRate(false, false),
  idelta: rate.instantValue(false),
  irate: rate.instantValue(true),
  deriv: rate.deriv,
  changes: rate.changes,
  resets: rate.resets,
  sum_over_time: overTime.sumOverTime,
  avg_over_time: overTime.avgOverTime,
  count_over_time: overTime.countOverTime,
  min_over_time: overTime.minOverTime,
  max_over_time: overTime.maxOverTime,
  stddev_over_time: overTime.stddevOverTime,
  stdvar_over_time: overTime.stdvarOverTime,
  present_over_time: overTime.presentOverTime,
  mad_over_time: overTime.madOverTime,
};

const COUNTER_SUFFIXES = ["_total", "_sum", "_count", "_bucket"];

function noteNonCounters(ev: Evaluator, call: Call, arg: RangeArg): void {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const s of arg.series) {
    const name = s.labels[METRIC_NAME];
    if (!name || seen.has(name) || s.ts.length === 0) continue;
    seen.add(name);
    names.push(name);
  }
  noteNonCounterNames(ev, call, names);
}

/** The info rate/increase give for metric names (distinct, first seen first) that do not look like counters. */
function noteNonCounterNames(ev: Evaluator, call: Call, names: readonly string[]): void {
  for (const name of names) {
    if (!COUNTER_SUFFIXES.some((x) => name.endsWith(x))) {
      ev.env.annotations.info(`metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "${name}"`, call.args[0].pos);
    }
  }
}

/** The window function of a window call (see windowCall), without evaluating anything. */
export function windowFunction(call: Call): WindowFn | undefined {
  const name = call.func;
  if (Object.hasOwn(SIMPLE_WINDOW, name)) return SIMPLE_WINDOW[name];
  if (name === "rate" || name === "increase") return rate.extrapolatedRate(true, name === "rate");
  return undefined;
}

/**
 * What evaluating a window call does (annotations included), for a call whose selection was
 * streamed (streaming.ts): undefined when it was not. `folded`: the call sits under an
 * aggregation that took its folded result, so only the annotations are due.
 */
export function streamedCall(ev: Evaluator, call: Call, folded = false): StepSeries[] | undefined {
  const st = ev.streamed(call);
  if (!st) return undefined;
  ev.checkTimeout();
  if (call.func === "rate" || call.func === "increase") noteNonCounterNames(ev, call, st.metricNames());
  if (folded) return [];
  return mergeSameLabels(st.series.map((s) => ({ labels: dropMetricName(s.labels), values: s.values, present: s.present })));
}

/**
 * For a call that is one window function over a range argument whose output drops `__name__`
 * (rate, increase, the SIMPLE_WINDOW functions), the argument (evaluated, annotations noted) and
 * the function; undefined for any other call. What evalCall computes for such a call is
 * `overWindows(ev, arg, fn)`: aggregations fold it series by series instead (aggregations.ts).
 */
export function windowCall(ev: Evaluator, call: Call): { arg: RangeArg; fn: WindowFn } | undefined {
  const fn = windowFunction(call);
  if (!fn) return undefined;
  const arg = ev.evalRange(call.args[0]);
  if (call.func === "rate" || call.func === "increase") noteNonCounters(ev, call, arg);
  return { arg, fn };
}

/** Whether windowCall answers for this call (without evaluating anything). */
export function isWindowCall(call: Call): boolean {
  return Object.hasOwn(SIMPLE_WINDOW, call.func) || call.func === "rate" || call.func === "increase";
}

export function evalCall(ev: Evaluator, call: Call): EvalValue {
  const name = call.func;
  const args = call.args;

  const streamed = streamedCall(ev, call);
  if (streamed) return vector(streamed);
  const windowed = windowCall(ev, call);
  if (windowed) return vector(overWindows(ev, windowed.arg, windowed.fn));
  const math = MATH_FUNCTIONS[name];
  if (math) return vector(elementwise(ev.evalVector(args[0]), math));
  const date = DATE_FUNCTIONS[name];
  if (date) {
    if (args.length === 0) {
      const s = ev.newSeries({});
      for (let i = 0; i < ev.n; i++) {
        s.values[i] = date(ev.steps[i] / 1000);
        s.present[i] = 1;
      }
      return vector([s]);
    }
    return vector(elementwise(ev.evalVector(args[0]), date));
  }

  switch (name) {
    case "predict_linear": {
      const arg = ev.evalRange(args[0]);
      return vector(overWindows(ev, arg, rate.predictLinear(ev.evalScalar(args[1]))));
    }
    case "quantile_over_time": {
      const q = ev.evalScalar(args[0]);
      const arg = ev.evalRange(args[1]);
      for (const v of q) {
        if (!(v >= 0 && v <= 1)) ev.env.annotations.warn(`quantile value should be between 0 and 1, got ${Number.isNaN(v) ? "NaN" : v === Infinity ? "+Inf" : v === -Infinity ? "-Inf" : v}`, args[0].pos);
      }
      return vector(overWindows(ev, arg, overTime.quantileOverTime(q)));
    }
    case "last_over_time":
      return vector(overWindows(ev, ev.evalRange(args[0]), overTime.lastOverTime, true));
    case "double_exponential_smoothing": {
      const arg = ev.evalRange(args[0]);
      const fn = overTime.doubleExponentialSmoothing(ev.evalScalar(args[1]), ev.evalScalar(args[2]));
      return vector(overWindows(ev, arg, fn));
    }
    case "absent_over_time": {
      const arg = ev.evalRange(args[0]);
      const present = overWindows(ev, arg, overTime.presentOverTime, true);
      return vector(absentWhere(ev, present, arg.absentLabels));
    }
    case "absent": {
      const inner = unwrap(args[0]);
      const labels = inner.kind === "VectorSelector" ? absentLabels(inner.matchers) : {};
      return vector(absentWhere(ev, ev.evalVector(args[0]), labels));
    }
    case "clamp": {
      const series = ev.evalVector(args[0]);
      const lo = ev.evalScalar(args[1]);
      const hi = ev.evalScalar(args[2]);
      const out = elementwise(series, (v, i) => Math.max(lo[i], Math.min(hi[i], v)));
      // max < min: no output at that step.
      for (let i = 0; i < ev.n; i++) {
        if (hi[i] < lo[i]) for (const s of out) if (s.present[i] === 1) clearStep(s, i);
      }
      return vector(out.filter(hasValues));
    }
    case "clamp_min": {
      const lo = ev.evalScalar(args[1]);
      return vector(elementwise(ev.evalVector(args[0]), (v, i) => Math.max(lo[i], v)));
    }
    case "clamp_max": {
      const hi = ev.evalScalar(args[1]);
      return vector(elementwise(ev.evalVector(args[0]), (v, i) => Math.min(hi[i], v)));
    }
    case "round": {
      const series = ev.evalVector(args[0]);
      const to = args.length > 1 ? ev.evalScalar(args[1]) : undefined;
      return vector(
        elementwise(series, (v, i) => {
          const inv = 1 / (to ? to[i] : 1);
          return Math.floor(v * inv + 0.5) / inv;
        }),
      );
    }
    case "timestamp": {
      const inner = unwrap(args[0]);
      if (inner.kind === "VectorSelector") {
        return vector(mergeSameLabels(ev.selectInstant(inner, true).map((s) => ({ ...s, labels: dropMetricName(s.labels) }))));
      }
      return vector(elementwise(ev.evalVector(args[0]), (_v, i) => ev.steps[i] / 1000));
    }
    case "time":
      return { kind: "scalar", values: ev.steps.map((t) => t / 1000) };
    case "pi":
      return { kind: "scalar", values: new Float64Array(ev.n).fill(Math.PI) };
    case "vector": {
      const values = Float64Array.from(ev.evalScalar(args[0]));
      return vector([{ labels: {}, values, present: new Uint8Array(ev.n).fill(1) }]);
    }
    case "scalar": {
      const series = ev.evalVector(args[0]);
      const out = new Float64Array(ev.n).fill(NaN);
      for (let i = 0; i < ev.n; i++) {
        let count = 0;
        let value = NaN;
        for (const s of series) {
          if (s.present[i] === 1) {
            count++;
            value = s.values[i];
          }
        }
        if (count === 1) out[i] = value;
      }
      return { kind: "scalar", values: out };
    }
    case "sort":
    case "sort_desc":
      return vector(sortByValue(ev.evalVector(args[0]), name === "sort_desc"));
    case "sort_by_label":
    case "sort_by_label_desc": {
      const series = ev.evalVector(args[0]);
      const names = args.slice(1).map((a) => ev.evalString(a));
      return vector(sortByLabels(series, names, name === "sort_by_label_desc"));
    }
    case "label_replace":
      return vector(labelReplace(ev, call));
    case "label_join":
      return vector(labelJoin(ev, call));
    case "histogram_quantile":
      return vector(histogramQuantile(ev, call));
    case "histogram_fraction":
      return vector(histogramFraction(ev, call));
    case "histogram_count":
    case "histogram_sum":
    case "histogram_avg":
    case "histogram_stddev":
    case "histogram_stdvar":
      // Native histograms only: float samples are ignored.
      ev.evalVector(args[0]);
      return vector([]);
    default:
      throw new PromQLExecError("bad_data", `function "${name}" is not supported`);
  }
}

function clearStep(s: StepSeries, i: number): void {
  if (s.present[i] === 1) {
    s.present = Uint8Array.from(s.present);
    s.present[i] = 0;
  }
}

function hasValues(s: StepSeries): boolean {
  return s.present.includes(1);
}

/** absent(): 1 with `labels` at the steps where no series has a value. */
function absentWhere(ev: Evaluator, series: StepSeries[], labels: StepSeries["labels"]): StepSeries[] {
  const s = ev.newSeries(labels);
  let any = false;
  for (let i = 0; i < ev.n; i++) {
    let found = false;
    for (const x of series) {
      if (x.present[i] === 1) {
        found = true;
        break;
      }
    }
    if (!found) {
      s.values[i] = 1;
      s.present[i] = 1;
      any = true;
    }
  }
  return any ? [s] : [];
}
