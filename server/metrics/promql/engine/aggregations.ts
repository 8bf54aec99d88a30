/**
 * Aggregation operators with by/without. Group membership is worked out once per input series
 * (labels do not change across steps); values are then folded step by step into typed arrays.
 */
import type { Labels } from "../../model";
import type { AggregateExpr } from "../ast";
import type { Evaluator } from "./evaluator";
import { isWindowCall, streamedCall, windowCall } from "./functions";
import { newWindow, overWindows, windowValues, type WindowFn } from "./functions/windows";
import { dropLabels, dropMetricName, keyOf, labelsKey, keepLabels, METRIC_NAME } from "./labels";
import { kahanSumInc } from "./kahan";
import { goFloat } from "./functions/histogram";
import { compareFloats, formatFloat, quantile } from "./stats";
import { execError, PromQLExecError, type RangeArg, type StepSeries } from "./types";

interface Group {
  labels: Labels;
  members: StepSeries[];
}

function groupSeries(e: AggregateExpr, series: StepSeries[]): Group[] {
  const groups = new Map<string, Group>();
  const byNames = [...e.grouping].sort();
  const without = new Set([...e.grouping, METRIC_NAME]);
  for (const s of series) {
    let key: string;
    let labels: Labels;
    if (e.without) {
      labels = dropLabels(s.labels, without);
      key = labelsKey(labels);
    } else {
      key = keyOf(s.labels, byNames);
      labels = keepLabels(s.labels, byNames);
    }
    let g = groups.get(key);
    if (!g) {
      g = { labels, members: [] };
      groups.set(key, g);
    }
    g.members.push(s);
  }
  return [...groups.values()];
}

export function evalAggregate(ev: Evaluator, e: AggregateExpr): StepSeries[] {
  const n = ev.n;
  let param: Float64Array | undefined;
  let label = "";
  if (e.op === "count_values") {
    label = ev.evalString(e.param as AggregateExpr["expr"]);
    if (label === "") throw new PromQLExecError("execution", `invalid label name "${label}"`);
  } else if (e.param) {
    param = ev.evalScalar(e.param);
  }
  const streamed = foldedStream(ev, e);
  if (streamed) return streamed;
  let series: StepSeries[];
  const windowed = ev.env.fuseAggregations !== false && FOLDED.has(e.op) ? windowArgument(ev, e) : undefined;
  if (windowed) {
    const fused = foldWindows(ev, e, windowed.arg, windowed.fn);
    if (fused) return fused;
    // What evalVector(e.expr) does for the call.
    series = overWindows(ev, windowed.arg, windowed.fn);
    ev.checkSamples(series);
  } else series = ev.evalVector(e.expr);
  const groups = groupSeries(e, series);

  switch (e.op) {
    case "topk":
    case "bottomk":
      return selectK(ev, e, groups, param as Float64Array);
    case "count_values":
      return countValues(ev, groups, label);
    case "quantile": {
      const q = param as Float64Array;
      for (const v of q) if (!(v >= 0 && v <= 1)) ev.env.annotations.warn(`quantile value should be between 0 and 1, got ${goFloat(v)}`, e.param?.pos);
      return perStepValues(ev, groups, (values, i) => quantile(q[i], values));
    }
  }

  const out: StepSeries[] = [];
  const acc = newAccumulator(n);
  for (const g of groups) {
    acc.a.fill(0);
    acc.b.fill(0);
    acc.c.fill(0);
    acc.count.fill(0);
    acc.incremental.fill(0);
    for (const s of g.members) fold(e.op, acc, s.values, s.present);
    const res = ev.newSeries(g.labels);
    if (finish(e.op, acc, res)) out.push(res);
  }
  return out;
}

/** How often foldWindows answered (tests check that the fused path is the one compared). */
export const fusedAggregations = { count: 0 };

/** Operators whose groups are folded step by step into an Accumulator (fold, finish). */
const FOLDED: ReadonlySet<string> = new Set(["sum", "avg", "count", "group", "min", "max", "stddev", "stdvar"]);

/** Per-step state of one group: a, b, c and incremental as each operator uses them, count of values. */
interface Accumulator {
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  count: Float64Array;
  incremental: Uint8Array;
}

