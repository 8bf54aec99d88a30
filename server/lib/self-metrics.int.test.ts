/**
 * Lookout's own metrics, counted where the real code paths run: queries through the Prometheus
 * API routes and the shared engine, log searches through the search API and the service, HTTP
 * requests by route pattern, and log ingest bytes.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as ndjsonPost } from "@/app/api/v1/logs/route";
import { GET as histogramGet } from "@/app/api/v1/logs/histogram/route";
import { GET as searchGet } from "@/app/api/v1/logs/search/route";
import { GET as labelValuesGet } from "@/app/api/v1/label/[name]/values/route";
import { GET as queryGet } from "@/app/api/v1/query/route";
import { GET as rangeGet } from "@/app/api/v1/query_range/route";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import { metrics, type QueryKind } from "@/server/lib/metrics";
import { SearchInput, TermsInput } from "@/server/logs/search/contract";
import { searchLogs, searchTerms } from "@/server/logs/search/service";
import { ensureDefaultSource } from "@/server/logs/sources";
import { commitBatch } from "@/server/logs/store/write";
import { getEngine } from "@/server/metrics/prom-api/api";
import { queryableFor } from "@/server/metrics/prom-api/http";
import { appendSamples } from "@/server/metrics/store/write";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { createTestKey, createTestUser, request, uid, type TestUser } from "@/test/helpers";

const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 60_000;
const metric = `selfm_${uid()}_total`;
let queryKey: string;
let ingestKey: string;
let admin: TestUser;
let sourceName: string;

beforeAll(async () => {
  await ensureDefaultSource(getDb());
  queryKey = (await createTestKey(["query"])).key;
  ingestKey = (await createTestKey(["ingest"])).key;
  admin = await createTestUser("Admin");
  const series = [{ labels: { __name__: metric, job: "a" }, samples: Array.from({ length: 81 }, (_, i) => ({ timestampMs: T0 + i * 15_000, value: i })) }];
  await appendSamples(getDb(), { batchId: randomUUID(), series }, { resolver: new SeriesResolver(10_000) });
  const [src] = await getDb().insert(logSources).values({ name: `selfm-${uid()}` }).returning();
  sourceName = src!.name;
  await commitBatch(getDb(), {
    batchId: randomUUID(),
    sourceId: src!.id,
    receivedAt: new Date(),
    events: Array.from({ length: 20 }, (_, i) => ({
      ts: T0 + i * 1000,
      observedTs: T0 + i * 1000,
      source: src!.name,
      service: "selfm",
      host: "h1",
      level: "info",
      message: `self metrics event ${i}`,
      traceId: null,
      spanId: null,
      attributes: {},
    })),
    deadLetters: [],
    dropped: 0,
  });
});

async function count(kind: QueryKind): Promise<number> {
  const v = (await metrics().queryDuration.get()).values.find((x) => x.metricName === "lookout_query_duration_seconds_count" && x.labels.kind === kind);
  return v?.value ?? 0;
}

async function counts(): Promise<Record<QueryKind, number>> {
  const kinds: QueryKind[] = ["promql_instant", "promql_range", "logs_search", "logs_histogram", "logs_terms"];
  return Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await count(k)]))) as Record<QueryKind, number>;
}

async function httpCount(route: string, status: string): Promise<number> {
  return (await metrics().httpRequests.get()).values.find((x) => x.labels.route === route && x.labels.status === status)?.value ?? 0;
}

async function httpDurationCount(route: string): Promise<number> {
  return (await metrics().httpRequestDuration.get()).values.find((x) => x.metricName === "lookout_http_request_duration_seconds_count" && x.labels.route === route)?.value ?? 0;
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const qs = (p: Record<string, string | number>) => new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)])).toString();
/** What Next.js passes a route handler as its second argument. */
const ctx = (params: Record<string, string | string[]> = {}) => ({ params: Promise.resolve(params) });

