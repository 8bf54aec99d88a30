/**
 * The contact point form: a name and a list of integrations (webhook, Slack, email, PagerDuty),
 * each with its fields as text; conversion to Alertmanager's receiver and back, checked with the
 * model's schemas. Secrets come back from the server as they were loaded (masked or not) unless
 * retyped; fields this form does not show are kept. Pure.
 */
import { EmailConfigSchema, PagerDutyConfigSchema, SlackConfigSchema, WebhookConfigSchema, type IntegrationType, type Receiver } from "@/server/alerting/model";
import { checkNotificationTemplate } from "@/server/alerting/template";
import type { KeyValueRow } from "./rule-form";

export const INTEGRATION_TYPES: readonly IntegrationType[] = ["webhook", "slack", "email", "pagerduty"];
export const INTEGRATION_LABEL: Record<IntegrationType, string> = { webhook: "Webhook", slack: "Slack", email: "Email", pagerduty: "PagerDuty" };

/** Alertmanager's send_resolved defaults. */
export const SEND_RESOLVED_DEFAULT: Record<IntegrationType, boolean> = { webhook: true, slack: false, email: false, pagerduty: true };

export type FieldKind = "text" | "url" | "secret" | "number" | "template" | "longTemplate";
export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  placeholder?: string;
  required?: boolean;
}

/** The fields each integration type shows, in order (`headers` / `details` rows and booleans are separate). */
export const FIELDS: Record<IntegrationType, readonly FieldSpec[]> = {
  webhook: [
    { name: "url", label: "URL", kind: "url", required: true, placeholder: "https://example.com/alertmanager-hook", hint: "Receives Alertmanager's webhook JSON (version 4)." },
    { name: "max_alerts", label: "Max alerts", kind: "number", hint: "Most alerts per message; 0 sends all." },
    { name: "timeout", label: "Timeout", kind: "text", placeholder: "10s" },
  ],
  slack: [
    { name: "api_url", label: "Webhook URL", kind: "url", placeholder: "https://hooks.slack.com/services/…", hint: "A Slack-compatible incoming webhook; empty uses the global slack_api_url." },
    { name: "channel", label: "Channel", kind: "text", placeholder: "#alerts" },
    { name: "username", label: "Username", kind: "text" },
    { name: "icon_emoji", label: "Icon emoji", kind: "text", placeholder: ":rotating_light:" },
    { name: "title", label: "Title template", kind: "template", placeholder: '{{ template "slack.default.title" . }}' },
    { name: "title_link", label: "Title link", kind: "text" },
    { name: "text", label: "Text template", kind: "longTemplate", placeholder: '{{ template "slack.default.text" . }}' },
    { name: "color", label: "Colour", kind: "text", placeholder: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}' },
  ],
  email: [
    { name: "to", label: "To", kind: "text", required: true, placeholder: "oncall@example.com, team@example.com" },
    { name: "from", label: "From", kind: "text", placeholder: "lookout@example.com", hint: "Empty uses the global smtp_from." },
    { name: "smarthost", label: "SMTP server (host:port)", kind: "text", placeholder: "smtp.example.com:587", hint: "Empty uses the global smtp_smarthost." },
    { name: "hello", label: "HELO name", kind: "text" },
    { name: "auth_username", label: "SMTP username", kind: "text" },
    { name: "auth_password", label: "SMTP password", kind: "secret" },
    { name: "subject", label: "Subject template", kind: "template", placeholder: '{{ template "email.default.subject" . }}' },
    { name: "html", label: "HTML body template", kind: "longTemplate", placeholder: '{{ template "email.default.html" . }}' },
    { name: "text", label: "Text body template", kind: "longTemplate" },
  ],
  pagerduty: [
    { name: "routing_key", label: "Routing key", kind: "secret", required: true, hint: "The Events API v2 integration key." },
    { name: "url", label: "Events API URL", kind: "url", placeholder: "https://events.pagerduty.com/v2/enqueue" },
    { name: "severity", label: "Severity", kind: "text", placeholder: "critical, error, warning or info (templates allowed)" },
    { name: "client", label: "Client", kind: "text", placeholder: "Lookout" },
    { name: "client_url", label: "Client URL", kind: "text" },
    { name: "description", label: "Summary template", kind: "template", placeholder: '{{ template "pagerduty.default.description" . }}' },
    { name: "class", label: "Class", kind: "text" },
    { name: "component", label: "Component", kind: "text" },
    { name: "group", label: "Group", kind: "text" },
  ],
};

