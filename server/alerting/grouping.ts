/**
 * Grouping and notification timing: Alertmanager's aggregation groups and notification log,
 * as pure functions over stored state (the caller persists it and schedules the flushes).
 *
 * Groups. An alert that matches a route joins the group of that route and of its values of the
 * route's group_by labels (all its labels with `group_by: ['...']`). The group key is
 * Alertmanager's: `<route key>:<group labels>`, e.g. `{}/{team="db"}:{alertname="DiskFull"}`.
 *
 * Flushes. A new group waits `group_wait`, then flushes; after that it flushes every
 * `group_interval`. An alert that joins a group not yet flushed and that started more than
 * `group_wait` ago makes the group flush at once. Each flush looks at all of the group's alerts:
 * firing ones (`endsAt` unset or in the future) and resolved ones (`endsAt` reached).
 *
 * Notifications (per receiver integration; Alertmanager's dedup stage). A flush notifies when
 * - nothing was notified for the group before and something fires (`first_notification`);
 * - an alert fires that was not firing in the last notification (`new_alerts`);
 * - nothing fires any more but the last notification had firing alerts (`all_resolved`; sent
 *   even without send_resolved, so the receiver's last word is not "firing" — without
 *   send_resolved the message carries no alerts and is only recorded);
 * - with send_resolved, an alert resolved that the last notification did not list as resolved
 *   (`new_resolved`);
 * - otherwise, when the last notification is strictly older than `repeat_interval`
 *   (`repeat_interval`): the unchanged group is sent again. Flushes happen every group_interval,
 *   so with the defaults (5m, 4h) a repeat goes out 4h05m after the last notification.
 * What goes out: the firing alerts, plus the resolved ones with send_resolved. After a successful
 * flush, the resolved alerts it covered leave the group (a resolved alert is sent once); an empty
 * group ends, and alerts arriving later start a new one (with group_wait again).
 *
 * Pure module: safe in the browser and in workers.
 */
import { labelsKey } from "./fingerprint";
import type { LabelSet } from "./model";
import type { Route, RouteOptions } from "./routing";

/** The labels an alert is grouped by on a route (labels it lacks or has empty are left out). */
export function groupLabels(route: { options: Pick<RouteOptions, "groupBy" | "groupByAll"> }, labels: LabelSet): LabelSet {
  const out: LabelSet = {};
  if (route.options.groupByAll) {
    for (const [k, v] of Object.entries(labels)) if (v !== "") out[k] = v;
    return out;
  }
  for (const name of route.options.groupBy) {
    const v = labels[name];
    if (v !== undefined && v !== "") out[name] = v;
  }
  return out;
}

/** Alertmanager's group key of an alert on a route: `{}/{team="db"}:{alertname="DiskFull"}`. */
export function groupKey(route: Pick<Route, "key"> & { options: Pick<RouteOptions, "groupBy" | "groupByAll"> }, labels: LabelSet): string {
  return `${route.key}:${labelsKey(groupLabels(route, labels))}`;
}

// -----------------------------------------------------------------------------------------------
// Flush timing
// -----------------------------------------------------------------------------------------------

export type GroupTiming = Pick<RouteOptions, "groupWait" | "groupInterval" | "repeatInterval">;

export interface GroupFlushState {
  /** When the group was created: its first alert arrived (epoch ms). */
  createdAt: number;
  /** When it last flushed, or null before its first flush. */
  lastFlushAt: number | null;
  /** Set by the caller when `flushesAtOnce` said so for a joining alert (epoch ms of that moment). */
  flushRequestedAt?: number | null;
}

/**
 * Whether an alert joining the group at `now` makes it flush at once: the group has not flushed
 * yet and the alert started more than group_wait ago (Alertmanager does not hold back alerts that
 * already waited). Record `flushRequestedAt = now` in the state when true.
 */
export function flushesAtOnce(state: Pick<GroupFlushState, "lastFlushAt">, alertStartsAt: number, now: number, timing: Pick<GroupTiming, "groupWait">): boolean {
  return state.lastFlushAt === null && alertStartsAt + timing.groupWait < now;
}

/** When the group's next flush is due: group_wait after creation (or at once, see above), then group_interval after the last flush. */
export function flushDueAt(state: GroupFlushState, timing: Pick<GroupTiming, "groupWait" | "groupInterval">): number {
  if (state.lastFlushAt !== null) return state.lastFlushAt + timing.groupInterval;
  const afterWait = state.createdAt + timing.groupWait;
  return state.flushRequestedAt != null ? Math.min(afterWait, state.flushRequestedAt) : afterWait;
}

