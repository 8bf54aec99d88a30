import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ndjsonPost } from "@/app/api/v1/logs/route";
import { getDb } from "@/db/client";
import { env } from "@/env";
import { authenticateApiKey, findApiKeyByPlaintext, revokeApiKey } from "@/server/auth/api-keys";
import { processIngestBatch } from "@/server/logs/ingest-worker";
import { findSourceByName } from "@/server/logs/sources";
import { storedEvents } from "@/test/logs";
import { parseExposition } from "@/server/metrics/exposition";
import { listScrapeJobs } from "@/server/metrics/scrape/jobs";
import { runScrapeTarget } from "@/server/metrics/scrape/service";
import { PgQueryable } from "@/server/metrics/store/read";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { applyProvisioning } from "@/server/provisioning/apply";
import { parseProvisioningFile } from "@/server/provisioning/parse";
import { getQueue } from "@/server/queues/queues";
import { serveRoutes } from "@/test/http-server";
import { auditRows, uid } from "@/test/helpers";
import { DEMO_APP_SOURCE, DEMO_JOB_NAME, DEMO_NGINX_SOURCE, HOST_JOB_NAME, demoIngestKey } from "./config";
import { startDemoWorkload, type DemoWorkload } from "./run";
import { retireDemo, seedDemo } from "./seed";

const warnings: string[] = [];
const quiet = { info: () => {}, warn: (_o: object, m: string) => void warnings.push(m) };

let consoleServer: Awaited<ReturnType<typeof serveRoutes>>;
let demo: DemoWorkload;
const batches: { source: string; batchId: string | null; accepted: number }[] = [];
const started = Date.now();
/** The demo's clock: moved forward by the tests, so a tick simulates a known span of traffic. */
let clock = started;

beforeAll(async () => {
  consoleServer = await serveRoutes({ "/api/v1/logs": ndjsonPost });
  const running = await startDemoWorkload({
    db: getDb(),
    secret: env().LOOKOUT_SECRET,
    consoleUrl: consoleServer.url,
    bind: "127.0.0.1",
    port: 0,
    rate: 1,
    log: quiet,
    seed: 42,
    tickMs: 0,
    backfillMs: 10 * 60_000,
    backfillMaxEvents: 500,
    onSent: (s) => batches.push(s),
    now: () => clock,
  });
  if (!running) throw new Error("demo did not start");
  demo = running;
});

afterAll(async () => {
  await demo?.close();
  await consoleServer?.close();
});

/** Runs the batches the endpoint enqueued, as the logs-ingest worker would. */
async function drain() {
  for (const b of batches.splice(0)) {
    const job = await getQueue("logs-ingest").getJob(b.batchId!);
    expect(job, `batch ${b.batchId} enqueued`).toBeTruthy();
    expect(await processIngestBatch(getDb(), job!.data)).toMatchObject({ committed: true });
  }
}

async function eventsOf(source: string) {
  const s = await findSourceByName(getDb(), source);
  return storedEvents(getDb(), { start: started - 86_400_000, end: Date.now() + 60_000, sourceIds: [s!.id], limit: 10_000 });
}

