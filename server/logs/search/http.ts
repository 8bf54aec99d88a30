import { AppError } from "@/server/lib/errors";
import { parseTime } from "@/server/metrics/prom-api/params";
import { DEFAULT_TRACK_TOTAL_HITS, MAX_PAGE_SIZE, MAX_QUERY_LENGTH } from "./contract";

/** Default range of the REST endpoints when `start` is absent: the last 15 minutes before `end`. */
export const DEFAULT_SPAN_MS = 15 * 60_000;

function bad(message: string): AppError {
  return new AppError("INVALID_INPUT", { userMessage: message });
}

/** `start`/`end`: RFC 3339 or unix seconds (fractions allowed); defaults end = now, start = end − 15 m. */
export function timeParams(params: URLSearchParams, now = Date.now()): { start: number; end: number } {
  const read = (name: string): number | null => {
    const v = params.get(name);
    if (v === null || v === "") return null;
    try {
      return parseTime(v);
    } catch {
      throw bad(`Invalid ${name} "${v.slice(0, 64)}": use RFC 3339 (2026-11-25T10:00:00Z) or unix seconds`);
    }
  };
  /** Year 10000 and later: the caller sent milliseconds (or nonsense); PostgreSQL cannot hold it. */
  const MAX_MS = Date.UTC(10000, 0, 1);
  const sane = (name: string, ms: number | null): number | null => {
    if (ms !== null && (ms >= MAX_MS || ms < -MAX_MS)) throw bad(`Invalid ${name} "${params.get(name)!.slice(0, 64)}": too far from now; send unix seconds, not milliseconds, or RFC 3339`);
    return ms;
  };
  const end = sane("end", read("end")) ?? now;
  const start = sane("start", read("start")) ?? end - DEFAULT_SPAN_MS;
  if (end < start) throw bad("end must not be before start");
  return { start, end };
}

export function queryParam(params: URLSearchParams): string {
  const q = params.get("q") ?? "";
  if (q.length > MAX_QUERY_LENGTH) throw bad(`q is longer than ${MAX_QUERY_LENGTH} characters`);
  return q;
}

/** A positive integer parameter within [min, max], or `dflt` when absent. */
export function intParam(params: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const v = params.get(name);
  if (v === null || v === "") return dflt;
  if (!/^\d{1,12}$/.test(v)) throw bad(`${name} must be a whole number`);
  const n = Number(v);
  if (n < min || n > max) throw bad(`${name} must be between ${min} and ${max}`);
  return n;
}

export function searchParamsOf(params: URLSearchParams, now = Date.now()) {
  const track = params.get("track_total_hits");
  return {
    q: queryParam(params),
    ...timeParams(params, now),
    limit: intParam(params, "limit", 100, 1, MAX_PAGE_SIZE),
    cursor: params.get("cursor"),
    trackTotalHits: track === "true" ? true : track === "false" ? false : intParam(params, "track_total_hits", DEFAULT_TRACK_TOTAL_HITS, 0, 1e9),
    includeArchive: includeArchiveParam(params),
  };
}

/** `includeArchive=true|false` (also 1/0); absent = hot tier only. */
export function includeArchiveParam(params: URLSearchParams): boolean {
  const v = params.get("includeArchive");
  if (v === null || v === "" || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw bad(`includeArchive must be true or false`);
}

/** Bucket width: `step` as a Prometheus-style duration (30s, 5m, 1h) or seconds. */
export function stepParam(params: URLSearchParams): number | undefined {
  const v = params.get("step");
  if (v === null || v === "") return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v);
  if (!m) throw bad(`Invalid step "${v.slice(0, 32)}": use e.g. 30s, 5m, 1h or seconds`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h" | "d"];
  const ms = Math.round(Number(m[1]) * unit);
  if (ms < 1) throw bad("step must be at least 1ms");
  return ms;
}
