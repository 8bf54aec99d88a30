import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { createFolder } from "@/server/dashboards/service";
import { callerFor, createTestUser, expectTrpcError, testMeta, uid, type TestUser } from "@/test/helpers";
import { integrationRefs, testContactPoint, unmaskReceiver } from "./console-actions";
import type { Receiver } from "./model";
import { SECRET_MASK } from "./notifications-service";

/**
 * The console's Preview, rule-file import and Send test, through the routers (Preview evaluates
 * PromQL without stored data: `vector(…)` needs none; Send test posts to a local HTTP receiver)
 * and through the domain function with a recording sender.
 */
let editor: TestUser;
let viewer: TestUser;
let folderUid: string;
beforeAll(async () => {
  editor = await createTestUser("Editor");
  viewer = await createTestUser("Viewer");
  folderUid = (await createFolder(getDb(), editor.principal, testMeta(), { title: `Console ${uid()}` })).uid;
});

const only = (p: Principal, permissions: string[]): Principal => ({ ...p, permissions: new Set(permissions) }) as Principal;

describe("alertRules.preview", () => {
  it("gives each series' labels, value, rendered annotations and the state it would be in", async () => {
    const v = callerFor(viewer.principal);
    const rule = {
      title: "Preview",
      query: { kind: "promql" as const, expr: 'label_replace(vector(3), "instance", "a", "", "")' },
      labels: { severity: "page" },
      annotations: { summary: "{{ $labels.instance }} is at {{ $value }}", description: "{{ $value | humanizePercentage }} of {{ $labels.severity }}" },
    };
    const firing = await v.alertRules.preview({ rule, folderUid: null });
    expect(firing.error).toBeUndefined();
    expect(firing.series).toEqual([{ labels: { instance: "a", severity: "page", alertname: "Preview" }, value: 3, state: "firing", annotations: { summary: "a is at 3", description: "300% of page" }, error: null }]);

    const pending = await v.alertRules.preview({ rule: { ...rule, for: "5m" } });
    expect(pending.series.map((s) => s.state)).toEqual(["pending"]);

    const below = await v.alertRules.preview({ rule: { ...rule, query: { ...rule.query, condition: { op: ">", threshold: 5 } } } });
    expect(below.series.every((s) => s.state === "normal")).toBe(true);
  });

  it("answers a bad query with the error and no-data with the no-data state", async () => {
    const v = callerFor(viewer.principal);
    const bad = await v.alertRules.preview({ rule: { title: "Bad", query: { kind: "promql", expr: "sum(" } } });
    expect(bad.series).toEqual([]);
    expect(bad.error).toMatch(/parse error|unexpected/i);
    const empty = await v.alertRules.preview({ rule: { title: "Empty", query: { kind: "promql", expr: `absent_metric_${uid()}` }, noDataState: "NoData" } });
    expect(empty.series.map((s) => s.state)).toEqual(["nodata"]);
  });

  it("needs the data permission of the rule's kind and a visible folder", async () => {
    const promql = { title: "P", query: { kind: "promql" as const, expr: "vector(1)" } };
    const logs = { title: "L", query: { kind: "logs" as const, query: "level:error", condition: { op: ">" as const, threshold: 0 } } };
    await expectTrpcError(callerFor(only(viewer.principal, ["alerts:read", "logs:read"])).alertRules.preview({ rule: promql }), "FORBIDDEN");
    await expectTrpcError(callerFor(only(viewer.principal, ["alerts:read", "metrics:read"])).alertRules.preview({ rule: logs }), "FORBIDDEN");
    await expectTrpcError(callerFor(only(viewer.principal, ["metrics:read"])).alertRules.preview({ rule: promql }), "FORBIDDEN");
    await expectTrpcError(callerFor(viewer.principal).alertRules.preview({ rule: promql, folderUid: `missing-${uid()}` }), "NOT_FOUND");
    const ok = await callerFor(viewer.principal).alertRules.preview({ rule: promql, folderUid });
    expect(ok.series).toHaveLength(1);
  });
});

