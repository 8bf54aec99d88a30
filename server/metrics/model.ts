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
}

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
}

/**
 * The read interface of metrics storage. `select` returns every series matching all matchers
 * with its samples (stale markers included, flagged) in [hints.start, hints.end]; series with
 * no samples in range may be omitted.
 */
export interface Queryable {
  select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]>;
  /** Label names of series matching any of the matcher sets (all series when empty), sorted. */
  labelNames(matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]>;
  /** Values of one label over series matching any of the matcher sets, sorted. */
  labelValues(name: string, matcherSets: LabelMatcher[][], start: number, end: number): Promise<string[]>;
  /** Label sets of series matching any of the matcher sets. */
  series(matcherSets: LabelMatcher[][], start: number, end: number): Promise<Labels[]>;
}
