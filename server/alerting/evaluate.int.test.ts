import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { LogEvent } from "@/server/logs/event";
import { forgetCatalog } from "@/server/logs/search/plan";
import { commitBatch } from "@/server/logs/store/write";
import type { SeriesSamplesInput } from "@/server/metrics/model";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { uid } from "@/test/helpers";
import { evaluateRule, MAX_LOG_GROUPS, previewRule } from "./evaluate";
import { AlertRuleSchema, type AlertRuleInput, type EvalResult } from "./model";
import { parseRuleFile } from "./rule-file";
import { fakeRender } from "./test-render";

/**
 * Rules evaluated against the real stores: metrics samples written with the metrics store, log
 * events with the log store, each in a time window of its own so other tests' data never mixes in.
 * Templates go through fakeRender (test-render.ts), a stand-in for the Go-template engine that
 * substitutes only `{{ $labels.x }}` and `{{ $value }}`.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const run = uid();
/** Metrics: the evaluation instant, with 7 hours of samples before it. */
const AT = Date.UTC(2027, 0, 1) + (10 + Math.floor(Math.random() * 300)) * 24 * HOUR + 30 * MIN;
/** Logs: another instant, in 2032. */
const LOG_AT = Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 300) * 24 * HOUR + 12 * HOUR;

const db = () => getDb();
const deps = () => ({ db: db() });
const rule = (query: AlertRuleInput["query"], over: Partial<AlertRuleInput> = {}) => AlertRuleSchema.parse({ uid: `r-${run}`, title: "Rule", query, ...over });
const series = (r: EvalResult) => {
  if (!r.ok) throw new Error(r.error);
  return r.series;
};

// ---------------------------------------------------------------------------------------------
// Fixture

/** Samples every minute over [AT − 7h, AT − 30s], value f(t) (t = ms before AT). */
function samples(labels: Record<string, string>, f: (ago: number) => number): SeriesSamplesInput {
  const out: { timestampMs: number; value: number }[] = [];
  for (let ts = AT - 7 * HOUR; ts <= AT - 30_000; ts += MIN) out.push({ timestampMs: ts, value: f(AT - ts) });
  return { labels: { run, ...labels }, samples: out };
}

let appSource = "";
const svc = (s: string) => `${run}-${s}`;

function logEvent(ts: number, service: string | null, level: LogEvent["level"], status: number): LogEvent {
  return { ts, observedTs: ts, source: appSource, service, host: "h1", level, message: `GET /api ${status}`, traceId: null, spanId: null, attributes: { http: { status } } };
}

