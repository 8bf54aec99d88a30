/**
 * Request parameters of the Prometheus HTTP API (`/api/v1/query`, `query_range`, `series`,
 * `labels`, `label/<name>/values`, `metadata`, …), read as Prometheus reads them (web/api/v1,
 * documented in docs/querying/api.md). Pure: URLSearchParams in, values or `PromApiError` out.
 *
 * - GET query string and form-encoded POST body are merged like Go's `Request.ParseForm`: body
 *   values come first, so for single-valued parameters the body wins; `match[]` gets both.
 * - Times: a unix timestamp in (float) seconds, rounded to the millisecond, or RFC 3339 with up to
 *   nanosecond fractions (truncated to the millisecond); Prometheus's own min/max time strings
 *   (`-292273086-05-16T16:47:06Z`, `292277025-08-18T07:12:54.999999999Z`, what client_golang
 *   sends for "unbounded") map to `MIN_TIME_MS` / `MAX_TIME_MS`.
 * - Durations (step, timeout): float seconds or a Prometheus duration (`5m`, `1h30m`, `500ms`).
 * - Errors carry Prometheus's messages: `invalid parameter "start": cannot parse "x" to a valid
 *   timestamp`, and so on; `errorType` is `bad_data` (HTTP 400).
 */
import { parseDuration as parsePromDuration } from "@/server/metrics/duration";
import { parseExpr, PromQLParseError } from "@/server/metrics/promql/parse";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { PromApiError } from "./response";

/** Prometheus's `MinTime` / `MaxTime` (±2^63 ns around the Go epoch) in ms. Beyond float precision; treat as unbounded. */
export const MIN_TIME_MS = -9223309901257974 * 1000;
export const MAX_TIME_MS = 9223309901257974 * 1000 + 999;
const MIN_TIME_TEXT = "-292273086-05-16T16:47:06Z";
const MAX_TIME_TEXT = "292277025-08-18T07:12:54.999999999Z";

/** Most points a range query may return per series (Prometheus's hard limit). */
export const MAX_POINTS_PER_SERIES = 11_000;
export const MAX_RESOLUTION_MESSAGE =
  "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)";

/** Go's time.Duration limit (2^63-1 ns) in ms. */
const MAX_DURATION_MS = 2 ** 63 / 1e6;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const INT = /^[+-]?\d+$/;

/**
 * The parameters of a request: the form-encoded POST body first, then the query string
 * (Go `ParseForm` order). `body` is null for GET or other content types.
 */
export function mergeParams(query: URLSearchParams, body?: URLSearchParams | null): URLSearchParams {
  const out = new URLSearchParams();
  if (body) for (const [k, v] of body) out.append(k, v);
  for (const [k, v] of query) out.append(k, v);
  return out;
}

/** A parameter as Go's `FormValue` reads it: the first value, "" when absent. */
export function formValue(params: URLSearchParams, name: string): string {
  return params.get(name) ?? "";
}

/** A time to epoch ms (see the module comment). Throws a plain Error with Prometheus's message. */
export function parseTime(s: string): number {
  if (FLOAT.test(s)) {
    const t = Number(s);
    if (Number.isFinite(t)) {
      const whole = Math.trunc(t);
      const frac = roundHalfAwayFromZero((t - whole) * 1000);
      return whole * 1000 + frac;
    }
  }
  const ms = parseRfc3339Nano(s);
  if (ms !== undefined) return ms;
  if (s === MIN_TIME_TEXT) return MIN_TIME_MS;
  if (s === MAX_TIME_TEXT) return MAX_TIME_MS;
  throw new Error(`cannot parse ${JSON.stringify(s)} to a valid timestamp`);
}

function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

