/**
 * What every channel shares: the context a send runs in, and the outcome it reports.
 * A channel's `send` never throws; it says whether delivery worked and, if not, whether trying
 * again can help (network errors, timeouts, 429 and 5xx; SMTP 4xx) or not (other 4xx, SMTP 5xx,
 * bad configuration).
 */
import type { z } from "zod";
import type { AlertmanagerGlobalSchema, EmailConfigSchema, PagerDutyConfigSchema, SlackConfigSchema, WebhookConfigSchema } from "../model";

export type WebhookConfig = z.input<typeof WebhookConfigSchema>;
export type SlackConfig = z.input<typeof SlackConfigSchema>;
export type EmailConfig = z.input<typeof EmailConfigSchema>;
export type PagerDutyConfig = z.input<typeof PagerDutyConfigSchema>;
export type AlertmanagerGlobal = z.infer<typeof AlertmanagerGlobalSchema>;

export interface ChannelContext {
  /** The configuration's `global:` section (SMTP defaults, Slack and PagerDuty URLs). */
  global?: AlertmanagerGlobal;
  /** Request timeout in milliseconds (default 10 s for HTTP, 30 s for SMTP; a webhook's `timeout` wins). */
  timeoutMs?: number;
  /** Aborts the send (shutdown); an aborted send is retryable. */
  signal?: AbortSignal;
  /** Clock for templates (`since`), epoch ms. */
  now?: () => number;
  /** User-Agent of HTTP requests (default `Lookout`). */
  userAgent?: string;
}

export interface SendResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  status?: number;
  /** Whether sending again later may succeed. */
  retryable: boolean;
  error?: string;
  /** From a 429/503 `Retry-After`. */
  retryAfterMs?: number;
  /** What was sent where, secrets redacted: safe to log and to show in the delivery log. */
  requestSummary: string;
  /** Custom templates that failed (the default was used instead), with position and reason. */
  templateErrors: string[];
  /** Nothing was sent because nothing was left to send (resolved alerts with `send_resolved: false`). */
  skipped?: boolean;
  durationMs: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_SMTP_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = "Lookout";
