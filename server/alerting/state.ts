/**
 * The alert state machine: a rule's instances before an evaluation, plus the evaluation's result,
 * give its instances after it and the state changes on the way. Pure (no I/O, no clock): the
 * evaluation worker, the Preview button and the tests all call the same function.
 *
 * Semantics (Prometheus's alerting rules, with Grafana's no-data and error handling):
 * - An active series goes normal → pending, and pending → firing once it has been active for the
 *   rule's `for` (`for: 0s` fires at the first evaluation). A firing alert stays firing while active.
 * - A series no longer active (returned below the threshold, or not returned at all): pending →
 *   normal (nothing was notified, nothing to resolve); firing → normal with `resolvedAt` set
 *   ("resolved", reported for 15 minutes so notifications carry `endsAt`, then forgotten), unless
 *   `keepFiringFor` keeps it firing until `keepFiringUntil`. A series returned but inactive is
 *   kept as a normal instance (Preview shows it); one not returned is dropped once it has nothing
 *   left to report.
 * - No data (the query succeeded with no series), per the rule's `noDataState`:
 *   NoData → one instance labelled `lookout_state="nodata"` (plus the rule's labels and
 *   alertname) in state `nodata`, which notifies like a firing alert; Alerting → that instance
 *   goes pending → firing honouring `for`; OK → every instance goes as if its series were gone;
 *   KeepLast → instances stay as they were. The series' previous instances are gone in every case
 *   but KeepLast.
 * - An evaluation error, per `execErrState`: Error → one instance labelled
 *   `lookout_state="error"` in state `error` with the error in its `lookout_error` annotation;
 *   Alerting → that instance goes pending → firing honouring `for`; OK → every instance goes as if
 *   its series were gone; KeepLast → instances stay as they were. Except with OK, the series'
 *   instances are kept as they were (an error says nothing about them, as Prometheus keeps its
 *   alerts when a rule fails).
 * - A no-data or error instance that no longer applies resolves like a firing alert.
 */
import { parseDuration } from "@/server/lib/duration";
import { fingerprint } from "./fingerprint";
import { instanceLabels, renderAnnotations, renderRuleLabels, type RenderTemplate } from "./annotations";
import type { AlertInstance, AlertRule, AlertState, EvalResult, EvalSeries, LabelSet, StateTransition } from "./model";

/** How long a resolved alert is still reported (Prometheus's resolved retention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;
/** The label that marks a rule's no-data and error instances. */
export const SPECIAL_STATE_LABEL = "lookout_state";
/** The annotation holding the evaluation error of an error instance. */
export const ERROR_ANNOTATION = "lookout_error";
/** Prometheus's message when rule labels make two series the same. */
export const DUPLICATE_LABELSET_ERROR = "vector contains metrics with the same labelset after applying alert labels";

export interface StateContext {
  render: RenderTemplate;
  /** The evaluation time (epoch ms); the result's `at` when omitted. */
  now?: number;
}

export interface NextStates {
  instances: AlertInstance[];
  transitions: StateTransition[];
}

/** One thing seen by this evaluation: a series, or the rule's no-data/error instance. */
interface Observation {
  labels: LabelSet;
  fingerprint: string;
  value: number | null;
  /** active: moves towards firing; inactive: towards normal; a state: goes straight there. */
  mode: "active" | "inactive" | "nodata" | "error";
  error: string | null;
}