describe("demo workload", () => {
  it("provisions its sources, the demo scrape job and an ingest key of the demo service account", async () => {
    expect(demo.seed).toMatchObject({ firstRun: true, keyState: "created", scrapeJobSkipped: false, hostJobSkipped: false });
    for (const name of [DEMO_NGINX_SOURCE, DEMO_APP_SOURCE]) {
      const s = await findSourceByName(getDb(), name);
      expect(s).toMatchObject({ provisioned: true, description: expect.stringMatching(/^Demo: /) });
    }
    const job = (await listScrapeJobs(getDb())).find((j) => j.name === DEMO_JOB_NAME)!;
    expect(job).toMatchObject({ provisioned: true, enabled: true, intervalMs: 15_000 });
    expect(job.targets.map((t) => t.url)).toEqual([`http://127.0.0.1:${demo.port}/metrics`]);
    // The host job: the same demo server, its /host/metrics, labelled with the machine's name.
    const host = (await listScrapeJobs(getDb())).find((j) => j.name === HOST_JOB_NAME)!;
    expect(host).toMatchObject({ provisioned: true, enabled: true, intervalMs: 15_000, configError: null });
    expect(host.targets.map((t) => [t.url, t.labels])).toEqual([[`http://127.0.0.1:${demo.port}/host/metrics`, { instance: os.hostname(), job: HOST_JOB_NAME }]]);
    // An ordinary key: stored hashed, ingest scope only, the plaintext derived from the secret.
    const key = demoIngestKey(env().LOOKOUT_SECRET)!;
    const principal = await authenticateApiKey(getDb(), key);
    expect(principal).toMatchObject({ type: "service_account", name: "demo", scopes: ["ingest"] });
    const row = await findApiKeyByPlaintext(getDb(), key);
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("serves /metrics in the Prometheus text format with the shop's and the process's metrics", async () => {
    clock += 30_000;
    await demo.tick();
    const res = await fetch(`http://127.0.0.1:${demo.port}/metrics`);
    expect(res.status).toBe(200);
    const parsed = parseExposition(await res.text(), res.headers.get("content-type"));
    const byName = new Map(parsed.families.map((f) => [f.name, f]));
    expect(byName.get("http_requests_total")?.type).toBe("counter");
    expect(byName.get("http_request_duration_seconds")?.type).toBe("histogram");
    expect(byName.get("orders_total")?.type).toBe("counter");
    expect(byName.get("payment_failures_total")?.type).toBe("counter");
    expect(byName.get("shop_queue_depth")?.type).toBe("gauge");
    expect(byName.get("process_cpu_seconds_total")?.type).toBe("counter");
    const labels = byName.get("http_requests_total")!.samples.map((s) => s.labels);
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(Object.keys(l).sort()).toEqual(["app", "method", "route", "service", "status"]);
    expect((await fetch(`http://127.0.0.1:${demo.port}/nope`)).status).toBe(404);
  });

  it("serves /host/metrics: the machine's node_* metrics, parseable, which the host job scrapes under instance=<hostname>", async () => {
    const res = await fetch(`http://127.0.0.1:${demo.port}/host/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const parsed = parseExposition(await res.text(), res.headers.get("content-type"));
    const byName = new Map(parsed.families.map((f) => [f.name, f]));
    expect(parsed.families.every((f) => f.name.startsWith("node_"))).toBe(true);
    expect(byName.get("node_cpu_seconds_total")?.type).toBe("counter");
    expect(byName.get("node_uname_info")?.samples[0]?.labels).toMatchObject({ nodename: os.hostname(), sysname: os.type() });
    expect(byName.get("node_time_seconds")?.samples[0]?.value).toBeCloseTo(Date.now() / 1000, -1);
    if (process.platform === "linux") {
      const modes = new Set(byName.get("node_cpu_seconds_total")!.samples.map((s) => s.labels.mode));
      expect(modes).toEqual(new Set(["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]));
      expect(byName.get("node_memory_MemAvailable_bytes")!.samples[0]!.value).toBeGreaterThan(0);
      expect(byName.get("node_filesystem_size_bytes")!.samples.length).toBeGreaterThan(0);
      expect(byName.get("node_network_receive_bytes_total")!.samples.map((s) => s.labels.device)).toContain("lo");
      expect(byName.get("node_boot_time_seconds")!.samples[0]!.value).toBeLessThan(Date.now() / 1000);
    }

    // One scrape of the provisioned job, as the scrape worker runs it.
    const host = (await listScrapeJobs(getDb())).find((j) => j.name === HOST_JOB_NAME)!;
    const resolver = new SeriesResolver(1000);
    const before = Date.now() - 1;
    const outcome = await runScrapeTarget({ db: getDb(), resolver, fetch: (u: string, init: Parameters<typeof fetch>[1]) => fetch(u, init) }, { jobId: host.id, url: host.targets[0]!.url }, `b-${uid()}`);
    expect(outcome).toMatchObject({ status: "scraped", up: true });
    const stored = await new PgQueryable(getDb()).select(
      [
        { type: "=", name: "__name__", value: "node_uname_info" },
        { type: "=", name: "job", value: HOST_JOB_NAME },
        { type: "=", name: "instance", value: os.hostname() },
      ],
      { start: before, end: Date.now() + 1000 },
    );
    expect(stored).toHaveLength(1);
  });

  it("ships the backfill and live traffic through POST /api/v1/logs into the right sources, through their pipelines", async () => {
    expect(demo.backfilled.nginx).toBeGreaterThan(0);
    expect(demo.backfilled.nginx + demo.backfilled.app).toBeLessThanOrEqual(500);
    await demo.tick();
    expect(batches.map((b) => b.source)).toEqual(expect.arrayContaining([DEMO_NGINX_SOURCE, DEMO_APP_SOURCE]));
    const accepted = (source: string) => batches.filter((b) => b.source === source).reduce((a, b) => a + b.accepted, 0);
    const sentNginx = accepted(DEMO_NGINX_SOURCE);
    const sentApp = accepted(DEMO_APP_SOURCE);
    await drain();

    const nginx = await eventsOf(DEMO_NGINX_SOURCE);
    expect(nginx).toHaveLength(sentNginx);
    for (const e of nginx) {
      // grok fields, the date step's time (from the line), the level from the status
      expect(e.attributes).toMatchObject({ http: { request: { method: expect.any(String) }, response: { status_code: expect.any(Number) } }, url: { original: expect.stringMatching(/^\//) }, source: { address: expect.any(String) } });
      expect(e.attributes.tags).toBeUndefined();
      expect(e.level).not.toBeNull();
      expect(e.host).toMatch(/^nginx-\d$/);
    }
    // The backfill's events are in the past (up to the 10 minutes asked for).
    expect(Math.min(...nginx.map((e) => e.ts))).toBeLessThan(started - 60_000);
    expect(Math.min(...nginx.map((e) => e.ts))).toBeGreaterThanOrEqual(started - 10 * 60_000 - 1000);
    // …and every live nginx line is one request counted in http_requests_total.
    const metricsText = await (await fetch(`http://127.0.0.1:${demo.port}/metrics`)).text();
    const requests = parseExposition(metricsText).families.find((f) => f.name === "http_requests_total")!;
    const counted = requests.samples.filter((x) => x.labels.service !== "payments").reduce((a, x) => a + x.value, 0);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBe(nginx.length - demo.backfilled.nginx);

    const app = await eventsOf(DEMO_APP_SOURCE);
    expect(app).toHaveLength(sentApp);
    for (const e of app) {
      expect(e.service).toMatch(/^(frontend|search|cart|auth|checkout|payments)$/);
      expect(e.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(e.attributes).toMatchObject({ http: { status: expect.any(Number) }, duration_ms: expect.any(Number) });
    }
    // nginx lines and the request handlers' lines share trace ids.
    const traces = new Set(app.map((e) => e.traceId));
    expect(nginx.length).toBeLessThanOrEqual(traces.size);
  });

  it("ran without a warning", () => {
    expect(warnings).toEqual([]);
  });

  it("is idempotent at the next start, and the provisioning file leaves the demo's objects alone", async () => {
    const audits = (await auditRows({ actorName: "demo" })).length;
    const again = await seedDemo(getDb(), { secret: env().LOOKOUT_SECRET, target: { host: "127.0.0.1", port: demo.port } });
    expect(again).toMatchObject({ firstRun: false, keyState: "exists", key: demoIngestKey(env().LOOKOUT_SECRET) });
    expect((await auditRows({ actorName: "demo" })).length).toBe(audits);
    const applied = await applyProvisioning(getDb(), parseProvisioningFile("scrape_configs: []\n", "empty.yaml"));
    expect(applied.scrape_jobs.released).not.toContain(DEMO_JOB_NAME);
    expect(applied.scrape_jobs.released).not.toContain(HOST_JOB_NAME);
    expect(applied.sources.released).not.toContain(DEMO_NGINX_SOURCE);
    expect((await findSourceByName(getDb(), DEMO_APP_SOURCE))?.provisioned).toBe(true);
  });

  it("a new secret replaces the key; a revoked key is respected (no logs, not re-created)", async () => {
    const oldKey = demoIngestKey(env().LOOKOUT_SECRET)!;
    const rotated = await seedDemo(getDb(), { secret: "another-secret-of-enough-length", target: { host: "127.0.0.1", port: demo.port } });
    expect(rotated.keyState).toBe("created");
    expect(await authenticateApiKey(getDb(), oldKey)).toBeNull();
    const newKey = rotated.key!;
    await revokeApiKey(getDb(), null, null, (await findApiKeyByPlaintext(getDb(), newKey))!.id);
    const after = await seedDemo(getDb(), { secret: "another-secret-of-enough-length", target: { host: "127.0.0.1", port: demo.port } });
    expect(after).toMatchObject({ key: null, keyState: "revoked" });
    expect(await seedDemo(getDb(), { secret: undefined, target: { host: "127.0.0.1", port: demo.port } })).toMatchObject({ key: null, keyState: "no-secret" });
  });

  it("LOOKOUT_DEMO=0 retires it: the job is disabled and editable, the sources editable; a second retire does nothing", async () => {
    const retired = await retireDemo(getDb());
    expect({ ...retired, sources: retired.sources.sort() }).toEqual({ job: true, hostJob: true, sources: [DEMO_APP_SOURCE, DEMO_NGINX_SOURCE].sort() });
    for (const name of [DEMO_JOB_NAME, HOST_JOB_NAME]) {
      const job = (await listScrapeJobs(getDb())).find((j) => j.name === name)!;
      expect(job, name).toMatchObject({ provisioned: false, enabled: false });
    }
    expect((await findSourceByName(getDb(), DEMO_NGINX_SOURCE))?.provisioned).toBe(false);
    expect(await retireDemo(getDb())).toEqual({ job: false, hostJob: false, sources: [] });
  });
});