function newAccumulator(n: number): Accumulator {
  return { a: new Float64Array(n), b: new Float64Array(n), c: new Float64Array(n), count: new Float64Array(n), incremental: new Uint8Array(n) };
}

const kahanBuf = new Float64Array(2);

/** Adds one member's values (where present) to the group's state, in member order per step. */
function fold(op: string, acc: Accumulator, vs: Float64Array, pr: Uint8Array): void {
  const { a, b, c, count, incremental } = acc;
  const n = vs.length;
  switch (op) {
    case "sum":
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        if (++count[i] === 1) {
          a[i] = f;
          b[i] = 0;
          continue;
        }
        // kahanSumInc(f, a[i], b[i]) inline: the same operations in the same order.
        const sum = a[i];
        const t = sum + f;
        if (t === Infinity || t === -Infinity) b[i] = 0;
        else if (Math.abs(sum) >= Math.abs(f)) b[i] += sum - t + f;
        else b[i] += f - t + sum;
        a[i] = t;
      }
      return;
    case "avg": {
      const buf = kahanBuf;
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        const k = ++count[i];
        if (k === 1) {
          a[i] = f;
          b[i] = 0;
          continue;
        }
        if (incremental[i] === 0) {
          kahanSumInc(f, a[i], b[i], buf);
          if (buf[0] !== Infinity && buf[0] !== -Infinity) {
            a[i] = buf[0];
            b[i] = buf[1];
            continue;
          }
          incremental[i] = 1;
          c[i] = a[i] / (k - 1);
          b[i] /= k - 1;
        }
        const q = (k - 1) / k;
        kahanSumInc(f / k, q * c[i], q * b[i], buf);
        c[i] = buf[0];
        b[i] = buf[1];
      }
      return;
    }
    case "min":
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        if (++count[i] === 1 || a[i] > f || Number.isNaN(a[i])) a[i] = f;
      }
      return;
    case "max":
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        if (++count[i] === 1 || a[i] < f || Number.isNaN(a[i])) a[i] = f;
      }
      return;
    case "stddev":
    case "stdvar":
      for (let i = 0; i < n; i++) {
        if (pr[i] !== 1) continue;
        const f = vs[i];
        const k = ++count[i];
        if (k === 1) {
          a[i] = f;
          b[i] = 0;
          continue;
        }
        const delta = f - a[i];
        a[i] += delta / k;
        b[i] += delta * (f - a[i]);
      }
      return;
    default:
      for (let i = 0; i < n; i++) if (pr[i] === 1) count[i]++;
  }
}

/** The group's result into `res` (fresh); false when no step has a value. */
function finish(op: string, acc: Accumulator, res: StepSeries): boolean {
  const { a, b, c, count, incremental } = acc;
  let any = false;
  for (let i = 0; i < count.length; i++) {
    const k = count[i];
    if (k === 0) continue;
    any = true;
    res.present[i] = 1;
    switch (op) {
      case "sum":
        res.values[i] = a[i] + b[i];
        break;
      case "avg":
        res.values[i] = incremental[i] === 1 ? c[i] + b[i] : a[i] / k + b[i] / k;
        break;
      case "count":
        res.values[i] = k;
        break;
      case "group":
        res.values[i] = 1;
        break;
      case "min":
      case "max":
        res.values[i] = a[i];
        break;
      case "stdvar":
        res.values[i] = b[i] / k;
        break;
      case "stddev":
        res.values[i] = Math.sqrt(b[i] / k);
        break;
      default:
        throw new PromQLExecError("bad_data", `aggregation "${op}" is not supported`);
    }
  }
  return any;
}

/**
 * When the aggregated expression is a window function (windowCall: rate, increase, *_over_time…)
 * of a range selector, the evaluated range argument and the function; otherwise undefined,
 * evaluating nothing.
 */
function windowArgument(ev: Evaluator, e: AggregateExpr): { arg: RangeArg; fn: WindowFn } | undefined {
  let inner = e.expr;
  while (inner.kind === "ParenExpr") inner = inner.expr;
  if (inner.kind !== "Call" || !isWindowCall(inner) || ev.streamed(inner)) return undefined;
  let argExpr = inner.args[0];
  while (argExpr && argExpr.kind === "ParenExpr") argExpr = argExpr.expr;
  if (!argExpr || argExpr.kind !== "MatrixSelector") return undefined;
  ev.checkTimeout();
  return windowCall(ev, inner);
}

