/**
 * What a panel's queries return (the `panels.query` procedure) and what panel components render:
 * frames per target. Pure types shared by server and browser.
 */
import type { LogHit } from "@/server/logs/search/contract";

/** One series: its labels (`__name__` included when present) and points in time order. */
export interface SeriesFrame {
  /** Display name: legendFormat / displayName applied, or the label set. */
  name: string;
  labels: Record<string, string>;
  /** [epoch ms, value]; `null` where the series has no sample at that step. */
  points: [number, number | null][];
}

export interface TimeSeriesResult {
  kind: "series";
  refId: string;
  /** The step used, in ms (range queries); 0 for instant queries. */
  stepMs: number;
  series: SeriesFrame[];
  /** Instant query: one point per series, at the range end. */
  instant: boolean;
}

export interface LogLinesResult {
  kind: "logs";
  refId: string;
  hits: LogHit[];
  total: number;
}

export interface QueryErrorResult {
  kind: "error";
  refId: string;
  /** The user-facing message (PromQL parse error, unknown field, …). */
  message: string;
}

export type TargetResult = TimeSeriesResult | LogLinesResult | QueryErrorResult;

/** A panel's data: one result per visible target, in target order. */
export interface PanelData {
  results: TargetResult[];
  /** The range actually queried (after the panel's timeFrom / timeShift), epoch ms. */
  range: { start: number; end: number };
  /** The interval used for `$__interval`, ms. */
  intervalMs: number;
}