export interface FlushDecision {
  /** Flush now. */
  flush: boolean;
  /** When this flush was (or is) due. */
  dueAt: number;
  /** When the next flush is due if the group flushes now (flush) or otherwise the pending one. */
  nextFlushAt: number;
}

/** Whether to flush at `now`, and when the next flush is due (a flush now makes it now + group_interval). */
export function flushDecision(state: GroupFlushState, timing: Pick<GroupTiming, "groupWait" | "groupInterval">, now: number): FlushDecision {
  const dueAt = flushDueAt(state, timing);
  const flush = now >= dueAt;
  return { flush, dueAt, nextFlushAt: flush ? now + timing.groupInterval : dueAt };
}

// -----------------------------------------------------------------------------------------------
// What to notify
// -----------------------------------------------------------------------------------------------

/** An alert of a group, as far as notification decisions go. */
export interface GroupAlert {
  fingerprint: string;
  /** When the alert ends (epoch ms); null or in the future = firing. */
  endsAt: number | null;
}

/** Whether the alert is resolved at `now` (its endsAt has come). */
export function isResolvedAt(alert: Pick<GroupAlert, "endsAt">, now: number): boolean {
  return alert.endsAt !== null && alert.endsAt <= now;
}

/** What a receiver integration was last notified of for a group (Alertmanager's notification log entry). */
export interface NotificationLogEntry {
  /** When the notification went out (epoch ms). */
  at: number;
  /** Fingerprints notified as firing, and as resolved. */
  firing: string[];
  resolved: string[];
}

export type NotifyReason = "first_notification" | "new_alerts" | "new_resolved" | "all_resolved" | "repeat_interval";

export interface NotifyDecision<T extends GroupAlert> {
  notify: boolean;
  reason: NotifyReason | null;
  /** The group's alerts at this flush. */
  firing: T[];
  resolved: T[];
  /** The alerts to put in the message: firing, plus resolved with send_resolved. Empty → record only, send nothing. */
  deliver: T[];
  /** The entry to record once the notification succeeded. */
  entry: NotificationLogEntry;
  /** Whether this is a repeat of an unchanged group. */
  repeat: boolean;
}

export interface NotifyOptions {
  sendResolved: boolean;
  repeatInterval: number;
  now: number;
}

/**
 * Alertmanager's decision for one receiver integration at a flush: whether to notify and what.
 * `alerts` are the group's alerts that passed silences, inhibition and time muting.
 */
export function notificationDecision<T extends GroupAlert>(alerts: readonly T[], last: NotificationLogEntry | null, options: NotifyOptions): NotifyDecision<T> {
  const firing = alerts.filter((a) => !isResolvedAt(a, options.now));
  const resolved = alerts.filter((a) => isResolvedAt(a, options.now));
  const reason = notifyReason(
    firing.map((a) => a.fingerprint),
    resolved.map((a) => a.fingerprint),
    last,
    options,
  );
  const notify = reason !== null;
  const deliver = !notify ? [] : options.sendResolved ? [...firing, ...resolved] : firing;
  return {
    notify,
    reason,
    firing,
    resolved,
    deliver,
    entry: { at: options.now, firing: firing.map((a) => a.fingerprint), resolved: resolved.map((a) => a.fingerprint) },
    repeat: reason === "repeat_interval",
  };
}

function notifyReason(firing: string[], resolved: string[], last: NotificationLogEntry | null, options: NotifyOptions): NotifyReason | null {
  if (last === null) return firing.length > 0 ? "first_notification" : null;
  const lastFiring = new Set(last.firing);
  if (firing.some((f) => !lastFiring.has(f))) return last.firing.length === 0 ? "first_notification" : "new_alerts";
  if (firing.length === 0) return last.firing.length > 0 ? "all_resolved" : null;
  const lastResolved = new Set(last.resolved);
  if (options.sendResolved && resolved.some((f) => !lastResolved.has(f))) return "new_resolved";
  return last.at < options.now - options.repeatInterval ? "repeat_interval" : null;
}

/**
 * The group's alerts after a successful flush: the resolved alerts the flush covered are dropped,
 * unless they changed since (fired again: compare `version`, e.g. an update time). Returns the
 * remaining alerts; none left means the group ends.
 */
export function alertsAfterFlush<T extends GroupAlert & { version?: string | number }>(current: readonly T[], flushed: readonly T[], flushedAt: number): T[] {
  const sentResolved = new Map<string, T>();
  for (const a of flushed) if (isResolvedAt(a, flushedAt)) sentResolved.set(a.fingerprint, a);
  return current.filter((a) => {
    const sent = sentResolved.get(a.fingerprint);
    if (!sent) return true;
    return a.version !== sent.version || a.endsAt !== sent.endsAt;
  });
}