/** The key/value rows of each type: webhook headers, email headers (besides Subject), PagerDuty details. */
export const ROWS_FIELD: Partial<Record<IntegrationType, { name: string; label: string }>> = {
  webhook: { name: "http_headers", label: "HTTP headers" },
  email: { name: "headers", label: "Email headers" },
  pagerduty: { name: "details", label: "Details" },
};

export interface IntegrationForm {
  /** A stable key for React lists. */
  id: string;
  type: IntegrationType;
  /** null: Alertmanager's default for the type. */
  sendResolved: boolean | null;
  fields: Record<string, string>;
  rows: KeyValueRow[];
  /** Email: STARTTLS required (null: default, required). */
  requireTls: boolean | null;
  skipVerify: boolean;
  /** Settings this form does not show, kept as they were. */
  rest: Record<string, unknown>;
}

export interface ContactPointForm {
  name: string;
  integrations: IntegrationForm[];
}

let seq = 0;
const nextId = () => `i${++seq}`;

export function emptyIntegration(type: IntegrationType): IntegrationForm {
  return { id: nextId(), type, sendResolved: null, fields: type === "webhook" ? { max_alerts: "0" } : {}, rows: [], requireTls: null, skipVerify: false, rest: {} };
}

const CONFIG_KEY: Record<IntegrationType, "webhook_configs" | "slack_configs" | "email_configs" | "pagerduty_configs"> = {
  webhook: "webhook_configs",
  slack: "slack_configs",
  email: "email_configs",
  pagerduty: "pagerduty_configs",
};

function integrationForm(type: IntegrationType, config: Record<string, unknown>): IntegrationForm {
  const f = emptyIntegration(type);
  const shown = new Set(FIELDS[type].map((s) => s.name));
  const rowsName = ROWS_FIELD[type]?.name;
  const fields: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  let rows: KeyValueRow[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (k === "send_resolved") continue;
    if (type === "email" && (k === "require_tls" || k === "tls_config")) {
      if (k === "tls_config") {
        const { insecure_skip_verify: _s, ...other } = (v ?? {}) as Record<string, unknown>;
        if (Object.keys(other).length) rest.tls_config = other;
      }
      continue;
    }
    if (k === rowsName && v && typeof v === "object") {
      const entries = Object.entries(v as Record<string, string>);
      if (type === "email") {
        const subject = entries.find(([h]) => h.toLowerCase() === "subject");
        if (subject) fields.subject = subject[1];
        rows = entries.filter(([h]) => h.toLowerCase() !== "subject").map(([key, value]) => ({ key, value }));
      } else rows = entries.map(([key, value]) => ({ key, value }));
      continue;
    }
    if (shown.has(k) && (typeof v === "string" || typeof v === "number")) fields[k] = String(v);
    else rest[k] = v;
  }
  const email = type === "email" ? (config as { require_tls?: boolean; tls_config?: { insecure_skip_verify?: boolean } }) : null;
  return {
    ...f,
    sendResolved: typeof config.send_resolved === "boolean" ? config.send_resolved : null,
    fields,
    rows,
    requireTls: email?.require_tls ?? null,
    skipVerify: email?.tls_config?.insecure_skip_verify ?? false,
    rest,
  };
}

/** The form of a receiver: its integrations in the order webhook, Slack, email, PagerDuty. */
export function contactPointForm(r: Receiver | null): ContactPointForm {
  if (!r) return { name: "", integrations: [emptyIntegration("webhook")] };
  const integrations: IntegrationForm[] = [];
  for (const type of INTEGRATION_TYPES) for (const c of r[CONFIG_KEY[type]] ?? []) integrations.push(integrationForm(type, c as Record<string, unknown>));
  return { name: r.name, integrations };
}

