/**
 * The evaluator: walks the AST over a grid of step timestamps, synchronously, on samples fetched
 * beforehand (see plan.ts). Each node yields its value for every step at once, so a range query
 * reads every series once per node rather than once per step.
 */
import type { Labels, RollupColumns, SeriesData } from "../../model";
import type { Call, Expr, LabelMatcher, MatrixSelector, StringLiteral, SubqueryExpr, VectorSelector } from "../ast";
import { evalAggregate } from "./aggregations";
import type { Annotations } from "./annotations";
import { evalBinary } from "./binary";
import { evalCall } from "./functions";
import { dropMetricName } from "./labels";
import { atTimestamp } from "./plan";
import { mergeSameLabels, newStepSeries } from "./series-ops";
import type { StreamedWindows } from "./streaming";
import { PromQLExecError, type EvalValue, type RangeArg, type RangeSeries, type StepSeries } from "./types";

/** A fetched series. `rts`/`rvs` are the samples without stale markers (same arrays when none). */
export interface SelectedSeries {
  labels: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  stale?: Uint8Array;
  rts: ArrayLike<number>;
  rvs: ArrayLike<number>;
  /** Bucket aggregates standing in for the samples of a range selector (see SeriesData.rollup). */
  rollup?: RollupColumns;
}

export interface EvalEnv {
  data: Map<VectorSelector, SelectedSeries[]>;
  lookbackDeltaMs: number;
  defaultSubqueryStepMs: number;
  queryStart: number;
  queryEnd: number;
  /** Date.now() deadline; Infinity for none. */
  deadline: number;
  maxSamples: number;
  annotations: Annotations;
  /** Aggregations over window functions fold series by series (aggregations.ts); false: always the generic path (tests). */
  fuseAggregations?: boolean;
  /** Window calls whose selection was evaluated as it streamed in (streaming.ts), by range selector. */
  streamed?: Map<VectorSelector, StreamedWindows>;
}

/** A fetched series as the evaluator keeps it: stale markers flagged, and the samples without them. */
export function selectedSeries(s: SeriesData): SelectedSeries {
  const stale = s.stale && s.stale.includes(1) ? s.stale : undefined;
  if (s.rollup) return { labels: s.labels, ts: s.timestamps, vs: s.values, rts: s.timestamps, rvs: s.values, rollup: s.rollup };
  if (!stale) return { labels: s.labels, ts: s.timestamps, vs: s.values, rts: s.timestamps, rvs: s.values };
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < s.timestamps.length; i++) {
    if (stale[i] === 1) continue;
    ts.push(s.timestamps[i]);
    vs.push(s.values[i]);
  }
  return { labels: s.labels, ts: s.timestamps, vs: s.values, stale, rts: Float64Array.from(ts), rvs: Float64Array.from(vs) };
}

export class Evaluator {
  readonly n: number;

  constructor(
    readonly env: EvalEnv,
    readonly steps: Float64Array,
  ) {
    this.n = steps.length;
  }

  checkTimeout(): void {
    if (Date.now() > this.env.deadline) throw new PromQLExecError("timeout", "query timed out in expression evaluation");
  }

  checkSamples(series: StepSeries[]): void {
    if (this.env.maxSamples === Infinity) return;
    let total = 0;
    for (const s of series) for (let i = 0; i < s.present.length; i++) total += s.present[i];
    if (total > this.env.maxSamples) {
      throw new PromQLExecError("execution", "query processing would load too many samples into memory in query execution");
    }
  }

  eval(e: Expr): EvalValue {
    this.checkTimeout();
    switch (e.kind) {
      case "NumberLiteral":
        return { kind: "scalar", values: new Float64Array(this.n).fill(e.value) };
      case "StringLiteral":
        return { kind: "string", value: e.value };
      case "ParenExpr":
        return this.eval(e.expr);
      case "VectorSelector":
        return { kind: "vector", series: this.selectInstant(e, false) };
      case "MatrixSelector":
        return { kind: "matrix", arg: this.selectRange(e) };
      case "SubqueryExpr":
        return { kind: "matrix", arg: this.subquery(e) };
      case "UnaryExpr": {
        const v = this.eval(e.expr);
        if (e.op === "+") return v;
        if (v.kind === "scalar") return { kind: "scalar", values: v.values.map((x) => -x) };
        if (v.kind !== "vector") throw new PromQLExecError("bad_data", "unary expression only allowed on scalar or instant vector");
        const series = v.series.map((s) => ({ labels: dropMetricName(s.labels), values: s.values.map((x) => -x), present: s.present }));
        return { kind: "vector", series: mergeSameLabels(series) };
      }
      case "Call": {
        const v = evalCall(this, e);
        if (v.kind === "vector") this.checkSamples(v.series);
        return v;
      }
      case "AggregateExpr":
        return { kind: "vector", series: evalAggregate(this, e) };
      case "BinaryExpr": {
        const v = evalBinary(this, e);
        if (v.kind === "vector") this.checkSamples(v.series);
        return v;
      }
    }
  }

  evalVector(e: Expr): StepSeries[] {
    const v = this.eval(e);
    if (v.kind !== "vector") throw new PromQLExecError("bad_data", `expected instant vector, got ${v.kind}`);
    return v.series;
  }

  evalScalar(e: Expr): Float64Array {
    const v = this.eval(e);
    if (v.kind !== "scalar") throw new PromQLExecError("bad_data", `expected scalar, got ${v.kind}`);
    return v.values;
  }

