import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsGet } from "@/app/metrics/route";
import { PUT as pushPut } from "@/app/metrics/job/[...grouping]/route";
import { POST as ndjsonPost } from "@/app/api/v1/logs/route";
import { getDb } from "@/db/client";
import { resetEnvCache } from "@/env";
import { processIngestBatch } from "@/server/logs/ingest-worker";
import { createSource } from "@/server/logs/sources";
import { storeMetricsBatch, type MetricsIngestPayload } from "@/server/metrics/ingest-service";
import { PgQueryable } from "@/server/metrics/store/read";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { getQueue } from "@/server/queues/queues";
import { createTestKey, request, uid } from "@/test/helpers";
import { storedEvents } from "@/test/logs";
import { databaseSize, forgetWatermarks, measureWatermarks } from "./watermarks";

const saved = { ...process.env };

function setLimits(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
  resetEnvCache();
  forgetWatermarks();
}

describe("storage watermarks gate ingestion", () => {
  let ingestKey: string;
  let queryKey: string;
  let source: { id: string; name: string };

  beforeAll(async () => {
    ingestKey = (await createTestKey(["ingest"])).key;
    queryKey = (await createTestKey(["query"])).key;
    source = await createSource(getDb(), null, null, { name: `wm-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
  });

  afterAll(() => {
    for (const k of ["LOOKOUT_DB_MAX_BYTES", "LOOKOUT_DISK_MIN_FREE_BYTES", "LOOKOUT_DISK_MIN_FREE_PERCENT"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
    forgetWatermarks();
  });

  const sendLogs = (message: string) =>
    ndjsonPost(request(`/api/v1/logs?source=${source.name}`, { method: "POST", headers: { authorization: `Bearer ${ingestKey}` }, body: JSON.stringify({ message, level: "info" }) + "\n" }));
  const pushMetric = (job: string, value: number) =>
    pushPut(new Request(`http://localhost:3000/metrics/job/${job}`, { method: "PUT", headers: { host: "localhost:3000", authorization: `Bearer ${ingestKey}` }, body: new Uint8Array(Buffer.from(`wm_test_value ${value}\n`)) }));

  async function drainLogs(batchId: string) {
    const job = await getQueue("logs-ingest").getJob(batchId);
    await processIngestBatch(getDb(), job!.data);
    await job!.remove().catch(() => {});
  }
  async function drainMetrics() {
    const resolver = new SeriesResolver(1_000);
    for (const j of await getQueue("metrics-ingest").getJobs(["waiting"], 0, 1000)) {
      await storeMetricsBatch(getDb(), j.data as MetricsIngestPayload, resolver, 16 << 20);
      await j.remove().catch(() => {});
    }
  }
  const messages = async () => (await storedEvents(getDb(), { start: Date.now() - 3_600_000, end: Date.now() + 60_000, sourceIds: [source.id], limit: 100 })).map((e) => e.message).sort();

  it("answers 429 with the reason while the database is over LOOKOUT_DB_MAX_BYTES, keeps what was accepted, and accepts again below it", async () => {
    setLimits({ LOOKOUT_DB_MAX_BYTES: "0", LOOKOUT_DISK_MIN_FREE_BYTES: "0", LOOKOUT_DISK_MIN_FREE_PERCENT: "0" });
    const job = `wm-${uid()}`;
    const first = await sendLogs("before the limit");
    expect(first.status).toBe(202);
    await drainLogs(((await first.json()) as { batchId: string }).batchId);
    expect((await pushMetric(job, 1)).status).toBe(200);
    await drainMetrics();

    // A limit far below the database's size.
    setLimits({ LOOKOUT_DB_MAX_BYTES: "1048576" });
    const refused = await sendLogs("over the limit");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    const body = (await refused.json()) as { message: string };
    expect(body.message).toMatch(/^storage watermark: database size [\d.]+ [KMGT]iB is over LOOKOUT_DB_MAX_BYTES 1\.0 MiB/);
    const metricRefused = await pushMetric(job, 2);
    expect(metricRefused.status).toBe(429);
    expect(metricRefused.headers.get("retry-after")).toBe("60");
    expect(await metricRefused.text()).toContain("LOOKOUT_DB_MAX_BYTES");
    expect(await getQueue("metrics-ingest").getWaitingCount()).toBe(0);

    // The gauge the built-in rule watches.
    const scrape = await metricsGet(request("/metrics", { headers: { authorization: `Bearer ${queryKey}` } }));
    const text = await scrape.text();
    expect(text).toContain('lookout_storage_watermark_exceeded{kind="database_size"} 1');
    expect(text).not.toContain('kind="disk_free_bytes"');

    // Nothing accepted before is lost; the refused request left nothing behind.
    expect(await messages()).toEqual(["before the limit"]);
    const series = await new PgQueryable(getDb()).select([{ type: "=", name: "__name__", value: "wm_test_value" }, { type: "=", name: "job", value: job }], { start: Date.now() - 3_600_000, end: Date.now() + 60_000 });
    expect(series.flatMap((s) => [...s.values])).toEqual([1]);

    // Back under the limit: accepted again.
    setLimits({ LOOKOUT_DB_MAX_BYTES: String((await databaseSize(getDb())) * 4) });
    const again = await sendLogs("after the limit");
    expect(again.status).toBe(202);
    await drainLogs(((await again.json()) as { batchId: string }).batchId);
    expect(await messages()).toEqual(["after the limit", "before the limit"]);
    expect((await pushMetric(job, 3)).status).toBe(200);
    await drainMetrics();
    const text2 = await (await metricsGet(request("/metrics", { headers: { authorization: `Bearer ${queryKey}` } }))).text();
    expect(text2).toContain('lookout_storage_watermark_exceeded{kind="database_size"} 0');
  });

  it("measures free disk space of the data directory's file system and the database size", async () => {
    const state = await measureWatermarks(getDb(), { limits: { minFreeBytes: Number.MAX_SAFE_INTEGER, minFreePercent: 100, dbMaxBytes: 0 }, dataDir: `/tmp/lookout-missing-${uid()}/data` });
    expect(state.reading.diskFreeBytes).toBeGreaterThan(0);
    expect(state.reading.diskTotalBytes).toBeGreaterThan(state.reading.diskFreeBytes!);
    expect(state.reading.dbBytes).toBeGreaterThan(0);
    expect(state.breaches.map((b) => b.kind)).toEqual(["disk_free_bytes", "disk_free_percent"]);
    expect(state.breaches[0]!.reason).toMatch(/^storage watermark: free disk space .+ is under LOOKOUT_DISK_MIN_FREE_BYTES/);
  });
});
