/**
 * The PromQL engine's entry points. A query runs in three phases, as in Prometheus: plan (which
 * samples each selector needs), fetch (one `select` per selector, in parallel), then evaluate
 * synchronously over the step grid in memory.
 */
import type { Queryable, SeriesData } from "../../model";
import { exprType, type Expr, type VectorSelector } from "../ast";
import { parseExpr, PromQLParseError } from "../parse";
import { printExpr } from "../print";
import { Annotations } from "./annotations";
import { Evaluator, selectedSeries, type EvalEnv, type SelectedSeries } from "./evaluator";
import { compareLabels } from "./labels";
import { planSelectors } from "./plan";
import { streamTargets, StreamedWindows } from "./streaming";
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
   * Evaluate window functions over a range selector while the selection streams in, where the
   * Queryable can (selectEach; default true; the results are the same bit for bit).
   */
  streamSelections?: boolean;
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
  const streamSelections = opts.streamSelections ?? true;

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
    const steps = isRange ? stepGrid(start, end, step) : Float64Array.of(start);
    const annotations = new Annotations(text);
    const data = new Map<(typeof plans)[number]["node"], SelectedSeries[]>();
    const streamed = new Map<VectorSelector, StreamedWindows>();
    const env: EvalEnv = { data, lookbackDeltaMs, defaultSubqueryStepMs, queryStart: start, queryEnd: end, deadline, maxSamples, annotations, fuseAggregations, streamed };
    const evaluator = new Evaluator(env, steps);

    // Func, range and grid are part of the key: storage may answer them with different rollups.
    const keys = plans.map((p) => JSON.stringify([p.node.matchers, p.hints.start, p.hints.end, p.hints.func, p.hints.range, p.hints.grid]));
    const keyCount = new Map<string, number>();
    for (const k of keys) keyCount.set(k, (keyCount.get(k) ?? 0) + 1);
    // Window calls over a selection fetched once are evaluated as it streams in (streaming.ts).
    const targets = streamSelections && q.selectEach ? streamTargets(expr) : undefined;
    const cache = new Map<string, Promise<SeriesData[]>>();
    const fetched = await withDeadline(
      Promise.all(
        plans.map((p, i) => {
          const key = keys[i]!;
          const target = targets?.get(p.node);
          if (target && q.selectEach && keyCount.get(key) === 1) {
            const st = new StreamedWindows(evaluator, target, fuseAggregations);
            streamed.set(p.node, st);
            return q.selectEach(p.node.matchers, p.hints, st).then(() => undefined);
          }
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
    let samples = 0;
    plans.forEach((p, i) => {
      const got = fetched[i];
      if (!got) {
        samples += streamed.get(p.node)?.samples ?? 0;
        return;
      }
      data.set(p.node, got.map(selectedSeries));
      for (const s of got) samples += s.timestamps.length;
    });
    if (samples > maxSamples) {
      throw new PromQLExecError("execution", "query processing would load too many samples into memory in query execution");
    }

    const value = evaluator.eval(expr);
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
