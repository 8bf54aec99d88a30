/**
 * Prometheus's rules and alerts API over our rules (GET /api/v1/rules, GET /api/v1/alerts):
 * the shapes of Prometheus's docs/querying/api.md ("Rules", "Alerts"). Pure shaping here, the
 * reads through rules-service.ts (folder access applies: a caller sees the rules it may see).
 *
 * - A group's `file` is its folder's title (General for none); `interval`, `duration`,
 *   `evaluationTime` are seconds; times are RFC 3339 (Go's zero time before the first evaluation).
 * - Rule `state`: firing if an instance fires, else pending if one is pending, else inactive;
 *   `health`: ok / err / unknown (never evaluated). Alerts are the pending and firing instances,
 *   `value` formatted as Go's FormatFloat(v, 'e', -1, 64).
 */
import type { DbOrTx } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { parseDuration } from "@/server/metrics/duration";
import type { ApiAnswer } from "@/server/metrics/prom-api/api";
import { PromApiError } from "@/server/metrics/prom-api/response";
import { parseExpr } from "@/server/metrics/promql/parse";
import type { AlertInstance, AlertRule } from "./model";
import { visibleRules } from "./rules-service";
import * as store from "./store";

const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/** Go's strconv.FormatFloat(v, 'e', -1, 64): `5e-01`, `1.23456e+02`, `NaN`, `+Inf`. */
export function formatGoExp(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  const [mantissa, exp] = v.toExponential().split("e") as [string, string];
  const sign = exp.startsWith("-") ? "-" : "+";
  const digits = exp.replace(/^[+-]/, "");
  return `${Object.is(v, -0) ? "-" : ""}${mantissa}e${sign}${digits.padStart(2, "0")}`;
}

const seconds = (ms: number) => ms / 1000;
const rfc3339 = (ms: number | null) => (ms === null ? GO_ZERO_TIME : new Date(ms).toISOString());

