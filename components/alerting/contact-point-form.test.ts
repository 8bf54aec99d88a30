import { describe, expect, it } from "vitest";
import type { Receiver } from "@/server/alerting/model";
import { contactPointForm, emptyIntegration, integrationConfig, isMasked, receiverFromForm, testIndexOf, type ContactPointForm } from "./contact-point-form";

const receiver: Receiver = {
  name: "ops",
  webhook_configs: [{ url: "https://hook.example/x", max_alerts: 5, http_headers: { Authorization: "Bearer t" }, send_resolved: false }],
  slack_configs: [{ api_url: "https://hooks.slack.example/<secret>", channel: "#ops", title: "{{ .CommonLabels.alertname }}" }],
  email_configs: [{ to: "a@x, b@x", smarthost: "smtp:587", auth_password: "<secret>", require_tls: false, tls_config: { insecure_skip_verify: true }, headers: { Subject: "[{{ .Status }}]", "X-Team": "ops" }, html: "<b>hi</b>" }],
  pagerduty_configs: [{ routing_key: "rk", severity: "critical", details: { firing: "{{ .Alerts.Firing | len }}" } }],
};

describe("contact point form", () => {
  it("round-trips a receiver with every integration type, secrets as loaded", () => {
    const f = contactPointForm(receiver);
    expect(f.integrations.map((i) => i.type)).toEqual(["webhook", "slack", "email", "pagerduty"]);
    expect(f.integrations[2]).toMatchObject({ fields: { to: "a@x, b@x", subject: "[{{ .Status }}]", auth_password: "<secret>" }, rows: [{ key: "X-Team", value: "ops" }], requireTls: false, skipVerify: true });
    expect(f.integrations[0]!.sendResolved).toBe(false);
    expect(f.integrations[1]!.sendResolved).toBeNull();
    expect(receiverFromForm(f)).toEqual({ receiver });
  });

  it("starts with an empty webhook and checks required fields, numbers, URLs and rows", () => {
    const f: ContactPointForm = { name: " ", integrations: [emptyIntegration("webhook"), { ...emptyIntegration("pagerduty"), rows: [{ key: "", value: "v" }] }, { ...emptyIntegration("webhook"), fields: { url: "not a url", max_alerts: "-1" } }] };
    expect(receiverFromForm(f).errors).toEqual({
      name: "a name is required",
      integrations: [{ url: "URL is required" }, { routing_key: "Routing key is required", rows: "a row has a value but no name" }, { max_alerts: "a whole number, 0 or more", url: expect.any(String) }],
    });
  });

  it("checks notification templates", () => {
    const slack = { ...emptyIntegration("slack"), fields: { title: '{{ template "slack.default.title" . }}', text: "{{ range .Alerts }}" } };
    expect(integrationConfig(slack).errors).toEqual({ text: expect.stringMatching(/text:1:\d+: unexpected EOF/) });
    const email = { ...emptyIntegration("email"), fields: { to: "a@b", subject: "{{ .Status" } };
    expect(integrationConfig(email).errors).toEqual({ subject: expect.stringMatching(/unclosed action/) });
  });

  it("keeps settings the form does not show", () => {
    const f = contactPointForm({ name: "x", pagerduty_configs: [{ routing_key: "k", client: "c" }], slack_configs: [{ api_url: "https://h.example/a", color: "red" }] });
    expect(receiverFromForm(f).receiver).toEqual({ name: "x", slack_configs: [{ api_url: "https://h.example/a", color: "red" }], pagerduty_configs: [{ routing_key: "k", client: "c" }] });
    expect(integrationConfig({ ...emptyIntegration("email"), fields: { to: "a@b" }, rest: { hello: "x" } }).config).toEqual({ to: "a@b", hello: "x" });
  });

  it("finds an integration's Send test index in the server's order", () => {
    const f: ContactPointForm = { name: "x", integrations: [emptyIntegration("email"), emptyIntegration("webhook"), emptyIntegration("email"), emptyIntegration("slack")] };
    expect([0, 1, 2, 3].map((i) => testIndexOf(f, i))).toEqual([2, 0, 3, 1]);
  });

  it("recognises masked values", () => {
    expect(isMasked("<secret>")).toBe(true);
    expect(isMasked("https://hooks.example/<secret>")).toBe(true);
    expect(isMasked("https://hooks.example/x")).toBe(false);
    expect(isMasked(undefined)).toBe(false);
  });
});
