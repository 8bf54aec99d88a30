import { describe, expect, it } from "vitest";
import { DEMO_APP_SOURCE, DEMO_JOB_NAME } from "@/server/demo/config";
import { ShopMetrics } from "@/server/demo/shop-metrics";
import { metrics } from "@/server/lib/metrics";
import { parseQuery } from "@/server/logs/query/parse";
import type { FsStats, HostSource } from "@/server/metrics/host";
import { hostFamilies } from "@/server/metrics/host/collect";
import { DISKSTATS, LOADAVG, MEMINFO, MOUNTS, NET_DEV, PROC_STAT } from "@/server/metrics/host/procfs.fixture";
import type { VectorSelector } from "@/server/metrics/promql/ast";
import { parseExpr } from "@/server/metrics/promql/parse";
import { REPORT_METRICS } from "@/server/metrics/scrape/scrape";
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { allVisualPanels, DashboardSchema, GRID_COLUMNS, type Dashboard, type GridPos, type Variable } from "../model";
import { DEFAULT_DASHBOARDS } from "./index";
import { RED_DEFAULT_JOB, RED_LOG_SOURCE } from "./red";

// ---------------------------------------------------------------------------------------------
// The metric names each dashboard may use, with where they are defined. Each list is checked
// against its source below, so it cannot drift from what is really exported.
// ---------------------------------------------------------------------------------------------

/** server/lib/metrics.ts: Lookout's own counters, gauges and histograms (histograms with their series). */
const LOOKOUT_METRICS = [
  "lookout_jobs_total",
  ...histogram("lookout_job_duration_seconds"),
  "lookout_queue_jobs",
  "lookout_workers_alive",
  "lookout_http_requests_total",
  "lookout_logs_events_accepted_total",
  "lookout_logs_events_rejected_total",
  "lookout_logs_events_stored_total",
  "lookout_logs_dead_letters_total",
  "lookout_logs_events_dropped_total",
  ...histogram("lookout_logs_batch_seconds"),
  "lookout_metrics_samples_accepted_total",
  "lookout_metrics_samples_rejected_total",
  "lookout_metrics_samples_stored_total",
  ...histogram("lookout_metrics_batch_seconds"),
  "lookout_scrapes_total",
  "lookout_scrape_samples_stored_total",
  ...histogram("lookout_query_duration_seconds"),
  "lookout_storage_bytes",
  "lookout_logs_ingest_bytes_total",
  ...histogram("lookout_http_request_duration_seconds"),
  "lookout_storage_watermark_exceeded",
];

/** server/lib/metrics.ts: `collectDefaultMetrics({ prefix: "lookout_process_" })` of prom-client 15. */
const LOOKOUT_PROCESS_METRICS = [
  "process_cpu_user_seconds_total",
  "process_cpu_system_seconds_total",
  "process_cpu_seconds_total",
  "process_start_time_seconds",
  "process_resident_memory_bytes",
  "process_virtual_memory_bytes",
  "process_heap_bytes",
  "process_open_fds",
  "process_max_fds",
  "nodejs_eventloop_lag_seconds",
  "nodejs_eventloop_lag_min_seconds",
  "nodejs_eventloop_lag_max_seconds",
  "nodejs_eventloop_lag_mean_seconds",
  "nodejs_eventloop_lag_stddev_seconds",
  "nodejs_eventloop_lag_p50_seconds",
  "nodejs_eventloop_lag_p90_seconds",
  "nodejs_eventloop_lag_p99_seconds",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_heap_size_total_bytes",
  "nodejs_heap_size_used_bytes",
  "nodejs_external_memory_bytes",
  "nodejs_heap_space_size_total_bytes",
  "nodejs_heap_space_size_used_bytes",
  "nodejs_heap_space_size_available_bytes",
  "nodejs_version_info",
  ...histogram("nodejs_gc_duration_seconds"),
].map((n) => `lookout_process_${n}`);

/** server/metrics/scrape/scrape.ts REPORT_METRICS: the series the scraper writes for every target. */
const SCRAPE_REPORT_METRICS = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"];

