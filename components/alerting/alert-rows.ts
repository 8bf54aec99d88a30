/**
 * The alert list: rule instances (every state) and external alerts (from an outside Prometheus),
 * each with its Alertmanager status (silenced, inhibited, muted) where it has one. Pure.
 */
import { labelsMatch, Matcher } from "@/server/alerting/matchers";
import type { AlertState, LabelSet } from "@/server/alerting/model";
import type { MatcherRow } from "./matcher-rows";

type Instance = { ruleUid: string; ruleTitle: string; fingerprint: string; labels: LabelSet; annotations: Record<string, string>; state: AlertState; stateSince: number; value: number | null; error: string | null };
type Gettable = {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL: string;
  receivers: { name: string }[];
  status: { state: string; silencedBy: string[]; inhibitedBy: string[]; mutedBy: string[] };
  source: { kind: "rule"; ruleUid: string } | { kind: "external" };
};

export interface AlertRow {
  key: string;
  source: "rule" | "external";
  ruleUid: string | null;
  ruleTitle: string | null;
  generatorURL: string | null;
  labels: LabelSet;
  annotations: Record<string, string>;
  state: AlertState;
  value: number | null;
  since: number;
  error: string | null;
  silencedBy: string[];
  inhibitedBy: string[];
  mutedBy: string[];
  receivers: string[];
}

const SEVERITY: Record<AlertState, number> = { firing: 4, error: 3, nodata: 2, pending: 1, normal: 0 };

/** Instances and alerts merged (an instance's status comes from the alert of the same rule and fingerprint); worst state first, then newest. */
export function alertRows(instances: readonly Instance[], alerts: readonly Gettable[]): AlertRow[] {
  const status = new Map<string, Gettable>();
  for (const a of alerts) if (a.source.kind === "rule") status.set(`${a.source.ruleUid}/${a.fingerprint}`, a);
  const rows: AlertRow[] = instances.map((i) => {
    const a = status.get(`${i.ruleUid}/${i.fingerprint}`);
    return {
      key: `rule/${i.ruleUid}/${i.fingerprint}`,
      source: "rule",
      ruleUid: i.ruleUid,
      ruleTitle: i.ruleTitle,
      generatorURL: null,
      labels: i.labels,
      annotations: i.annotations,
      state: i.state,
      value: i.value,
      since: i.stateSince,
      error: i.error,
      silencedBy: a?.status.silencedBy ?? [],
      inhibitedBy: a?.status.inhibitedBy ?? [],
      mutedBy: a?.status.mutedBy ?? [],
      receivers: a?.receivers.map((r) => r.name) ?? [],
    };
  });
  for (const a of alerts) {
    if (a.source.kind !== "external") continue;
    rows.push({
      key: `external/${a.fingerprint}`,
      source: "external",
      ruleUid: null,
      ruleTitle: null,
      generatorURL: a.generatorURL || null,
      labels: a.labels,
      annotations: a.annotations,
      state: "firing",
      value: null,
      since: Date.parse(a.startsAt),
      error: null,
      silencedBy: a.status.silencedBy,
      inhibitedBy: a.status.inhibitedBy,
      mutedBy: a.status.mutedBy,
      receivers: a.receivers.map((r) => r.name),
    });
  }
  return rows.sort((x, y) => SEVERITY[y.state] - SEVERITY[x.state] || y.since - x.since || (x.key < y.key ? -1 : 1));
}

export type SuppressionFilter = "all" | "active" | "suppressed";

export const isSuppressed = (r: AlertRow): boolean => r.silencedBy.length > 0 || r.inhibitedBy.length > 0 || r.mutedBy.length > 0;

/** Rows in one of `states` (all when empty) and of the suppression kind asked for. */
export function filterRows(rows: readonly AlertRow[], opts: { states: readonly AlertState[]; suppression: SuppressionFilter }): AlertRow[] {
  return rows.filter((r) => (opts.states.length === 0 || opts.states.includes(r.state)) && (opts.suppression === "all" || (opts.suppression === "suppressed") === isSuppressed(r)));
}

/** History entries whose new state is one of `states` (all when empty) and whose labels match every matcher row. */
export function filterHistory<T extends { to: AlertState; labels: LabelSet }>(items: readonly T[], opts: { states: readonly AlertState[]; matchers: readonly MatcherRow[] }): T[] {
  const compiled = opts.matchers.map((r) => new Matcher(r.op, r.name, r.value));
  return items.filter((t) => (opts.states.length === 0 || opts.states.includes(t.to)) && labelsMatch(compiled, t.labels));
}