  evalString(e: Expr): string {
    let x = e;
    while (x.kind === "ParenExpr") x = x.expr;
    if (x.kind !== "StringLiteral") throw new PromQLExecError("bad_data", "expected string literal");
    return (x as StringLiteral).value;
  }

  evalRange(e: Expr): RangeArg {
    const v = this.eval(e);
    if (v.kind !== "matrix") throw new PromQLExecError("bad_data", `expected range vector, got ${v.kind}`);
    return v.arg;
  }

  /** Evaluation time of a selector at each step: @ pins it, offset shifts it. */
  evalTimes(at: VectorSelector["at"], offset: number): Float64Array {
    const out = new Float64Array(this.n);
    if (at) out.fill(atTimestamp(at, this.env.queryStart, this.env.queryEnd) - offset);
    else for (let i = 0; i < this.n; i++) out[i] = this.steps[i] - offset;
    return out;
  }

  /** The streamed windows of a window call over a range selector, if its selection was streamed. */
  streamed(call: Call): StreamedWindows | undefined {
    const map = this.env.streamed;
    if (!map || map.size === 0 || call.args.length === 0) return undefined;
    let arg = call.args[0]!;
    while (arg.kind === "ParenExpr") arg = arg.expr;
    if (arg.kind !== "MatrixSelector") return undefined;
    const st = map.get(arg.vectorSelector);
    return st && st.target.call === call ? st : undefined;
  }

  private data(vs: VectorSelector): SelectedSeries[] {
    const d = this.env.data.get(vs);
    if (!d) throw new PromQLExecError("execution", "internal error: selector was not fetched");
    return d;
  }

  /**
   * Instant-vector selection: per step the latest sample in (t - lookback, t], none when that
   * sample is a stale marker. `timestamps` yields the sample's time in seconds (timestamp()).
   */
  selectInstant(vs: VectorSelector, timestamps: boolean): StepSeries[] {
    const times = this.evalTimes(vs.at, vs.offset);
    const lookback = this.env.lookbackDeltaMs;
    const n = this.n;
    const out: StepSeries[] = [];
    for (const s of this.data(vs)) {
      const ts = s.ts;
      const len = ts.length;
      const stale = s.stale;
      let values: Float64Array | undefined;
      let present: Uint8Array | undefined;
      let p = -1;
      let prevT = -Infinity;
      for (let i = 0; i < n; i++) {
        const t = times[i];
        if (t < prevT) p = -1;
        prevT = t;
        while (p + 1 < len && ts[p + 1] <= t) p++;
        if (p < 0 || ts[p] <= t - lookback || (stale !== undefined && stale[p] === 1)) continue;
        if (!values || !present) {
          values = new Float64Array(n);
          present = new Uint8Array(n);
        }
        present[i] = 1;
        values[i] = timestamps ? ts[p] / 1000 : s.vs[p];
      }
      if (values && present) out.push({ labels: s.labels, values, present });
    }
    return out;
  }

  selectRange(ms: MatrixSelector): RangeArg {
    const vs = ms.vectorSelector;
    return {
      series: this.data(vs).map((s) => (s.rollup ? { labels: s.labels, ts: s.rts, vs: s.rvs, rollup: s.rollup } : { labels: s.labels, ts: s.rts, vs: s.rvs })),
      windowEnd: this.evalTimes(vs.at, vs.offset),
      range: ms.range,
      absentLabels: absentLabels(vs.matchers),
      selectorName: vs.name,
    };
  }

  /** Evaluates the inner expression on its own step grid (multiples of the step) and windows it. */
  subquery(e: SubqueryExpr): RangeArg {
    const windowEnd = this.evalTimes(e.at, e.offset);
    const step = e.step > 0 ? e.step : this.env.defaultSubqueryStepMs;
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of windowEnd) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    const from = lo - e.range;
    let start = step * Math.floor(from / step);
    if (start <= from) start += step;
    const count = hi >= start ? Math.floor((hi - start) / step) + 1 : 0;
    const innerSteps = new Float64Array(count);
    for (let i = 0; i < count; i++) innerSteps[i] = start + i * step;
    const inner = new Evaluator(this.env, innerSteps).evalVector(e.expr);
    const series: RangeSeries[] = inner.map((s) => {
      const ts: number[] = [];
      const vals: number[] = [];
      for (let i = 0; i < count; i++) {
        if (s.present[i] === 1) {
          ts.push(innerSteps[i]);
          vals.push(s.values[i]);
        }
      }
      return { labels: s.labels, ts: Float64Array.from(ts), vs: Float64Array.from(vals) };
    });
    return { series, windowEnd, range: e.range, absentLabels: {}, selectorName: "" };
  }

  /** A fresh series of this grid's length. */
  newSeries(labels: Labels): StepSeries {
    return newStepSeries(labels, this.n);
  }
}

/** Prometheus's labels for absent(): single equality matchers, `__name__` excluded. */
export function absentLabels(matchers: readonly LabelMatcher[]): Labels {
  const out: Labels = {};
  const seen = new Set<string>();
  for (const m of matchers) {
    if (m.name === "__name__") continue;
    if (m.type === "=" && !seen.has(m.name)) {
      if (m.value !== "") out[m.name] = m.value;
      seen.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  return out;
}
