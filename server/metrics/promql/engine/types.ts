/**
 * Public result types of the PromQL engine and its error type, plus the internal value shapes
 * the evaluator passes between nodes. Everything is evaluated on a grid of steps (one step for
 * an instant query): a vector is a list of series, each with one slot per step.
 */
import type { Labels, RollupColumns } from "../../model";

export interface VectorSample {
  labels: Labels;
  /** Evaluation timestamp, epoch ms. */
  t: number;
  v: number;
}

export interface MatrixSeries {
  labels: Labels;
  timestamps: number[];
  values: number[];
}

export type QueryResult =
  | { resultType: "vector"; result: VectorSample[]; warnings?: string[]; infos?: string[] }
  | { resultType: "matrix"; result: MatrixSeries[]; warnings?: string[]; infos?: string[] }
  | { resultType: "scalar"; result: { t: number; v: number }; warnings?: string[]; infos?: string[] }
  | { resultType: "string"; result: { t: number; v: string }; warnings?: string[]; infos?: string[] };

/** Maps onto Prometheus's HTTP API `errorType` values. */
export type PromQLErrorType = "bad_data" | "execution" | "timeout";

export class PromQLExecError extends Error {
  readonly type: PromQLErrorType;
  constructor(type: PromQLErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PromQLExecError";
    this.type = type;
  }
}

export function execError(message: string): PromQLExecError {
  return new PromQLExecError("execution", message);
}

/** One output series over the step grid. `present[i]` is 1 where the series has a value at step i. */
export interface StepSeries {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
}

/** Samples of one series a range function reads (stale markers removed), sorted by time. */
export interface RangeSeries {
  labels: Labels;
  ts: ArrayLike<number>;
  vs: ArrayLike<number>;
  /** Bucket aggregates to evaluate window functions from instead of the samples (storage rollups). */
  rollup?: RollupColumns;
}

/**
 * A range-vector argument: series plus, per step, the window (start, end] in ms. `evalTimes` are
 * the outer step timestamps (what `predict_linear` extrapolates from).
 */
export interface RangeArg {
  series: RangeSeries[];
  windowEnd: Float64Array;
  range: number;
  /** Labels `absent_over_time` reports (from equality matchers of a plain selector). */
  absentLabels: Labels;
  /** Metric name of the selector, for annotations ("" when unknown). */
  selectorName: string;
}

export type EvalValue =
  | { kind: "scalar"; values: Float64Array }
  | { kind: "vector"; series: StepSeries[] }
  | { kind: "matrix"; arg: RangeArg }
  | { kind: "string"; value: string };
