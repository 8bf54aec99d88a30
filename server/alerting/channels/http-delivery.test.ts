/**
 * Webhook, Slack and PagerDuty deliveries against a local HTTP receiver (no database): the exact
 * requests, failures classified for retrying, secrets kept out of summaries.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serveRoutes } from "@/test/http-server";
import { ReceiverSchema } from "../model";
import { buildNotification, type NotificationData } from "../notification";
import { dedupKey, integrationsOf, sendIntegration, sendTest, type SendResult } from "./index";
import * as pagerduty from "./pagerduty";
import * as slack from "./slack";
import * as webhook from "./webhook";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

const received: Received[] = [];
/** Responses to give, in order; when empty, 200 "ok". */
let replies: { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }[] = [];
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  server = await serveRoutes({
    "/": async (req) => {
      const text = await req.text();
      const u = new URL(req.url);
      received.push({ method: req.method, path: u.pathname + u.search, headers: Object.fromEntries(req.headers.entries()), body: text ? JSON.parse(text) : null });
      const r = replies.shift() ?? { status: 200, body: "ok" };
      if (r.delayMs) await new Promise((res) => setTimeout(res, r.delayMs));
      return new Response(r.body ?? "", { status: r.status, headers: r.headers });
    },
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  received.length = 0;
  replies = [];
});

const NOW = Date.parse("2024-05-01T13:00:00Z");
const ctx = { now: () => NOW };

function notification(kind: "firing" | "mixed" | "resolved" = "mixed"): NotificationData {
  const a = {
    labels: { alertname: "DiskFull", job: "node", instance: "n1:9100", severity: "warning" },
    annotations: { summary: "Disk almost full on n1", runbook_url: "https://runbooks.example/disk" },
    startsAt: "2024-05-01T12:00:00Z",
    generatorURL: "https://lookout.example/explore/metrics?g0.expr=disk",
  };
  const b = {
    labels: { alertname: "DiskFull", job: "node", instance: "n2:9100", severity: "warning" },
    annotations: { summary: "Disk almost full on n2" },
    startsAt: "2024-05-01T11:00:00Z",
    endsAt: "2024-05-01T12:45:00Z",
  };
  const alerts = kind === "firing" ? [a] : kind === "resolved" ? [b] : [a, b];
  return buildNotification('{}/{severity="warning"}:{alertname="DiskFull"}', "ops", { alertname: "DiskFull" }, alerts, "https://lookout.example", NOW);
}

describe("webhook", () => {
  it("POSTs the v4 JSON payload with the extra headers", async () => {
    const n = notification();
    const r = await webhook.send({ url: `${server.url}/hooks/alertmanager?team=ops`, http_headers: { Authorization: "Bearer sekret-token", "X-Env": "prod" } }, n, ctx);
    expect(r).toMatchObject({ ok: true, status: 200, retryable: false, templateErrors: [] });
    expect(received).toHaveLength(1);
    const req = received[0]!;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/hooks/alertmanager?team=ops");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.authorization).toBe("Bearer sekret-token");
    expect(req.headers["x-env"]).toBe("prod");
    expect(req.headers["user-agent"]).toBe("Lookout");
    expect(req.body).toEqual({
      version: "4",
      groupKey: '{}/{severity="warning"}:{alertname="DiskFull"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "ops",
      groupLabels: { alertname: "DiskFull" },
      commonLabels: { alertname: "DiskFull", job: "node", severity: "warning" },
      commonAnnotations: {},
      externalURL: "https://lookout.example",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "DiskFull", job: "node", instance: "n1:9100", severity: "warning" },
          annotations: { summary: "Disk almost full on n1", runbook_url: "https://runbooks.example/disk" },
          startsAt: "2024-05-01T12:00:00Z",
          endsAt: "0001-01-01T00:00:00Z",
          generatorURL: "https://lookout.example/explore/metrics?g0.expr=disk",
          fingerprint: n.alerts[0]!.fingerprint,
        },
        {
          status: "resolved",
          labels: { alertname: "DiskFull", job: "node", instance: "n2:9100", severity: "warning" },
          annotations: { summary: "Disk almost full on n2" },
          startsAt: "2024-05-01T11:00:00Z",
          endsAt: "2024-05-01T12:45:00Z",
          generatorURL: "",
          fingerprint: n.alerts[1]!.fingerprint,
        },
      ],
    });
    expect(r.requestSummary).toContain("POST http://127.0.0.1:");
    expect(r.requestSummary).toContain("team=[redacted]");
    expect(r.requestSummary).toContain("Authorization=[redacted]");
    expect(r.requestSummary).not.toContain("sekret-token");
  });

  it("truncates to max_alerts", async () => {
    await webhook.send({ url: `${server.url}/h`, max_alerts: 1 }, notification(), ctx);
    const body = received[0]!.body as NotificationData;
    expect(body.alerts).toHaveLength(1);
    expect(body.truncatedAlerts).toBe(1);
  });

  it("classifies a 500 as retryable, and the retry succeeds", async () => {
    replies = [{ status: 500, body: "database is down" }, { status: 200 }];
    const first = await webhook.send({ url: `${server.url}/h` }, notification(), ctx);
    expect(first).toMatchObject({ ok: false, status: 500, retryable: true, error: "HTTP 500: database is down" });
    const second = await webhook.send({ url: `${server.url}/h` }, notification(), ctx);
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toEqual(received[0]!.body);
  });

  it("does not retry a 4xx, except 429 (with Retry-After)", async () => {
    replies = [{ status: 400, body: "bad payload" }, { status: 429, headers: { "retry-after": "7" } }, { status: 503 }];
    expect(await webhook.send({ url: `${server.url}/h` }, notification(), ctx)).toMatchObject({ ok: false, status: 400, retryable: false });
    expect(await webhook.send({ url: `${server.url}/h` }, notification(), ctx)).toMatchObject({ ok: false, status: 429, retryable: true, retryAfterMs: 7000 });
    expect(await webhook.send({ url: `${server.url}/h` }, notification(), ctx)).toMatchObject({ ok: false, status: 503, retryable: true });
  });

  it("times out (retryable)", async () => {
    replies = [{ status: 200, delayMs: 1500 }];
    const r = await webhook.send({ url: `${server.url}/slow`, timeout: "1s" }, notification(), ctx);
    expect(r).toMatchObject({ ok: false, retryable: true, error: "timed out after 1000 ms" });
    expect(r.durationMs).toBeGreaterThanOrEqual(900);
  });

  it("reports a refused connection as retryable, without echoing the URL", async () => {
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, "127.0.0.1", () => res()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    const r = await webhook.send({ url: `http://127.0.0.1:${port}/hook/s3cr3tt0ken123456` }, notification(), ctx);
    expect(r.ok).toBe(false);
    expect(r.retryable).toBe(true);
    expect(r.error).toMatch(/ECONNREFUSED/);
    expect(`${r.error} ${r.requestSummary}`).not.toContain("s3cr3tt0ken123456");
  });

  it("refuses a non-HTTP URL without retrying", async () => {
    const r = await webhook.send({ url: "file:///etc/passwd" }, notification(), ctx);
    expect(r).toMatchObject({ ok: false, retryable: false, error: "unsupported URL scheme file:" });
  });
});

