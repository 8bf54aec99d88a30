import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { POST as remoteWrite } from "@/app/api/v1/write/route";
import { getDb } from "@/db/client";
import { getQueue } from "@/server/queues/queues";
import { serveRoutes } from "@/test/http-server";
import { createTestKey, uid } from "@/test/helpers";
import { freePort } from "@/test/net";
import { storeMetricsBatch, type MetricsIngestPayload } from "./ingest-service";
import { PgQueryable } from "./store/read";
import { SeriesResolver } from "./store/series-resolver";

/**
 * A real sender: Debian's `prometheus` scrapes a tiny exporter and remote_writes to our
 * `/api/v1/write` with an API key as the basic-auth password, unmodified.
 */
const hasPrometheus = (() => {
  try {
    execFileSync("prometheus", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.skipIf(!hasPrometheus)("Prometheus remote_write → /api/v1/write", () => {
  it("stores what a real Prometheus scrapes and sends, with metadata", async () => {
    const job = `prom-${uid()}`;
    let hits = 0;
    const exporter = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(`# HELP lookout_test_requests_total Requests handled.\n# TYPE lookout_test_requests_total counter\nlookout_test_requests_total{code="200"} ${hits * 10}\nlookout_test_requests_total{code="500"} 1\n`);
    });
    await new Promise<void>((r) => exporter.listen(0, "127.0.0.1", () => r()));
    cleanups.push(() => new Promise<void>((r) => exporter.close(() => r())));
    const api = await serveRoutes({ "/api/v1/write": remoteWrite });
    cleanups.push(api.close);

    const { key } = await createTestKey(["ingest"]);
    const dir = mkdtempSync(path.join(tmpdir(), "lookout-prom-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ${job}
    static_configs:
      - targets: ["127.0.0.1:${(exporter.address() as AddressInfo).port}"]
remote_write:
  - url: ${api.url}/api/v1/write
    basic_auth: { username: lookout, password: "${key}" }
    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }
    metadata_config: { send_interval: 1s }
`,
    );
    const port = await freePort();
    const child: ChildProcess = spawn(
      "prometheus",
      [`--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: "ignore" },
    );
    cleanups.push(async () => {
      // Prometheus flushes its remote-write queue on SIGTERM (up to a minute): give it 5 s, then stop it.
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    });

    // Store what arrives until our series show up with a few samples (as the worker would).
    const resolver = new SeriesResolver(10_000);
    const queryable = new PgQueryable(getDb());
    const seen = new Set<string>();
    const since = Date.now() - 60_000;
    let series: Awaited<ReturnType<typeof queryable.select>> = [];
    for (let i = 0; i < 200; i++) {
      for (const j of await getQueue("metrics-ingest").getJobs(["waiting"], 0, 1000)) {
        if (seen.has(j.id!)) continue;
        seen.add(j.id!);
        await storeMetricsBatch(getDb(), j.data as MetricsIngestPayload, resolver, 16 << 20);
        await j.remove().catch(() => {});
      }
      series = await queryable.select([{ type: "=", name: "job", value: job }, { type: "=", name: "__name__", value: "lookout_test_requests_total" }], {
        start: since,
        end: Date.now() + 1000,
      });
      const meta = await getDb().execute(sql`select type, help from metric_metadata where name = 'lookout_test_requests_total'`);
      if (series.length === 2 && series.every((s) => s.timestamps.length >= 3) && meta.rows.length) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(series.map((s) => s.labels.code).sort()).toEqual(["200", "500"]);
    const ok = series.find((s) => s.labels.code === "200")!;
    expect(ok.labels.instance).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(ok.timestamps.length).toBeGreaterThanOrEqual(3);
    expect(ok.values[1]! - ok.values[0]!).toBe(10);
    const up = await queryable.select([{ type: "=", name: "__name__", value: "up" }, { type: "=", name: "job", value: job }], { start: since, end: Date.now() + 1000 });
    expect(up[0]!.values[0]).toBe(1);
    const meta = await getDb().execute(sql`select type, help from metric_metadata where name = 'lookout_test_requests_total'`);
    expect(meta.rows[0]).toEqual({ type: "counter", help: "Requests handled." });
  }, 60_000);
});
