/**
 * Webhook: POSTs Alertmanager's webhook payload (version "4") as JSON, so any receiver written
 * for Alertmanager works unchanged. `max_alerts` keeps the first N alerts and counts the rest in
 * `truncatedAlerts`; `http_headers` are added to the request; `timeout` bounds it.
 */
import { truncateAlerts, type NotificationData } from "../notification";
import { parsePromDuration } from "../template/functions";
import { postJson } from "./http";
import { describeHeaders, redactUrl } from "./redact";
import { DEFAULT_HTTP_TIMEOUT_MS, type ChannelContext, type SendResult, type WebhookConfig } from "./types";

/** The JSON body: the notification with `max_alerts` applied. */
export function buildWebhookPayload(config: Pick<WebhookConfig, "max_alerts">, data: NotificationData): NotificationData {
  return truncateAlerts(data, config.max_alerts ?? 0);
}

function timeoutOf(config: WebhookConfig, ctx: ChannelContext): number {
  if (config.timeout) {
    try {
      const ms = parsePromDuration(config.timeout) * 1000;
      if (ms > 0) return ms;
    } catch {
      // Validated by the schema; fall through to the default.
    }
  }
  return ctx.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
}

export async function send(config: WebhookConfig, data: NotificationData, ctx: ChannelContext = {}): Promise<SendResult> {
  const started = performance.now();
  const payload = buildWebhookPayload(config, data);
  const body = JSON.stringify(payload);
  const headers = config.http_headers ?? {};
  const hdrs = describeHeaders(headers);
  const requestSummary =
    `POST ${redactUrl(config.url)} (webhook v4): ${payload.alerts.length} alert(s), status ${payload.status}` +
    `${payload.truncatedAlerts ? `, ${payload.truncatedAlerts} truncated` : ""}, ${Buffer.byteLength(body)} bytes${hdrs ? `; headers: ${hdrs}` : ""}`;
  const out = await postJson(config.url, body, { headers, timeoutMs: timeoutOf(config, ctx), signal: ctx.signal, userAgent: ctx.userAgent });
  return {
    ok: out.ok,
    status: out.status,
    retryable: out.retryable,
    error: out.error,
    retryAfterMs: out.retryAfterMs,
    requestSummary,
    templateErrors: [],
    durationMs: Math.round(performance.now() - started),
  };
}