describe("lookout_query_duration_seconds", () => {
  it("counts a PromQL range query (through the API route) and an instant one, once each", async () => {
    const before = await counts();
    const res = await rangeGet(request(`/api/v1/query_range?${qs({ query: `rate(${metric}[1m])`, start: T0 / 1000, end: (T0 + 20 * 60_000) / 1000, step: 60 })}`, { headers: auth(queryKey) }), ctx());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { result: unknown[] } }).data.result).toHaveLength(1);
    expect(await counts()).toEqual({ ...before, promql_range: before.promql_range + 1 });

    const inst = await queryGet(request(`/api/v1/query?${qs({ query: `${metric}`, time: (T0 + 20 * 60_000) / 1000 })}`, { headers: auth(queryKey) }), ctx());
    expect(inst.status).toBe(200);
    expect(await counts()).toEqual({ ...before, promql_range: before.promql_range + 1, promql_instant: before.promql_instant + 1 });
  });

  it("counts failed PromQL queries too", async () => {
    const before = await count("promql_range");
    const res = await rangeGet(request(`/api/v1/query_range?${qs({ query: "rate(x[1m]", start: T0 / 1000, end: T0 / 1000 + 60, step: 15 })}`, { headers: auth(queryKey) }), ctx());
    expect(res.status).toBe(400);
    expect(await count("promql_range")).toBe(before + 1);
  });

  it("counts what evaluates through the shared engine directly (dashboard panels)", async () => {
    const before = await count("promql_range");
    const r = await getEngine().rangeQuery(queryableFor(getDb(), admin.principal), `sum(${metric})`, T0, T0 + 5 * 60_000, 60_000);
    expect(r.resultType).toBe("matrix");
    expect(await count("promql_range")).toBe(before + 1);
  });

  it("counts a log search, a histogram and terms, through the API and the service", async () => {
    const before = await counts();
    const range = { start: T0, end: T0 + 60_000 };
    const seconds = { start: range.start / 1000, end: range.end / 1000 };
    const search = await searchGet(request(`/api/v1/logs/search?${qs({ q: `source:${sourceName}`, ...seconds })}`, { headers: auth(queryKey) }), ctx());
    expect(search.status).toBe(200);
    expect(((await search.json()) as { total: number }).total).toBe(20);
    const hist = await histogramGet(request(`/api/v1/logs/histogram?${qs({ q: `source:${sourceName}`, ...seconds })}`, { headers: auth(queryKey) }), ctx());
    expect(hist.status).toBe(200);
    const direct = await searchLogs(getDb(), admin.principal, SearchInput.parse({ q: `source:${sourceName}`, ...range, limit: 5 }));
    expect(direct.hits).toHaveLength(5);
    const terms = await searchTerms(getDb(), admin.principal, TermsInput.parse({ q: `source:${sourceName}`, ...range, field: "host", size: 5 }));
    expect(terms.buckets).toEqual([{ value: "h1", count: 20 }]);
    expect(await counts()).toEqual({
      ...before,
      logs_search: before.logs_search + 2,
      logs_histogram: before.logs_histogram + 1,
      logs_terms: before.logs_terms + 1,
    });
  });
});

describe("lookout_http_requests_total and lookout_http_request_duration_seconds", () => {
  it("count requests by the handler's route pattern and status, refusals included", async () => {
    const route = "/api/v1/label/[name]/values";
    const [ok0, denied0, dur0] = [await httpCount(route, "200"), await httpCount(route, "401"), await httpDurationCount(route)];
    const ok = await labelValuesGet(request(`/api/v1/label/job/values?${qs({ "match[]": metric })}`, { headers: auth(queryKey) }), ctx({ name: "job" }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: string[] }).data).toEqual(["a"]);
    const denied = await labelValuesGet(request("/api/v1/label/instance/values"), ctx({ name: "instance" }));
    expect(denied.status).toBe(401);
    expect([await httpCount(route, "200"), await httpCount(route, "401"), await httpDurationCount(route)]).toEqual([ok0 + 1, denied0 + 1, dur0 + 2]);
    // No label carries a value from the URL.
    const routes = new Set((await metrics().httpRequests.get()).values.map((v) => String(v.labels.route)));
    expect([...routes].filter((r) => r.includes("/job/") || r.includes("/instance/"))).toEqual([]);
  });
});

describe("lookout_logs_ingest_bytes_total", () => {
  const bytes = async (source: string) => (await metrics().logsIngestBytes.get()).values.find((v) => v.labels.source === source)?.value ?? 0;

  it("adds the body size of accepted ingest requests, not of refused ones", async () => {
    const before = await bytes("default");
    const body = [JSON.stringify({ message: "one" }), JSON.stringify({ message: "two", level: "warn" })].join("\n");
    const res = await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: { ...auth(ingestKey), "content-type": "application/x-ndjson" }, body }));
    expect(res.status).toBe(202);
    expect(await bytes("default")).toBe(before + Buffer.byteLength(body));
    const none = await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: auth(ingestKey), body: "[1]\n[2]" }));
    expect(none.status).toBe(400);
    expect(await bytes("default")).toBe(before + Buffer.byteLength(body));
  });
});