beforeAll(async () => {
  const minutesAgo = (ago: number) => ago / MIN;
  const metrics: SeriesSamplesInput[] = [
    // HighErrorRate: api fails 10% of requests (6 of 60 per minute), web 1%.
    samples({ __name__: "http_requests_total", job: "api", status: "200" }, (ago) => (420 - minutesAgo(ago)) * 54),
    samples({ __name__: "http_requests_total", job: "api", status: "500" }, (ago) => (420 - minutesAgo(ago)) * 6),
    samples({ __name__: "http_requests_total", job: "web", status: "200" }, (ago) => (420 - minutesAgo(ago)) * 99),
    samples({ __name__: "http_requests_total", job: "web", status: "503" }, (ago) => (420 - minutesAgo(ago)) * 1),
    // HighMemoryUsage: a is 95% used, b 40%.
    samples({ __name__: "node_memory_MemTotal_bytes", instance: "a:9100" }, () => 16e9),
    samples({ __name__: "node_memory_MemAvailable_bytes", instance: "a:9100" }, () => 0.8e9),
    samples({ __name__: "node_memory_MemTotal_bytes", instance: "b:9100" }, () => 16e9),
    samples({ __name__: "node_memory_MemAvailable_bytes", instance: "b:9100" }, () => 9.6e9),
    // DiskWillFillIn4Hours: / on a loses 1 GB an hour with 3 GB left; /data on b is steady.
    samples({ __name__: "node_filesystem_avail_bytes", instance: "a:9100", mountpoint: "/", fstype: "ext4" }, (ago) => 3e9 + (ago / HOUR) * 1e9),
    samples({ __name__: "node_filesystem_avail_bytes", instance: "b:9100", mountpoint: "/data", fstype: "xfs" }, () => 50e9),
    samples({ __name__: "node_filesystem_avail_bytes", instance: "b:9100", mountpoint: "/run", fstype: "tmpfs" }, (ago) => 1e6 + (ago / HOUR) * 1e9),
  ];
  await appendSamples(db(), { batchId: randomUUID(), series: metrics }, { resolver: new SeriesResolver(10_000) });

  const [src] = await db().insert(logSources).values({ name: `alerts-${run}` }).returning();
  appSource = src!.name;
  const events: LogEvent[] = [];
  // In the 5-minute window before LOG_AT: checkout 12 errors, cart 3, and 2 errors without a service.
  for (let i = 0; i < 12; i++) events.push(logEvent(LOG_AT - 10_000 * (i + 1), svc("checkout"), "error", i % 3 ? 500 : 502));
  for (let i = 0; i < 3; i++) events.push(logEvent(LOG_AT - 20_000 * (i + 1), svc("cart"), "error", 503));
  for (let i = 0; i < 2; i++) events.push(logEvent(LOG_AT - 30_000 * (i + 1), null, "error", 500));
  for (let i = 0; i < 20; i++) events.push(logEvent(LOG_AT - 5_000 * (i + 1), svc("checkout"), "info", 200));
  // The window's edges: exactly at LOG_AT counts, exactly 5 minutes before does not; older ones neither.
  events.push(logEvent(LOG_AT, svc("edge"), "warn", 429));
  events.push(logEvent(LOG_AT - 5 * MIN, svc("edge"), "warn", 429));
  events.push(logEvent(LOG_AT - 20 * MIN, svc("checkout"), "error", 500));
  events.push(logEvent(LOG_AT + 1, svc("edge"), "warn", 429));
  await commitBatch(db(), { batchId: randomUUID(), sourceId: src!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
  forgetCatalog();
}, 60_000);

// ---------------------------------------------------------------------------------------------
// PromQL rules

describe("evaluateRule: PromQL rules over stored samples", () => {
  const FILE = [
    "groups:",
    "  - name: seed",
    "    rules:",
    "      - alert: HighErrorRate",
    "        expr: |",
    `          sum by (job) (rate(http_requests_total{run="${run}",status=~"5.."}[5m]))`,
    `            / sum by (job) (rate(http_requests_total{run="${run}"}[5m])) > 0.05`,
    "        for: 10m",
    "        labels: { severity: page }",
    "        annotations: { summary: 'Errors on {{ $labels.job }}: {{ $value }}' }",
    "      - alert: HighMemoryUsage",
    `        expr: (1 - node_memory_MemAvailable_bytes{run="${run}"} / node_memory_MemTotal_bytes{run="${run}"}) * 100 > 90`,
    "        labels: { severity: warning }",
    "      - alert: DiskWillFillIn4Hours",
    `        expr: predict_linear(node_filesystem_avail_bytes{run="${run}",fstype!="tmpfs"}[6h], 4*3600) < 0`,
    "        labels: { severity: critical }",
  ].join("\n");

  const imported = () => {
    const r = parseRuleFile(FILE);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.groups[0]!.rules;
  };

  it("HighErrorRate: the job above 5% errors, with the engine's labels", async () => {
    const [errorRate] = imported();
    const s = series(await evaluateRule(deps(), errorRate!, AT));
    expect(s).toHaveLength(1);
    expect(s[0]!.labels).toEqual({ job: "api" });
    expect(s[0]!.value).toBeCloseTo(0.1, 6);
    expect(s[0]!.active).toBe(true);
  });

  it("HighMemoryUsage: the instance above 90%, __name__ gone", async () => {
    const [, memory] = imported();
    const s = series(await evaluateRule(deps(), memory!, AT));
    expect(s.map((x) => [x.labels, x.active])).toEqual([[{ instance: "a:9100", run }, true]]);
    expect(s[0]!.value).toBeCloseTo(95, 6);
  });

  it("DiskWillFillIn4Hours: predict_linear over 6 hours finds the filling disk", async () => {
    const [, , disk] = imported();
    const s = series(await evaluateRule(deps(), disk!, AT));
    expect(s.map((x) => x.labels)).toEqual([{ fstype: "ext4", instance: "a:9100", mountpoint: "/", run }]);
    // 3 GB left at AT, losing 1 GB an hour: −1 GB in 4 hours.
    expect(s[0]!.value).toBeCloseTo(-1e9, -4);
  });

  it("a threshold rule returns every series, active where the condition holds", async () => {
    const r = rule({ kind: "promql", expr: `node_memory_MemAvailable_bytes{run="${run}"} / node_memory_MemTotal_bytes{run="${run}"}`, condition: { op: "<", threshold: 0.1 } });
    const s = series(await evaluateRule(deps(), r, AT));
    expect(s.map((x) => [x.labels.instance, x.value, x.active])).toEqual([
      ["a:9100", 0.05, true],
      ["b:9100", 0.6, false],
    ]);
  });

  it("an instant with no samples in the lookback is no series; errors are results", async () => {
    const r = rule({ kind: "promql", expr: `node_memory_MemTotal_bytes{run="${run}"}` });
    expect(await evaluateRule(deps(), r, AT + 2 * HOUR)).toEqual({ at: AT + 2 * HOUR, ok: true, series: [] });
    expect(await evaluateRule(deps(), rule({ kind: "promql", expr: "sum(rate(x[5m])" }), AT)).toMatchObject({ ok: false, error: expect.stringMatching(/^parse error/) });
  });

  it("a principal's label matchers narrow what its Preview sees", async () => {
    const viewer: Principal = { type: "service_account", id: "sa", name: "sa", apiKeyId: "k", scopes: ["query"], permissions: new Set(), dataFilter: null };
    const narrowed = { ...viewer, type: "user", email: "x@example.test", roleId: "r", roleName: "only-b", sessionId: "s", dataFilter: { labelMatchers: ['instance="b:9100"'] } } as Principal;
    const r = rule({ kind: "promql", expr: `node_memory_MemTotal_bytes{run="${run}"}` });
    expect(series(await evaluateRule({ db: db(), principal: viewer }, r, AT)).map((x) => x.labels.instance)).toEqual(["a:9100", "b:9100"]);
    expect(series(await evaluateRule({ db: db(), principal: narrowed }, r, AT)).map((x) => x.labels.instance)).toEqual(["b:9100"]);
  });

  it("previewRule: the imported HighErrorRate would be pending (for 10m), then firing", async () => {
    const [errorRate] = imported();
    const first = await previewRule({ ...deps(), render: fakeRender }, errorRate!, AT);
    expect(first.instances).toHaveLength(1);
    const inst = first.instances[0]!;
    expect(inst).toMatchObject({ state: "pending", labels: { job: "api", severity: "page", alertname: "HighErrorRate" } });
    expect(inst.annotations.summary).toMatch(/^Errors on api: 0\.1/);
    const later = await previewRule({ ...deps(), render: fakeRender }, errorRate!, AT, [{ ...inst, activeSince: AT - 10 * MIN }]);
    expect(later.instances.map((i) => i.state)).toEqual(["firing"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Log rules

describe("evaluateRule: log rules over stored events", () => {
  const q = (query: string) => `source:${appSource} AND (${query})`;
  const logRule = (query: string, condition: { op: ">" | "<" | ">="; threshold: number }, groupBy?: string, window = "5m") => rule({ kind: "logs", query: q(query), window, groupBy, condition });

  it("counts the events of the window (at − window, at], one series", async () => {
    expect(series(await evaluateRule(deps(), logRule("level:error", { op: ">", threshold: 10 }), LOG_AT))).toEqual([{ labels: {}, value: 17, active: true }]);
    // The edges: the event at LOG_AT counts, the one exactly 5 minutes before does not.
    expect(series(await evaluateRule(deps(), logRule(`service:${svc("edge")}`, { op: ">", threshold: 0 }), LOG_AT))).toEqual([{ labels: {}, value: 1, active: true }]);
    // A longer window takes the older error in.
    expect(series(await evaluateRule(deps(), logRule("level:error", { op: ">", threshold: 20 }, undefined, "30m"), LOG_AT))).toEqual([{ labels: {}, value: 18, active: false }]);
  });

  it("a count rule with no matching events gives one series with value 0, so `count < 1` fires", async () => {
    const r = logRule(`service:${svc("nothing")}`, { op: "<", threshold: 1 });
    expect(series(await evaluateRule(deps(), r, LOG_AT))).toEqual([{ labels: {}, value: 0, active: true }]);
    const p = await previewRule({ ...deps(), render: fakeRender }, { ...r, annotations: { summary: "only {{ $value }} events" } }, LOG_AT);
    expect(p.instances.map((i) => [i.labels, i.state, i.value, i.annotations.summary])).toEqual([[{ alertname: "Rule" }, "firing", 0, "only 0 events"]]);
  });

  it("groupBy: a series per value, labelled with the field; events without it as one more series", async () => {
    const s = series(await evaluateRule(deps(), logRule("level:error", { op: ">", threshold: 5 }, "service"), LOG_AT));
    expect(s).toEqual([
      { labels: { service: svc("checkout") }, value: 12, active: true },
      { labels: { service: svc("cart") }, value: 3, active: false },
      { labels: {}, value: 2, active: false },
    ]);
  });

  it("groupBy an attribute path: dots become underscores", async () => {
    const s = series(await evaluateRule(deps(), logRule("level:error", { op: ">=", threshold: 4 }, "attributes.http.status"), LOG_AT));
    expect(s.map((x) => [x.labels, x.value, x.active])).toEqual([
      [{ http_status: "500" }, 10, true],
      [{ http_status: "502" }, 4, true],
      [{ http_status: "503" }, 3, false],
    ]);
  });

  it("groupBy with no events gives no series: the rule's no-data handling decides", async () => {
    const r = logRule(`service:${svc("nothing")}`, { op: "<", threshold: 1 }, "service");
    expect(await evaluateRule(deps(), r, LOG_AT)).toEqual({ at: LOG_AT, ok: true, series: [] });
    const p = await previewRule({ ...deps(), render: fakeRender }, { ...r, noDataState: "NoData" }, LOG_AT);
    expect(p.instances.map((i) => [i.labels, i.state])).toEqual([[{ alertname: "Rule", lookout_state: "nodata" }, "nodata"]]);
  });

  it("previewRule over a grouped rule: each group with the state it would be in", async () => {
    const r = { ...logRule("level:error", { op: ">", threshold: 5 }, "service"), for: "2m", labels: { team: "shop" } };
    const p = await previewRule({ ...deps(), render: fakeRender }, r, LOG_AT);
    expect(p.instances.map((i) => [i.labels.service ?? null, i.value, i.state])).toEqual([
      [svc("checkout"), 12, "pending"],
      [svc("cart"), 3, "normal"],
      [null, 2, "normal"],
    ]);
    expect(p.instances[0]!.labels).toEqual({ service: svc("checkout"), team: "shop", alertname: "Rule" });
    expect(p.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(["normal->pending"]);
  });

  it("a principal's log filter narrows what its Preview counts", async () => {
    const narrowed = { type: "user", id: "u", name: "u", email: "u@example.test", roleId: "r", roleName: "cart-only", sessionId: "s", permissions: new Set(), dataFilter: { logQuery: `service:${svc("cart")}` } } as Principal;
    expect(series(await evaluateRule({ db: db(), principal: narrowed }, logRule("level:error", { op: ">", threshold: 10 }), LOG_AT))).toEqual([{ labels: {}, value: 3, active: false }]);
  });

  it("errors are results: an unknown field, a bad query, a zero window", async () => {
    expect(await evaluateRule(deps(), logRule("level:error", { op: ">", threshold: 0 }, `no_such_field_${run}`), LOG_AT)).toEqual({ at: LOG_AT, ok: false, error: `Unknown field "no_such_field_${run}"` });
    expect(await evaluateRule(deps(), logRule("level:(error", { op: ">", threshold: 0 }), LOG_AT)).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid query: /) });
    expect(await evaluateRule(deps(), logRule("level:error", { op: ">", threshold: 0 }, undefined, "0s"), LOG_AT)).toEqual({ at: LOG_AT, ok: false, error: "the window must be longer than 0s" });
    const p = await previewRule({ ...deps(), render: fakeRender }, logRule("level:(error", { op: ">", threshold: 0 }), LOG_AT);
    expect(p.instances).toEqual([expect.objectContaining({ state: "error", annotations: { lookout_error: expect.stringMatching(/^Invalid query: /) } })]);
  });

  it(`more than ${MAX_LOG_GROUPS} groups is an error, not alerts silently missing`, async () => {
    const [src] = await db().insert(logSources).values({ name: `many-${run}` }).returning();
    const t = LOG_AT + 3 * HOUR;
    const events = Array.from({ length: MAX_LOG_GROUPS + 1 }, (_, i) => ({ ...logEvent(t - i - 1, svc(`s${i}`), "error", 500), source: src!.name }));
    await commitBatch(db(), { batchId: randomUUID(), sourceId: src!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
    forgetCatalog();
    const r = rule({ kind: "logs", query: `source:${src!.name}`, window: "1h", groupBy: "service", condition: { op: ">", threshold: 0 } });
    expect(await evaluateRule(deps(), r, t)).toEqual({ at: t, ok: false, error: `more than ${MAX_LOG_GROUPS} distinct values of service in the window: narrow the query or group by another field` });
  });
});
