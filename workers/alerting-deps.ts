/**
 * What the alerting workers are wired to: the rule template engine (labels and annotations of
 * alert instances), delivery through a receiver integration (server/alerting/channels) and the
 * notification payload (server/alerting/notification.ts).
 */
import { env } from "@/env";
import { sendIntegration, type Integration } from "@/server/alerting/channels";
import { buildNotification as buildPayload } from "@/server/alerting/notification";
import type { BuildNotification, Deliver } from "@/server/alerting/notify-types";
import { ruleTemplateRenderer } from "@/server/alerting/rule-render";

/** The console's address, for `$externalURL` and links in notifications. */
export const externalURL = (): string => env().LOOKOUT_BASE_URL ?? `http://localhost:${env().PORT}`;

export const renderRuleTemplate = ruleTemplateRenderer({ externalURL: externalURL() });

/**
 * One integration's delivery. Webhooks also carry the notification's dedup key as
 * `Idempotency-Key`, the same on every attempt, so a receiver can fold the rare re-delivery after
 * a worker died between the receiver's answer and our record of it.
 */
export const deliver: Deliver = async (integration, data, ctx) => {
  const config = integration.type === "webhook" ? { ...integration.config, http_headers: { ...(integration.config.http_headers as Record<string, string> | undefined), "Idempotency-Key": ctx.dedupKey } } : integration.config;
  const r = await sendIntegration({ type: integration.type, config } as Integration, data, { global: ctx.global });
  return { ok: r.ok, status: r.status, retryable: r.retryable, error: r.error, requestSummary: r.requestSummary };
};

export const buildNotification: BuildNotification = buildPayload;