/** The aggregation's result when its window call was streamed and folded (streaming.ts), after the call's annotations and limits. */
function foldedStream(ev: Evaluator, e: AggregateExpr): StepSeries[] | undefined {
  let inner = e.expr;
  while (inner.kind === "ParenExpr") inner = inner.expr;
  if (inner.kind !== "Call") return undefined;
  const st = ev.streamed(inner);
  if (!st || !st.folder || st.target.agg !== e) return undefined;
  ev.checkTimeout();
  streamedCall(ev, inner, true);
  st.folder.checkSamples(ev);
  fusedAggregations.count++;
  return st.folder.result(ev);
}

/**
 * A FOLDED aggregation over a window function of a range selector (windowArgument), computed
 * series by series into the groups' accumulators without a step series per input series. The
 * result is the generic path's bit for bit: series are visited in the order overWindows emits
 * them and each group's steps receive their members' values in that order; groups are created in
 * the order their first series with a value appears. Undefined (generic path) when GroupFolder
 * says folding would not be exact or would not pay.
 */
function foldWindows(ev: Evaluator, e: AggregateExpr, arg: RangeArg, fn: WindowFn): StepSeries[] | undefined {
  const series = arg.series;
  if (series.length === 0) return [];
  const folder = GroupFolder.create(e, series.map((s) => s.labels), ev.n);
  if (!folder) return undefined;
  const n = ev.n;
  const values = new Float64Array(n);
  const present = new Uint8Array(n);
  const w = newWindow(arg);
  for (let k = 0; k < series.length; k++) {
    if (((k + 1) & 255) === 0) ev.checkTimeout();
    const s = series[k]!;
    if (!windowValues(ev, arg, s, fn, w, values, present)) continue;
    folder.add(s.labels, values, present);
    values.fill(0);
    present.fill(0);
  }
  folder.checkSamples(ev);
  fusedAggregations.count++;
  return folder.result(ev);
}

/**
 * The groups of a FOLDED aggregation over the output of a window function (which drops
 * `__name__`), filled one input series at a time in the generic path's order (see foldWindows).
 */
export class GroupFolder {
  private readonly accs: (Accumulator | undefined)[] = [];
  private readonly order: number[] = [];
  /** Present values folded (what Evaluator.checkSamples counts on the window function's output). */
  private samples = 0;

  private constructor(
    private readonly e: AggregateExpr,
    private readonly n: number,
    private readonly groupOf: Map<Labels, number>,
    private readonly groupLabels: Labels[],
  ) {}

  /**
   * A folder for `e` over series with these label sets (the window function's input, `__name__`
   * still on), or undefined when folding would not be exact or would not pay: the series do not
   * all share one metric name (dropping it could merge two of them, as overWindows does), or
   * there are more than a third as many groups as series (accumulators would outweigh the step
   * series they replace).
   */
  static create(e: AggregateExpr, labels: readonly Labels[], n: number): GroupFolder | undefined {
    if (!FOLDED.has(e.op)) return undefined;
    const name = labels.length ? labels[0]![METRIC_NAME] : undefined;
    for (const l of labels) if (l[METRIC_NAME] !== name) return undefined;
    const byNames = [...e.grouping].sort();
    const without = new Set([...e.grouping, METRIC_NAME]);
    // Keys over the name-dropped labels, as the generic path sees them.
    const dropName = !e.without && byNames.includes(METRIC_NAME);
    const groupOf = new Map<Labels, number>();
    const keys = new Map<string, number>();
    const groupLabels: Labels[] = [];
    for (const original of labels) {
      const l = dropName ? dropMetricName(original) : original;
      let grouped: Labels | undefined;
      let key: string;
      if (e.without) {
        grouped = dropLabels(l, without);
        key = labelsKey(grouped);
      } else key = keyOf(l, byNames);
      let g = keys.get(key);
      if (g === undefined) {
        g = groupLabels.length;
        keys.set(key, g);
        groupLabels.push(grouped ?? keepLabels(l, byNames));
      }
      groupOf.set(original, g);
    }
    if (3 * groupLabels.length > labels.length) return undefined;
    return new GroupFolder(e, n, groupOf, groupLabels);
  }

