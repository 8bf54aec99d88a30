/**
 * The default dashboards' queries evaluated by the PromQL engine over realistic scrapes: the
 * exporters' real expositions (Lookout's registry, the host collector on /proc fixtures, the demo
 * shop's registry after simulated traffic), processed by the real scrape pipeline (target labels,
 * `exported_` renames, report series) into an in-memory store. Every panel query must return
 * data, and every `{{label}}` of its legend must be a label of the result.
 */
import { describe, expect, it } from "vitest";
import { demoScrapeConfig, hostScrapeConfig } from "@/server/demo/config";
import { ShopMetrics } from "@/server/demo/shop-metrics";
import { ShopSimulator } from "@/server/demo/simulate";
import { metrics } from "@/server/lib/metrics";
import { collectHostMetrics, type HostSource } from "@/server/metrics/host";
import { DISKSTATS, LOADAVG, MEMINFO, MOUNTS, NET_DEV, PROC_STAT } from "@/server/metrics/host/procfs.fixture";
import type { Labels } from "@/server/metrics/model";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { parseScrapeConfig, targetsOf } from "@/server/metrics/scrape/config";
import { scrapeOnce } from "@/server/metrics/scrape/scrape";
import { selfScrapeConfig } from "@/server/metrics/scrape/self";
import { allVisualPanels, type Dashboard } from "../model";
import { DEFAULT_DASHBOARDS } from "./index";

/** 2026-01-01T00:00Z, a multiple of 20 minutes: the demo's payments incident runs from +12 to +14 min. */
const T0 = 1_767_225_600_000;
const STEP = 15_000;
const SCRAPES = 5;

/** Scrapes `bodyAt(k)` SCRAPES times, 15 s apart from `start`, as `config`'s target, into `store`. */
async function scrapeInto(store: MemoryQueryable, config: Record<string, unknown>, start: number, bodyAt: (k: number, t: number) => Promise<string>): Promise<number> {
  const target = targetsOf(parseScrapeConfig(config)).targets[0]!;
  let previous: Labels[] = [];
  let t = start;
  for (let k = 0; k < SCRAPES; k++) {
    t = start + k * STEP;
    const body = await bodyAt(k, t);
    const result = await scrapeOnce(target, async () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }), t, { previous, clock: () => 0 });
    expect(result.error).toBeNull();
    store.append(result.series);
    previous = result.tracked;
  }
  return t;
}

function interpolate(expr: string, vars: Record<string, string>): string {
  return expr.replace(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g, (_, a: string | undefined, b: string | undefined) => {
    const v = vars[(a ?? b)!];
    if (v === undefined) throw new Error(`no value for $${a ?? b}`);
    return v;
  });
}

