/**
 * Alert periods: the spans during which an alert instance was pending, firing, without data or in
 * error, computed from its state transitions — what dashboards draw as annotations on their time
 * series (Grafana shows alert state changes the same way).
 *
 * A period starts when an instance enters a non-normal state and ends when it leaves it (for
 * another state, pending → firing, or back to normal). Periods are clipped to the range asked
 * for: one already going on at the range start starts at the range start; one still going on is
 * open (`end: null`).
 *
 * Pure module: safe in the browser and in workers.
 */
import type { AlertState, LabelSet } from "./model";

/** The states a period can be in (normal is the absence of a period). */
export type AlertPeriodState = Exclude<AlertState, "normal">;
export const ALERT_PERIOD_STATES: readonly AlertPeriodState[] = ["pending", "firing", "nodata", "error"];

export interface AlertPeriod {
  ruleUid: string;
  ruleTitle: string;
  fingerprint: string;
  labels: LabelSet;
  state: AlertPeriodState;
  /** Epoch ms; at least the range start (a period begun earlier is clipped to it). */
  start: number;
  /** Epoch ms when the instance left the state; null while it is still in it. */
  end: number | null;
}

/** A state transition as alert_state_history stores it (`id` orders transitions of the same instant). */
export interface PeriodTransition {
  ruleUid: string;
  fingerprint: string;
  labels: LabelSet;
  from: AlertState;
  to: AlertState;
  /** Epoch ms. */
  at: number;
  id?: number;
}

/** An instance's current state as alert_instances stores it. */
export interface CurrentAlertState {
  ruleUid: string;
  fingerprint: string;
  labels: LabelSet;
  state: AlertState;
  /** Epoch ms when the current state began. */
  stateSince: number;
}

export interface AlertPeriodsOptions {
  /**
   * The instances' current states. With them, a period still open at the range end is open
   * (`end: null`) only when the instance is still in that state; otherwise it ended after the
   * range and is clipped to the range end. An instance in a non-normal state without any
   * transition in the input has been in it since `stateSince`: an open period too. Without them,
   * every period open at the range end stays open.
   */
  current?: readonly CurrentAlertState[];
  /** Rule titles by uid (a rule missing here is titled by its uid). */
  ruleTitles?: ReadonlyMap<string, string>;
}

const isPeriodState = (s: AlertState): s is AlertPeriodState => s !== "normal";
const keyOf = (x: { ruleUid: string; fingerprint: string }) => `${x.ruleUid}\u0000${x.fingerprint}`;

type Open = { state: AlertPeriodState; start: number; labels: LabelSet };

/**
 * The periods overlapping `range` (epoch ms, inclusive), by start then rule title and labels.
 * `transitions` should cover the range and some time before it (a lookback): a period whose
 * beginning is not in the input (its first transition leaves a non-normal state) is taken to have
 * begun before the range.
 */
export function alertPeriods(transitions: readonly PeriodTransition[], range: { start: number; end: number }, opts: AlertPeriodsOptions = {}): AlertPeriod[] {
  const bySeries = new Map<string, PeriodTransition[]>();
  for (const t of transitions) {
    const k = keyOf(t);
    const list = bySeries.get(k);
    if (list) list.push(t);
    else bySeries.set(k, [t]);
  }
  const current = new Map((opts.current ?? []).map((c) => [keyOf(c), c]));
  const title = (uid: string) => opts.ruleTitles?.get(uid) ?? uid;
  const raw: Omit<AlertPeriod, "ruleTitle">[] = [];

  for (const list of bySeries.values()) {
    list.sort((a, b) => a.at - b.at || (a.id ?? 0) - (b.id ?? 0));
    const { ruleUid, fingerprint } = list[0]!;
    const emit = (o: Open, end: number | null) => raw.push({ ruleUid, fingerprint, labels: o.labels, state: o.state, start: o.start, end });
    let open: Open | null = null;
    /** When the series was last known to change (-Infinity: before the input). */
    let known = -Infinity;
    for (const t of list) {
      // Leaving a state whose beginning we did not see: it began before (clipped later).
      if (!open && isPeriodState(t.from) && t.from !== t.to) open = { state: t.from, start: known, labels: t.labels };
      if (open && open.state !== t.to) {
        emit(open, t.at);
        open = null;
      }
      if (!open && isPeriodState(t.to)) open = { state: t.to, start: t.at, labels: t.labels };
      known = t.at;
    }
    if (open) {
      if (!opts.current) emit(open, null);
      else {
        const now = current.get(keyOf(list[0]!));
        // Still in the state (and not re-entered after the range): still active.
        const active = now !== undefined && now.state === open.state && now.stateSince <= range.end;
        emit(open, active ? null : range.end);
      }
    }
  }

  for (const [k, c] of current) {
    if (bySeries.has(k) || !isPeriodState(c.state) || c.stateSince > range.end) continue;
    raw.push({ ruleUid: c.ruleUid, fingerprint: c.fingerprint, labels: c.labels, state: c.state, start: c.stateSince, end: null });
  }

  const out: AlertPeriod[] = [];
  for (const p of raw) {
    if ((p.end ?? Infinity) <= range.start || p.start > range.end) continue;
    out.push({ ruleUid: p.ruleUid, ruleTitle: title(p.ruleUid), fingerprint: p.fingerprint, labels: p.labels, state: p.state, start: Math.max(p.start, range.start), end: p.end });
  }
  return out.sort((a, b) => a.start - b.start || a.ruleTitle.localeCompare(b.ruleTitle) || a.fingerprint.localeCompare(b.fingerprint) || ALERT_PERIOD_STATES.indexOf(a.state) - ALERT_PERIOD_STATES.indexOf(b.state));
}

/** The periods going on at `t` (epoch ms): started at or before it, not ended by then. */
export function periodsAt<P extends Pick<AlertPeriod, "start" | "end">>(periods: readonly P[], t: number): P[] {
  return periods.filter((p) => p.start <= t && (p.end === null || t < p.end));
}
