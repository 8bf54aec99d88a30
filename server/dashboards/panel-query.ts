/**
 * A panel's queries (`panels.query`): every visible target evaluated in parallel, each answer a
 * TargetResult (server/dashboards/panel-data.ts). A target that fails (parse error, unknown field,
 * missing permission) becomes `{kind: "error"}` and never fails the others.
 *
 * - PromQL: built-ins filled (`$__interval`, `$__rate_interval`, `$__range`…, see
 *   panel-query-builtins.ts); step = max(panel interval, the target's min interval, range/11,000);
 *   range aligned to the step; range query through the Prometheus API's engine on the caller's
 *   data-access-filtered storage; series named by the legend format; one point per step, `null`
 *   where the series has no value (gaps). Instant targets evaluate once at the range end.
 * - Logs: `lines` are the newest `limit` matching events; `volume` is counts per interval, one
 *   series per level; `count` one series "count" — through the log search service, which applies
 *   the role's log filter.
 * Results are cached per target (panel-cache.ts) when a cache is given.
 */
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { isAppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { LOG_LEVELS } from "@/server/logs/event";
import { HistogramInput, SearchInput } from "@/server/logs/search/contract";
import { searchHistogram, searchLogs } from "@/server/logs/search/service";
import type { Queryable } from "@/server/metrics/model";
import { getEngine } from "@/server/metrics/prom-api/api";
import { queryableFor } from "@/server/metrics/prom-api/http";
import { PromApiError } from "@/server/metrics/prom-api/response";
import type { Engine } from "@/server/metrics/promql/engine/engine";
import { PromQLExecError } from "@/server/metrics/promql/engine/types";
import { PromQLParseError } from "@/server/metrics/promql/parse";
import { TargetSchema, type LogTarget, type PromTarget, type Target } from "./model";
import { filterIdentity, panelCacheKey, type CacheOutcome, type PanelCache } from "./panel-cache";
import type { PanelData, SeriesFrame, TargetResult, TimeSeriesResult } from "./panel-data";
import { instantFrames, planLogs, planProm, rangeFrames, type Plan, type PlanRange } from "./panel-query-plan";

const DAY_MS = 86_400_000;

export const PanelQueryInputSchema = z
  .object({
    targets: z.array(TargetSchema).max(26),
    /** The range, epoch ms. */
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    /** The panel's `$__interval` in ms (from its width and range; the client computes it). */
    intervalMs: z.number().int().min(1).max(366 * DAY_MS),
  })
  .refine((i) => i.end >= i.start, { message: "end must not be before start", path: ["end"] });
export type PanelQueryInput = z.input<typeof PanelQueryInputSchema>;

export interface PanelQueryDeps {
  db: Db;
  /** Result cache; absent or null evaluates every time. */
  cache?: PanelCache | null;
  /** Storage as the principal may see it (default: the Prometheus API's `queryableFor`). */
  queryable?: (db: Db, principal: Principal) => Queryable;
  /** PromQL engine (default: the Prometheus API's). */
  engine?: Engine;
  /** Told what the cache did for each target (tests, bench). */
  onCache?: (refId: string, outcome: CacheOutcome) => void;
}

export async function runPanelQuery(deps: PanelQueryDeps, principal: Principal, rawInput: PanelQueryInput): Promise<PanelData> {
  const input = PanelQueryInputSchema.parse(rawInput);
  const visible = input.targets.filter((t) => !t.hide);
  let queryable: Queryable | null = null;
  const storage = () => (queryable ??= (deps.queryable ?? queryableFor)(deps.db, principal));
  const results = await Promise.all(
    visible.map((t) =>
      runTarget(deps, principal, t, input, storage).catch((err: unknown): TargetResult => ({ kind: "error", refId: t.refId, message: errorMessage(err, t) })),
    ),
  );
  return { results, range: { start: input.start, end: input.end }, intervalMs: input.intervalMs };
}

async function runTarget(deps: PanelQueryDeps, principal: Principal, target: Target, range: PlanRange, storage: () => Queryable): Promise<TargetResult> {
  const needed = target.kind === "promql" ? "metrics:read" : "logs:read";
  if (!principal.permissions.has(needed)) return { kind: "error", refId: target.refId, message: `Missing permission ${needed}` };
  const plan = target.kind === "promql" ? planProm(target, range) : planLogs(target, range);
  const evaluate = () => (plan.target.kind === "promql" ? evalProm(deps, storage(), plan.target, plan) : evalLogs(deps, principal, plan.target, plan));
  const cache = deps.cache;
  if (!cache) return evaluate();
  const key = panelCacheKey({ filter: filterIdentity(principal, target.kind), target: plan.target, start: plan.start, end: plan.end, step: plan.step });
  return cache.get(key, cache.ttl(plan.end), target.refId, evaluate, (o) => deps.onCache?.(target.refId, o));
}

async function evalProm(deps: PanelQueryDeps, q: Queryable, target: PromTarget, plan: Plan): Promise<TimeSeriesResult> {
  const engine = deps.engine ?? getEngine();
  if (target.instant) {
    const r = await engine.instantQuery(q, target.expr, plan.end);
    return { kind: "series", refId: target.refId, stepMs: 0, instant: true, series: instantFrames(r, target) };
  }
  const r = await engine.rangeQuery(q, target.expr, plan.start, plan.end, plan.step);
  return { kind: "series", refId: target.refId, stepMs: plan.step, instant: false, series: rangeFrames(r, target, plan) };
}

/** Level series in the order a log volume stacks them: most severe on top of the legend. */
const VOLUME_LEVELS = [...[...LOG_LEVELS].reverse(), "none"] as const;

async function evalLogs(deps: PanelQueryDeps, principal: Principal, target: LogTarget, plan: Plan): Promise<TargetResult> {
  if (target.mode === "lines") {
    const r = await searchLogs(deps.db, principal, SearchInput.parse({ q: target.query, start: plan.start, end: plan.end, limit: target.limit }));
    return { kind: "logs", refId: target.refId, hits: r.hits, total: r.total };
  }
  const h = await searchHistogram(deps.db, principal, HistogramInput.parse({ q: target.query, start: plan.start, end: plan.end, step: plan.step }));
  let series: SeriesFrame[];
  if (target.mode === "count") {
    series = [{ name: "count", labels: {}, points: h.buckets.map((b) => [b.ts, b.count]) }];
  } else {
    series = [];
    for (const level of VOLUME_LEVELS) {
      if (!h.buckets.some((b) => b.levels[level] > 0)) continue;
      const name = level === "none" ? "unknown" : level;
      series.push({ name, labels: { level: name }, points: h.buckets.map((b) => [b.ts, b.levels[level]]) });
    }
  }
  return { kind: "series", refId: target.refId, stepMs: h.step, instant: false, series };
}

/** The user-facing message of a target's failure; unexpected errors are logged and not shown. */
function errorMessage(err: unknown, target: Target): string {
  if (isAppError(err)) return err.userMessage;
  if (err instanceof PromQLExecError || err instanceof PromQLParseError || err instanceof PromApiError) return err.message;
  logger.error({ err, refId: target.refId, kind: target.kind }, "panel query failed");
  return "Internal error while running the query; see the server log";
}
