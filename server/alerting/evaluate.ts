/**
 * Evaluating one alert rule at one instant, and the Preview button (evaluate, then the state each
 * series would be in).
 *
 * PromQL rules run as an instant query at `at` through the engine of the Prometheus API; log rules
 * count the events matching their query in (at − window, at] through log search, in total or per
 * value of a field. Evaluation reads as the system: every series and every event, no role's
 * data-access filter, unless a principal is given (the Preview of a signed-in user sees what that
 * user may see). Failures (a parse error, a timeout, an unknown field, storage errors) are
 * returned as `{ ok: false, error }`: the state machine decides what they mean for the alerts.
 */
import type { Db } from "@/db/client";
import { env } from "@/env";
import type { Principal } from "@/server/auth/principal";
import { isAppError } from "@/server/lib/errors";
import { stripAttributesPrefix } from "@/server/logs/query/ast";
import { searchHistogram, searchTerms } from "@/server/logs/search/service";
import { parseDuration } from "@/server/lib/duration";
import type { Queryable } from "@/server/metrics/model";
import { getEngine } from "@/server/metrics/prom-api/api";
import { FilteredQueryable, parseFilterMatchers } from "@/server/metrics/prom-api/filtered-queryable";
import type { Engine } from "@/server/metrics/promql/engine/engine";
import { PgQueryable } from "@/server/metrics/store/read";
import type { RenderTemplate } from "./annotations";
import type { AlertInstance, AlertRule, Comparison, Condition, EvalResult, EvalSeries, LabelSet, LogRuleQuery, PromRuleQuery, StateTransition } from "./model";
import { nextStates } from "./state";

export interface EvalDeps {
  db: Db;
  /** The PromQL engine (default: the Prometheus API's, getEngine()). */
  engine?: Engine;
  /** Metrics storage (default: every stored series, or the principal's share of them). */
  queryable?: Queryable;
  /** Whose view of the data (default: the system's, unfiltered). */
  principal?: Principal;
  /** Longest an evaluation may take (default: the engine's own limit only). */
  timeoutMs?: number;
}

/** Most series a grouped log rule yields; more is an evaluation error rather than alerts silently missing. */
export const MAX_LOG_GROUPS = 1000;

/** How alert evaluation reads logs: as nobody in particular, with no data-access filter. */
const SYSTEM: Principal = { type: "service_account", id: "alerting", name: "alerting", apiKeyId: "", scopes: [], permissions: new Set(), dataFilter: null };

/** `value <op> threshold`. */
export function compare(value: number, condition: Condition): boolean {
  return COMPARE[condition.op](value, condition.threshold);
}

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

/** A log field as a label name: `attributes.` dropped, any other character than [A-Za-z0-9_] → `_` (`http.status` → `http_status`). */
export function fieldLabelName(field: string): string {
  const name = stripAttributesPrefix(field).replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

class EvalTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EvalTimeout(`evaluation timed out after ${ms / 1000}s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function errorText(err: unknown): string {
  if (isAppError(err)) return err.userMessage;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Evaluates a rule at `at` (epoch ms). Never throws for a failing query: `{ ok: false, error }`. */
export async function evaluateRule(deps: EvalDeps, rule: AlertRule, at: number): Promise<EvalResult> {
  try {
    const q = rule.query;
    const series = await withTimeout(q.kind === "promql" ? evalPromQL(deps, q, at) : evalLogs(deps, q, at), deps.timeoutMs);
    return { at, ok: true, series };
  } catch (err) {
    return { at, ok: false, error: errorText(err) };
  }
}

function queryableOf(deps: EvalDeps): Queryable {
  if (deps.queryable) return deps.queryable;
  const base = new PgQueryable(deps.db, { rollups: env().LOOKOUT_METRICS_ROLLUPS === "on" });
  const matchers = deps.principal?.dataFilter?.labelMatchers;
  return matchers?.length ? new FilteredQueryable(base, parseFilterMatchers(matchers)) : base;
}

async function evalPromQL(deps: EvalDeps, q: PromRuleQuery, at: number): Promise<EvalSeries[]> {
  const engine = deps.engine ?? getEngine();
  const r = await engine.instantQuery(queryableOf(deps), q.expr, at);
  const active = (v: number) => (q.condition ? compare(v, q.condition) : true);
  switch (r.resultType) {
    case "scalar":
      return [{ labels: {}, value: r.result.v, active: active(r.result.v) }];
    case "vector":
      return r.result.map((s) => {
        const labels: LabelSet = { ...s.labels };
        delete labels.__name__;
        return { labels, value: s.v, active: active(s.v) };
      });
    default:
      throw new Error(`the expression must give an instant vector or a scalar, not a ${r.resultType === "matrix" ? "range vector" : "string"}`);
  }
}

async function evalLogs(deps: EvalDeps, q: LogRuleQuery, at: number): Promise<EvalSeries[]> {
  const windowMs = parseDuration(q.window);
  if (windowMs <= 0) throw new Error("the window must be longer than 0s");
  const principal = deps.principal ?? SYSTEM;
  // Log search ranges are inclusive at both ends, in ms: (at − window, at] is [at − window + 1, at].
  const range = { start: at - windowMs + 1, end: at };
  const one = (labels: LabelSet, value: number): EvalSeries => ({ labels, value, active: compare(value, q.condition) });
  if (!q.groupBy) {
    const h = await searchHistogram(deps.db, principal, { q: q.query, ...range, step: windowMs, buckets: 1 });
    return [one({}, h.total)];
  }
  const t = await searchTerms(deps.db, principal, { field: q.groupBy, q: q.query, ...range, size: MAX_LOG_GROUPS });
  if (t.other > 0) throw new Error(`more than ${MAX_LOG_GROUPS} distinct values of ${q.groupBy} in the window: narrow the query or group by another field`);
  const label = fieldLabelName(q.groupBy);
  const out = t.buckets.map((b) => one({ [label]: b.value }, b.count));
  // Events without the field count as one more group, without the label (PromQL's `count by`).
  if (t.missing > 0) out.push(one({}, t.missing));
  return out;
}

export interface PreviewDeps extends EvalDeps {
  render: RenderTemplate;
}

export interface RulePreview {
  result: EvalResult;
  /** Each instance with its labels, value and the state it would be in. */
  instances: AlertInstance[];
  transitions: StateTransition[];
}

/**
 * The Preview button: evaluates the rule at `at` and applies the state machine to `previous`
 * (the rule's current instances, or none: as if it had just been created).
 */
export async function previewRule(deps: PreviewDeps, rule: AlertRule, at: number, previous: readonly AlertInstance[] = []): Promise<RulePreview> {
  const result = await evaluateRule(deps, rule, at);
  const { instances, transitions } = nextStates(rule, previous, result, { render: deps.render });
  return { result, instances, transitions };
}