describe("Slack-compatible webhook", () => {
  it("POSTs channel, username, icon and one attachment", async () => {
    const r = await slack.send(
      { api_url: `${server.url}/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX`, channel: "#ops", username: "Lookout", icon_emoji: ":bell:", title: "{{ .CommonLabels.alertname }} ({{ len .Alerts.Firing }} firing)" },
      notification(),
      ctx,
    );
    expect(r).toMatchObject({ ok: true, status: 200, templateErrors: [] });
    const req = received[0]!;
    expect(req.path).toBe("/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({
      channel: "#ops",
      username: "Lookout",
      icon_emoji: ":bell:",
      attachments: [
        {
          color: "danger",
          title: "DiskFull (1 firing)",
          title_link: "https://lookout.example/alerting",
          text: [
            "*Firing: Disk almost full on n1*",
            "*Labels:* `alertname=DiskFull` `instance=n1:9100` `job=node` `severity=warning`",
            "_firing since 2024-05-01 12:00:00 UTC (1h 0m 0s)_",
            "<https://runbooks.example/disk|Runbook> · <https://lookout.example/explore/metrics?g0.expr=disk|Source>",
            "",
            "*Resolved: Disk almost full on n2*",
            "*Labels:* `alertname=DiskFull` `instance=n2:9100` `job=node` `severity=warning`",
            "_resolved at 2024-05-01 12:45:00 UTC (fired at 2024-05-01 11:00:00 UTC)_",
          ].join("\n"),
          fallback: "[FIRING:1] DiskFull | https://lookout.example/alerting",
          mrkdwn_in: ["text"],
        },
      ],
    });
    expect(r.requestSummary).not.toContain("XXXXXXXXXXXXXXXXXXXXXXXX");
    expect(r.requestSummary).not.toContain("T0001");
  });

  it("uses global.slack_api_url, and is green when resolved", async () => {
    const r = await slack.send({}, notification("resolved"), { ...ctx, global: { slack_api_url: `${server.url}/global-slack` } });
    expect(r.ok).toBe(true);
    expect(received[0]!.path).toBe("/global-slack");
    expect((received[0]!.body as { attachments: { color: string }[] }).attachments[0]!.color).toBe("good");
  });

  it("fails without a URL, not retryable", async () => {
    expect(await slack.send({}, notification(), ctx)).toMatchObject({ ok: false, retryable: false, error: "no Slack webhook URL: set api_url or global.slack_api_url" });
  });

  it("sends the default with a note when a custom template is broken", async () => {
    const r = await slack.send({ api_url: `${server.url}/s`, text: "{{ range .Alerts }}" }, notification(), ctx);
    expect(r.ok).toBe(true);
    expect(r.templateErrors).toEqual(["text: template: text:1:20: unexpected EOF"]);
    const text = (received[0]!.body as { attachments: { text: string }[] }).attachments[0]!.text;
    expect(text).toContain("*Firing: Disk almost full on n1*");
    expect(text).toContain("_Note: a configured template failed, so the default was used: text: template: text:1:20: unexpected EOF_");
  });
});

