/**
 * Range functions evaluated while their selection streams in (Queryable.selectEach): for a
 * window function (rate, increase, *_over_time…, see windowCall) whose argument is a range
 * selector evaluated on the query's step grid, each series' windows are computed as storage hands
 * the series over, so the samples of a long range are never all in memory at once. When the call
 * sits directly under a FOLDED aggregation (`sum by (job) (rate(x[5m]))`) the window values are
 * folded into the groups at once (GroupFolder); otherwise each series keeps its step values.
 *
 * The evaluator then takes these results where it would have evaluated the call (evalCall) or the
 * aggregation (evalAggregate), with the same annotations and limits: results are those of the
 * fetch-then-evaluate path bit for bit, since series arrive in select() order and each one's
 * windows are computed by the same code (windowValues).
 */
import type { Labels, SeriesData, SeriesVisitor } from "../../model";
import type { AggregateExpr, Call, Expr, MatrixSelector, VectorSelector } from "../ast";
import { GroupFolder } from "./aggregations";
import { selectedSeries, type Evaluator } from "./evaluator";
import { isWindowCall, windowFunction } from "./functions";
import { newWindow, windowValues, type Window, type WindowFn } from "./functions/windows";
import { METRIC_NAME } from "./labels";
import type { RangeArg, RangeSeries, StepSeries } from "./types";

/** A window call over a range selector, and the aggregation directly over it if any. */
export interface StreamTarget {
  call: Call;
  matrix: MatrixSelector;
  agg?: AggregateExpr;
}

function unwrap(e: Expr): Expr {
  let x = e;
  while (x.kind === "ParenExpr") x = x.expr;
  return x;
}

/** The window call's range selector, if its argument is one. */
function matrixArgument(call: Call): MatrixSelector | undefined {
  if (!isWindowCall(call) || call.args.length === 0) return undefined;
  const arg = unwrap(call.args[0]!);
  return arg.kind === "MatrixSelector" ? arg : undefined;
}

/** Window calls over range selectors evaluated on the query's own steps (not inside subqueries), by selector. */
export function streamTargets(expr: Expr): Map<VectorSelector, StreamTarget> {
  const out = new Map<VectorSelector, StreamTarget>();
  const walk = (e: Expr, agg?: AggregateExpr): void => {
    switch (e.kind) {
      case "Call": {
        const matrix = matrixArgument(e);
        if (matrix) {
          out.set(matrix.vectorSelector, { call: e, matrix, ...(agg ? { agg } : {}) });
          return;
        }
        for (const a of e.args) walk(a);
        return;
      }
      case "AggregateExpr":
        if (e.param) walk(e.param);
        walk(unwrap(e.expr), e);
        return;
      case "BinaryExpr":
        walk(e.lhs);
        walk(e.rhs);
        return;
      case "UnaryExpr":
      case "ParenExpr":
        walk(e.expr);
        return;
      default:
        // Selectors outside window calls, literals; subqueries run on their own steps.
        return;
    }
  };
  walk(expr);
  return out;
}

/** The windows of one streamed selection, filled by storage (SeriesVisitor), read by the evaluator. */
export class StreamedWindows implements SeriesVisitor {
  /** Samples handed over (the engine's limit on samples fetched counts them). */
  samples = 0;
  /** Step values per series with any (labels as selected), when not folded. */
  readonly series: StepSeries[] = [];
  /** Set by begin() when the aggregation over the call is folded here. */
  folder: GroupFolder | undefined;
  /** Metric names of the series with samples other than stale markers, first seen first (annotations). */
  private readonly names: string[] = [];
  private readonly seen = new Set<string>();
  private readonly fn: WindowFn;
  private readonly arg: RangeArg;
  private readonly w: Window;
  private values: Float64Array;
  private present: Uint8Array;
  private visits = 0;

  constructor(
    private readonly ev: Evaluator,
    readonly target: StreamTarget,
    private readonly fold: boolean,
  ) {
    const fn = windowFunction(target.call);
    if (!fn) throw new Error(`internal error: ${target.call.func} is not a window function`);
    this.fn = fn;
    const vs = target.matrix.vectorSelector;
    this.arg = { series: [], windowEnd: ev.evalTimes(vs.at, vs.offset), range: target.matrix.range, absentLabels: {}, selectorName: vs.name };
    this.w = newWindow(this.arg);
    this.values = new Float64Array(ev.n);
    this.present = new Uint8Array(ev.n);
  }

  begin(labels: readonly Labels[]): void {
    if (this.fold && this.target.agg) this.folder = GroupFolder.create(this.target.agg, labels, this.ev.n);
  }

  visit(data: SeriesData): void {
    if ((++this.visits & 255) === 0) this.ev.checkTimeout();
    this.samples += data.timestamps.length;
    const s = selectedSeries(data);
    const range: RangeSeries = s.rollup ? { labels: s.labels, ts: s.rts, vs: s.rvs, rollup: s.rollup } : { labels: s.labels, ts: s.rts, vs: s.rvs };
    const name = s.labels[METRIC_NAME];
    if (name && range.ts.length > 0 && !this.seen.has(name)) {
      this.seen.add(name);
      this.names.push(name);
    }
    if (!windowValues(this.ev, this.arg, range, this.fn, this.w, this.values, this.present)) return;
    if (this.folder) {
      this.folder.add(s.labels, this.values, this.present);
      this.values.fill(0);
      this.present.fill(0);
      return;
    }
    this.series.push({ labels: s.labels, values: this.values, present: this.present });
    this.values = new Float64Array(this.ev.n);
    this.present = new Uint8Array(this.ev.n);
  }

  /** Metric names for the counter annotation, as noteNonCounters would find them in the range argument. */
  metricNames(): readonly string[] {
    return this.names;
  }
}
