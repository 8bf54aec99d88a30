/**
 * Contact-point delivery: a receiver's integrations (webhook, Slack, email, PagerDuty), sending a
 * notification through one of them, and the "Send test" notification.
 *
 *   const [first] = integrationsOf(receiver);              // { receiver, type, index, key, config }
 *   const result = await sendIntegration(first, data, ctx); // never throws; see SendResult
 *   await sendTest(first, { ...ctx, externalURL });         // a fake firing "TestAlert"
 *
 * `sendIntegration` applies `send_resolved` (defaults as Alertmanager: webhook and PagerDuty send
 * resolved notifications, Slack and email do not): resolved alerts are dropped, and when none is
 * left firing nothing is sent (`skipped`).
 */
import type { Receiver } from "../model";
import { buildNotification, firingAlerts, withAlerts, type NotificationData } from "../notification";
import * as email from "./email";
import * as pagerduty from "./pagerduty";
import { redact } from "./redact";
import * as slack from "./slack";
import type { ChannelContext, EmailConfig, PagerDutyConfig, SendResult, SlackConfig, WebhookConfig } from "./types";
import * as webhook from "./webhook";

export type { ChannelContext, SendResult, WebhookConfig, SlackConfig, EmailConfig, PagerDutyConfig, AlertmanagerGlobal } from "./types";
export { redact, redactUrl, REDACTED } from "./redact";
export { buildWebhookPayload } from "./webhook";
export { buildSlackPayload, type SlackPayload } from "./slack";
export { buildEmailMessage, smtpSettings, type EmailMessage } from "./email";
export { buildPagerDutyEvent, dedupKey, PAGERDUTY_EVENTS_URL, type PagerDutyEvent } from "./pagerduty";

export type Integration =
  | { type: "webhook"; config: WebhookConfig }
  | { type: "slack"; config: SlackConfig }
  | { type: "email"; config: EmailConfig }
  | { type: "pagerduty"; config: PagerDutyConfig };

/** One integration of a receiver: `key` ("slack/0") names it in the delivery log. */
export type ReceiverIntegration = Integration & { receiver: string; index: number; key: string };

/** Alertmanager's `send_resolved` defaults. */
export const DEFAULT_SEND_RESOLVED: Record<Integration["type"], boolean> = { webhook: true, slack: false, email: false, pagerduty: true };

/** A receiver's integrations in a stable order (webhook, Slack, email, PagerDuty; config order within a type). */
export function integrationsOf(receiver: Receiver): ReceiverIntegration[] {
  const out: ReceiverIntegration[] = [];
  const add = <T extends Integration["type"]>(type: T, configs: Extract<Integration, { type: T }>["config"][] | undefined) => {
    (configs ?? []).forEach((config, index) => out.push({ type, config, receiver: receiver.name, index, key: `${type}/${index}` } as ReceiverIntegration));
  };
  add("webhook", receiver.webhook_configs);
  add("slack", receiver.slack_configs);
  add("email", receiver.email_configs);
  add("pagerduty", receiver.pagerduty_configs);
  return out;
}

export function sendsResolved(integration: Integration): boolean {
  return integration.config.send_resolved ?? DEFAULT_SEND_RESOLVED[integration.type];
}

/** The notification as this integration sends it (resolved alerts dropped without send_resolved); null when there is nothing to send. */
export function dataForIntegration(integration: Integration, data: NotificationData): NotificationData | null {
  if (sendsResolved(integration)) return data.alerts.length > 0 ? data : null;
  const firing = firingAlerts(data);
  return firing.length > 0 ? withAlerts(data, firing) : null;
}

/** Sends through one integration, never throwing. */
export async function sendIntegration(integration: Integration, data: NotificationData, ctx: ChannelContext = {}): Promise<SendResult> {
  const started = performance.now();
  const prepared = dataForIntegration(integration, data);
  if (!prepared) {
    return { ok: true, skipped: true, retryable: false, requestSummary: `${integration.type}: nothing to send (only resolved alerts, send_resolved is off)`, templateErrors: [], durationMs: 0 };
  }
  try {
    switch (integration.type) {
      case "webhook":
        return await webhook.send(integration.config, prepared, ctx);
      case "slack":
        return await slack.send(integration.config, prepared, ctx);
      case "email":
        return await email.send(integration.config, prepared, ctx);
      case "pagerduty":
        return await pagerduty.send(integration.config, prepared, ctx);
    }
  } catch (err) {
    // The channels do not throw; this is the guard for a bug, reported as a failure to retry.
    return {
      ok: false,
      retryable: true,
      error: `unexpected error: ${err instanceof Error ? err.message : String(err)}`,
      requestSummary: `${integration.type}: ${JSON.stringify(redact(integration.config))}`,
      templateErrors: [],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

export const TEST_ALERT_NAME = "TestAlert";

/** The "Send test" notification: one firing TestAlert for `receiver`. */
export function testNotification(receiver: string, externalURL: string, now: number = Date.now()): NotificationData {
  const labels = { alertname: TEST_ALERT_NAME, instance: "Lookout", severity: "info" };
  return buildNotification(
    `{}:{alertname="${TEST_ALERT_NAME}",receiver=${JSON.stringify(receiver)}}`,
    receiver,
    { alertname: TEST_ALERT_NAME },
    [
      {
        labels,
        annotations: {
          summary: "Test notification from Lookout",
          description: `This is a test of the contact point "${receiver}". If you can read it, delivery works.`,
        },
        startsAt: new Date(now).toISOString(),
        generatorURL: `${externalURL.replace(/\/$/, "")}/alerting`,
      },
    ],
    externalURL,
    now,
  );
}

/** Sends the test notification through one integration (always, whatever send_resolved says). */
export async function sendTest(integration: ReceiverIntegration | (Integration & { receiver?: string }), ctx: ChannelContext & { externalURL: string }): Promise<SendResult> {
  const now = ctx.now?.() ?? Date.now();
  const data = testNotification(integration.receiver ?? "test", ctx.externalURL, now);
  return sendIntegration(integration, data, ctx);
}