/** server/metrics/host/collect.ts: node_exporter's names, served at the demo's /host/metrics (job `host`). */
const HOST_METRICS = [
  "node_cpu_seconds_total",
  "node_load1",
  "node_load5",
  "node_load15",
  "node_memory_MemTotal_bytes",
  "node_memory_MemFree_bytes",
  "node_memory_MemAvailable_bytes",
  "node_memory_Buffers_bytes",
  "node_memory_Cached_bytes",
  "node_memory_SwapTotal_bytes",
  "node_memory_SwapFree_bytes",
  "node_filesystem_size_bytes",
  "node_filesystem_avail_bytes",
  "node_filesystem_free_bytes",
  "node_disk_reads_completed_total",
  "node_disk_writes_completed_total",
  "node_disk_read_bytes_total",
  "node_disk_written_bytes_total",
  "node_disk_io_time_seconds_total",
  "node_network_receive_bytes_total",
  "node_network_transmit_bytes_total",
  "node_network_receive_packets_total",
  "node_network_transmit_packets_total",
  "node_network_receive_errs_total",
  "node_network_transmit_errs_total",
  "node_boot_time_seconds",
  "node_time_seconds",
  "node_uname_info",
  "node_context_switches_total",
  "node_procs_running",
];

/** server/demo/shop-metrics.ts: the demo shop's metrics (its /metrics, job `demo`). */
const DEMO_SHOP_METRICS = ["http_requests_total", ...histogram("http_request_duration_seconds"), "orders_total", "payment_failures_total", "shop_queue_depth"];

/** The names each default dashboard may reference. */
const ALLOWED: Record<string, Set<string>> = {
  "lookout-self": new Set([...LOOKOUT_METRICS, ...LOOKOUT_PROCESS_METRICS, ...SCRAPE_REPORT_METRICS]),
  "lookout-host": new Set(HOST_METRICS),
  "lookout-red": new Set(DEMO_SHOP_METRICS),
};

/**
 * Unit ids the panels format (Grafana's ids, as components/charts/value-format.ts of the panels
 * work lists them).
 */
const UNITS = new Set(["short", "none", "bytes", "binBps", "Bps", "pps", "s", "ms", "dtdurations", "percent", "percentunit", "reqps", "ops", "iops"]);

function histogram(name: string): string[] {
  return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
}