const SCHEMA = { webhook: WebhookConfigSchema, slack: SlackConfigSchema, email: EmailConfigSchema, pagerduty: PagerDutyConfigSchema } as const;

export interface ContactPointErrors {
  name?: string;
  /** Per integration: field name (or `rows`) → message. */
  integrations?: Record<string, string>[];
}

/** One integration's config, or its problems by field. */
export function integrationConfig(f: IntegrationForm): { config: Record<string, unknown>; errors?: undefined } | { config?: undefined; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const config: Record<string, unknown> = { ...f.rest };
  if (f.sendResolved !== null) config.send_resolved = f.sendResolved;
  for (const spec of FIELDS[f.type]) {
    if (f.type === "email" && spec.name === "subject") continue;
    const raw = f.fields[spec.name] ?? "";
    const v = spec.kind === "template" || spec.kind === "longTemplate" ? raw : raw.trim();
    if (v.trim() === "") {
      if (spec.required) errors[spec.name] = `${spec.label} is required`;
      continue;
    }
    if (v.includes("{{")) {
      const problem = checkNotificationTemplate(v, spec.name)?.message;
      if (problem) errors[spec.name] = problem;
    }
    if (spec.kind === "number") {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) errors[spec.name] = "a whole number, 0 or more";
      else config[spec.name] = n;
    } else config[spec.name] = v;
  }
  const rowsName = ROWS_FIELD[f.type]?.name;
  if (rowsName) {
    const rec: Record<string, string> = {};
    if (f.type === "email" && (f.fields.subject ?? "").trim()) {
      rec.Subject = f.fields.subject!;
      const problem = rec.Subject.includes("{{") ? checkNotificationTemplate(rec.Subject, "subject")?.message : undefined;
      if (problem) errors.subject = problem;
    }
    for (const r of f.rows) {
      const key = r.key.trim();
      if (!key && !r.value.trim()) continue;
      if (!key) errors.rows = "a row has a value but no name";
      else if (key in rec) errors.rows = `"${key}" is given twice`;
      else rec[key] = r.value;
    }
    if (Object.keys(rec).length) config[rowsName] = rec;
  }
  if (f.type === "email") {
    if (f.requireTls !== null) config.require_tls = f.requireTls;
    const tls = { ...((f.rest.tls_config as Record<string, unknown>) ?? {}), ...(f.skipVerify ? { insecure_skip_verify: true } : {}) };
    if (Object.keys(tls).length) config.tls_config = tls;
    else delete config.tls_config;
  }
  const parsed = SCHEMA[f.type].safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "rows");
      const field = key === rowsName ? "rows" : key === "require_tls" || key === "tls_config" ? "tls" : key;
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length ? { errors } : { config };
}

/** The receiver of a form, or the problems (the name, each integration's fields). */
export function receiverFromForm(form: ContactPointForm): { receiver: Receiver; errors?: undefined } | { receiver?: undefined; errors: ContactPointErrors } {
  const errors: ContactPointErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = "a name is required";
  const receiver: Record<string, unknown> = { name };
  const perIntegration = form.integrations.map((f) => {
    const r = integrationConfig(f);
    if (r.config) {
      const key = CONFIG_KEY[f.type];
      receiver[key] = [...((receiver[key] as unknown[]) ?? []), r.config];
    }
    return r.errors ?? {};
  });
  if (perIntegration.some((e) => Object.keys(e).length)) errors.integrations = perIntegration;
  if (Object.keys(errors).length) return { errors };
  return { receiver: receiver as Receiver };
}

/** The position of form integration `i` among the receiver's integrations (webhook, Slack, email, PagerDuty order): Send test's index. */
export function testIndexOf(form: ContactPointForm, i: number): number {
  const target = form.integrations[i]!;
  const rank = INTEGRATION_TYPES.indexOf(target.type);
  let n = 0;
  form.integrations.forEach((f, j) => {
    const r = INTEGRATION_TYPES.indexOf(f.type);
    if (r < rank || (r === rank && j < i)) n++;
  });
  return n;
}

/** Whether a loaded value is a secret the server masked (`<secret>`, or a URL cut to its origin). */
export const isMasked = (v: string | undefined): boolean => !!v && v.includes("<secret>");
