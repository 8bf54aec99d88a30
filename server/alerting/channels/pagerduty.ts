/**
 * PagerDuty Events API v2: `trigger` while the group fires, `resolve` once it is resolved, both
 * with the same `dedup_key` (SHA-256 of the group key), so PagerDuty opens one incident per
 * group and closes it. The summary, severity, component, group, class, client, client URL and
 * custom details are templates over the notification. The URL is configurable (`url`,
 * `global.pagerduty_url`, default https://events.pagerduty.com/v2/enqueue); the routing key is a
 * secret and never shown.
 */
import { createHash } from "node:crypto";
import type { NotificationData } from "../notification";
import { DEFAULT_PAGERDUTY_CLIENT, DEFAULT_PAGERDUTY_CLIENT_URL, DEFAULT_PAGERDUTY_DESCRIPTION, DEFAULT_PAGERDUTY_DETAILS } from "../template";
import { postJson } from "./http";
import { redactUrl } from "./redact";
import { FieldRenderer } from "./render";
import { DEFAULT_HTTP_TIMEOUT_MS, type ChannelContext, type PagerDutyConfig, type SendResult } from "./types";

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
export const PAGERDUTY_SEVERITIES = ["critical", "error", "warning", "info"] as const;
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number];
/** PagerDuty's limit on the summary. */
export const SUMMARY_MAX = 1024;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  client?: string;
  client_url?: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, string>;
  };
}

/** The dedup key of a group: SHA-256 of its group key, hex (stable across restarts and workers). */
export function dedupKey(groupKey: string): string {
  return createHash("sha256").update(groupKey).digest("hex");
}

function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join("") + "…";
}

export function buildPagerDutyEvent(config: PagerDutyConfig, data: NotificationData, ctx: ChannelContext = {}): { event: PagerDutyEvent; templateErrors: string[] } {
  const r = new FieldRenderer(data, ctx);
  const summary = truncate(r.field("description", config.description, DEFAULT_PAGERDUTY_DESCRIPTION).trim(), SUMMARY_MAX);
  const client = r.field("client", config.client, DEFAULT_PAGERDUTY_CLIENT);
  const clientUrl = r.field("client_url", config.client_url, DEFAULT_PAGERDUTY_CLIENT_URL);
  const rawSeverity = r.field("severity", config.severity, "error").trim().toLowerCase();
  let severity: PagerDutySeverity = "error";
  if ((PAGERDUTY_SEVERITIES as readonly string[]).includes(rawSeverity)) severity = rawSeverity as PagerDutySeverity;
  else if (rawSeverity) r.errors.push(`severity: "${rawSeverity}" is not one of ${PAGERDUTY_SEVERITIES.join(", ")}; sent as "error"`);
  const component = r.optional("component", config.component);
  const group = r.optional("group", config.group);
  const klass = r.optional("class", config.class);
  const details: Record<string, string> = {};
  for (const [k, tmpl] of Object.entries(config.details ?? DEFAULT_PAGERDUTY_DETAILS)) {
    details[k] = r.field(`details.${k}`, tmpl, DEFAULT_PAGERDUTY_DETAILS[k] ?? "").trim();
  }
  const note = r.note();
  if (note) details.template_errors = note;
  const event: PagerDutyEvent = {
    routing_key: config.routing_key,
    event_action: data.status === "firing" ? "trigger" : "resolve",
    dedup_key: dedupKey(data.groupKey),
    ...(client ? { client } : {}),
    ...(clientUrl ? { client_url: clientUrl } : {}),
    payload: {
      summary: summary || "Lookout alert",
      source: client || "Lookout",
      severity,
      ...(component ? { component } : {}),
      ...(group ? { group } : {}),
      ...(klass ? { class: klass } : {}),
      custom_details: details,
    },
  };
  return { event, templateErrors: r.errors };
}

export async function send(config: PagerDutyConfig, data: NotificationData, ctx: ChannelContext = {}): Promise<SendResult> {
  const started = performance.now();
  const url = config.url ?? ctx.global?.pagerduty_url ?? PAGERDUTY_EVENTS_URL;
  const { event, templateErrors } = buildPagerDutyEvent(config, data, ctx);
  const requestSummary =
    `POST ${redactUrl(url)} (PagerDuty Events v2): ${event.event_action} dedup_key ${event.dedup_key.slice(0, 12)}…, ` +
    `severity ${event.payload.severity}, "${event.payload.summary}", routing_key [redacted]`;
  const out = await postJson(url, event, { timeoutMs: ctx.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS, signal: ctx.signal, userAgent: ctx.userAgent });
  let error = out.error;
  if (error && config.routing_key.length >= 4) error = error.split(config.routing_key).join("[redacted]");
  return {
    ok: out.ok,
    status: out.status,
    retryable: out.retryable,
    error,
    retryAfterMs: out.retryAfterMs,
    requestSummary,
    templateErrors,
    durationMs: Math.round(performance.now() - started),
  };
}
