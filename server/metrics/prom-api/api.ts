/**
 * The Prometheus HTTP API endpoints as plain functions: parameters in (URLSearchParams, already
 * merged from the query string and a form body), Prometheus's `data` out, errors thrown as
 * PromApiError / PromQL errors (mapped by toPromError). Storage comes in as a Queryable, already
 * narrowed by the caller's data-access filter.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Queryable } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { timeQuery } from "@/server/lib/metrics";
import { createEngine as createUntimedEngine, type Engine, type EngineOptions } from "@/server/metrics/promql/engine/engine";
import { PromQLExecError } from "@/server/metrics/promql/engine/types";
import { deleteSeries } from "@/server/metrics/store/delete";
import { applyLimit, parseInstantQueryParams, parseLimitParam, parseMatchParams, parseRangeQueryParams, parseTimeParam, MAX_TIME_MS, MIN_TIME_MS } from "./params";
import { metadataData, metricObject, parseMetadataLimits, PromApiError, queryData, type PromQueryData } from "./response";

/** Default and ceiling of a query's run time (Prometheus's -query.timeout default is 2 minutes). */
const QUERY_TIMEOUT_MS = 120_000;
/** Samples one query may load (Prometheus's -query.max-samples default). */
const MAX_SAMPLES = 50_000_000;

let engine: Engine | null = null;
/** The process-wide PromQL engine of the Prometheus API (dashboards panels evaluate through it too). */
export function getEngine(): Engine {
  return (engine ??= createEngine({ maxSamples: MAX_SAMPLES, timeoutMs: QUERY_TIMEOUT_MS }));
}

export interface ApiAnswer<T> {
  data: T;
  warnings?: string[];
  infos?: string[];
}

function engineFor(timeout: number | undefined): Engine {
  if (timeout === undefined || timeout >= QUERY_TIMEOUT_MS) return getEngine();
  return createEngine({ maxSamples: MAX_SAMPLES, timeoutMs: timeout });
}

/**
 * Every engine made here times its queries (`lookout_query_duration_seconds`, kinds promql_instant
 * and promql_range): the Prometheus API and whatever evaluates through getEngine() are counted, as
 * one observation per query.
 */
function createEngine(opts: EngineOptions): Engine {
  const inner = createUntimedEngine(opts);
  return {
    instantQuery: (q, query, timeMs) => timeQuery("promql_instant", () => inner.instantQuery(q, query, timeMs)),
    rangeQuery: (q, query, startMs, endMs, stepMs) => timeQuery("promql_range", () => inner.rangeQuery(q, query, startMs, endMs, stepMs)),
  };
}

function rethrow(err: unknown): never {
  if (err instanceof PromQLExecError) throw new PromApiError(err.type, err.message);
  throw err;
}

export async function instantQuery(q: Queryable, params: URLSearchParams, nowMs: number): Promise<ApiAnswer<PromQueryData>> {
  const p = parseInstantQueryParams(params, nowMs);
  const r = await engineFor(p.timeout).instantQuery(q, p.query, p.time).catch(rethrow);
  return { data: queryData(r), warnings: r.warnings, infos: r.infos };
}

export async function rangeQuery(q: Queryable, params: URLSearchParams): Promise<ApiAnswer<PromQueryData>> {
  const p = parseRangeQueryParams(params);
  const r = await engineFor(p.timeout).rangeQuery(q, p.query, p.start, p.end, p.step).catch(rethrow);
  return { data: queryData(r), warnings: r.warnings, infos: r.infos };
}

function timeRange(params: URLSearchParams): { start: number; end: number } {
  return { start: parseTimeParam(params, "start", MIN_TIME_MS), end: parseTimeParam(params, "end", MAX_TIME_MS) };
}

export async function series(q: Queryable, params: URLSearchParams): Promise<ApiAnswer<Record<string, string>[]>> {
  const sets = parseMatchParams(params, { required: true });
  const { start, end } = timeRange(params);
  const all = (await q.series(sets, start, end)).map(metricObject);
  const { items, warnings } = applyLimit(all, parseLimitParam(params));
  return { data: items, warnings };
}

export async function labelNames(q: Queryable, params: URLSearchParams): Promise<ApiAnswer<string[]>> {
  const sets = parseMatchParams(params);
  const { start, end } = timeRange(params);
  const { items, warnings } = applyLimit(await q.labelNames(sets, start, end), parseLimitParam(params));
  return { data: items, warnings };
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export async function labelValues(q: Queryable, name: string, params: URLSearchParams): Promise<ApiAnswer<string[]>> {
  // Prometheus 3 accepts `U__`-escaped UTF-8 names; we accept the classic form.
  if (!LABEL_NAME.test(name)) throw new PromApiError("bad_data", `invalid label name: ${JSON.stringify(name)}`);
  const sets = parseMatchParams(params);
  const { start, end } = timeRange(params);
  const { items, warnings } = applyLimit(await q.labelValues(name, sets, start, end), parseLimitParam(params));
  return { data: items, warnings };
}

export async function metadata(db: Db, params: URLSearchParams): Promise<ApiAnswer<ReturnType<typeof metadataData>>> {
  const limits = parseMetadataLimits(params);
  const rows = await db.execute<{ name: string; type: string; help: string; unit: string }>(sql`select name, type, help, unit from metric_metadata order by name`);
  return { data: metadataData(rows.rows, limits) };
}

/** `POST /api/v1/admin/tsdb/delete_series`: 204 in Prometheus; returns what was removed for the audit entry. */
export async function deleteSeriesApi(db: Db, params: URLSearchParams): Promise<{ series: number; samples: number; matchers: LabelMatcher[][] }> {
  const sets = parseMatchParams(params, { required: true });
  const { start, end } = timeRange(params);
  const r = await deleteSeries(db, sets, start, end);
  return { ...r, matchers: sets };
}