/** Names a prom-client registry exposes, histograms with their series. */
async function registryNames(registry: { getMetricsAsJSON: () => Promise<{ name: string; type: unknown }[]> }): Promise<string[]> {
  const out: string[] = [];
  for (const m of await registry.getMetricsAsJSON()) out.push(...(String(m.type) === "histogram" ? histogram(m.name) : [m.name]));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walking the dashboards
// ---------------------------------------------------------------------------------------------

const BUILTINS: Record<string, string> = { __rate_interval: "5m", __interval: "1m", __range: "1h" };

/** Example values for variables (what a selection might interpolate to). */
const SAMPLE_VALUES: Record<string, string> = { instance: "web-1", job: "demo", service: "checkout", route: "/api/checkout" };

function variableRefs(s: string): string[] {
  return [...s.matchAll(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g)].map((m) => (m[1] ?? m[2])!);
}

function interpolate(s: string): string {
  return s.replace(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g, (_, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const v = BUILTINS[name] ?? SAMPLE_VALUES[name];
    if (v === undefined) throw new Error(`no sample value for $${name}`);
    return v;
  });
}

function selectors(node: unknown, out: VectorSelector[] = []): VectorSelector[] {
  if (Array.isArray(node)) node.forEach((n) => selectors(n, out));
  else if (node && typeof node === "object") {
    if ((node as { kind?: string }).kind === "VectorSelector") out.push(node as VectorSelector);
    for (const v of Object.values(node)) if (v && typeof v === "object") selectors(v, out);
  }
  return out;
}

function metricName(sel: VectorSelector): string {
  return sel.name || sel.matchers.find((m) => m.name === "__name__" && m.type === "=")?.value || "";
}

interface Expr {
  where: string;
  expr: string;
}

/** Every PromQL expression: the targets (collapsed rows included) and the selectors inside query variables. */
function promExprs(d: Dashboard): Expr[] {
  const out: Expr[] = [];
  for (const p of allVisualPanels(d)) {
    for (const t of p.targets) if (t.kind === "promql") out.push({ where: `panel "${p.title}" ${t.refId}`, expr: t.expr });
  }
  for (const v of d.variables) {
    if (v.type !== "query" || v.datasource !== "promql") continue;
    const m = /^label_values\((.+),\s*([A-Za-z_]\w*)\)$/.exec(v.query.trim());
    if (m) out.push({ where: `variable ${v.name}`, expr: m[1]! });
  }
  return out;
}

function logQueries(d: Dashboard): Expr[] {
  return allVisualPanels(d).flatMap((p) => p.targets.filter((t) => t.kind === "logs").map((t) => ({ where: `panel "${p.title}" ${t.refId}`, expr: t.query })));
}

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

const byUid = (uid: string) => DEFAULT_DASHBOARDS.find((d) => d.uid === uid)!.dashboard;

// ---------------------------------------------------------------------------------------------

describe("DEFAULT_DASHBOARDS", () => {
  it("are the three defaults in the Lookout folder, each valid in our model (also after a JSON round trip)", () => {
    expect(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.folderTitle, d.dashboard.title])).toEqual([
      ["lookout-self", "Lookout", "Lookout self-monitoring"],
      ["lookout-host", "Lookout", "Host"],
      ["lookout-red", "Lookout", "HTTP service (RED)"],
    ]);
    for (const { uid, dashboard } of DEFAULT_DASHBOARDS) {
      const parsed = DashboardSchema.safeParse(JSON.parse(JSON.stringify(dashboard)));
      expect(parsed.error?.issues, uid).toBeUndefined();
      expect(parsed.data, uid).toEqual(dashboard);
    }
  });

  it.each(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.dashboard] as const))("%s: panels fit the grid without overlapping, and every section is filled", (_uid, d) => {
    const visible = d.panels;
    for (const p of [...visible, ...allVisualPanels(d)]) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(GRID_COLUMNS);
    const check = (panels: { title: string; gridPos: GridPos }[]) => {
      for (let i = 0; i < panels.length; i++) {
        for (let j = i + 1; j < panels.length; j++) expect(overlaps(panels[i]!.gridPos, panels[j]!.gridPos), `${panels[i]!.title} / ${panels[j]!.title}`).toBe(false);
      }
    };
    check(visible);
    for (const p of visible) if (p.type === "row" && p.collapsed) check(p.panels);
    // No empty rows: a row is followed by panels (below it or inside it).
    visible.forEach((p, i) => {
      if (p.type !== "row") return;
      const next = visible[i + 1];
      expect(p.collapsed ? p.panels.length : next && next.type !== "row" ? 1 : 0, `row ${p.title}`).toBeGreaterThan(0);
    });
  });

  it.each(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.dashboard] as const))("%s: every PromQL expression parses, with $__rate_interval and the variables filled in", (_uid, d) => {
    const exprs = promExprs(d);
    expect(exprs.length).toBeGreaterThan(5);
    for (const { where, expr } of exprs) {
      expect(() => parseExpr(interpolate(expr)), `${where}: ${expr}`).not.toThrow();
    }
  });

  it.each(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.dashboard] as const))("%s: every metric it queries is one Lookout exports", (uid, d) => {
    const allowed = ALLOWED[uid]!;
    const used = new Set(promExprs(d).flatMap(({ expr }) => selectors(parseExpr(interpolate(expr))).map(metricName)));
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((n) => !allowed.has(n))).toEqual([]);
  });

  it.each(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.dashboard] as const))("%s: uses only defined variables; repeats are over multi-value variables; units are known ids", (_uid, d) => {
    const names = new Map<string, Variable>(d.variables.map((v) => [v.name, v]));
    const texts = [
      ...allVisualPanels(d).flatMap((p) => [p.title, ...p.targets.map((t) => (t.kind === "promql" ? t.expr : t.query))]),
      ...d.panels.filter((p) => p.type === "row").map((r) => r.title),
      ...d.variables.map((v) => ("query" in v ? v.query : "")),
    ];
    for (const ref of texts.flatMap(variableRefs)) expect(ref in BUILTINS || names.has(ref), `$${ref}`).toBe(true);
    for (const p of [...d.panels, ...allVisualPanels(d)]) {
      if (!p.repeat) continue;
      const v = names.get(p.repeat);
      expect(v && "multi" in v && (v.multi || v.includeAll), `repeat ${p.repeat}`).toBeTruthy();
    }
    for (const p of allVisualPanels(d)) {
      const units = [p.fieldConfig.defaults.unit, ...p.fieldConfig.overrides.map((o) => o.properties.unit)].filter((u): u is string => !!u);
      for (const u of units) expect(UNITS.has(u), `${p.title}: unit ${u}`).toBe(true);
    }
  });
});

