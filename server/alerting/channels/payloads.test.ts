/** Payload building, redaction and the integration helpers (no I/O). */
import { describe, expect, it } from "vitest";
import { ReceiverSchema } from "../model";
import { buildNotification, type NotificationData } from "../notification";
import { isRetryableSmtpError, parseSmarthost } from "./email";
import { isRetryableStatus, parseRetryAfter } from "./http";
import {
  buildEmailMessage,
  buildPagerDutyEvent,
  buildSlackPayload,
  buildWebhookPayload,
  dataForIntegration,
  dedupKey,
  integrationsOf,
  redact,
  redactUrl,
  smtpSettings,
  testNotification,
} from "./index";

const NOW = Date.parse("2024-05-01T13:00:00Z");
const ctx = { now: () => NOW };

function notification(status: "firing" | "mixed" | "resolved" = "mixed"): NotificationData {
  const firing = {
    labels: { alertname: "HighErrorRate", job: "api", instance: "a:1", severity: "critical" },
    annotations: { summary: "Errors on a:1", description: "5% fail" },
    startsAt: "2024-05-01T12:00:00Z",
  };
  const resolved = {
    labels: { alertname: "HighErrorRate", job: "api", instance: "b:1", severity: "critical" },
    annotations: { summary: "Errors on b:1" },
    startsAt: "2024-05-01T11:00:00Z",
    endsAt: "2024-05-01T12:30:00Z",
  };
  const alerts = status === "firing" ? [firing] : status === "resolved" ? [resolved] : [firing, resolved];
  return buildNotification('{}:{alertname="HighErrorRate"}', "team-api", { alertname: "HighErrorRate" }, alerts, "https://lookout.example", NOW);
}

describe("webhook payload", () => {
  it("is the notification itself", () => {
    const n = notification();
    expect(buildWebhookPayload({}, n)).toEqual(n);
  });

  it("applies max_alerts", () => {
    const p = buildWebhookPayload({ max_alerts: 1 }, notification());
    expect(p.alerts).toHaveLength(1);
    expect(p.truncatedAlerts).toBe(1);
    expect(p.alerts[0]!.labels.instance).toBe("a:1");
  });
});

describe("Slack payload", () => {
  it("builds one attachment from the default templates", () => {
    const { payload, templateErrors } = buildSlackPayload({ channel: "#alerts", username: "lookout", icon_emoji: ":rotating_light:" }, notification(), ctx);
    expect(templateErrors).toEqual([]);
    expect(payload.channel).toBe("#alerts");
    expect(payload.username).toBe("lookout");
    expect(payload.icon_emoji).toBe(":rotating_light:");
    expect(payload.attachments).toHaveLength(1);
    const a = payload.attachments[0]!;
    expect(a.color).toBe("danger");
    expect(a.title).toBe("[FIRING:1] HighErrorRate");
    expect(a.title_link).toBe("https://lookout.example/alerting");
    expect(a.fallback).toBe("[FIRING:1] HighErrorRate | https://lookout.example/alerting");
    expect(a.text).toContain("*Firing: Errors on a:1*");
    expect(a.text).toContain("*Resolved: Errors on b:1*");
  });

  it("is green once resolved, unless color is set", () => {
    expect(buildSlackPayload({}, notification("resolved"), ctx).payload.attachments[0]!.color).toBe("good");
    expect(buildSlackPayload({ color: "#ff00ff" }, notification("resolved"), ctx).payload.attachments[0]!.color).toBe("#ff00ff");
    expect(buildSlackPayload({ color: '{{ if eq .Status "firing" }}warning{{ else }}#00ff00{{ end }}' }, notification(), ctx).payload.attachments[0]!.color).toBe("warning");
  });

  it("renders custom title and text templates", () => {
    const { payload } = buildSlackPayload({ title: "{{ .CommonLabels.alertname }} on {{ len .Alerts.Firing }}", text: "{{ range .Alerts }}{{ .Labels.instance }} {{ end }}", channel: "#{{ .CommonLabels.job }}" }, notification(), ctx);
    expect(payload.attachments[0]!.title).toBe("HighErrorRate on 1");
    expect(payload.attachments[0]!.text).toBe("a:1 b:1 ");
    expect(payload.channel).toBe("#api");
  });

  it("falls back to the default on a broken template and notes it", () => {
    const { payload, templateErrors } = buildSlackPayload({ title: "{{ .Nope }}" }, notification(), ctx);
    expect(payload.attachments[0]!.title).toBe("[FIRING:1] HighErrorRate");
    expect(templateErrors).toEqual(['title: template: title:1:4: executing "title" at <.Nope>: can\'t evaluate field Nope in type template.Data']);
    expect(payload.attachments[0]!.text).toMatch(/_Note: a configured template failed, so the default was used: title: template: title:1:4/);
  });
});