const RULE_FILE = `groups:
  - name: api
    interval: 30s
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total[5m]))
      - alert: HighErrorRate
        expr: job:errors:rate5m > 0.05
        for: 5m
        labels:
          severity: page
        annotations:
          summary: "{{ $labels.job }} fails"
`;

describe("alertRules.importFile", () => {
  it("checks (dry run), imports, refuses a second import without replace, and replaces with it", async () => {
    const ed = callerFor(editor.principal);
    const check = await ed.alertRules.importFile({ text: RULE_FILE, folderUid, dryRun: true });
    expect(check).toMatchObject({ dryRun: true, groups: [{ name: "api", interval: "30s", rules: ["HighErrorRate"] }], existing: [], created: [], rules: 1 });
    expect(check.warnings).toEqual([expect.stringMatching(/^line 5: groups\[0\]\.rules\[0\]: recording rule "job:errors:rate5m" is not imported/)]);
    expect(await ed.alertRules.list({ folderUid })).toEqual([]);

    const done = await ed.alertRules.importFile({ text: RULE_FILE, folderUid });
    expect(done).toMatchObject({ dryRun: false, created: [{ name: "api" }], replaced: [], rules: 1 });
    const [group] = await ed.alertRules.list({ folderUid });
    expect(group).toMatchObject({ name: "api", interval: "30s", rules: [{ title: "HighErrorRate" }] });

    expect((await ed.alertRules.importFile({ text: RULE_FILE, folderUid, dryRun: true })).existing).toEqual(["api"]);
    await expectTrpcError(ed.alertRules.importFile({ text: RULE_FILE, folderUid }), "CONFLICT");
    const again = await ed.alertRules.importFile({ text: RULE_FILE, folderUid, replace: true });
    expect(again.replaced).toEqual([{ id: group!.id, name: "api" }]);
  });

  it("lists every error of a bad file with its line", async () => {
    const ed = callerFor(editor.principal);
    const text = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(\n      - alert: B\n        expr: up[5m]\n";
    const e = await expectTrpcError(ed.alertRules.importFile({ text, folderUid }), "BAD_REQUEST");
    expect(e.message).toMatch(/^The rule file has 2 errors:\n/);
    expect(e.message).toMatch(/line 5: groups\[0\]\.rules\[0\]\.expr: /);
    expect(e.message).toMatch(/line 7: groups\[0\]\.rules\[1\]\.expr: the expression must be an instant vector or a scalar, not a range vector/);
    await expectTrpcError(ed.alertRules.importFile({ text: "groups:\n  - name: only-recording\n    rules:\n      - record: a\n        expr: up\n", folderUid }), "BAD_REQUEST");
  });

  it("is refused without alerts:write", async () => {
    await expectTrpcError(callerFor(viewer.principal).alertRules.importFile({ text: RULE_FILE, folderUid }), "FORBIDDEN");
  });
});

describe("Send test", () => {
  it("fills masked secrets from the saved contact point and sends through the chosen integration", async () => {
    const ed = callerFor(editor.principal);
    const name = `cp-${uid()}`;
    const stored: Receiver = {
      name,
      webhook_configs: [{ url: "http://127.0.0.1:9/hook/token-1", max_alerts: 0, http_headers: { Authorization: "Bearer s3cret" } }],
      pagerduty_configs: [{ routing_key: "rk-123" }],
    };
    await ed.contactPoints.create({ receiver: stored });
    const masked = (await callerFor(viewer.principal).contactPoints.byName({ name })).receiver;
    expect(JSON.stringify(masked)).toContain(SECRET_MASK);

    const calls: { receiver: Receiver; index: number; externalURL: string }[] = [];
    const send = async (receiver: Receiver, index: number, ctx: { externalURL: string }) => {
      calls.push({ receiver, index, externalURL: ctx.externalURL });
      return { ok: index === 0 };
    };
    const out = await testContactPoint(getDb(), { receiver: masked, name, index: 1 }, send, { externalURL: "http://console.test" });
    expect(out).toEqual([{ type: "pagerduty", index: 0, result: { ok: false } }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.receiver.webhook_configs![0]!.url).toBe("http://127.0.0.1:9/hook/token-1");
    expect(calls[0]!.receiver.webhook_configs![0]!.http_headers).toEqual({ Authorization: "Bearer s3cret" });
    expect(calls[0]!.receiver.pagerduty_configs![0]!.routing_key).toBe("rk-123");

    const all = await testContactPoint(getDb(), { receiver: masked, name }, send, { externalURL: "http://console.test" });
    expect(all.map((r) => [r.type, r.index, r.result.ok])).toEqual([
      ["webhook", 0, true],
      ["pagerduty", 0, false],
    ]);
  });

  it("refuses masked secrets it cannot fill, a missing integration, and callers without alerts:write", async () => {
    const send = async () => ({ ok: true });
    const masked: Receiver = { name: "new", pagerduty_configs: [{ routing_key: SECRET_MASK }] };
    await expect(testContactPoint(getDb(), { receiver: masked }, send, { externalURL: "http://x" })).rejects.toThrow(/pagerduty_configs\[0\]\.routing_key: enter the secret again/);
    await expect(testContactPoint(getDb(), { receiver: { name: "none" } }, send, { externalURL: "http://x" })).rejects.toThrow(/no integrations/);
    await expect(testContactPoint(getDb(), { receiver: { name: "one", pagerduty_configs: [{ routing_key: "k" }] }, index: 3 }, send, { externalURL: "http://x" })).rejects.toThrow(/no number 4/);
    await expectTrpcError(callerFor(viewer.principal).contactPoints.test({ receiver: { name: "x", pagerduty_configs: [{ routing_key: "k" }] } }), "FORBIDDEN");
  });
});

describe("contactPoints.test", () => {
  let server: Server;
  let url = "";
  const received: { body: { receiver: string; status: string; alerts: { labels: Record<string, string> }[] }; auth: string | undefined }[] = [];
  let status = 200;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ body: JSON.parse(body), auth: req.headers.authorization });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("sends the test alert through the saved secrets and reports the receiver's answer", async () => {
    const ed = callerFor(editor.principal);
    const name = `hook-${uid()}`;
    await ed.contactPoints.create({ receiver: { name, webhook_configs: [{ url, max_alerts: 0, http_headers: { Authorization: "Bearer t0k" } }] } });
    const masked = (await callerFor(viewer.principal).contactPoints.byName({ name })).receiver;
    const [ok] = await ed.contactPoints.test({ receiver: masked, name, index: 0 });
    expect(ok).toMatchObject({ type: "webhook", index: 0, result: { ok: true, status: 200 } });
    expect(received.at(-1)).toMatchObject({ body: { receiver: name, status: "firing", alerts: [{ labels: { alertname: "TestAlert" } }] }, auth: "Bearer t0k" });

    status = 500;
    const [failed] = await ed.contactPoints.test({ receiver: masked, name });
    expect(failed!.result).toMatchObject({ ok: false, status: 500 });
  });
});

describe("integrationRefs and unmaskReceiver", () => {
  it("orders integrations as the channels do and keeps retyped secrets", () => {
    const r: Receiver = { name: "r", pagerduty_configs: [{ routing_key: "a" }], webhook_configs: [{ url: "http://a/", max_alerts: 0 }, { url: "http://b/", max_alerts: 0 }], email_configs: [{ to: "x@y" }] };
    expect(integrationRefs(r)).toEqual([
      { type: "webhook", index: 0 },
      { type: "webhook", index: 1 },
      { type: "email", index: 0 },
      { type: "pagerduty", index: 0 },
    ]);
    const stored: Receiver = { name: "r", slack_configs: [{ api_url: "https://hooks.example/T1/B2/xyz", channel: "#a" }] };
    expect(unmaskReceiver({ name: "r", slack_configs: [{ api_url: `https://hooks.example/${SECRET_MASK}`, channel: "#b" }] }, stored).slack_configs).toEqual([{ api_url: "https://hooks.example/T1/B2/xyz", channel: "#b" }]);
    expect(unmaskReceiver({ name: "r", slack_configs: [{ api_url: "https://new.example/hook", channel: "#b" }] }, stored).slack_configs![0]!.api_url).toBe("https://new.example/hook");
  });
});
