/**
 * The PromQL engine's entry points. A query runs in three phases, as in Prometheus: plan (which
 * samples each selector needs), fetch (one `select` per selector, in parallel), then evaluate
 * synchronously over the step grid in memory.
 */
import type { Queryable, SeriesData } from "../../model";
import { exprType, type Expr } from "../ast";
import { parseExpr, PromQLParseError } from "../parse";
import { printExpr } from "../print";
import { Annotations } from "./annotations";
import { Evaluator, type EvalEnv, type SelectedSeries } from "./evaluator";
import { compareLabels } from "./labels";
import { planSelectors } from "./plan";
import { PromQLExecError, type EvalValue, type MatrixSeries, type QueryResult } from "./types";

export interface EngineOptions {
  /** How far back an instant selector looks for a sample (default 5 minutes). */
  lookbackDeltaMs?: number;
  /** Upper bound on samples fetched or held by one node's result (default unlimited). */
  maxSamples?: number;
  /** Wall-clock limit per query (default none). */
  timeoutMs?: number;
  /** Step of subqueries written without one, `x[5m:]` (default 1 minute, Prometheus's evaluation interval). */
  defaultSubqueryStepMs?: number;
  /**
   * Fold aggregations of window functions (`sum by (job) (rate(x[5m]))`) series by series
   * (default true; the results are the same bit for bit, tests compare both ways).
   */
  fuseAggregations?: boolean;
}

export interface Engine {
  instantQuery(q: Queryable, query: string | Expr, timeMs: number): Promise<QueryResult>;
  rangeQuery(q: Queryable, query: string | Expr, startMs: number, endMs: number, stepMs: number): Promise<QueryResult>;
}

/** Prometheus's cap on points per series of a range query. */
const MAX_POINTS = 11_000;

export function createEngine(opts: EngineOptions = {}): Engine {
  const lookbackDeltaMs = opts.lookbackDeltaMs ?? 300_000;
  const maxSamples = opts.maxSamples ?? Infinity;
  const timeoutMs = opts.timeoutMs ?? Infinity;
  const defaultSubqueryStepMs = opts.defaultSubqueryStepMs ?? 60_000;
  const fuseAggregations = opts.fuseAggregations ?? true;

  async function run(q: Queryable, query: string | Expr, start: number, end: number, step: number, isRange: boolean): Promise<QueryResult> {
    const deadline = Date.now() + timeoutMs;
    const expr = parse(query);
    const text = typeof query === "string" ? query : printExpr(expr);
    if (isRange) {
      const t = exprType(expr);
      if (t !== "scalar" && t !== "vector") {
        throw new PromQLExecError("bad_data", `invalid expression type "${t === "matrix" ? "range vector" : t}" for range query, must be Scalar or instant Vector`);
      }
      if (!(step > 0)) throw new PromQLExecError("bad_data", "zero or negative query resolution step widths are not accepted. Try a positive integer");
      if (end < start) throw new PromQLExecError("bad_data", "end timestamp must not be before start time");
      if ((end - start) / step > MAX_POINTS) {
        throw new PromQLExecError("bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
      }
    }

    const plans = planSelectors(expr, start, end, { lookbackDeltaMs, defaultSubqueryStepMs, queryStart: start, queryEnd: end, step: isRange ? step : 0 });
    const cache = new Map<string, Promise<SeriesData[]>>();
    const fetched = await withDeadline(
      Promise.all(
        plans.map((p) => {
          // Func, range and grid are part of the key: storage may answer them with different rollups.
          const key = JSON.stringify([p.node.matchers, p.hints.start, p.hints.end, p.hints.func, p.hints.range, p.hints.grid]);
          let pending = cache.get(key);
          if (!pending) {
            pending = q.select(p.node.matchers, p.hints);
            cache.set(key, pending);
          }
          return pending;
        }),
      ),
      deadline,
    );
    const data = new Map<(typeof plans)[number]["node"], SelectedSeries[]>();
    let samples = 0;
    plans.forEach((p, i) => {
      data.set(p.node, fetched[i].map(prepare));
      for (const s of fetched[i]) samples += s.timestamps.length;
    });
    if (samples > maxSamples) {
      throw new PromQLExecError("execution", "query processing would load too many samples into memory in query execution");
    }

    const steps = isRange ? stepGrid(start, end, step) : Float64Array.of(start);
    const annotations = new Annotations(text);
    const env: EvalEnv = { data, lookbackDeltaMs, defaultSubqueryStepMs, queryStart: start, queryEnd: end, deadline, maxSamples, annotations, fuseAggregations };
    const value = new Evaluator(env, steps).eval(expr);
    const result = isRange ? rangeResult(value, steps) : instantResult(value, start);
    if (annotations.warnings.size > 0) result.warnings = [...annotations.warnings];
    if (annotations.infos.size > 0) result.infos = [...annotations.infos];
    return result;
  }

  return {
    instantQuery: (q, query, timeMs) => run(q, query, timeMs, timeMs, 0, false),
    rangeQuery: (q, query, startMs, endMs, stepMs) => run(q, query, startMs, endMs, stepMs, true),
  };
}

function parse(query: string | Expr): Expr {
  if (typeof query !== "string") return query;
  try {
    return parseExpr(query);
  } catch (err) {
    if (err instanceof PromQLParseError) throw new PromQLExecError("bad_data", err.message, { cause: err });
    throw err;
  }
}

async function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T> {
  if (deadline === Infinity) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PromQLExecError("timeout", "query timed out in query execution")), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function prepare(s: SeriesData): SelectedSeries {
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

function stepGrid(start: number, end: number, step: number): Float64Array {
  const n = Math.floor((end - start) / step) + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return out;
}

function instantResult(value: EvalValue, t: number): QueryResult {
  switch (value.kind) {
    case "scalar":
      return { resultType: "scalar", result: { t, v: value.values[0] } };
    case "string":
      return { resultType: "string", result: { t, v: value.value } };
    case "vector":
      return {
        resultType: "vector",
        result: value.series.filter((s) => s.present[0] === 1).map((s) => ({ labels: s.labels, t, v: s.values[0] })),
      };
    case "matrix": {
      const { arg } = value;
      const end = arg.windowEnd[0];
      const startEx = end - arg.range;
      const result: MatrixSeries[] = [];
      for (const s of arg.series) {
        const timestamps: number[] = [];
        const values: number[] = [];
        for (let i = 0; i < s.ts.length; i++) {
          if (s.ts[i] > startEx && s.ts[i] <= end) {
            timestamps.push(s.ts[i]);
            values.push(s.vs[i]);
          }
        }
        if (timestamps.length > 0) result.push({ labels: s.labels, timestamps, values });
      }
      return { resultType: "matrix", result: result.sort((a, b) => compareLabels(a.labels, b.labels)) };
    }
  }
}

function rangeResult(value: EvalValue, steps: Float64Array): QueryResult {
  if (value.kind === "scalar") {
    return { resultType: "matrix", result: [{ labels: {}, timestamps: Array.from(steps), values: Array.from(value.values) }] };
  }
  if (value.kind !== "vector") throw new PromQLExecError("bad_data", `invalid expression type "${value.kind}" for range query, must be Scalar or instant Vector`);
  const result: MatrixSeries[] = [];
  for (const s of value.series) {
    const timestamps: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < steps.length; i++) {
      if (s.present[i] === 1) {
        timestamps.push(steps[i]);
        values.push(s.values[i]);
      }
    }
    if (timestamps.length > 0) result.push({ labels: s.labels, timestamps, values });
  }
  return { resultType: "matrix", result: result.sort((a, b) => compareLabels(a.labels, b.labels)) };
}
