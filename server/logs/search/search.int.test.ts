import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import { createRole } from "@/server/auth/roles";
import type { LogEvent } from "@/server/logs/event";
import { commitBatch } from "@/server/logs/store/write";
import { callerFor, createTestKey, createTestUser, expectTrpcError, request, testMeta, uid, type TestUser } from "@/test/helpers";
import { GET as exportGet } from "@/app/api/v1/logs/export/route";
import { GET as histogramGet } from "@/app/api/v1/logs/histogram/route";
import { GET as searchGet } from "@/app/api/v1/logs/search/route";
import { GET as termsGet } from "@/app/api/v1/logs/terms/route";
import type { LogHit } from "./contract";
import { forgetCatalog, planQuery } from "./plan";
import { LogTail } from "./tail";

/**
 * Search over a fixture written through the real store. Every test queries only the fixture's own
 * time window (a random hour in 2031), so other tests' logs never mix in.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 300) * 24 * HOUR;
const T1 = T0 + 2 * HOUR;
const run = uid();
const svc = (s: string) => `${run}-${s}`;

const fixture: LogEvent[] = [];
let appSource = "";
let nginxSource = "";

function appEvent(i: number): LogEvent {
  const declined = i % 9 === 0;
  const timeout = i % 50 === 7;
  const service = [svc("payment-api"), svc("checkout"), svc("cart")][i % 3]!;
  return {
    ts: T0 + i * 2_000,
    observedTs: T0 + i * 2_000 + 5,
    source: appSource,
    service,
    host: `app-${i % 4}`,
    level: declined || timeout ? "error" : i % 4 ? "info" : "debug",
    message: declined ? `Card declined for order ${100000 + i}: insufficient funds` : timeout ? `upstream timeout after 30s calling ledger` : `order ${100000 + i} processed in ${(i * 31) % 900}ms`,
    traceId: i % 2 ? ((i * 2654435761) >>> 0).toString(16).padStart(32, "0") : null,
    spanId: null,
    attributes: { http: { status: declined ? 402 : timeout ? 504 : 200, method: i % 5 ? "GET" : "POST" }, user: { id: i % 50, tier: i % 5 ? "free" : "pro" }, amount: ((i * 37) % 10000) / 100 },
  };
}

function nginxEvent(i: number): LogEvent {
  const status = [200, 200, 404, 500][i % 4]!;
  return {
    ts: T0 + i * 2_000 + 1_000,
    observedTs: T0 + i * 2_000 + 1_005,
    source: nginxSource,
    service: svc("nginx"),
    host: "edge-1",
    level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
    message: `10.0.0.${i % 255} - - "GET /api/orders/${i} HTTP/1.1" ${status} ${i * 7}`,
    traceId: null,
    spanId: null,
    attributes: { status, verb: "GET", request: `/api/orders/${i}` },
  };
}

async function source(name: string) {
  const [s] = await getDb().insert(logSources).values({ name }).returning();
  return s!;
}

/** The fixture's events matching `pred`, newest first in the search order. */
function expected(pred: (e: LogEvent) => boolean): LogEvent[] {
  return fixture.filter(pred).sort((a, b) => b.ts - a.ts);
}

let admin: TestUser;
let restricted: TestUser;

beforeAll(async () => {
  const app = await source(`app-${run}`);
  const nginx = await source(`nginx-${run}`);
  appSource = app.name;
  nginxSource = nginx.name;
  const apps = Array.from({ length: 3_000 }, (_, i) => appEvent(i));
  const nginxes = Array.from({ length: 2_000 }, (_, i) => nginxEvent(i));
  fixture.push(...apps, ...nginxes);
  // Several batches per source (more blocks than a search's first page), overlapping in time across sources.
  for (let i = 0; i < 6; i++) {
    await commitBatch(getDb(), { batchId: randomUUID(), sourceId: app.id, receivedAt: new Date(), events: apps.slice(i * 500, (i + 1) * 500), deadLetters: [], dropped: 0 });
    await commitBatch(getDb(), { batchId: randomUUID(), sourceId: nginx.id, receivedAt: new Date(), events: nginxes.slice(i * 350, (i + 1) * 350), deadLetters: [], dropped: 0 });
  }
  forgetCatalog();
  admin = await createTestUser("Admin");
  const roleName = `checkout-only-${run}`;
  await createRole(getDb(), admin.principal, testMeta(), { name: roleName, permissions: ["logs:read"], dataFilter: { logQuery: `service:${svc("checkout")}` } });
  restricted = await createTestUser(roleName);
}, 60_000);

