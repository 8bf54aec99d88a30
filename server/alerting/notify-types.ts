/**
 * What the notification pipeline hands to delivery, and the seams it is wired through.
 *
 * `NotificationData` is Alertmanager's webhook payload (version "4"): the dispatcher builds one
 * per notification and stores it in the delivery log; the notify worker hands it to a `Deliver`
 * for one receiver integration. Both seams are injected:
 * - `BuildNotification` makes the payload from a group's alerts (server/alerting/notification.ts
 *   `buildNotification` has this signature; `buildNotificationData` below is a small stand-in);
 * - `Deliver` sends it through one integration (server/alerting/channels/ `send`/`sendIntegration`).
 *
 * Pure module: safe in the browser and in workers.
 */
import { fingerprint } from "./fingerprint";
import type { Alert, AlertmanagerConfig, IntegrationType, LabelSet, Receiver } from "./model";

export type NotificationStatus = "firing" | "resolved";

/** One alert of a notification (Alertmanager's webhook alert). */
export interface NotificationAlert {
  status: NotificationStatus;
  labels: LabelSet;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; Go's zero time `0001-01-01T00:00:00Z` while firing. */
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook payload, version 4: also what notification templates see. */
export interface NotificationData {
  version: "4";
  groupKey: string;
  /** How many alerts `max_alerts` left out. */
  truncatedAlerts: number;
  status: NotificationStatus;
  receiver: string;
  groupLabels: LabelSet;
  commonLabels: LabelSet;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: NotificationAlert[];
}

/** An alert entering a notification: Alertmanager's alert plus its fingerprint. */
export type NotifiableAlert = Alert & { fingerprint?: string };

/** Builds the payload of one notification of a group (status of each alert from `endsAt` against `now`). */
export type BuildNotification = (groupKey: string, receiver: string, groupLabels: LabelSet, alerts: readonly NotifiableAlert[], externalURL: string, now?: number) => NotificationData;

/** One integration of a receiver, as delivery needs it. */
export interface ReceiverIntegration {
  type: IntegrationType;
  /** Index within its type's list (`webhook_configs[1]` → 1). */
  index: number;
  /** The integration's configuration (webhook_configs[i] …), secrets included. */
  config: Record<string, unknown>;
  receiverName: string;
}

export interface DeliveryContext {
  /** The delivery log row being sent. */
  notificationId: number;
  /**
   * The notification's dedup key, the same for every attempt and every re-delivery: a receiver
   * that sees it twice got the same notification twice (see notify-service.ts on the window
   * where that can happen). HTTP channels can send it as an `Idempotency-Key` header.
   */
  dedupKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The configuration's `global:` section (SMTP defaults, Slack and PagerDuty URLs). */
  global?: AlertmanagerConfig["global"];
}

export interface DeliveryResult {
  ok: boolean;
  /** HTTP status or SMTP reply code. */
  status?: number;
  /** Whether trying again later may succeed (network errors, timeouts, 429, 5xx, SMTP 4xx). */
  retryable: boolean;
  error?: string;
  /** What was sent where, secrets redacted. */
  requestSummary?: string;
}

/** Sends one notification through one receiver integration; never throws for a failed delivery. */
export type Deliver = (integration: ReceiverIntegration, data: NotificationData, ctx: DeliveryContext) => Promise<DeliveryResult>;

/** Alertmanager's `send_resolved` defaults per integration type. */
export const DEFAULT_SEND_RESOLVED: Record<IntegrationType, boolean> = { webhook: true, slack: false, email: false, pagerduty: true };

/** A receiver's integrations in a stable order: webhook, Slack, email, PagerDuty; configuration order within a type. */
export function receiverIntegrations(receiver: Receiver): (ReceiverIntegration & { sendResolved: boolean })[] {
  const out: (ReceiverIntegration & { sendResolved: boolean })[] = [];
  const add = (type: IntegrationType, configs: readonly ({ send_resolved?: boolean } & object)[] | undefined) =>
    (configs ?? []).forEach((config, index) =>
      out.push({ type, index, config: config as Record<string, unknown>, receiverName: receiver.name, sendResolved: config.send_resolved ?? DEFAULT_SEND_RESOLVED[type] }),
    );
  add("webhook", receiver.webhook_configs);
  add("slack", receiver.slack_configs);
  add("email", receiver.email_configs);
  add("pagerduty", receiver.pagerduty_configs);
  return out;
}

/** Go's zero time, Alertmanager's `endsAt` of a firing alert. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

function commonPairs(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const common: Record<string, string> = { ...maps[0] };
  for (const m of maps.slice(1)) for (const [k, v] of Object.entries(common)) if (m[k] !== v) delete common[k];
  return common;
}

/**
 * A stand-in for server/alerting/notification.ts `buildNotification` (same signature): each
 * alert's status from `endsAt`, alerts by label set, common labels and annotations, the group
 * "firing" while any alert fires.
 */
export const buildNotificationData: BuildNotification = (groupKey, receiver, groupLabels, alerts, externalURL, now = Date.now()) => {
  const list: NotificationAlert[] = alerts.map((a) => {
    const ends = a.endsAt ? Date.parse(a.endsAt) : NaN;
    const resolved = !Number.isNaN(ends) && ends <= now;
    return {
      status: resolved ? "resolved" : "firing",
      labels: { ...a.labels },
      annotations: { ...(a.annotations ?? {}) },
      startsAt: a.startsAt ?? new Date(now).toISOString(),
      endsAt: resolved ? new Date(ends).toISOString() : GO_ZERO_TIME,
      generatorURL: a.generatorURL ?? "",
      fingerprint: a.fingerprint ?? fingerprint(a.labels),
    };
  });
  const key = (a: NotificationAlert) => JSON.stringify(Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  list.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return {
    version: "4",
    groupKey,
    truncatedAlerts: 0,
    status: list.some((a) => a.status === "firing") ? "firing" : "resolved",
    receiver,
    groupLabels: { ...groupLabels },
    commonLabels: commonPairs(list.map((a) => a.labels)),
    commonAnnotations: commonPairs(list.map((a) => a.annotations)),
    externalURL,
    alerts: list,
  };
};
