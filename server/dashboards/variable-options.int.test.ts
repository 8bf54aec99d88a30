import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import { createRole } from "@/server/auth/roles";
import type { LogEvent } from "@/server/logs/event";
import { forgetCatalog } from "@/server/logs/search/plan";
import { commitBatch } from "@/server/logs/store/write";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { callerFor, createTestUser, expectTrpcError, testMeta, uid, type TestUser } from "@/test/helpers";
import { variableOptions, type VariableOptionsInput } from "./variable-options";

const MIN = 60_000;
const T0 = Math.floor(Date.now() / MIN) * MIN - 20 * MIN;
const T_END = T0 + 10 * MIN;
const run = uid();
const m = (s: string) => `var_${run}_${s}`;
const L0 = Date.UTC(2033, 0, 1) + Math.floor(Math.random() * 300) * 24 * 60 * MIN;

let admin: TestUser;
let webOnly: TestUser;
let metricsOnly: TestUser;
let checkoutLogs: TestUser;

beforeAll(async () => {
  const db = getDb();
  const series = ([
    { __name__: m("up"), job: "api", instance: "h1:9100", team: "web", zone: "eu" },
    { __name__: m("up"), job: "api", instance: "h2:9100", team: "web" },
    { __name__: m("up"), job: "node", instance: "h10:9100", team: "ops" },
    { __name__: m("cpu_seconds_total"), job: "node", instance: "h10:9100", team: "ops" },
  ] as Record<string, string>[]).map((labels, k) => ({ labels, samples: Array.from({ length: 41 }, (_, i) => ({ timestampMs: T0 + i * 15_000, value: k + 1 })) }));
  await appendSamples(db, { batchId: randomUUID(), series }, { resolver: new SeriesResolver(1_000) });

  const [source] = await db.insert(logSources).values({ name: `var-src-${run}` }).returning();
  const services = [`${run}-checkout`, `${run}-cart`, `${run}-search`];
  const events: LogEvent[] = Array.from({ length: 60 }, (_, i) => ({
    ts: L0 + i * 1_000,
    observedTs: L0 + i * 1_000,
    source: source!.name,
    service: services[i % 3]!,
    host: `host-${i % 4}`,
    level: i % 5 === 0 ? "error" : "info",
    message: `m ${i}`,
    traceId: null,
    spanId: null,
    attributes: { region: i % 2 ? "eu-1" : "us-2" },
  }));
  await commitBatch(db, { batchId: randomUUID(), sourceId: source!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
  forgetCatalog();

  admin = await createTestUser("Admin");
  const role = async (name: string, permissions: string[], dataFilter?: { labelMatchers?: string[]; logQuery?: string }) => {
    await createRole(db, admin.principal, testMeta(), { name: `${name}-${run}`, permissions: permissions as never, dataFilter });
    return createTestUser(`${name}-${run}`);
  };
  webOnly = await role("var-web", ["dashboards:read", "metrics:read"], { labelMatchers: ['team="web"'] });
  metricsOnly = await role("var-metrics", ["dashboards:read", "metrics:read"]);
  checkoutLogs = await role("var-logs", ["dashboards:read", "logs:read"], { logQuery: `service:${run}-checkout` });
}, 60_000);

const prom = (query: string, over: Partial<VariableOptionsInput> = {}): VariableOptionsInput => ({ datasource: "promql", query, sort: "alpha-asc", start: T0, end: T_END, ...over });
const values = async (input: VariableOptionsInput, user = admin) => (await variableOptions({ db: getDb() }, user.principal, input)).options.map((o) => o.value);

describe("variableOptions: PromQL", () => {
  it("label_values(selector, label) and label_names(selector)", async () => {
    expect(await values(prom(`label_values(${m("up")}, job)`))).toEqual(["api", "node"]);
    expect(await values(prom(`label_values(${m("up")}{job="api"}, instance)`))).toEqual(["h1:9100", "h2:9100"]);
    expect(await values(prom(`label_names(${m("up")})`))).toEqual(["__name__", "instance", "job", "team", "zone"]);
  });

  it("label_values(label) lists every series' values", async () => {
    const all = await values(prom("label_values(instance)"));
    expect(all).toEqual(expect.arrayContaining(["h1:9100", "h2:9100", "h10:9100"]));
  });

  it("metrics(regex)", async () => {
    expect(await values(prom(`metrics(^var_${run}_)`))).toEqual([m("cpu_seconds_total"), m("up")]);
  });

  it("query_result lines, and a bare expression likewise; the regex picks a capture", async () => {
    const lines = await values(prom(`query_result(sum by (job) (${m("up")}))`));
    expect(lines).toEqual([`{job="api"} 3 ${T_END}`, `{job="node"} 3 ${T_END}`]);
    const bare = await values(prom(`${m("up")}{job="api"}`, { regex: '/instance="([^"]+)"/', sort: "alpha-desc" }));
    expect(bare).toEqual(["h2:9100", "h1:9100"]);
  });

  it("regex and numeric sort on label values", async () => {
    const opts = await variableOptions({ db: getDb() }, admin.principal, prom(`label_values(${m("up")}, instance)`, { regex: "/h(?<text>\\d+):(?<value>\\d+)/", sort: "num-desc" }));
    // Values are deduplicated (every instance has the same port): the first in store order wins, "h10:9100" < "h1:9100" by bytes.
    expect(opts.options).toEqual([{ text: "10", value: "9100" }]);
    expect(await values(prom(`label_values(${m("up")}, instance)`, { regex: "/h(\\d+):/", sort: "num-desc" }))).toEqual(["10", "2", "1"]);
  });

  it("applies the role's label filter", async () => {
    expect(await values(prom(`label_values(${m("up")}, job)`), webOnly)).toEqual(["api"]);
    expect(await values(prom(`query_result(count by (team) (${m("up")}))`), webOnly)).toEqual([`{team="web"} 2 ${T_END}`]);
  });

  it("errors: a malformed query or regex is INVALID_INPUT; without metrics:read FORBIDDEN; without dashboards:read FORBIDDEN", async () => {
    const caller = callerFor(admin.principal);
    const bad = await expectTrpcError(caller.panels.variableOptions(prom("label_values(up, )")), "BAD_REQUEST");
    expect(bad.message).toMatch(/label_values/);
    await expectTrpcError(caller.panels.variableOptions(prom("sum(up")), "BAD_REQUEST");
    await expectTrpcError(caller.panels.variableOptions(prom("label_values(job)", { regex: "/(/" })), "BAD_REQUEST");
    await expectTrpcError(callerFor(checkoutLogs.principal).panels.variableOptions(prom("label_values(job)")), "FORBIDDEN");
    const auditor = await createTestUser("Auditor");
    await expectTrpcError(callerFor(auditor.principal).panels.variableOptions(prom("label_values(job)")), "FORBIDDEN");
    const ok = await caller.panels.variableOptions(prom(`label_values(${m("up")}, job)`));
    expect(ok.options).toEqual([
      { text: "api", value: "api" },
      { text: "node", value: "node" },
    ]);
  });
});

describe("variableOptions: logs", () => {
  const logs = (field: string, over: Partial<VariableOptionsInput> = {}): VariableOptionsInput => ({ datasource: "logs", query: field, sort: "alpha-asc", start: L0, end: L0 + 60_000, ...over });

  it("top values of a field, narrowed by the log query", async () => {
    expect(await values(logs("service"))).toEqual([`${run}-cart`, `${run}-checkout`, `${run}-search`]);
    expect(await values(logs("host", { logQuery: "level:error" }))).toEqual(["host-0", "host-1", "host-2", "host-3"]);
    expect(await values(logs("region", { logQuery: `service:${run}-cart` }))).toEqual(["eu-1", "us-2"]);
  });

  it("applies the role's log filter; needs logs:read; unknown fields are INVALID_INPUT", async () => {
    expect(await values(logs("service"), checkoutLogs)).toEqual([`${run}-checkout`]);
    await expectTrpcError(callerFor(metricsOnly.principal).panels.variableOptions(logs("service")), "FORBIDDEN");
    await expectTrpcError(callerFor(admin.principal).panels.variableOptions(logs("no_such_field_here")), "BAD_REQUEST");
  });
});
