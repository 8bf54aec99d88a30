/**
 * Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat…): one attachment with a
 * colour (`danger` while firing, `good` once resolved, unless `color` is set), title, title link,
 * text and fallback, each a template over the notification. The URL is `api_url` or
 * `global.slack_api_url`; it holds the token, so it is never shown in full.
 */
import type { NotificationData } from "../notification";
import { DEFAULT_SLACK_COLOR, DEFAULT_SLACK_FALLBACK, DEFAULT_SLACK_TEXT, DEFAULT_SLACK_TITLE, DEFAULT_SLACK_TITLE_LINK } from "../template";
import { postJson } from "./http";
import { redactUrl } from "./redact";
import { FieldRenderer } from "./render";
import { DEFAULT_HTTP_TIMEOUT_MS, type ChannelContext, type SendResult, type SlackConfig } from "./types";

export interface SlackAttachment {
  color: string;
  title: string;
  title_link?: string;
  text: string;
  fallback: string;
  mrkdwn_in: string[];
}

export interface SlackPayload {
  channel?: string;
  username?: string;
  icon_emoji?: string;
  attachments: SlackAttachment[];
}

/** The message, with the template errors met while rendering it. */
export function buildSlackPayload(config: SlackConfig, data: NotificationData, ctx: ChannelContext = {}): { payload: SlackPayload; templateErrors: string[] } {
  const r = new FieldRenderer(data, ctx);
  const title = r.field("title", config.title, DEFAULT_SLACK_TITLE);
  const titleLink = r.field("title_link", config.title_link, DEFAULT_SLACK_TITLE_LINK);
  let text = r.field("text", config.text, DEFAULT_SLACK_TEXT);
  const color = r.field("color", config.color, DEFAULT_SLACK_COLOR).trim() || (data.status === "firing" ? "danger" : "good");
  const fallback = r.field("fallback", undefined, DEFAULT_SLACK_FALLBACK);
  const channel = r.optional("channel", config.channel);
  const username = r.optional("username", config.username);
  const iconEmoji = r.optional("icon_emoji", config.icon_emoji);
  const note = r.note();
  if (note) text = `${text}\n\n_${note}_`;
  const payload: SlackPayload = {
    ...(channel ? { channel } : {}),
    ...(username ? { username } : {}),
    ...(iconEmoji ? { icon_emoji: iconEmoji } : {}),
    attachments: [{ color, title, ...(titleLink ? { title_link: titleLink } : {}), text, fallback, mrkdwn_in: ["text"] }],
  };
  return { payload, templateErrors: r.errors };
}

export async function send(config: SlackConfig, data: NotificationData, ctx: ChannelContext = {}): Promise<SendResult> {
  const started = performance.now();
  const url = config.api_url ?? ctx.global?.slack_api_url;
  const done = (r: Omit<SendResult, "durationMs">): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  if (!url) {
    return done({ ok: false, retryable: false, error: "no Slack webhook URL: set api_url or global.slack_api_url", requestSummary: "Slack: no URL", templateErrors: [] });
  }
  const { payload, templateErrors } = buildSlackPayload(config, data, ctx);
  const body = JSON.stringify(payload);
  const requestSummary =
    `POST ${redactUrl(url)} (Slack)${payload.channel ? ` channel ${payload.channel}` : ""}: "${payload.attachments[0]!.title}", ` +
    `${data.alerts.length} alert(s), color ${payload.attachments[0]!.color}, ${Buffer.byteLength(body)} bytes`;
  const out = await postJson(url, body, { timeoutMs: ctx.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS, signal: ctx.signal, userAgent: ctx.userAgent });
  return done({ ok: out.ok, status: out.status, retryable: out.retryable, error: out.error, retryAfterMs: out.retryAfterMs, requestSummary, templateErrors });
}