  /** Folds one series' window values (`labels`: one of the label sets given to create). */
  add(labels: Labels, values: Float64Array, present: Uint8Array): void {
    const g = this.groupOf.get(labels);
    if (g === undefined) throw new PromQLExecError("execution", "internal error: series outside the aggregation's groups");
    let acc = this.accs[g];
    if (!acc) {
      acc = this.accs[g] = newAccumulator(this.n);
      this.order.push(g);
    }
    fold(this.e.op, acc, values, present);
    for (let i = 0; i < present.length; i++) this.samples += present[i];
  }

  /** The sample limit as evaluating the window function would have applied it. */
  checkSamples(ev: Evaluator): void {
    if (this.samples > ev.env.maxSamples) throw new PromQLExecError("execution", "query processing would load too many samples into memory in query execution");
  }

  result(ev: Evaluator): StepSeries[] {
    const out: StepSeries[] = [];
    for (const g of this.order) {
      const res = ev.newSeries(this.groupLabels[g]!);
      if (finish(this.e.op, this.accs[g]!, res)) out.push(res);
    }
    return out;
  }
}

function perStepValues(ev: Evaluator, groups: Group[], f: (values: number[], step: number) => number): StepSeries[] {
  const out: StepSeries[] = [];
  for (const g of groups) {
    const res = ev.newSeries(g.labels);
    let any = false;
    for (let i = 0; i < ev.n; i++) {
      const values: number[] = [];
      for (const s of g.members) if (s.present[i] === 1) values.push(s.values[i]);
      if (values.length === 0) continue;
      res.values[i] = f(values, i);
      res.present[i] = 1;
      any = true;
    }
    if (any) out.push(res);
  }
  return out;
}

/** topk / bottomk: per step and group, the k best series keep their value; NaN ranks last. */
function selectK(ev: Evaluator, e: AggregateExpr, groups: Group[], param: Float64Array): StepSeries[] {
  const desc = e.op === "topk";
  const outBySeries = new Map<StepSeries, StepSeries>();
  const order: StepSeries[] = [];
  for (let i = 0; i < ev.n; i++) {
    const kf = param[i];
    if (Number.isNaN(kf) || Math.abs(kf) >= 2 ** 63) throw execError(`Scalar value ${goFloat(kf)} overflows int64`);
    const k = Math.trunc(kf);
    if (k < 1) continue;
    for (const g of groups) {
      const members = g.members.filter((s) => s.present[i] === 1);
      members.sort((x, y) => {
        const a = x.values[i];
        const b = y.values[i];
        if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
        return desc ? b - a : a - b;
      });
      for (const s of members.slice(0, k)) {
        let o = outBySeries.get(s);
        if (!o) {
          o = ev.newSeries(s.labels);
          outBySeries.set(s, o);
          order.push(s);
        }
        o.values[i] = s.values[i];
        o.present[i] = 1;
      }
    }
  }
  if (ev.n === 1) {
    // Instant query: best first.
    return order
      .map((s) => outBySeries.get(s) as StepSeries)
      .sort((x, y) => (desc ? -compareFloats(x.values[0], y.values[0]) : compareFloats(x.values[0], y.values[0])));
  }
  return order.map((s) => outBySeries.get(s) as StepSeries);
}

function countValues(ev: Evaluator, groups: Group[], label: string): StepSeries[] {
  const out = new Map<string, StepSeries>();
  for (const g of groups) {
    for (let i = 0; i < ev.n; i++) {
      for (const s of g.members) {
        if (s.present[i] !== 1) continue;
        const labels: Labels = { ...g.labels, [label]: formatFloat(s.values[i]) };
        const key = labelsKey(labels);
        let o = out.get(key);
        if (!o) {
          o = ev.newSeries(labels);
          out.set(key, o);
        }
        o.values[i] = (o.present[i] === 1 ? o.values[i] : 0) + 1;
        o.present[i] = 1;
      }
    }
  }
  return [...out.values()];
}