/** The rule's condition as one query text, as Prometheus shows `expr`. */
export function ruleQueryText(rule: AlertRule): string {
  const q = rule.query;
  if (q.kind === "promql") {
    if (!q.condition) return q.expr;
    let bare: boolean;
    try {
      const kind = parseExpr(q.expr).kind;
      bare = kind !== "BinaryExpr";
    } catch {
      bare = false;
    }
    const expr = bare ? q.expr : `(${q.expr})`;
    return `${expr} ${q.condition.op} ${q.condition.threshold}`;
  }
  const by = q.groupBy ? ` by (${q.groupBy})` : "";
  return `count${by}(logs(${JSON.stringify(q.query)})[${q.window}]) ${q.condition.op} ${q.condition.threshold}`;
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing";
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

export interface PromAlertingRule {
  state: "inactive" | "pending" | "firing";
  name: string;
  query: string;
  duration: number;
  keepFiringFor: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  alerts?: PromAlert[];
  health: "ok" | "err" | "unknown";
  lastError?: string;
  type: "alerting";
  lastEvaluation: string;
  evaluationTime: number;
}

export interface PromRuleGroup {
  name: string;
  file: string;
  rules: PromAlertingRule[];
  interval: number;
  limit: number;
  evaluationTime: number;
  lastEvaluation: string;
}

function toPromAlert(i: AlertInstance): PromAlert | null {
  if (i.state !== "pending" && i.state !== "firing") return null;
  const a: PromAlert = {
    labels: i.labels,
    annotations: i.annotations,
    state: i.state,
    activeAt: rfc3339(i.activeSince ?? i.stateSince),
    value: formatGoExp(i.value ?? Number.NaN),
  };
  if (i.state === "firing" && i.keepFiringUntil !== null) a.keepFiringSince = rfc3339(i.lastEvalAt);
  return a;
}

const listParam = (params: URLSearchParams, name: string) => [...params.getAll(`${name}[]`), ...params.getAll(name)];

/** GET /api/v1/rules: `type`, `rule_name[]`, `rule_group[]`, `file[]`, `exclude_alerts`. */
export async function prometheusRules(db: DbOrTx, principal: Principal, params: URLSearchParams): Promise<ApiAnswer<{ groups: PromRuleGroup[] }>> {
  const type = params.get("type") ?? "";
  if (type !== "" && type !== "alert" && type !== "record") throw new PromApiError("bad_data", `unsupported type "${type}": one of alert, record`);
  const excludeAlerts = params.get("exclude_alerts");
  if (excludeAlerts !== null && excludeAlerts !== "true" && excludeAlerts !== "false") throw new PromApiError("bad_data", `exclude_alerts: not a boolean: "${excludeAlerts}"`);
  const names = new Set(listParam(params, "rule_name"));
  const groupNames = new Set(listParam(params, "rule_group"));
  const files = new Set(listParam(params, "file"));
  if (type === "record") return { data: { groups: [] } };

  const rules = await visibleRules(db, principal);
  const uids = [...rules.keys()];
  const [instances, evaluations] = await Promise.all([excludeAlerts === "true" ? Promise.resolve([]) : store.instanceRows(db, { ruleUids: uids, states: ["pending", "firing"] }), store.evaluationRows(db, uids)]);
  const states = new Map<string, Set<string>>();
  const alertsByRule = new Map<string, PromAlert[]>();
  for (const i of instances) {
    const a = toPromAlert(i);
    if (!a) continue;
    (alertsByRule.get(i.ruleUid) ?? alertsByRule.set(i.ruleUid, []).get(i.ruleUid)!).push(a);
  }
  // States even when alerts are excluded.
  const stateRows = excludeAlerts === "true" ? await store.instanceRows(db, { ruleUids: uids, states: ["pending", "firing"] }) : instances;
  for (const i of stateRows) (states.get(i.ruleUid) ?? states.set(i.ruleUid, new Set()).get(i.ruleUid)!).add(i.state);

  const groups = new Map<string, PromRuleGroup & { lastMs: number | null; evalMs: number }>();
  for (const [uid, r] of rules) {
    const file = r.folderTitle ?? "General";
    if (files.size && !files.has(file)) continue;
    if (groupNames.size && !groupNames.has(r.groupName)) continue;
    const group = groups.get(r.groupId) ?? { name: r.groupName, file, rules: [], interval: seconds(r.intervalMs), limit: 0, evaluationTime: 0, lastEvaluation: GO_ZERO_TIME, lastMs: null, evalMs: 0 };
    groups.set(r.groupId, group);
    if (names.size && !names.has(r.title)) continue;
    const rule = r.rule.data as unknown as AlertRule;
    const ev = evaluations.get(uid);
    const st = states.get(uid);
    const out: PromAlertingRule = {
      state: st?.has("firing") ? "firing" : st?.has("pending") ? "pending" : "inactive",
      name: r.title,
      query: ruleQueryText(rule),
      duration: seconds(parseDuration(rule.for ?? "0s") ?? 0),
      keepFiringFor: seconds(rule.keepFiringFor ? (parseDuration(rule.keepFiringFor) ?? 0) : 0),
      labels: rule.labels ?? {},
      annotations: rule.annotations ?? {},
      health: !ev ? "unknown" : ev.health === "error" ? "err" : "ok",
      type: "alerting",
      lastEvaluation: ev ? ev.lastEvalAt.toISOString() : GO_ZERO_TIME,
      evaluationTime: ev ? seconds(ev.durationMs) : 0,
    };
    if (excludeAlerts !== "true") out.alerts = alertsByRule.get(uid) ?? [];
    if (ev?.error) out.lastError = ev.error;
    group.rules.push(out);
    group.evalMs += ev?.durationMs ?? 0;
    if (ev && (group.lastMs === null || ev.lastEvalAt.getTime() > group.lastMs)) {
      group.lastMs = ev.lastEvalAt.getTime();
      group.lastEvaluation = ev.lastEvalAt.toISOString();
    }
  }
  const filtered = [...groups.values()].filter((g) => !names.size || g.rules.length > 0).map(({ lastMs: _l, evalMs, ...g }) => ({ ...g, evaluationTime: seconds(evalMs) }));
  return { data: { groups: filtered } };
}

/** GET /api/v1/alerts: every pending and firing instance of the rules the caller can see. */
export async function prometheusAlerts(db: DbOrTx, principal: Principal): Promise<ApiAnswer<{ alerts: PromAlert[] }>> {
  const rules = await visibleRules(db, principal);
  const instances = await store.instanceRows(db, { ruleUids: [...rules.keys()], states: ["pending", "firing"] });
  return { data: { alerts: instances.map(toPromAlert).filter((a): a is PromAlert => a !== null) } };
}