describe("the metric name lists match what is exported", () => {
  it("Lookout's registry (server/lib/metrics.ts) exports exactly LOOKOUT_METRICS and the lookout_process_ defaults", async () => {
    expect(new Set(await registryNames(metrics().registry))).toEqual(new Set([...LOOKOUT_METRICS, ...LOOKOUT_PROCESS_METRICS]));
  });

  it("the scraper's report series", () => {
    expect(SCRAPE_REPORT_METRICS).toEqual([...REPORT_METRICS]);
  });

  it("the host collector's families", async () => {
    const fixture: HostSource = {
      platform: "linux",
      readFile: async (p) => ({ "/proc/stat": PROC_STAT, "/proc/loadavg": LOADAVG, "/proc/meminfo": MEMINFO, "/proc/mounts": MOUNTS, "/proc/diskstats": DISKSTATS, "/proc/net/dev": NET_DEV })[p] ?? null,
      statfs: async (): Promise<FsStats> => ({ bsize: 4096, blocks: 10, bfree: 5, bavail: 4 }),
      uname: () => ({ sysname: "Linux", release: "6.1", machine: "x86_64", nodename: "h" }),
      nowMs: () => 0,
      cpus: () => [],
      loadavg: () => [0, 0, 0],
      totalmem: () => 0,
      freemem: () => 0,
      uptime: () => 0,
    };
    // The collector exports more (every node_exporter family the Node Exporter Full dashboard reads); the Host dashboard's names are among them.
    const exported = (await hostFamilies(fixture)).map((f) => f.name);
    expect(HOST_METRICS.filter((n) => !exported.includes(n))).toEqual([]);
  });

  it("the demo shop's registry (server/demo/shop-metrics.ts)", async () => {
    expect(new Set(await registryNames(new ShopMetrics({ processMetrics: false }).registry))).toEqual(new Set(DEMO_SHOP_METRICS));
  });
});