export function nextStates(rule: AlertRule, previous: readonly AlertInstance[], result: EvalResult, ctx: StateContext): NextStates {
  const at = ctx.now ?? result.at;
  const forMs = parseDuration(rule.for);
  const keepFiringMs = rule.keepFiringFor ? parseDuration(rule.keepFiringFor) : 0;
  const ruleUid = rule.uid ?? "";
  const render = ctx.render;

  // What this evaluation saw, and what becomes of the instances it did not see.
  let observed: Observation[];
  let unseen: "gone" | "kept";
  const special = (kind: "nodata" | "error", mode: Observation["mode"], error: string | null): Observation => {
    const labels = { ...instanceLabels({}, renderRuleLabels(render, rule.labels, { labels: {}, value: null }), rule.title), [SPECIAL_STATE_LABEL]: kind };
    return { labels, fingerprint: fingerprint(labels), value: null, mode, error };
  };

  if (result.ok && result.series.length > 0) {
    observed = result.series.map((s) => seriesObservation(rule, s, render));
    if (new Set(observed.map((o) => o.fingerprint)).size !== observed.length) {
      return nextStates(rule, previous, { at: result.at, ok: false, error: DUPLICATE_LABELSET_ERROR }, ctx);
    }
    unseen = "gone";
  } else if (result.ok) {
    const mode = rule.noDataState;
    observed = mode === "NoData" ? [special("nodata", "nodata", null)] : mode === "Alerting" ? [special("nodata", "active", null)] : [];
    unseen = mode === "KeepLast" ? "kept" : "gone";
  } else {
    const mode = rule.execErrState;
    observed = mode === "Error" ? [special("error", "error", result.error)] : mode === "Alerting" ? [special("error", "active", result.error)] : [];
    unseen = mode === "OK" ? "gone" : "kept";
  }

  const before = new Map(previous.map((i) => [i.fingerprint, i]));
  const instances: AlertInstance[] = [];
  const transitions: StateTransition[] = [];
  const note = (prevState: AlertState, inst: AlertInstance) => {
    if (prevState === inst.state) return;
    transitions.push({ ruleUid, fingerprint: inst.fingerprint, labels: inst.labels, from: prevState, to: inst.state, at, value: inst.value, error: inst.error });
  };

  /** A firing (or no-data/error) instance whose reason went away: resolved, or kept firing (keepFiringFor). */
  const ending = (prev: AlertInstance, next: AlertInstance): AlertInstance => {
    if (prev.state === "firing" && keepFiringMs > 0) {
      const until = prev.keepFiringUntil ?? at + keepFiringMs;
      if (at < until) return { ...next, state: "firing", stateSince: prev.stateSince, activeSince: prev.activeSince, keepFiringUntil: until, resolvedAt: null };
    }
    return { ...next, state: "normal", stateSince: at, activeSince: null, keepFiringUntil: null, resolvedAt: at, error: null };
  };

  for (const o of observed) {
    const prev = before.get(o.fingerprint);
    before.delete(o.fingerprint);
    const annotations = renderAnnotations(render, rule.annotations, { labels: o.labels, value: o.value });
    if (o.error !== null) annotations[ERROR_ANNOTATION] = o.error;
    const base: AlertInstance = {
      ruleUid,
      labels: o.labels,
      fingerprint: o.fingerprint,
      state: "normal",
      stateSince: at,
      activeSince: null,
      keepFiringUntil: null,
      value: o.value,
      lastEvalAt: at,
      annotations,
      resolvedAt: null,
      error: o.error,
    };
    const prevState = prev?.state ?? "normal";
    let next: AlertInstance;
    if (o.mode === "nodata" || o.mode === "error") {
      next = prev?.state === o.mode ? { ...base, state: o.mode, stateSince: prev.stateSince, activeSince: prev.activeSince ?? at } : { ...base, state: o.mode, activeSince: at };
    } else if (o.mode === "active") {
      if (prev && (prev.state === "pending" || prev.state === "firing")) {
        const activeSince = prev.activeSince ?? at;
        const state: AlertState = prev.state === "firing" || at - activeSince >= forMs ? "firing" : "pending";
        next = { ...base, state, stateSince: state === prev.state ? prev.stateSince : at, activeSince };
      } else {
        next = { ...base, state: forMs <= 0 ? "firing" : "pending", activeSince: at };
      }
    } else if (!prev || prev.state === "pending") {
      next = base;
    } else if (prev.state === "normal") {
      // Still normal: a resolved alert keeps being reported for the retention time.
      const resolvedAt = prev.resolvedAt !== null && at - prev.resolvedAt <= RESOLVED_RETENTION_MS ? prev.resolvedAt : null;
      next = { ...base, stateSince: prev.stateSince, resolvedAt };
    } else {
      next = ending(prev, base);
    }
    note(prevState, next);
    instances.push(next);
  }

  for (const prev of before.values()) {
    if (unseen === "kept") {
      if (!(prev.state === "normal" && prev.resolvedAt !== null && at - prev.resolvedAt > RESOLVED_RETENTION_MS)) instances.push(prev);
      continue;
    }
    const touched: AlertInstance = { ...prev, lastEvalAt: at };
    if (prev.state === "pending") {
      // Never notified: back to normal, and forgotten.
      note(prev.state, { ...touched, state: "normal", activeSince: null });
    } else if (prev.state === "normal") {
      if (prev.resolvedAt !== null && at - prev.resolvedAt <= RESOLVED_RETENTION_MS) instances.push(touched);
    } else {
      const next = ending(prev, touched);
      note(prev.state, next);
      instances.push(next);
    }
  }
  return { instances, transitions };
}

function seriesObservation(rule: AlertRule, s: EvalSeries, render: RenderTemplate): Observation {
  const own: LabelSet = { ...s.labels };
  delete own.__name__;
  const labels = instanceLabels(own, renderRuleLabels(render, rule.labels, { labels: own, value: s.value }), rule.title);
  return { labels, fingerprint: fingerprint(labels), value: s.value, mode: s.active ? "active" : "inactive", error: null };
}
