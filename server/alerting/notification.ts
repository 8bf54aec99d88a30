/**
 * The notification data model: what one notification of an alert group carries, in the shape of
 * Alertmanager's webhook payload (version "4"), which is also the data notification templates
 * see (`.Status`, `.CommonLabels`, `.Alerts.Firing`…, see template/data.ts).
 *
 * `buildNotification` makes it from the group's alerts as Alertmanager does: each alert's status
 * from its end time, the group's status "firing" while any alert fires, common labels and
 * annotations = the pairs every alert shares, alerts ordered by `job`, `instance`, then label
 * set, firing alerts' `endsAt` shown as Go's zero time.
 *
 * Pure module: safe in the browser and in workers.
 */
import { fingerprint } from "./fingerprint";
import { z } from "zod";
import type { Alert, LabelSet } from "./model";
import { GoTime, ZERO_TIME_MS } from "./template/values";

export type AlertStatus = "firing" | "resolved";

export const NotificationAlertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  /** RFC 3339 (Go's format: fraction trimmed, `Z`). */
  startsAt: z.string(),
  /** `0001-01-01T00:00:00Z` while firing. */
  endsAt: z.string(),
  generatorURL: z.string(),
  fingerprint: z.string(),
});
export type NotificationAlert = z.infer<typeof NotificationAlertSchema>;

export const NotificationDataSchema = z.object({
  version: z.literal("4"),
  groupKey: z.string(),
  /** How many alerts `max_alerts` left out of `alerts`. */
  truncatedAlerts: z.number().int().min(0),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()),
  commonLabels: z.record(z.string(), z.string()),
  commonAnnotations: z.record(z.string(), z.string()),
  externalURL: z.string(),
  alerts: z.array(NotificationAlertSchema),
});
export type NotificationData = z.infer<typeof NotificationDataSchema>;

/** An alert entering a notification: Alertmanager's alert plus, when known, its fingerprint. */
export type NotifiableAlert = Alert & { fingerprint?: string };

// ---------------------------------------------------------------------------------------------
// Fingerprints and times
// ---------------------------------------------------------------------------------------------

/** Go's JSON form of a time: RFC 3339 in UTC with the fraction's trailing zeros dropped. */
export function goTimeString(ms: number): string {
  return new GoTime(ms).toJSON();
}

/** Go's zero time, Alertmanager's `endsAt` of a firing alert. */
export const ZERO_TIME = goTimeString(ZERO_TIME_MS);

// ---------------------------------------------------------------------------------------------
// Ordering and common labels
// ---------------------------------------------------------------------------------------------

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Alertmanager's label-set order: fewer labels first, then by the sorted names' values. */
function labelSetBefore(a: LabelSet, b: LabelSet): number {
  const na = Object.keys(a).length;
  const nb = Object.keys(b).length;
  if (na !== nb) return na - nb;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const n of names) {
    if (!(n in a)) return -1;
    if (!(n in b)) return 1;
    const c = cmp(a[n]!, b[n]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Orders alerts as Alertmanager's dispatcher does: by `job`, then `instance` (present first), then label set. */
export function compareAlerts(a: { labels: LabelSet }, b: { labels: LabelSet }): number {
  for (const key of ["job", "instance"]) {
    const ha = key in a.labels;
    const hb = key in b.labels;
    if (!ha && !hb) continue;
    if (!ha) return 1;
    if (!hb) return -1;
    const c = cmp(a.labels[key]!, b.labels[key]!);
    if (c !== 0) return c;
  }
  return labelSetBefore(a.labels, b.labels);
}

/** The pairs every map shares (Alertmanager's common labels / annotations). */
export function commonPairs(maps: Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const common: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) {
    for (const [k, v] of Object.entries(common)) if (m[k] !== v) delete common[k];
    if (Object.keys(common).length === 0) break;
  }
  return common;
}

// ---------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------

/** An alert as notified at `now`: its status from `endsAt`, firing alerts' end hidden. */
export function toNotificationAlert(alert: NotifiableAlert, now: number): NotificationAlert {
  const startsMs = alert.startsAt ? Date.parse(alert.startsAt) : NaN;
  const endsMs = alert.endsAt ? Date.parse(alert.endsAt) : NaN;
  const resolved = !Number.isNaN(endsMs) && endsMs <= now;
  return {
    status: resolved ? "resolved" : "firing",
    labels: { ...alert.labels },
    annotations: { ...(alert.annotations ?? {}) },
    startsAt: goTimeString(Number.isNaN(startsMs) ? now : startsMs),
    endsAt: resolved ? goTimeString(endsMs) : ZERO_TIME,
    generatorURL: alert.generatorURL ?? "",
    fingerprint: alert.fingerprint ?? fingerprint(alert.labels),
  };
}

/**
 * The notification for a group: `alerts` (Alertmanager alerts; their status follows `endsAt`
 * against `now`) sorted, common labels and annotations over all of them, status "firing" while
 * any fires.
 */
export function buildNotification(
  groupKey: string,
  receiver: string,
  groupLabels: LabelSet,
  alerts: readonly NotifiableAlert[],
  externalURL: string,
  now: number = Date.now(),
): NotificationData {
  return withAlerts(
    { version: "4", groupKey, truncatedAlerts: 0, status: "firing", receiver, groupLabels: { ...groupLabels }, commonLabels: {}, commonAnnotations: {}, externalURL, alerts: [] },
    alerts.map((a) => toNotificationAlert(a, now)),
  );
}

/** The same notification over another set of its alerts (status, order and common pairs recomputed). */
export function withAlerts(data: NotificationData, alerts: readonly NotificationAlert[]): NotificationData {
  const sorted = [...alerts].sort(compareAlerts);
  return {
    ...data,
    truncatedAlerts: 0,
    status: sorted.some((a) => a.status === "firing") ? "firing" : "resolved",
    commonLabels: commonPairs(sorted.map((a) => a.labels)),
    commonAnnotations: commonPairs(sorted.map((a) => a.annotations)),
    alerts: sorted,
  };
}

/** Keeps the first `max` alerts (0 = all), counting the rest in `truncatedAlerts` (webhook `max_alerts`). */
export function truncateAlerts(data: NotificationData, max: number): NotificationData {
  if (max <= 0 || data.alerts.length <= max) return data;
  return { ...data, alerts: data.alerts.slice(0, max), truncatedAlerts: data.truncatedAlerts + data.alerts.length - max };
}

export function firingAlerts(data: NotificationData): NotificationAlert[] {
  return data.alerts.filter((a) => a.status === "firing");
}

export function resolvedAlerts(data: NotificationData): NotificationAlert[] {
  return data.alerts.filter((a) => a.status === "resolved");
}
