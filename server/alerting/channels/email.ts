/**
 * Email over SMTP (nodemailer): an HTML part with a plain-text alternative, both templates over
 * the notification (values in the HTML escaped), the subject from `headers.Subject` or ours.
 * Server settings as Alertmanager has them, each falling back to `global.smtp_*`: `smarthost`
 * (`host:port`; port 465 is implicit TLS), `from`, `to` (comma-separated, a template), `hello`,
 * `auth_username` / `auth_password`, `require_tls` (STARTTLS required, default true; false sends
 * in clear as Alertmanager does), `tls_config.insecure_skip_verify`, extra `headers`.
 *
 * Retryable: connection failures, timeouts and SMTP 4xx replies; not: authentication failures,
 * certificate errors, SMTP 5xx replies, bad configuration.
 */
import { isIP } from "node:net";
import nodemailer from "nodemailer";
import type { NotificationData } from "../notification";
import { DEFAULT_EMAIL_HTML, DEFAULT_EMAIL_SUBJECT, DEFAULT_EMAIL_TEXT } from "../template";
import { htmlEscape } from "../template/functions";
import { FieldRenderer } from "./render";
import { DEFAULT_SMTP_TIMEOUT_MS, type ChannelContext, type EmailConfig, type SendResult } from "./types";

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Extra headers (besides From, To, Subject). */
  headers: Record<string, string>;
}

export interface SmtpSettings {
  host: string;
  port: number;
  hello: string;
  username?: string;
  password?: string;
  requireTls: boolean;
  insecureSkipVerify: boolean;
}

/** `host:port`, `[v6]:port` or `host` (port 25). */
export function parseSmarthost(s: string): { host: string; port: number } | null {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s.trim());
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 25 };
  const m = /^([^:\s]+)(?::(\d+))?$/.exec(s.trim());
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : 25;
  if (port < 1 || port > 65535) return null;
  return { host: m[1]!, port };
}

/** The effective server settings, or why there are none. */
export function smtpSettings(config: EmailConfig, ctx: ChannelContext = {}): SmtpSettings | { error: string } {
  const g = ctx.global ?? {};
  const smarthost = config.smarthost ?? g.smtp_smarthost;
  if (!smarthost) return { error: "no SMTP server: set smarthost or global.smtp_smarthost" };
  const hp = parseSmarthost(smarthost);
  if (!hp) return { error: `smarthost "${smarthost}" is not host:port` };
  const username = config.auth_username ?? g.smtp_auth_username;
  const password = config.auth_password ?? g.smtp_auth_password;
  return {
    ...hp,
    hello: config.hello ?? g.smtp_hello ?? "localhost",
    ...(username ? { username, password: password ?? "" } : {}),
    requireTls: config.require_tls ?? g.smtp_require_tls ?? true,
    insecureSkipVerify: config.tls_config?.insecure_skip_verify ?? false,
  };
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** The message, with the template errors met while rendering it. */
export function buildEmailMessage(config: EmailConfig, data: NotificationData, ctx: ChannelContext = {}): { message: EmailMessage | null; error?: string; templateErrors: string[] } {
  const r = new FieldRenderer(data, ctx);
  const from = r.optional("from", config.from ?? ctx.global?.smtp_from);
  const to = (r.optional("to", config.to) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const subject = r.field("subject", headerValue(config.headers, "Subject"), DEFAULT_EMAIL_SUBJECT).replace(/[\r\n]+/g, " ").trim();
  let html = r.field("html", config.html, DEFAULT_EMAIL_HTML, { html: true });
  let text = r.field("text", config.text, DEFAULT_EMAIL_TEXT);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.headers ?? {})) {
    if (["subject", "to", "from"].includes(k.toLowerCase())) continue;
    headers[k] = (r.optional(`headers.${k}`, v) ?? "").replace(/[\r\n]+/g, " ");
  }
  const note = r.note();
  if (note) {
    text = `${text.trimEnd()}\n\n${note}\n`;
    const block = `<p style="color:#b45309;font-size:12px;">${htmlEscape(note)}</p>`;
    html = html.includes("</body>") ? html.replace("</body>", `${block}\n</body>`) : `${html}\n${block}`;
  }
  if (!from) return { message: null, error: "no sender: set from or global.smtp_from", templateErrors: r.errors };
  if (to.length === 0) return { message: null, error: "no recipients in to", templateErrors: r.errors };
  return { message: { from, to, subject, html, text, headers }, templateErrors: r.errors };
}