describe("PagerDuty event", () => {
  it("triggers while firing with a stable dedup key", () => {
    const n = notification();
    const { event, templateErrors } = buildPagerDutyEvent({ routing_key: "R0UT1NGKEY0123456789", component: "api-{{ .CommonLabels.job }}", group: "prod", class: "errors" }, n, ctx);
    expect(templateErrors).toEqual([]);
    expect(event).toMatchObject({
      routing_key: "R0UT1NGKEY0123456789",
      event_action: "trigger",
      dedup_key: dedupKey(n.groupKey),
      client: "Lookout",
      client_url: "https://lookout.example/alerting",
      payload: { summary: "[FIRING:1] HighErrorRate", source: "Lookout", severity: "error", component: "api-api", group: "prod", class: "errors" },
    });
    expect(event.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(event.payload.custom_details.num_firing).toBe("1");
    expect(event.payload.custom_details.num_resolved).toBe("1");
    expect(event.payload.custom_details.firing).toContain("- Errors on a:1");
    expect(event.payload.custom_details.resolved).toContain("- Errors on b:1");
  });

  it("resolves with the same key once resolved", () => {
    const firing = buildPagerDutyEvent({ routing_key: "k" }, notification("firing"), ctx).event;
    const resolved = buildPagerDutyEvent({ routing_key: "k" }, notification("resolved"), ctx).event;
    expect(resolved.event_action).toBe("resolve");
    expect(resolved.dedup_key).toBe(firing.dedup_key);
    expect(dedupKey("a")).not.toBe(dedupKey("b"));
  });

  it("takes severity from a template and refuses values PagerDuty rejects", () => {
    const ok = buildPagerDutyEvent({ routing_key: "k", severity: "{{ .CommonLabels.severity }}" }, notification(), ctx);
    expect(ok.event.payload.severity).toBe("critical");
    const bad = buildPagerDutyEvent({ routing_key: "k", severity: "page" }, notification(), ctx);
    expect(bad.event.payload.severity).toBe("error");
    expect(bad.templateErrors[0]).toMatch(/"page" is not one of critical, error, warning, info/);
  });

  it("renders custom details and truncates a long summary", () => {
    const { event } = buildPagerDutyEvent({ routing_key: "k", details: { team: "{{ .CommonLabels.job }}" }, description: "{{ range 2000 }}x{{ end }}" }, notification(), ctx);
    expect(event.payload.custom_details).toEqual({ team: "api" });
    expect([...event.payload.summary]).toHaveLength(1024);
    expect(event.payload.summary.endsWith("…")).toBe(true);
  });
});

describe("email message", () => {
  it("builds subject, HTML and text from the defaults", () => {
    const { message, templateErrors } = buildEmailMessage({ to: "a@example.com, b@example.com", from: "lookout@example.com", headers: { "X-Team": "{{ .CommonLabels.job }}" } }, notification(), ctx);
    expect(templateErrors).toEqual([]);
    expect(message).toMatchObject({ from: "lookout@example.com", to: ["a@example.com", "b@example.com"], subject: "[FIRING:1] HighErrorRate", headers: { "X-Team": "api" } });
    expect(message!.html).toContain("<!DOCTYPE html>");
    expect(message!.html).toContain("Errors on a:1");
    expect(message!.text).toContain("Firing (1):");
    expect(message!.text).toContain("Open in Lookout: https://lookout.example/alerting");
  });

  it("takes the subject from headers and escapes values in a custom HTML template", () => {
    const n = notification();
    n.alerts[0]!.annotations.summary = "<b>bold</b>";
    const { message } = buildEmailMessage({ to: "a@x", from: "f@x", headers: { subject: "Alert: {{ .CommonLabels.alertname }}" }, html: "<p>{{ (index .Alerts 0).Annotations.summary }}</p>" }, n, ctx);
    expect(message!.subject).toBe("Alert: HighErrorRate");
    expect(message!.html).toBe("<p>&lt;b&gt;bold&lt;/b&gt;</p>");
  });

  it("falls back on a broken template and says so in both parts", () => {
    const { message, templateErrors } = buildEmailMessage({ to: "a@x", from: "f@x", html: "{{ if }}" }, notification(), ctx);
    expect(templateErrors[0]).toMatch(/^html: template: html:1:7: missing value for if/);
    expect(message!.html).toContain("<!DOCTYPE html>");
    expect(message!.html).toContain("a configured template failed");
    expect(message!.text).toContain("Note: a configured template failed, so the default was used: html:");
  });

  it("needs a sender and recipients", () => {
    expect(buildEmailMessage({ to: "a@x" }, notification(), ctx).error).toBe("no sender: set from or global.smtp_from");
    expect(buildEmailMessage({ to: " , " , from: "f@x" }, notification(), ctx).error).toBe("no recipients in to");
    expect(buildEmailMessage({ to: "a@x" }, notification(), { ...ctx, global: { smtp_from: "g@x" } }).message?.from).toBe("g@x");
  });

  it("reads server settings with global fallbacks", () => {
    expect(smtpSettings({ to: "a@x", smarthost: "mail.example:587", auth_username: "u", auth_password: "p" })).toEqual({
      host: "mail.example",
      port: 587,
      hello: "localhost",
      username: "u",
      password: "p",
      requireTls: true,
      insecureSkipVerify: false,
    });
    expect(smtpSettings({ to: "a@x", require_tls: false, tls_config: { insecure_skip_verify: true } }, { global: { smtp_smarthost: "[::1]:2525", smtp_hello: "me" } })).toEqual({
      host: "::1",
      port: 2525,
      hello: "me",
      requireTls: false,
      insecureSkipVerify: true,
    });
    expect(smtpSettings({ to: "a@x" })).toEqual({ error: "no SMTP server: set smarthost or global.smtp_smarthost" });
    expect(parseSmarthost("host")).toEqual({ host: "host", port: 25 });
    expect(parseSmarthost("host:99999")).toBeNull();
  });
});

describe("retry classification", () => {
  it("HTTP: 429, 408 and 5xx retry; other 4xx do not", () => {
    expect([500, 502, 503, 429, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 422].some(isRetryableStatus)).toBe(false);
    expect(parseRetryAfter("30")).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW + 5_000).toUTCString(), NOW)).toBe(5_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("SMTP: 4xx replies and connection failures retry; auth, TLS and 5xx do not", () => {
    expect(isRetryableSmtpError({ responseCode: 451 })).toBe(true);
    expect(isRetryableSmtpError({ responseCode: 550 })).toBe(false);
    expect(isRetryableSmtpError({ code: "ECONNECTION", message: "connect ECONNREFUSED" })).toBe(true);
    expect(isRetryableSmtpError({ code: "ETIMEDOUT" })).toBe(true);
    expect(isRetryableSmtpError({ code: "EAUTH", responseCode: undefined })).toBe(false);
    expect(isRetryableSmtpError({ code: "ESOCKET", message: "self-signed certificate" })).toBe(false);
  });
});

describe("redaction", () => {
  it("strips tokens from URLs", () => {
    expect(redactUrl("https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX")).toBe("https://hooks.slack.com/services/[redacted]");
    expect(redactUrl("https://user:pw@example.com/hook?token=abc&x=1#frag")).toBe("https://[redacted]@example.com/hook?token=[redacted]&x=[redacted]");
    expect(redactUrl("https://discord.com/api/webhooks/123456789012345678/aBcDeFgHiJkLmNoPqRsTuVwXyZ")).toBe("https://discord.com/api/webhooks/[redacted]/[redacted]");
    expect(redactUrl("http://127.0.0.1:9000/alerts/webhook")).toBe("http://127.0.0.1:9000/alerts/webhook");
    expect(redactUrl("not a url")).toBe("[invalid URL]");
  });

  it("redacts secrets in whole receiver configs", () => {
    const receiver = ReceiverSchema.parse({
      name: "r",
      webhook_configs: [{ url: "https://example.com/hook?key=s3cr3t", http_headers: { Authorization: "Bearer abc", "X-Env": "prod" } }],
      slack_configs: [{ api_url: "https://hooks.slack.com/services/T1/B2/C3C3C3C3C3C3C3C3", channel: "#a" }],
      email_configs: [{ to: "a@x", auth_username: "u", auth_password: "hunter2" }],
      pagerduty_configs: [{ routing_key: "abcdef0123456789", client_url: "https://lookout.example/alerting" }],
    });
    const r = redact(receiver);
    const json = JSON.stringify(r);
    for (const secret of ["s3cr3t", "Bearer abc", "C3C3C3C3C3C3C3C3", "hunter2", "abcdef0123456789"]) expect(json).not.toContain(secret);
    expect(r.webhook_configs![0]!.http_headers).toEqual({ Authorization: "[redacted]", "X-Env": "prod" });
    expect(r.email_configs![0]!.auth_username).toBe("u");
    expect(r.pagerduty_configs![0]!.client_url).toBe("https://lookout.example/alerting");
    expect(receiver.email_configs![0]!.auth_password).toBe("hunter2"); // the original is untouched
  });
});

describe("integrations", () => {
  const receiver = ReceiverSchema.parse({
    name: "team",
    email_configs: [{ to: "a@x" }],
    webhook_configs: [{ url: "http://a/1" }, { url: "http://a/2", send_resolved: false }],
    slack_configs: [{ api_url: "http://s/1", send_resolved: true }],
  });

  it("lists a receiver's integrations in a stable order with keys", () => {
    expect(integrationsOf(receiver).map((i) => `${i.receiver}:${i.key}`)).toEqual(["team:webhook/0", "team:webhook/1", "team:slack/0", "team:email/0"]);
  });

  it("applies send_resolved with Alertmanager's defaults", () => {
    const [hook, hookNoResolved, slackResolved, mail] = integrationsOf(receiver);
    const resolved = notification("resolved");
    expect(dataForIntegration(hook!, resolved)).toBe(resolved);
    expect(dataForIntegration(hookNoResolved!, resolved)).toBeNull();
    expect(dataForIntegration(slackResolved!, resolved)).toBe(resolved);
    expect(dataForIntegration(mail!, resolved)).toBeNull(); // email defaults to send_resolved: false
    const mixed = dataForIntegration(mail!, notification("mixed"));
    expect(mixed!.alerts.map((a) => a.status)).toEqual(["firing"]);
    expect(mixed!.commonAnnotations.summary).toBe("Errors on a:1");
  });

  it("makes a test notification with one firing TestAlert", () => {
    const n = testNotification("team", "https://lookout.example/", NOW);
    expect(n).toMatchObject({ status: "firing", receiver: "team", groupLabels: { alertname: "TestAlert" }, externalURL: "https://lookout.example/" });
    expect(n.alerts).toHaveLength(1);
    expect(n.alerts[0]).toMatchObject({ status: "firing", labels: { alertname: "TestAlert", instance: "Lookout", severity: "info" }, generatorURL: "https://lookout.example/alerting" });
  });
});
