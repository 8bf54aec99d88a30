/**
 * Responses of the Prometheus HTTP API: the JSON envelope, error types with their HTTP statuses,
 * sample formatting and result shapes, build info and metadata (docs/querying/api.md). Pure.
 *
 * - Success: `{ status: "success", data, warnings?, infos? }` (empty lists are left out).
 * - Error: `{ status: "error", errorType, error }` with HTTP 400 bad_data, 422 execution,
 *   503 timeout / canceled / unavailable (the documented "queries time out or abort"; recent
 *   Prometheus answers 499 for canceled), 500 internal, 404 not_found, 406 not_acceptable.
 * - Samples: `[<unix seconds>, "<value>"]`; seconds as a JSON number with millisecond precision
 *   (1435781451.781), values as Go's `strconv.FormatFloat(v, 'f', -1, 64)` with "NaN", "+Inf",
 *   "-Inf".
 */
import pkg from "@/package.json";
import { isAppError, type ErrorCode } from "@/server/lib/errors";
import { formatGoFloat } from "@/server/metrics/format-float";
import type { Labels } from "@/server/metrics/model";
import { PromQLParseError } from "@/server/metrics/promql/parse";

export type PromErrorType = "bad_data" | "execution" | "canceled" | "timeout" | "internal" | "not_found" | "unavailable" | "not_acceptable";

export const PROM_ERROR_STATUS: Record<PromErrorType, number> = {
  bad_data: 400,
  execution: 422,
  canceled: 503,
  timeout: 503,
  internal: 500,
  not_found: 404,
  unavailable: 503,
  not_acceptable: 406,
};

/** An API error with its Prometheus error type. */
export class PromApiError extends Error {
  readonly errorType: PromErrorType;
  constructor(errorType: PromErrorType, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PromApiError";
    this.errorType = errorType;
  }
  get httpStatus(): number {
    return PROM_ERROR_STATUS[this.errorType];
  }
}

export type PromSuccess<T> = { status: "success"; data: T; warnings?: string[]; infos?: string[] };
export type PromError = { status: "error"; errorType: PromErrorType; error: string; warnings?: string[]; infos?: string[] };

/** `{status: "success", data}` plus warnings/infos when there are any. */
export function promSuccess<T>(data: T, notes: { warnings?: readonly string[]; infos?: readonly string[] } = {}): PromSuccess<T> {
  const body: PromSuccess<T> = { status: "success", data };
  if (notes.warnings && notes.warnings.length > 0) body.warnings = [...notes.warnings];
  if (notes.infos && notes.infos.length > 0) body.infos = [...notes.infos];
  return body;
}

/** The error body and HTTP status for an error type and message. */
export function promError(errorType: PromErrorType, error: string, notes: { warnings?: readonly string[] } = {}): { status: number; body: PromError } {
  const body: PromError = { status: "error", errorType, error };
  if (notes.warnings && notes.warnings.length > 0) body.warnings = [...notes.warnings];
  return { status: PROM_ERROR_STATUS[errorType], body };
}

const APP_ERROR_TYPES: Partial<Record<ErrorCode, PromErrorType>> = {
  INVALID_INPUT: "bad_data",
  PAYLOAD_TOO_LARGE: "bad_data",
  NOT_FOUND: "not_found",
  QUERY_TIMEOUT: "timeout",
  UNAVAILABLE: "unavailable",
  RATE_LIMITED: "unavailable",
};

/**
 * Any error thrown while answering, as a Prometheus error: PromApiError as is, PromQL parse errors
 * as bad_data, AppErrors by code (INVALID_INPUT → bad_data, QUERY_TIMEOUT → timeout, …); anything
 * else is internal with its message hidden (log it with `logged`).
 */
export function toPromError(err: unknown): { status: number; body: PromError; logged?: unknown } {
  if (err instanceof PromApiError) return promError(err.errorType, err.message);
  if (err instanceof PromQLParseError) return promError("bad_data", err.message);
  if (isAppError(err)) {
    const type = APP_ERROR_TYPES[err.code];
    if (type) return promError(type, err.userMessage);
  }
  return { ...promError("internal", "internal server error"), logged: err };
}

// ---- samples and results ----

/** A timestamp in ms as Prometheus writes it: unix seconds, a JSON number with ms precision. */
export function formatTimestamp(ms: number): number {
  return ms / 1000;
}

/** A sample value as Prometheus writes it (Go 'f' -1 formatting, NaN, +Inf, -Inf). */
export function formatValue(v: number): string {
  return formatGoFloat(v);
}

export type PromSamplePair = [number, string];

export function samplePair(ms: number, v: number): PromSamplePair {
  return [formatTimestamp(ms), formatValue(v)];
}