describe("Lookout self-monitoring", () => {
  const d = byUid("lookout-self");

  it("reads Lookout's metrics from its own scrape job", () => {
    for (const { where, expr } of promExprs(d)) {
      for (const sel of selectors(parseExpr(interpolate(expr)))) {
        if (!metricName(sel).startsWith("lookout_")) continue;
        expect(sel.matchers, `${where}: ${metricName(sel)}`).toContainEqual(expect.objectContaining({ name: "job", type: "=", value: SELF_JOB_NAME }));
      }
    }
  });

  it("has a row per area and stats on top", () => {
    expect(d.panels.filter((p) => p.type === "row").map((r) => r.title)).toEqual([
      "Ingest",
      "Queues",
      "Query latency",
      "Storage",
      "Refused events and dead letters",
      "Processing",
      "HTTP API",
      "Scrape health",
      "Processes (web + workers)",
    ]);
    const firstRow = d.panels.findIndex((p) => p.type === "row");
    expect(d.panels.slice(0, firstRow).every((p) => p.type === "stat" && p.gridPos.y === 0)).toBe(true);
  });

  it("opens with about a dozen panels (the headline rows); the detail rows are collapsed", () => {
    const open = d.panels.filter((p) => p.type !== "row");
    expect(open.length).toBeGreaterThanOrEqual(10);
    expect(open.length).toBeLessThanOrEqual(14);
    const rows = d.panels.filter((p) => p.type === "row");
    expect(rows.filter((r) => !r.collapsed).map((r) => r.title)).toEqual(["Ingest", "Queues", "Query latency", "Storage"]);
    expect(allVisualPanels(d).some((p) => p.type === "text")).toBe(false);
  });

  const exprsOf = (title: string) => allVisualPanels(d).find((p) => p.title === title)?.targets.map((t) => (t.kind === "promql" ? t.expr : ""));

  it("shows query latency quantiles by kind, storage by kind with the total, ingest bytes and the HTTP API", () => {
    const latency = exprsOf("Query latency by kind")!;
    expect(latency.map((e) => /^histogram_quantile\(([\d.]+), sum by \(le, kind\) \(rate\(lookout_query_duration_seconds_bucket\{/.exec(e)?.[1])).toEqual(["0.5", "0.95", "0.99"]);
    expect(exprsOf("Storage by kind")).toEqual([`sum by (kind) (lookout_storage_bytes{job="${SELF_JOB_NAME}",kind!="total"})`]);
    expect(exprsOf("Database size")).toEqual([`sum(lookout_storage_bytes{job="${SELF_JOB_NAME}",kind="total"})`]);
    expect(exprsOf("Log ingest bytes/s by source")?.[0]).toContain("rate(lookout_logs_ingest_bytes_total{");
    expect(exprsOf("Requests/s by route")?.[0]).toMatch(/^sum by \(route\) \(rate\(lookout_http_requests_total\{/);
    expect(exprsOf("Errors/s by status class")?.map((e) => /status=~"(\d)\.\."/.exec(e)?.[1])).toEqual(["4", "5"]);
    expect(exprsOf("Latency p95 by route")?.[0]).toMatch(/^histogram_quantile\(0\.95, sum by \(le, route\) \(rate\(lookout_http_request_duration_seconds_bucket\{/);
    const units = Object.fromEntries(allVisualPanels(d).map((p) => [p.title, p.fieldConfig.defaults.unit]));
    expect([units["Storage by kind"], units["Database size"], units["Log ingest bytes/s by source"], units["Query latency by kind"]]).toEqual(["bytes", "bytes", "binBps", "s"]);
  });
});

describe("Host", () => {
  const d = byUid("lookout-host");

  it("has the instance variable from node_uname_info, used by every selector", () => {
    expect(d.variables).toEqual([expect.objectContaining({ type: "query", name: "instance", datasource: "promql", query: "label_values(node_uname_info, instance)" })]);
    for (const { where, expr } of promExprs(d).filter((e) => !e.where.startsWith("variable"))) {
      for (const sel of selectors(parseExpr(interpolate(expr)))) {
        expect(sel.matchers, where).toContainEqual({ type: "=", name: "instance", value: SAMPLE_VALUES.instance });
      }
    }
  });

  it("shows root filesystem usage as a gauge and uptime as a stat", () => {
    const panels = allVisualPanels(d);
    const root = panels.find((p) => p.type === "gauge" && p.targets.some((t) => t.kind === "promql" && t.expr.includes('mountpoint="/"')));
    expect(root?.fieldConfig.defaults).toMatchObject({ unit: "percent", min: 0, max: 100 });
    expect(panels.find((p) => p.title === "Uptime")?.type).toBe("stat");
  });
});

describe("HTTP service (RED)", () => {
  const d = byUid("lookout-red");

  it("defaults to the demo's job and reads the demo's logs", () => {
    expect(RED_DEFAULT_JOB).toBe(DEMO_JOB_NAME);
    expect(RED_LOG_SOURCE).toBe(DEMO_APP_SOURCE);
  });

  it("chains job → service → route, multi-select with All", () => {
    const [job, service, route] = d.variables;
    expect([job, service, route].map((v) => v && v.type === "query" && [v.name, v.multi, v.includeAll])).toEqual([
      ["job", true, true],
      ["service", true, true],
      ["route", true, true],
    ]);
    expect(job).toMatchObject({ query: "label_values(http_requests_total, job)" });
    expect(variableRefs((service as { query: string }).query)).toEqual(["job"]);
    expect(variableRefs((route as { query: string }).query)).toEqual(["job", "service"]);
  });

  it("repeats the last row per service", () => {
    const rows = d.panels.filter((p) => p.type === "row");
    expect(rows.at(-1)).toMatchObject({ repeat: "service" });
  });

  it("has the latency quantiles, an error ratio with thresholds, a heatmap, an in-flight gauge, and logs panels", () => {
    const panels = allVisualPanels(d);
    const exprs = panels.flatMap((p) => p.targets.map((t) => (t.kind === "promql" ? t.expr : "")));
    for (const q of ["0.5", "0.9", "0.99"]) expect(exprs.some((e) => e.startsWith(`histogram_quantile(${q},`))).toBe(true);
    expect(panels.find((p) => p.title === "Error ratio (5xx)")?.fieldConfig.defaults.thresholds?.steps.length).toBe(3);
    expect(panels.some((p) => p.type === "heatmap")).toBe(true);
    expect(panels.some((p) => p.type === "gauge")).toBe(true);
    expect(panels.filter((p) => p.type === "logs").flatMap((p) => p.targets)).toEqual([expect.objectContaining({ kind: "logs", mode: "lines", query: expect.stringContaining("level:error") })]);
    expect(panels.filter((p) => p.type === "logvolume").flatMap((p) => p.targets)).toEqual([expect.objectContaining({ kind: "logs", mode: "volume" })]);
  });
});

describe("log queries", () => {
  it.each(DEFAULT_DASHBOARDS.map((d) => [d.uid, d.dashboard] as const))("%s: parse in Discover's query language", (_uid, d) => {
    for (const { where, expr } of logQueries(d)) expect(() => parseQuery(interpolate(expr)), where).not.toThrow();
  });
});
