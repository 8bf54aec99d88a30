import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { logSources } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import { createRole } from "@/server/auth/roles";
import { getRedis, redisKey } from "@/server/lib/redis";
import type { LogEvent } from "@/server/logs/event";
import { forgetCatalog } from "@/server/logs/search/plan";
import { commitBatch } from "@/server/logs/store/write";
import type { Queryable } from "@/server/metrics/model";
import { queryableFor } from "@/server/metrics/prom-api/http";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { callerFor, createTestUser, expectTrpcError, testMeta, uid, type TestUser } from "@/test/helpers";
import type { PanelQueryInput } from "./panel-query";
import { runPanelQuery } from "./panel-query";
import { PanelCache, type CacheOutcome } from "./panel-cache";
import type { LogLinesResult, TargetResult, TimeSeriesResult } from "./panel-data";

const resolver = new SeriesResolver(10_000);
const MIN = 60_000;
/** Metrics: 30 minutes of samples every 15 s, ending a few minutes ago (minute aligned). */
const T0 = Math.floor(Date.now() / MIN) * MIN - 40 * MIN;
const T_END = T0 + 30 * MIN;
const run = uid();
const metric = `panel_req_${run}_total`;

/** Logs: a random hour in 2032, so other tests' events never mix in. */
const L0 = Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 300) * 24 * 60 * MIN;
const svc = (s: string) => `${run}-${s}`;

let admin: TestUser;
/** dashboards:read and metrics:read, metrics filtered to team="web", no logs. */
let webOnly: TestUser;
/** dashboards:read only. */
let dashOnly: TestUser;
/** logs:read + dashboards:read, logs filtered to the checkout service. */
let checkoutLogs: TestUser;

function seriesOf(r: TargetResult | undefined): TimeSeriesResult {
  if (r?.kind !== "series") throw new Error(`expected series, got ${JSON.stringify(r)}`);
  return r;
}

