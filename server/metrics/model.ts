/**
 * The metrics data model shared by ingest (remote_write, Pushgateway, OTLP, scrape), storage and
 * the PromQL engine. Timestamps are integer epoch milliseconds; values are float64.
 *
 * Prometheus's stale marker is a special NaN; NaN payload bits are not reliable in JS, so a stale
 * marker travels as value NaN plus a flag (`stale` on input samples, the `stale` mask on
 * `SeriesData`). The engine uses markers to end a series' lookback and never returns them.
 */
import type { LabelMatcher } from "./promql/ast";

/** A series' label set, `__name__` included. Empty values are never stored (absent = empty). */
export type Labels = Record<string, string>;

/** Samples of one series, sorted by timestamp ascending, no duplicate timestamps. */
export interface SeriesData {
  labels: Labels;
  timestamps: Float64Array | number[];
  values: Float64Array | number[];
  /** Parallel flags: 1 where the sample is a stale marker. Absent when the series has none. */
  stale?: Uint8Array;
  /**
   * Set only for a range selector whose function is in ROLLUP_RANGE_FUNCS and whose windows all
   * end on multiples of the rollup resolution: the window aggregates come from these buckets
   * (timestamps/values then hold each bucket's last sample, for functions that only need those).
   */
  rollup?: RollupColumns;
}

/**
 * Aggregates of a series' samples per bucket (end − res, end], one entry per bucket holding at
 * least one sample (stale markers are not samples), ascending by `end`. `corr` is the counter
 * correction inside the bucket: the sum of the values just before each drop (reset), so the
 * reset-adjusted increase is `last − first + corr` (Prometheus's formula).
 */
export interface RollupColumns {
  res: number;
  end: Float64Array;
  count: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  firstTs: Float64Array;
  first: Float64Array;
  lastTs: Float64Array;
  last: Float64Array;
  corr: Float64Array;
}

/** Range functions the engine can evaluate exactly (up to float rounding) from RollupColumns. */
export const ROLLUP_RANGE_FUNCS: ReadonlySet<string> = new Set([
  "rate",
  "increase",
  "delta",
  "sum_over_time",
  "count_over_time",
  "avg_over_time",
  "min_over_time",
  "max_over_time",
  "last_over_time",
  "present_over_time",
]);

/** One series with samples to append (any order; storage sorts and de-duplicates). */
export interface SeriesSamplesInput {
  labels: Labels;
  samples: { timestampMs: number; value: number; stale?: boolean }[];
}

/** What the engine tells storage about a selection, so storage can prune (Prometheus's SelectHints). */
export interface SelectHints {
  /** Inclusive bounds in ms of the samples the engine may read. */
  start: number;
  end: number;
  /** Range query step in ms (0 for instant queries). */
  step?: number;
  /** Function the selector is an argument of, e.g. "rate" (informational). */
  func?: string;
  /** Range of a matrix selector in ms (informational). */
  range?: number;
  /**
   * Set when every evaluation of the selector reads the window (or lookback) ending at
   * `first + k·step` (offset applied) for k = 0, 1, … up to `end`: not inside subqueries nor with
   * @. `step` is 0 for instant queries. Storage may serve rollups when these are aligned.
   */
  grid?: { first: number; step: number };
}

/** Receives a selection series by series (Queryable.selectEach). */
export interface SeriesVisitor {
  /** Called first, once: the label sets of every matching series (those visited are among them). */
  begin?(labels: readonly Labels[]): void;
  /** One series with its samples in range; its arrays are valid during the call only. */
  visit(series: SeriesData): void;
}

/**
 * The read interface of metrics storage. `select` returns every series matching all matchers
 * with its samples (stale markers included, flagged) in [hints.start, hints.end]; series with
 * no samples in range may be omitted.
 */
export interface Queryable {
  select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]>;
  /**
   * Optional streaming form of `select`: the same series with the same data, in the same order,
   * handed to `visitor.visit` one at a time. The arrays may be reused once `visit` returns (the
   * engine evaluates range functions inside the call, so a long range never holds every sample).
   */
  selectEach?(matchers: LabelMatcher[], hints: SelectHints, visitor: SeriesVisitor): Promise<void>;
  /** Label names of series matching any of the matcher sets (all series when empty), sorted. */
  labelNames(matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]>;
  /** Values of one label over series matching any of the matcher sets, sorted. */
  labelValues(name: string, matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]>;
  /** Label sets of series matching any of the matcher sets. */
  series(matcherSets: LabelMatcher[][], start: number, end: number): Promise<Labels[]>;
}
