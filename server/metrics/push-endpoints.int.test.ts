import { describe, expect, it } from "vitest";
import { PUT as pushPut, POST as pushPost, DELETE as pushDelete } from "@/app/metrics/job/[...grouping]/route";
import { POST as otlpPost } from "@/app/v1/metrics/route";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { getDb } from "@/db/client";
import { getQueue } from "@/server/queues/queues";
import { createTestKey, request, uid } from "@/test/helpers";
import { storeMetricsBatch, type MetricsIngestPayload } from "./ingest-service";
import type { LabelMatcher } from "./promql/ast";
import { republishGroups } from "./pushgateway/groups";
import { encodeRemoteWrite } from "./remote-write/encode";
import { PgQueryable } from "./store/read";
import { SeriesResolver } from "./store/series-resolver";

const resolver = new SeriesResolver(10_000);
const eq = (name: string, value: string): LabelMatcher => ({ type: "=", name, value });

/** Stores every queued metrics batch (what the metrics-ingest worker does). */
async function drain() {
  for (const j of await getQueue("metrics-ingest").getJobs(["waiting"], 0, 1000)) {
    await storeMetricsBatch(getDb(), j.data as MetricsIngestPayload, resolver, 16 << 20);
    await j.remove().catch(() => {});
  }
}

async function latest(matchers: LabelMatcher[]) {
  const series = await new PgQueryable(getDb()).select(matchers, { start: Date.now() - 3_600_000, end: Date.now() + 60_000 });
  return series.map((s) => ({ labels: s.labels, value: s.values[s.values.length - 1]!, stale: s.stale?.[s.values.length - 1] === 1 }));
}

async function call(handler: (r: Request) => Promise<Response>, path: string, key: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}) {
  const r = new Request(`http://localhost:3000${path}`, { method, headers: { host: "localhost:3000", authorization: `Bearer ${key}`, ...headers }, body: body === undefined ? undefined : new Uint8Array(Buffer.from(body)) });
  return handler(r);
}

describe("Pushgateway-compatible push", () => {
  it("PUT, POST and DELETE a group: values, push_time_seconds, stale markers, re-sampling", async () => {
    const { key } = await createTestKey(["ingest"]);
    const job = `batch-${uid()}`;
    const path = `/metrics/job/${job}/instance/db1`;
    expect((await call(pushPut, path, key, "PUT", "# TYPE backup_bytes gauge\nbackup_bytes 1024\nbackup_files 7\n")).status).toBe(200);
    expect((await call(pushPost, path, key, "POST", "rows_copied 99\n")).status).toBe(200);
    await drain();
    const sel = (name: string) => latest([eq("__name__", name), eq("job", job)]);
    expect(await sel("backup_bytes")).toEqual([{ labels: { __name__: "backup_bytes", instance: "db1", job }, value: 1024, stale: false }]);
    expect((await sel("rows_copied"))[0]!.value).toBe(99);
    expect((await sel("push_time_seconds"))[0]!.value).toBeGreaterThan(Date.now() / 1000 - 60);

    // PUT replaces the whole group: families not pushed again end with a stale marker.
    expect((await call(pushPut, path, key, "PUT", "backup_bytes 2048\n")).status).toBe(200);
    await drain();
    expect((await sel("backup_bytes"))[0]!.value).toBe(2048);
    expect((await sel("backup_files"))[0]!.stale).toBe(true);
    expect((await sel("rows_copied"))[0]!.stale).toBe(true);

    // The group keeps answering: re-sampled on the schedule.
    const r = await republishGroups(getDb(), resolver, Date.now());
    expect(r.committed).toBe(true);

    const bad = await call(pushPut, path, key, "PUT", "backup_bytes{ 1\n");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/line 1|parse|expected/i);

    expect((await call(pushDelete, path, key, "DELETE")).status).toBe(202);
    await drain();
    expect((await sel("backup_bytes"))[0]!.stale).toBe(true);
  });

  it("refuses a path without a job, with the reason", async () => {
    const { key } = await createTestKey(["ingest"]);
    const res = await call(pushPut, "/metrics/instance/x", key, "PUT", "a 1\n");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("/metrics/job/");
  });
});

describe("OTLP/HTTP metrics", () => {
  it("stores a gauge and a monotonic sum as Prometheus series with job/instance from the resource", async () => {
    const { key } = await createTestKey(["ingest"]);
    const svc = `checkout-${uid()}`;
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: svc } }, { key: "service.instance.id", value: { stringValue: "pod-1" } }] },
          scopeMetrics: [
            {
              metrics: [
                { name: "queue.depth", unit: "1", gauge: { dataPoints: [{ timeUnixNano: String(now), asInt: "5" }] } },
                { name: "http.server.requests", unit: "1", sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ timeUnixNano: String(now), asDouble: 12, attributes: [{ key: "http.route", value: { stringValue: "/pay" } }] }] } },
              ],
            },
          ],
        },
      ],
    });
    const res = await call(otlpPost, "/v1/metrics", key, "POST", body, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    await drain();
    const series = await latest([eq("job", svc)]);
    const byName = Object.fromEntries(series.map((s) => [s.labels.__name__, s]));
    expect(byName.queue_depth_ratio?.value ?? byName.queue_depth?.value).toBe(5);
    expect(byName.http_server_requests_total).toMatchObject({ value: 12, labels: { instance: "pod-1", http_route: "/pay" } });
  });
});

describe("remote_write validation", () => {
  it("answers 400 naming the problem for samples older than raw retention, storing the rest", async () => {
    const { key } = await createTestKey(["ingest"]);
    const name = `rw_${uid()}`;
    const body = encodeRemoteWrite([
      { labels: { __name__: name, k: "new" }, samples: [{ timestampMs: Date.now(), value: 1 }] },
      { labels: { __name__: name, k: "old" }, samples: [{ timestampMs: Date.now() - 400 * 86_400_000, value: 1 }] },
    ]);
    const res = await call(remoteWrite, "/api/v1/write", key, "POST", body, { "content-type": "application/x-protobuf", "content-encoding": "snappy" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("older than the raw retention");
    await drain();
    expect((await latest([eq("__name__", name)])).map((s) => s.labels.k)).toEqual(["new"]);
  });

  it("needs an ingest key", async () => {
    const res = await remoteWrite(request("/api/v1/write", { method: "POST", body: "x" }));
    expect(res.status).toBe(401);
  });
});