beforeAll(async () => {
  const db = getDb();
  // job a: +1/s; job b: +3/s with a gap between minute 10 and 20; team web is job b.
  const series = [
    { labels: { __name__: metric, job: "a", team: "pay" }, rate: 1, gap: false },
    { labels: { __name__: metric, job: "b", team: "web" }, rate: 3, gap: true },
  ].map((s) => ({
    labels: s.labels,
    samples: Array.from({ length: 121 }, (_, i) => ({ timestampMs: T0 + i * 15_000, value: i * 15 * s.rate })).filter(
      (p) => !s.gap || p.timestampMs < T0 + 10 * MIN || p.timestampMs >= T0 + 20 * MIN,
    ),
  }));
  await appendSamples(db, { batchId: randomUUID(), series }, { resolver });

  const [source] = await db.insert(logSources).values({ name: `panel-src-${run}` }).returning();
  const events: LogEvent[] = Array.from({ length: 600 }, (_, i) => ({
    ts: L0 + i * 6_000,
    observedTs: L0 + i * 6_000,
    source: source!.name,
    service: i % 2 ? svc("checkout") : svc("cart"),
    host: "h1",
    level: i % 10 === 0 ? "error" : i % 3 === 0 ? "warn" : i % 7 === 0 ? null : "info",
    message: `event ${i} done`,
    traceId: null,
    spanId: null,
    attributes: { shard: `s${i % 3}` },
  }));
  await commitBatch(db, { batchId: randomUUID(), sourceId: source!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
  forgetCatalog();

  admin = await createTestUser("Admin");
  const role = async (name: string, permissions: string[], dataFilter?: { labelMatchers?: string[]; logQuery?: string }) => {
    await createRole(db, admin.principal, testMeta(), { name: `${name}-${run}`, permissions: permissions as never, dataFilter });
    return createTestUser(`${name}-${run}`);
  };
  webOnly = await role("web-metrics", ["dashboards:read", "metrics:read"], { labelMatchers: ['team="web"'] });
  dashOnly = await role("dash-only", ["dashboards:read"]);
  checkoutLogs = await role("checkout-logs", ["dashboards:read", "logs:read"], { logQuery: `service:${svc("checkout")}` });
}, 60_000);

const promInput = (targets: PanelQueryInput["targets"], over: Partial<PanelQueryInput> = {}): PanelQueryInput => ({ targets, start: T0, end: T_END, intervalMs: MIN, ...over });

describe("runPanelQuery: PromQL", () => {
  it("range targets: legend names, one point per aligned step, nulls in gaps, built-ins filled", async () => {
    const data = await runPanelQuery({ db: getDb() }, admin.principal, promInput([
      { kind: "promql", refId: "A", expr: metric, legendFormat: "job {{job}}" },
      { kind: "promql", refId: "B", expr: `sum by (job) (rate(${metric}[$__rate_interval]))`, legendFormat: "{{job}}" },
    ], { start: T0 + 7_000, end: T_END + 7_000 }));
    expect(data.range).toEqual({ start: T0 + 7_000, end: T_END + 7_000 });
    const a = seriesOf(data.results[0]);
    expect(a).toMatchObject({ refId: "A", stepMs: MIN, instant: false });
    expect(a.series.map((s) => s.name)).toEqual(["job a", "job b"]);
    const b = a.series[1]!;
    expect(b.points).toHaveLength(31);
    expect(b.points[0]![0]).toBe(T0);
    expect(b.points.at(-1)![0]).toBe(T_END);
    // The last sample before the gap is at 9:45; lookback is 5 minutes: nothing at 15..19, back at 20.
    const at = (min: number) => b.points.find((p) => p[0] === T0 + min * MIN)![1];
    expect(at(14)).toBe(585 * 3);
    for (const m of [15, 16, 17, 18, 19]) expect(at(m)).toBeNull();
    expect(at(20)).toBe(1200 * 3);

    const rates = seriesOf(data.results[1]);
    const rateA = rates.series.find((s) => s.name === "a")!;
    for (const [, v] of rateA.points.slice(2)) expect(v).toBeCloseTo(1, 9);
  });

  it("instant targets give one point per series at the range end", async () => {
    const data = await runPanelQuery({ db: getDb() }, admin.principal, promInput([{ kind: "promql", refId: "A", expr: `sum(${metric})`, instant: true }]));
    const r = seriesOf(data.results[0]);
    expect(r).toMatchObject({ instant: true, stepMs: 0 });
    expect(r.series).toHaveLength(1);
    expect(r.series[0]!.name).toBe(`sum(${metric})`);
    expect(r.series[0]!.points).toEqual([[T_END, 1800 + 1800 * 3]]);
  });

  it("a failing target is that target's error; hidden targets are skipped; the others answer", async () => {
    const data = await runPanelQuery({ db: getDb() }, admin.principal, promInput([
      { kind: "promql", refId: "A", expr: `sum(rate(${metric}[5m])` },
      { kind: "promql", refId: "B", expr: metric, hide: true },
      { kind: "promql", refId: "C", expr: `count(${metric})` },
      { kind: "promql", refId: "D", expr: `${metric}[5m]` },
    ]));
    expect(data.results.map((r) => [r.refId, r.kind])).toEqual([["A", "error"], ["C", "series"], ["D", "error"]]);
    expect(data.results[0]).toMatchObject({ message: expect.stringMatching(/parse error/) });
    expect(data.results[2]).toMatchObject({ message: expect.stringMatching(/range vector/) });
  });

  it("applies the role's label filter, and a missing permission is the target's error", async () => {
    const targets: PanelQueryInput["targets"] = [{ kind: "promql", refId: "A", expr: `count by (team) (${metric})`, instant: true }];
    const web = seriesOf((await runPanelQuery({ db: getDb() }, webOnly.principal, promInput(targets))).results[0]);
    expect(web.series.map((s) => s.labels)).toEqual([{ team: "web" }]);
    const denied = await runPanelQuery({ db: getDb() }, dashOnly.principal, promInput([...targets, { kind: "logs", refId: "B", query: "", mode: "count" }]));
    expect(denied.results).toEqual([
      { kind: "error", refId: "A", message: "Missing permission metrics:read" },
      { kind: "error", refId: "B", message: "Missing permission logs:read" },
    ]);
  });

  it("panels.query needs dashboards:read", async () => {
    const auditor = await createTestUser("Auditor");
    await expectTrpcError(callerFor(auditor.principal).panels.query(promInput([{ kind: "promql", refId: "A", expr: "up" }])), "FORBIDDEN");
    const viaRouter = await callerFor(admin.principal).panels.query(promInput([{ kind: "promql", refId: "A", expr: `count(${metric})` }]));
    expect(seriesOf(viaRouter.results[0]).series[0]!.points.at(-1)).toEqual([T_END, 2]);
  });
});

describe("runPanelQuery: logs", () => {
  const logRange = { start: L0, end: L0 + 60 * MIN - 1, intervalMs: 10 * MIN };

  it("lines: the newest `limit` matching events, with the total", async () => {
    const data = await runPanelQuery({ db: getDb() }, admin.principal, { ...logRange, targets: [{ kind: "logs", refId: "A", query: "level:error", mode: "lines", limit: 5 }] });
    const r = data.results[0] as LogLinesResult;
    expect(r.kind).toBe("logs");
    expect(r.total).toBe(60);
    expect(r.hits.map((h) => h.message)).toEqual(["event 590 done", "event 580 done", "event 570 done", "event 560 done", "event 550 done"]);
  });

  it("volume: counts per interval, one series per level; count: one series", async () => {
    const data = await runPanelQuery({ db: getDb() }, admin.principal, {
      ...logRange,
      targets: [
        { kind: "logs", refId: "A", query: `service:${svc("cart")} OR service:${svc("checkout")}`, mode: "volume" },
        { kind: "logs", refId: "B", query: "", mode: "count" },
      ],
    });
    const vol = seriesOf(data.results[0]);
    expect(vol.stepMs).toBe(10 * MIN);
    expect(vol.series.map((s) => s.name)).toEqual(["error", "warn", "info", "unknown"]);
    // 100 events per 10 minutes: i % 10 === 0 are errors.
    expect(vol.series[0]!.points).toEqual(Array.from({ length: 6 }, (_, k) => [L0 + k * 10 * MIN, 10]));
    const total = vol.series.reduce((n, s) => n + s.points.reduce((m, p) => m + (p[1] ?? 0), 0), 0);
    expect(total).toBe(600);
    const count = seriesOf(data.results[1]);
    expect(count.series.map((s) => s.name)).toEqual(["count"]);
    expect(count.series[0]!.points.map((p) => p[1])).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it("applies the role's log filter; a bad query is the target's error", async () => {
    const data = await runPanelQuery({ db: getDb() }, checkoutLogs.principal, {
      ...logRange,
      targets: [
        { kind: "logs", refId: "A", query: "", mode: "count" },
        { kind: "logs", refId: "B", query: "sevrice:x", mode: "lines" },
      ],
    });
    expect(seriesOf(data.results[0]).series[0]!.points.reduce((n, p) => n + (p[1] ?? 0), 0)).toBe(300);
    expect(data.results[1]).toMatchObject({ kind: "error", refId: "B", message: expect.stringMatching(/unknown field 'sevrice'/) });
  });
});

/** Storage that counts selections, so a test sees whether a query was evaluated. */
function counting(counter: { selects: number }) {
  return (db: Db, principal: Principal): Queryable => {
    const inner = queryableFor(db, principal);
    return {
      select: (m, h) => {
        counter.selects++;
        return inner.select(m, h);
      },
      labelNames: (s, a, b) => inner.labelNames(s, a, b),
      labelValues: (n, s, a, b) => inner.labelValues(n, s, a, b),
      series: (s, a, b) => inner.series(s, a, b),
    };
  };
}

describe("panel cache", () => {
  const newCache = (prefix: string, redis: Redis | null = getRedis()) => new PanelCache({ redis, prefix, timeoutMs: 5_000 });
  const input = (expr: string) => promInput([{ kind: "promql", refId: "A", expr }]);

  async function queryWith(cache: PanelCache, principal: Principal, expr: string) {
    const counter = { selects: 0 };
    const outcomes: CacheOutcome[] = [];
    const data = await runPanelQuery({ db: getDb(), cache, queryable: counting(counter), onCache: (_r, o) => outcomes.push(o) }, principal, input(expr));
    return { data, selects: counter.selects, outcomes };
  }

  it("a second identical query is answered from Redis, also by another process and another unfiltered user", async () => {
    const prefix = redisKey("panel-cache-test", uid());
    const expr = `sum by (job) (${metric})`;
    const first = await queryWith(newCache(prefix), admin.principal, expr);
    expect(first).toMatchObject({ selects: 1, outcomes: ["miss"] });
    const second = await queryWith(newCache(prefix), admin.principal, expr);
    expect(second).toMatchObject({ selects: 0, outcomes: ["hit"] });
    expect(second.data.results).toEqual(first.data.results);
    const otherAdmin = await createTestUser("Admin");
    expect(await queryWith(newCache(prefix), otherAdmin.principal, expr)).toMatchObject({ selects: 0, outcomes: ["hit"] });
    expect(await getRedis().pttl((await getRedis().keys(`${prefix}:*`))[0]!)).toBeGreaterThan(60_000); // a past range: 5 minutes
  });

  it("concurrent identical queries evaluate once", async () => {
    const cache = newCache(redisKey("panel-cache-test", uid()));
    const counter = { selects: 0 };
    const outcomes: CacheOutcome[] = [];
    const deps = { db: getDb(), cache, queryable: counting(counter), onCache: (_r: string, o: CacheOutcome) => outcomes.push(o) };
    const [a, b] = await Promise.all([runPanelQuery(deps, admin.principal, input(`max(${metric})`)), runPanelQuery(deps, admin.principal, input(`max(${metric})`))]);
    expect(counter.selects).toBe(1);
    expect(outcomes.sort()).toEqual(["miss", "shared"]);
    expect(a.results).toEqual(b.results);
  });

  it("a different data filter does not share entries; errors are not cached", async () => {
    const cache = newCache(redisKey("panel-cache-test", uid()));
    const expr = `count by (team) (${metric})`;
    const all = await queryWith(cache, admin.principal, expr);
    const web = await queryWith(cache, webOnly.principal, expr);
    expect(web).toMatchObject({ selects: 1, outcomes: ["miss"] });
    expect(seriesOf(all.data.results[0]).series).toHaveLength(2);
    expect(seriesOf(web.data.results[0]).series.map((s) => s.labels)).toEqual([{ team: "web" }]);
    expect((await queryWith(cache, webOnly.principal, expr)).outcomes).toEqual(["hit"]);

    const bad = `sum(${metric}`;
    expect((await queryWith(cache, admin.principal, bad)).outcomes).toEqual(["miss"]);
    expect((await queryWith(cache, admin.principal, bad)).outcomes).toEqual(["miss"]);
  });

  it("falls back to evaluating when Redis is unreachable", async () => {
    const down = new Redis({ host: "127.0.0.1", port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on("error", () => {});
    try {
      const cache = new PanelCache({ redis: down, prefix: "x", timeoutMs: 1_000 });
      const r1 = await queryWith(cache, admin.principal, `count(${metric})`);
      const r2 = await queryWith(cache, admin.principal, `count(${metric})`);
      expect([r1.selects, r2.selects]).toEqual([1, 1]);
      expect(seriesOf(r2.data.results[0]).series[0]!.points.at(-1)).toEqual([T_END, 2]);
    } finally {
      down.disconnect();
    }
  });
});