/** The engine's result, as `{ resultType, result }`. */
export type EngineResult =
  | { resultType: "vector"; result: { labels: Labels; t: number; v: number }[] }
  | { resultType: "matrix"; result: { labels: Labels; timestamps: ArrayLike<number>; values: ArrayLike<number> }[] }
  | { resultType: "scalar"; result: { t: number; v: number } }
  | { resultType: "string"; result: { t: number; v: string } };

export type PromQueryData =
  | { resultType: "vector"; result: { metric: Labels; value: PromSamplePair }[] }
  | { resultType: "matrix"; result: { metric: Labels; values: PromSamplePair[] }[] }
  | { resultType: "scalar"; result: PromSamplePair }
  | { resultType: "string"; result: [number, string] };

/** The `data` of a `/api/v1/query` or `/api/v1/query_range` answer. */
export function queryData(r: EngineResult): PromQueryData {
  switch (r.resultType) {
    case "vector":
      return { resultType: "vector", result: r.result.map((s) => ({ metric: metricObject(s.labels), value: samplePair(s.t, s.v) })) };
    case "matrix":
      return {
        resultType: "matrix",
        result: r.result.map((s) => {
          const values: PromSamplePair[] = new Array(s.timestamps.length);
          for (let i = 0; i < s.timestamps.length; i++) values[i] = samplePair(s.timestamps[i], s.values[i]);
          return { metric: metricObject(s.labels), values };
        }),
      };
    case "scalar":
      return { resultType: "scalar", result: samplePair(r.result.t, r.result.v) };
    case "string":
      return { resultType: "string", result: [formatTimestamp(r.result.t), r.result.v] };
  }
}

/** Labels as the `metric` object: a plain object with keys sorted (as Prometheus's label sets are). */
export function metricObject(labels: Labels): Labels {
  const out: Labels = {};
  for (const name of Object.keys(labels).sort()) {
    if (name === "__proto__") Object.defineProperty(out, name, { value: labels[name], enumerable: true, writable: true, configurable: true });
    else out[name] = labels[name];
  }
  return out;
}

// ---- status and metadata ----

/**
 * `/api/v1/status/buildinfo` data. Grafana reads `version` (Prometheus flavour detection also looks
 * for `application` and `features`, which Cortex/Mimir/Thanos set; we leave them out so Lookout is
 * taken for Prometheus). The Go-specific fields are present, as clients expect them.
 */
export const BUILD_INFO = {
  // The Prometheus API level we implement: Grafana enables features (label match[], metadata) by
  // this version. Lookout's own version is in `revision`.
  version: "2.53.0",
  revision: `lookout-${pkg.version}`,
  branch: "",
  buildUser: "lookout",
  buildDate: "",
  goVersion: "",
} as const;

export type MetadataEntry = { name: string; type: string; help: string; unit: string };

/**
 * `/api/v1/metadata` data: `{ <metric>: [{type, help, unit}, …] }`, identical entries merged.
 * `limit` caps the number of metrics, `limitPerMetric` the entries per metric (negative: no
 * limit; as in Prometheus, 0 gives nothing); `metric` keeps one metric only.
 */
export function metadataData(
  entries: readonly MetadataEntry[],
  opts: { limit?: number; limitPerMetric?: number; metric?: string } = {},
): Record<string, { type: string; help: string; unit: string }[]> {
  const limit = opts.limit ?? -1;
  const perMetric = opts.limitPerMetric ?? -1;
  const out = new Map<string, { type: string; help: string; unit: string }[]>();
  const seen = new Set<string>();
  for (const e of entries) {
    if (opts.metric && e.name !== opts.metric) continue;
    let list = out.get(e.name);
    if (!list) {
      if (limit >= 0 && out.size >= limit) continue;
      list = [];
      out.set(e.name, list);
    }
    const key = JSON.stringify([e.name, e.type, e.help, e.unit]);
    if (seen.has(key) || (perMetric >= 0 && list.length >= perMetric)) continue;
    seen.add(key);
    list.push({ type: e.type, help: e.help, unit: e.unit });
  }
  const data: Record<string, { type: string; help: string; unit: string }[]> = {};
  for (const [name, list] of out) {
    if (name === "__proto__") Object.defineProperty(data, name, { value: list, enumerable: true, writable: true, configurable: true });
    else data[name] = list;
  }
  return data;
}

/** `limit` / `limit_per_metric` of `/api/v1/metadata`: integers, -1 when absent. Throws PromApiError bad_data. */
export function parseMetadataLimits(params: URLSearchParams): { limit: number; limitPerMetric: number; metric?: string } {
  const int = (name: string): number => {
    const s = params.get(name) ?? "";
    if (s === "") return -1;
    if (!/^[+-]?\d+$/.test(s)) throw new PromApiError("bad_data", `${name} must be a number`);
    return Number(s);
  };
  const metric = params.get("metric") ?? "";
  return { limit: int("limit"), limitPerMetric: int("limit_per_metric"), ...(metric !== "" ? { metric } : {}) };
}