/** Whether an SMTP / nodemailer failure is worth retrying. */
export function isRetryableSmtpError(err: { code?: string; responseCode?: number; message?: string }): boolean {
  if (typeof err.responseCode === "number") return err.responseCode >= 400 && err.responseCode < 500;
  if (err.code === "EAUTH" || err.code === "ETLS" || err.code === "EENVELOPE" || err.code === "EMESSAGE" || err.code === "ECONFIG") return false;
  if (/certificate|self[- ]signed|unable to verify|wrong version number/i.test(err.message ?? "")) return false;
  return true;
}

export async function send(config: EmailConfig, data: NotificationData, ctx: ChannelContext = {}): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, "durationMs">): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  const settings = smtpSettings(config, ctx);
  if ("error" in settings) return done({ ok: false, retryable: false, error: settings.error, requestSummary: "SMTP: not configured", templateErrors: [] });
  const built = buildEmailMessage(config, data, ctx);
  const server = `${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${settings.port}`;
  const tlsMode = settings.port === 465 ? "implicit TLS" : settings.requireTls ? "STARTTLS required" : "no TLS";
  const authDesc = settings.username ? `, auth as ${settings.username}, password [redacted]` : "";
  if (!built.message) {
    return done({ ok: false, retryable: false, error: built.error, requestSummary: `SMTP ${server} (${tlsMode}${authDesc}): not sent`, templateErrors: built.templateErrors });
  }
  const m = built.message;
  const requestSummary = `SMTP ${server} (${tlsMode}${authDesc}): from ${m.from} to ${m.to.join(", ")}, subject "${m.subject}", ${data.alerts.length} alert(s)`;
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.port === 465,
    requireTLS: settings.port !== 465 && settings.requireTls,
    ignoreTLS: settings.port !== 465 && !settings.requireTls,
    name: settings.hello,
    auth: settings.username ? { user: settings.username, pass: settings.password } : undefined,
    tls: { rejectUnauthorized: !settings.insecureSkipVerify, ...(isIP(settings.host) ? {} : { servername: settings.host }) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const scrub = (s: string) => (settings.password && settings.password.length >= 4 ? s.split(settings.password).join("[redacted]") : s);
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => transport.close();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: "ETIMEDOUT" })), timeoutMs + 1_000);
    });
    const info = await Promise.race([
      transport.sendMail({ from: m.from, to: m.to, subject: m.subject, html: m.html, text: m.text, headers: m.headers }),
      deadline,
    ]);
    const status = Number(/^(\d{3})/.exec(String(info.response ?? ""))?.[1] ?? 250);
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0) {
      return done({ ok: false, status, retryable: false, error: `recipients rejected: ${rejected.join(", ")}`, requestSummary, templateErrors: built.templateErrors });
    }
    return done({ ok: true, status, retryable: false, requestSummary, templateErrors: built.templateErrors });
  } catch (err) {
    const e = err as { code?: string; responseCode?: number; message?: string };
    if (ctx.signal?.aborted) return done({ ok: false, retryable: true, error: "aborted", requestSummary, templateErrors: built.templateErrors });
    return done({
      ok: false,
      status: e.responseCode,
      retryable: isRetryableSmtpError(e),
      error: scrub(`${e.code ? `${e.code}: ` : ""}${e.message ?? String(err)}`),
      requestSummary,
      templateErrors: built.templateErrors,
    });
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener("abort", onAbort);
    transport.close();
  }
}