/** Evaluates every PromQL target at `at`; returns the failures (no data, a legend label missing). */
async function evaluateAll(d: Dashboard, store: MemoryQueryable, at: number, vars: Record<string, string>): Promise<string[]> {
  const engine = createEngine();
  const problems: string[] = [];
  for (const p of allVisualPanels(d)) {
    for (const t of p.targets) {
      if (t.kind !== "promql") continue;
      const expr = interpolate(t.expr, { __rate_interval: "1m", __interval: "15s", __range: "1h", ...vars });
      const where = `${p.title} / ${t.refId}: ${expr}`;
      const r = await engine.instantQuery(store, expr, at);
      if (r.resultType === "scalar") continue;
      if (r.resultType !== "vector" || r.result.length === 0) {
        problems.push(`no data: ${where}`);
        continue;
      }
      for (const [, label] of (t.legendFormat ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
        if (r.result.some((s) => !(label! in s.labels))) problems.push(`{{${label}}} not in the result: ${where}`);
      }
    }
  }
  return problems;
}

const dashboardOf = (uid: string) => DEFAULT_DASHBOARDS.find((d) => d.uid === uid)!.dashboard;

describe("default dashboards evaluated over realistic scrapes", () => {
  it("Host: every query returns data for the host job's instance", async () => {
    const store = new MemoryQueryable();
    // The collector on /proc fixtures; counters move on between scrapes as a live machine's do.
    const source: HostSource = {
      platform: "linux",
      readFile: async (p) => ({ "/proc/stat": PROC_STAT, "/proc/loadavg": LOADAVG, "/proc/meminfo": MEMINFO, "/proc/mounts": MOUNTS, "/proc/diskstats": DISKSTATS, "/proc/net/dev": NET_DEV })[p] ?? null,
      statfs: async () => ({ bsize: 4096, blocks: 1000, bfree: 400, bavail: 350 }),
      uname: () => ({ sysname: "Linux", release: "6.1.0", machine: "x86_64", nodename: "web-1" }),
      nowMs: () => T0,
      cpus: () => [],
      loadavg: () => [0, 0, 0],
      totalmem: () => 0,
      freemem: () => 0,
      uptime: () => 0,
    };
    const base = await collectHostMetrics(source);
    const bump = (k: number) => base.replace(/^(node_(?:cpu|disk|network|context)\S*) (\d+(?:\.\d+)?)$/gm, (_, series: string, v: string) => `${series} ${Number(v) + k * 7}`);
    const at = await scrapeInto(store, hostScrapeConfig({ host: "127.0.0.1", port: 9 }, "web-1"), T0, async (k) => bump(k));
    expect(await evaluateAll(dashboardOf("lookout-host"), store, at, { instance: "web-1" })).toEqual([]);
    // Another instance has none of it.
    const cpu = await createEngine().instantQuery(store, 'node_load1{instance="other"}', at);
    expect(cpu.result).toEqual([]);
  });

  it("HTTP service (RED): every query returns data for the demo job during its payments incident", async () => {
    const store = new MemoryQueryable();
    const shop = new ShopMetrics({ processMetrics: false });
    const sim = new ShopSimulator({ seed: 7, rate: 20 });
    const start = T0 + 12 * 60_000;
    let last = start - 60_000;
    const at = await scrapeInto(store, demoScrapeConfig({ host: "127.0.0.1", port: 9 }), start, async (_k, t) => {
      shop.record(sim.advance(last, t), t);
      last = t;
      return (await shop.scrape()).body;
    });
    // One service, as a repeated row sees it; every route (All).
    expect(await evaluateAll(dashboardOf("lookout-red"), store, at, { job: "demo", service: "checkout", route: ".+" })).toEqual([]);
  });

  it("Lookout self-monitoring: every query returns data from the self-scrape of Lookout's registry", async () => {
    const store = new MemoryQueryable();
    const m = metrics();
    const at = await scrapeInto(store, selfScrapeConfig({ PORT: 3000 }), T0, async (k) => {
      // What the endpoints and workers count, with their label values.
      m.logsAccepted.inc({ source: "demo-app" }, 120);
      m.logsRejected.inc({ source: "demo-app" }, 1);
      m.logsDropped.inc({ source: "demo-nginx" }, 3);
      m.logsDeadLetters.inc({ source: "demo-nginx" }, k);
      m.logsStored.inc({ source: "demo-app" }, 118);
      m.logsBatchSeconds.observe(0.04 + k / 100);
      m.metricsSamplesAccepted.inc({ path: "remote_write" }, 500);
      m.metricsSamplesRejected.inc({ reason: "too_old" }, 2);
      m.metricsSamplesStored.inc(498);
      m.metricsBatchSeconds.observe(0.02);
      m.scrapesTotal.inc({ job: "demo", result: "up" });
      m.scrapeSamples.inc({ job: "demo" }, 240);
      m.jobsTotal.inc({ queue: "logs-ingest", status: "completed" }, 4);
      m.jobDuration.observe({ queue: "logs-ingest" }, 0.03);
      m.httpRequests.inc({ route: "/api/v1/logs", status: "202" }, 10);
      m.httpRequests.inc({ route: "/api/v1/logs", status: "500" });
      m.httpRequests.inc({ route: "/api/v1/query_range", status: "400" }, 2);
      m.httpRequestDuration.observe({ route: "/api/v1/logs" }, 0.02 + k / 1000);
      m.logsIngestBytes.inc({ source: "demo-app" }, 64_000);
      for (const kind of ["promql_instant", "promql_range", "logs_search", "logs_histogram", "logs_terms"] as const) m.queryDuration.observe({ kind }, 0.005 * (k + 1));
      for (const [kind, bytes] of [["logs", 4e8], ["metrics", 3e8], ["other", 2e7], ["total", 7.2e8]] as const) m.storageBytes.set({ kind }, bytes + k * 1e6);
      for (const [state, n] of [["waiting", 12], ["active", 2], ["failed", 1]] as const) m.queueJobs.set({ queue: "logs-ingest", state }, n);
      m.workersAlive.set(2);
      return m.registry.metrics();
    });
    expect(await evaluateAll(dashboardOf("lookout-self"), store, at, {})).toEqual([]);
  });
});