function parseRfc3339Nano(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMs = 0;
  if (m[8] !== "Z") {
    const oh = Number(m[8].slice(1, 3));
    const om = Number(m[8].slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMs = (m[8][0] === "-" ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  return d.getTime() + ms - offsetMs;
}

/** A duration to ms: float seconds or a Prometheus duration string. Throws a plain Error with Prometheus's message. */
export function parseDuration(s: string): number {
  if (FLOAT.test(s)) {
    const ms = Number(s) * 1000;
    if (Math.abs(ms) > MAX_DURATION_MS) throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration. It overflows int64`);
    return ms;
  }
  const ms = parsePromDuration(s);
  if (ms === undefined) throw new Error(`cannot parse ${JSON.stringify(s)} to a valid duration`);
  return ms;
}

/** A time parameter, `fallback` when absent. Throws PromApiError bad_data. */
export function parseTimeParam(params: URLSearchParams, name: string, fallback: number): number {
  const s = formValue(params, name);
  if (s === "") return fallback;
  return wrap(name, () => parseTime(s));
}

/** A duration parameter in ms, `fallback` when absent. Throws PromApiError bad_data. */
export function parseDurationParam(params: URLSearchParams, name: string, fallback?: number): number | undefined {
  const s = formValue(params, name);
  if (s === "") return fallback;
  return wrap(name, () => parseDuration(s));
}

export type RangeQueryParams = { query: string; start: number; end: number; step: number; timeout?: number };
export type InstantQueryParams = { query: string; time: number; timeout?: number };

/** `/api/v1/query`: `query`, `time` (default now), `timeout`. */
export function parseInstantQueryParams(params: URLSearchParams, nowMs: number): InstantQueryParams {
  return { query: formValue(params, "query"), time: parseTimeParam(params, "time", nowMs), timeout: parseDurationParam(params, "timeout") };
}

/**
 * `/api/v1/query_range`: `query`, `start`, `end`, `step` (all required), `timeout`; checks
 * end ≥ start, step > 0 and the 11,000 points limit, with Prometheus's messages.
 */
export function parseRangeQueryParams(params: URLSearchParams): RangeQueryParams {
  const start = wrap("start", () => parseTime(formValue(params, "start")));
  const end = wrap("end", () => parseTime(formValue(params, "end")));
  if (end < start) throw new PromApiError("bad_data", "end timestamp must not be before start time");
  const step = parseStep(formValue(params, "step"));
  checkResolution(start, end, step);
  return { query: formValue(params, "query"), start, end, step, timeout: parseDurationParam(params, "timeout") };
}

/** A range query step in ms (must be positive). Throws PromApiError bad_data. */
export function parseStep(s: string): number {
  const step = wrap("step", () => parseDuration(s));
  if (step <= 0) throw new PromApiError("bad_data", "zero or negative query resolution step widths are not accepted. Try a positive integer");
  return step;
}

/** Refuses ranges that would give more than 11,000 points per series (Prometheus's integer division). */
export function checkResolution(startMs: number, endMs: number, stepMs: number): void {
  if (Math.floor((endMs - startMs) / stepMs) > MAX_POINTS_PER_SERIES) throw new PromApiError("bad_data", MAX_RESOLUTION_MESSAGE);
}

/**
 * The `match[]` selectors, each a series selector (`up`, `{job="api"}`, `http_requests_total{code=~"5.."}`),
 * as matcher sets. Anything else (functions, ranges, offsets, operators) is bad_data. Empty when
 * absent, unless `required` (`/api/v1/series`: "no match[] parameter provided").
 */
export function parseMatchParams(params: URLSearchParams, opts: { required?: boolean } = {}): LabelMatcher[][] {
  const values = params.getAll("match[]");
  if (opts.required && values.length === 0) throw new PromApiError("bad_data", "no match[] parameter provided");
  return values.map((s) => parseSeriesSelector(s));
}

/** One series selector to its matchers. Throws PromApiError bad_data. */
export function parseSeriesSelector(s: string): LabelMatcher[] {
  let expr;
  try {
    expr = parseExpr(s);
  } catch (err) {
    if (err instanceof PromQLParseError) throw new PromApiError("bad_data", err.message);
    throw err;
  }
  if (expr.kind !== "VectorSelector" || expr.offset !== 0 || expr.at) {
    throw new PromApiError("bad_data", `parse error: expected a series selector such as up{job="api"}, got ${JSON.stringify(s)}`);
  }
  return expr.matchers;
}

/** The `limit` parameter: 0 (no limit) when absent; a non-negative integer. Throws PromApiError bad_data. */
export function parseLimitParam(params: URLSearchParams, name = "limit"): number {
  const s = formValue(params, name);
  if (s === "") return 0;
  return wrap(name, () => {
    if (!INT.test(s)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
    const n = Number(s);
    if (n < 0) throw new Error("limit must be non-negative");
    return n;
  });
}

/**
 * Applies a `limit` to a list result (0 = no limit). Prometheus answers a truncated list with a
 * warning, so clients know there is more.
 */
export function applyLimit<T>(items: readonly T[], limit: number): { items: T[]; warnings: string[] } {
  if (limit > 0 && items.length > limit) return { items: items.slice(0, limit), warnings: ["results truncated due to limit"] };
  return { items: [...items], warnings: [] };
}

function wrap<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PromApiError) throw err;
    throw new PromApiError("bad_data", `invalid parameter ${JSON.stringify(name)}: ${(err as Error).message}`);
  }
}
