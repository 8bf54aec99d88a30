/**
 * What the notification pipeline hands to delivery, and the seams it is wired through.
 *
 * `NotificationData` is Alertmanager's webhook payload (version "4"): the dispatcher builds one
 * per notification and stores it in the delivery log; the notify worker hands it to a `Deliver`
 * for one receiver integration. Both seams are injected:
 * - `BuildNotification` makes the payload from a group's alerts (server/alerting/notification.ts
 *   `buildNotification`);
 * - `Deliver` sends it through one integration (server/alerting/channels/ `send`/`sendIntegration`).
 *
 * Server module (the channels' defaults come with their senders).
 */
import { DEFAULT_SEND_RESOLVED } from "./channels";
import type { AlertmanagerConfig, IntegrationType, LabelSet, Receiver } from "./model";
import type { AlertStatus, NotifiableAlert, NotificationAlert, NotificationData } from "./notification";

export type { NotifiableAlert, NotificationAlert, NotificationData };
export type NotificationStatus = AlertStatus;

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