const range = { start: T0, end: T1 };

async function allPages(q: string, limit: number, user = admin): Promise<LogHit[]> {
  const out: LogHit[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const page: Awaited<ReturnType<ReturnType<typeof callerFor>["logs"]["search"]>> = await callerFor(user.principal).logs.search({ q, ...range, limit, cursor });
    out.push(...page.hits);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

describe("log search", () => {
  const cases: [string, (e: LogEvent) => boolean][] = [
    ["", () => true],
    [`level:error AND service:${run}-payment*`, (e) => e.level === "error" && e.service === svc("payment-api")],
    ["declined", (e) => /declined/i.test(e.message)],
    ['"card declined"', (e) => /card declined/i.test(e.message)],
    ['"declined card"', () => false],
    ["timeout OR declined", (e) => /timeout|declined/i.test(e.message)],
    ["http.status>=500", (e) => Number((e.attributes.http as { status?: number } | undefined)?.status) >= 500],
    ["status:[400 TO 499]", (e) => typeof e.attributes.status === "number" && e.attributes.status >= 400 && e.attributes.status <= 499],
    ["_exists_:trace_id", (e) => e.traceId !== null],
    [`NOT level:info AND source:app-${run}`, (e) => e.level !== "info" && e.source === appSource],
    ["user.tier:pro AND http.method:post", (e) => (e.attributes.user as { tier?: string } | undefined)?.tier === "pro" && (e.attributes.http as { method?: string } | undefined)?.method === "POST"],
    ["ord*", (e) => /\bord/i.test(e.message)],
    [`host:app-1 OR host:edge-1`, (e) => e.host === "app-1" || e.host === "edge-1"],
  ];

  it.each(cases)("%s: total, order and every page match the fixture", async (q, pred) => {
    const want = expected(pred);
    const first = await callerFor(admin.principal).logs.search({ q, ...range, limit: 100 });
    expect(first.total).toBe(want.length);
    expect(first.totalRelation).toBe("eq");
    const hits = await allPages(q, 250);
    expect(hits.map((h) => [h.ts, h.message])).toEqual(want.map((e) => [e.ts, e.message]));
    expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
    const hist = await callerFor(admin.principal).logs.histogram({ q, ...range, step: 5 * 60_000 });
    expect(hist.total).toBe(want.length);
    for (const b of hist.buckets) expect(b.count).toBe(want.filter((e) => e.ts >= b.ts && e.ts < b.ts + hist.step).length);
  });

  it("stacks the histogram by level and caps the total like track_total_hits", async () => {
    const hist = await callerFor(admin.principal).logs.histogram({ q: "", ...range, buckets: 24 });
    const errors = hist.buckets.reduce((n, b) => n + b.levels.error, 0);
    expect(errors).toBe(fixture.filter((e) => e.level === "error").length);
    const capped = await callerFor(admin.principal).logs.search({ q: "", ...range, limit: 10, trackTotalHits: 100 });
    expect(capped.totalRelation).toBe("gte");
    expect(capped.total).toBeGreaterThanOrEqual(100);
    expect(capped.total).toBeLessThan(fixture.length);
  });

  it("returns the top terms of a field, with other and missing", async () => {
    const res = await callerFor(admin.principal).logs.terms({ field: "http.status", q: "", ...range, size: 2 });
    expect(res.buckets).toEqual([
      { value: "200", count: fixture.filter((e) => (e.attributes.http as { status?: number } | undefined)?.status === 200).length },
      { value: "402", count: fixture.filter((e) => (e.attributes.http as { status?: number } | undefined)?.status === 402).length },
    ]);
    expect(res.missing).toBe(2_000);
    // Block columns (service, host, level, source) under a level-only query are counted from the meta columns.
    for (const [field, q, get] of [
      ["service", "", (e: LogEvent) => e.service],
      ["service", "level:error OR level:warn", (e: LogEvent) => (e.level === "error" || e.level === "warn" ? e.service : undefined)],
      ["host", "NOT level:info", (e: LogEvent) => (e.level !== "info" ? e.host : undefined)],
      ["level", "", (e: LogEvent) => e.level],
      ["source", "", (e: LogEvent) => e.source],
    ] as const) {
      const want = new Map<string, number>();
      for (const e of fixture) {
        const v = get(e);
        if (v) want.set(v, (want.get(v) ?? 0) + 1);
      }
      const got = await callerFor(admin.principal).logs.terms({ field, q, ...range, size: 100 });
      expect(new Map(got.buckets.map((b) => [b.value, b.count])), `${field} / ${q}`).toEqual(want);
    }
    expect(res.other).toBe(3_000 - res.buckets[0]!.count - res.buckets[1]!.count);
    expect(res.other).toBeGreaterThan(0);
  });

  it("answers user errors with 400 and a position, never a 500", async () => {
    const syntax = await expectTrpcError(callerFor(admin.principal).logs.search({ q: "status:(500", ...range }), "BAD_REQUEST");
    expect(syntax.message).toMatch(/at \d+/);
    await expectTrpcError(callerFor(admin.principal).logs.search({ q: "stauts:500", ...range }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).logs.search({ q: "source:no-such-source", ...range }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).logs.search({ q: "http.status:[600 TO 500]", ...range }), "BAD_REQUEST");
    // Hostile text is just text: a 400 or an ordinary answer, never a 500 (and no table dropped).
    for (const q of ["'); drop table log_blocks; --", 'message:"%_\\\\"', "ü ñ 日本語 😀", "x".repeat(10_000), "(".repeat(50) + "a" + ")".repeat(50), '\\" OR 1=1', "%", "_", "\\"]) {
      const res: { total: number } | Error = await callerFor(admin.principal)
        .logs.search({ q, ...range })
        .catch((e: unknown) => e as Error);
      if (res instanceof Error) expect((res as { code?: string }).code, q.slice(0, 40)).toBe("BAD_REQUEST");
      else expect(res.total, q.slice(0, 40)).toBeGreaterThanOrEqual(0);
    }
    expect((await callerFor(admin.principal).logs.search({ q: "'); drop table log_blocks; --", ...range })).total).toBe(0);
    expect((await callerFor(admin.principal).logs.search({ q: "", ...range })).total).toBe(fixture.length);
  });

  it("shows surrounding documents from the same source and host", async () => {
    const q = `source:app-${run} AND host:app-2`;
    const page = await callerFor(admin.principal).logs.search({ q, ...range, limit: 200 });
    const anchor = page.hits[100]!;
    const ctx = await callerFor(admin.principal).logs.context({ id: anchor.id, before: 3, after: 3 });
    expect(ctx.anchor.id).toBe(anchor.id);
    const sameHost = expected((e) => e.source === appSource && e.host === "app-2").reverse();
    const at = sameHost.findIndex((e) => e.ts === anchor.ts);
    expect(ctx.before.map((h) => h.ts)).toEqual(sameHost.slice(at - 3, at).map((e) => e.ts));
    expect(ctx.after.map((h) => h.ts)).toEqual(sameHost.slice(at + 1, at + 4).map((e) => e.ts));
    await expectTrpcError(callerFor(admin.principal).logs.context({ id: "2031-01-01.999999999.0" }), "NOT_FOUND");
    await expectTrpcError(callerFor(admin.principal).logs.context({ id: "garbage" }), "NOT_FOUND");
  });

  it("applies the role's data filter to every way in", async () => {
    const mine = expected((e) => e.service === svc("checkout"));
    const c = callerFor(restricted.principal);
    const res = await c.logs.search({ q: "", ...range, limit: 1000 });
    expect(res.total).toBe(mine.length);
    expect(res.hits.every((h) => h.service === svc("checkout"))).toBe(true);
    expect((await c.logs.search({ q: `service:${svc("payment-api")}`, ...range })).total).toBe(0);
    expect((await c.logs.search({ q: `NOT service:${svc("checkout")}`, ...range })).total).toBe(0);
    expect((await c.logs.histogram({ q: "", ...range })).total).toBe(mine.length);
    const terms = await c.logs.terms({ field: "service", q: "", ...range });
    expect(terms.buckets.map((b) => b.value)).toEqual([svc("checkout")]);
    const other = (await callerFor(admin.principal).logs.search({ q: `service:${svc("cart")}`, ...range, limit: 1 })).hits[0]!;
    await expectTrpcError(c.logs.context({ id: other.id }), "NOT_FOUND");
    // The live tail and the export take the same plan.
    const plan = await planQuery(getDb(), restricted.principal, "");
    expect(plan.matches(fixture.find((e) => e.service === svc("cart"))!)).toBe(false);
  });

  it("serves the REST endpoints with an API key, with Elasticsearch-style 4xx on bad input", async () => {
    const { key } = await createTestKey(["query"]);
    const auth = { authorization: `Bearer ${key}` };
    const qs = (p: Record<string, string>) => new URLSearchParams({ start: new Date(T0).toISOString(), end: String(T1 / 1000), ...p }).toString();
    const search = await searchGet(request(`/api/v1/logs/search?${qs({ q: "declined", limit: "5" })}`, { headers: auth }));
    expect(search.status).toBe(200);
    const body = (await search.json()) as { total: number; hits: LogHit[]; nextCursor: string };
    expect(body.total).toBe(expected((e) => /declined/i.test(e.message)).length);
    expect(body.hits).toHaveLength(5);
    expect(body.nextCursor).toBeTruthy();
    const hist = await histogramGet(request(`/api/v1/logs/histogram?${qs({ q: "declined", step: "10m" })}`, { headers: auth }));
    const hb = (await hist.json()) as { total: number; buckets: { ts: number; count: number }[] };
    expect(hb.total).toBe(body.total);
    expect(hb.buckets).toHaveLength(13); // the end is inclusive: T1 opens a 13th bucket
    const terms = await termsGet(request(`/api/v1/logs/terms?${qs({ field: "level", size: "3" })}`, { headers: auth }));
    expect(((await terms.json()) as { buckets: unknown[] }).buckets).toHaveLength(3);
    const bad = await searchGet(request(`/api/v1/logs/search?${qs({ q: "a AND (" })}`, { headers: auth }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/Invalid query/);
    expect((await searchGet(request(`/api/v1/logs/search?start=yesterday`, { headers: auth }))).status).toBe(400);
    expect((await termsGet(request(`/api/v1/logs/terms?${qs({})}`, { headers: auth }))).status).toBe(400);
    expect((await searchGet(request(`/api/v1/logs/search?${qs({})}`))).status).toBe(401);
    const ingestOnly = (await createTestKey(["ingest"])).key;
    expect((await searchGet(request(`/api/v1/logs/search?${qs({})}`, { headers: { authorization: `Bearer ${ingestOnly}` } }))).status).toBe(403);
  });

  it("exports CSV and NDJSON, streamed and audited", async () => {
    const { key } = await createTestKey(["query"]);
    const auth = { authorization: `Bearer ${key}` };
    const qs = new URLSearchParams({ q: `service:${svc("nginx")} AND status:500`, start: String(T0 / 1000), end: String(T1 / 1000), columns: "timestamp,status,message" });
    const csv = await exportGet(request(`/api/v1/logs/export?${qs}&format=csv`, { headers: auth }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="lookout-logs-.*\.csv"/);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    const want = expected((e) => e.service === svc("nginx") && e.attributes.status === 500);
    expect(lines[0]).toBe("timestamp,status,message");
    expect(lines.length - 1).toBe(want.length);
    expect(lines[1]).toBe(`${new Date(want[0]!.ts).toISOString()},500,"${want[0]!.message.replace(/"/g, '""')}"`);
    const nd = await exportGet(request(`/api/v1/logs/export?${qs}&format=ndjson&limit=7`, { headers: auth }));
    const rows = (await nd.text()).trim().split("\n").map((l) => JSON.parse(l) as LogHit);
    expect(rows.map((r) => r.ts)).toEqual(want.slice(0, 7).map((e) => e.ts));
    expect((await exportGet(request(`/api/v1/logs/export?${qs}&format=xml`, { headers: auth }))).status).toBe(400);
  });

  it("live tail delivers only events stored after it started, filtered", async () => {
    const plan = await planQuery(getDb(), admin.principal, `service:${svc("tail")} AND level:error`);
    const tail = new LogTail(getDb(), plan);
    await tail.start();
    expect((await tail.poll()).hits).toEqual([]);
    const [src] = await getDb().select().from(logSources).where(undefined).limit(1);
    const now = Date.now();
    const events = [0, 1, 2, 3].map((i) => ({ ...appEvent(i), ts: now + i, observedTs: now, service: svc("tail"), level: (i % 2 ? "error" : "info") as LogEvent["level"], message: `tail line ${i}` }));
    await commitBatch(getDb(), { batchId: randomUUID(), sourceId: src!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
    const got = await tail.poll();
    expect(got.hits.map((h) => h.message)).toEqual(["tail line 1", "tail line 3"]);
    expect((await tail.poll()).hits).toEqual([]);
  });
});