describe("PagerDuty Events API v2", () => {
  it("triggers, then resolves with the same dedup key, at the configured URL", async () => {
    replies = [
      { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}' },
      { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}' },
    ];
    const config = { routing_key: "R0ut1ngKey0000000000000000000000", url: `${server.url}/v2/enqueue`, severity: "{{ .CommonLabels.severity }}", component: "disk" };
    const firing = notification("firing");
    const t = await pagerduty.send(config, firing, ctx);
    expect(t).toMatchObject({ ok: true, status: 202 });
    const resolved = notification("resolved");
    const r = await pagerduty.send(config, resolved, ctx);
    expect(r).toMatchObject({ ok: true, status: 202 });

    expect(received.map((x) => x.path)).toEqual(["/v2/enqueue", "/v2/enqueue"]);
    const trigger = received[0]!.body as Record<string, unknown>;
    expect(trigger).toEqual({
      routing_key: "R0ut1ngKey0000000000000000000000",
      event_action: "trigger",
      dedup_key: dedupKey(firing.groupKey),
      client: "Lookout",
      client_url: "https://lookout.example/alerting",
      payload: {
        summary: "[FIRING:1] DiskFull",
        source: "Lookout",
        severity: "warning",
        component: "disk",
        custom_details: {
          firing: [
            "- Disk almost full on n1",
            "  firing since 2024-05-01 12:00:00 UTC (1h 0m 0s)",
            "  Labels: alertname=DiskFull instance=n1:9100 job=node severity=warning",
            "  Runbook: https://runbooks.example/disk",
            "  Source: https://lookout.example/explore/metrics?g0.expr=disk",
          ].join("\n"),
          resolved: "",
          num_firing: "1",
          num_resolved: "0",
        },
      },
    });
    const resolve = received[1]!.body as { event_action: string; dedup_key: string; payload: { summary: string } };
    expect(resolve.event_action).toBe("resolve");
    expect(resolve.dedup_key).toBe(trigger.dedup_key);
    expect(resolve.payload.summary).toBe("[RESOLVED] DiskFull");
    expect(t.requestSummary).toContain("trigger");
    expect(t.requestSummary).not.toContain("R0ut1ngKey");
  });

  it("a rejected event (400) is not retried and the key is not echoed", async () => {
    replies = [{ status: 400, body: '{"status":"invalid event","message":"Event object is invalid","errors":["routing_key R0ut1ngKey000000 invalid"]}' }];
    const r = await pagerduty.send({ routing_key: "R0ut1ngKey000000", url: `${server.url}/v2/enqueue` }, notification(), ctx);
    expect(r).toMatchObject({ ok: false, status: 400, retryable: false });
    expect(r.error).not.toContain("R0ut1ngKey000000");
  });
});

describe("through a receiver", () => {
  const receiver = ReceiverSchema.parse({
    name: "ops",
    webhook_configs: [{ url: "http://placeholder/" }],
    slack_configs: [{ api_url: "http://placeholder/" }],
  });

  function at(path: string) {
    const [hook, chat] = integrationsOf(receiver);
    return {
      hook: { ...hook!, config: { ...hook!.config, url: `${server.url}${path}/hook` } } as typeof hook,
      chat: { ...chat!, config: { ...chat!.config, api_url: `${server.url}${path}/slack` } } as typeof chat,
    };
  }

  it("skips resolved-only notifications where send_resolved is off (Slack's default)", async () => {
    const { hook, chat } = at("/recv");
    const resolved = notification("resolved");
    const results: SendResult[] = [await sendIntegration(hook!, resolved, ctx), await sendIntegration(chat!, resolved, ctx)];
    expect(results[0]).toMatchObject({ ok: true, status: 200 });
    expect(results[1]).toMatchObject({ ok: true, skipped: true });
    expect(received.map((r) => r.path)).toEqual(["/recv/hook"]);
  });

  it("sends a test notification (a firing TestAlert)", async () => {
    const { hook, chat } = at("/test");
    expect(await sendTest(hook!, { ...ctx, externalURL: "https://lookout.example" })).toMatchObject({ ok: true });
    expect(await sendTest(chat!, { ...ctx, externalURL: "https://lookout.example" })).toMatchObject({ ok: true });
    const body = received[0]!.body as NotificationData;
    expect(body.receiver).toBe("ops");
    expect(body.status).toBe("firing");
    expect(body.alerts[0]!.labels.alertname).toBe("TestAlert");
    const slackBody = received[1]!.body as { attachments: { title: string; text: string }[] };
    expect(slackBody.attachments[0]!.title).toBe("[FIRING:1] TestAlert");
    expect(slackBody.attachments[0]!.text).toContain("*Firing: Test notification from Lookout*");
  });
});
