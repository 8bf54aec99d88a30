/**
 * "Node Exporter Full" (../shared/conformance/grafana/node-exporter-full.json, the community's
 * node_exporter dashboard) over Lookout's host collector, as a user who imports it sees it: the
 * collector's exposition on /proc fixtures, scraped as the demo's `host` job through the real
 * scrape pipeline a few times 15 s apart; the imported dashboard's variables resolved as the UI
 * resolves them (resolveVariables, options from `variableOptions` over the same store); each
 * panel's targets interpolated as the UI prepares them (interpolateTargets, the panel's
 * `$__interval` for a 5-minute range) and evaluated by the PromQL engine at the last scrape.
 *
 * Every target of the panels a first visit shows (the two expanded rows) must return data, with
 * the labels its legend names. For the collapsed rows, how many targets return data is logged.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/server/auth/principal";
import { convertDashboardJson } from "@/server/dashboards/grafana-import";
import type { Dashboard, VisualPanel } from "@/server/dashboards/model";
import { variableOptions } from "@/server/dashboards/variable-options";
import { interpolateTargets, panelIntervalMs, resolveVariables, variableValues, type FetchedOptions, type VariableState } from "@/server/dashboards/variables";
import { hostScrapeConfig } from "@/server/demo/config";
import type { Labels } from "@/server/metrics/model";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { parseScrapeConfig, targetsOf } from "@/server/metrics/scrape/config";
import { scrapeOnce } from "@/server/metrics/scrape/scrape";
import { collectHostMetrics, type HostSource } from "./collect";
import { hostFixtureFiles } from "./procfs.fixture";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const FILE = path.resolve(repoRoot, "../shared/conformance/grafana/node-exporter-full.json");
const present = fs.existsSync(FILE);
if (!present) console.log(`node-exporter-full.test: skipped — ${FILE} is absent (the conformance dashboards live in ../shared/conformance/grafana beside the repository)`);

/** 2026-01-01T00:00Z. */
const T0 = 1_767_225_600_000;
const SCRAPE_MS = 15_000;
const SCRAPES = 5;
/** The range picked: the last 5 minutes (a short range, so `$__interval` is the 15 s minimum and `$__rate_interval` 1m). */
const RANGE_MS = 5 * 60_000;
/** Width of the 24-column grid in pixels (for a panel's `$__interval`). */
const GRID_PX = 1600;
const HOSTNAME = "web-1";

/** The collector on /proc fixtures at time `t`; counters move on between scrapes as a live machine's do. */
async function exposition(k: number, t: number): Promise<string> {
  const files = hostFixtureFiles();
  const source: HostSource = {
    platform: "linux",
    readFile: async (p) => files[p] ?? null,
    statfs: async () => ({ bsize: 4096, blocks: 1000, bfree: 400, bavail: 350, files: 65536, ffree: 60000 }),
    uname: () => ({ sysname: "Linux", release: "6.8.0-51-generic", machine: "x86_64", nodename: HOSTNAME }),
    nowMs: () => t,
    cpus: () => [],
    loadavg: () => [0, 0, 0],
    totalmem: () => 0,
    freemem: () => 0,
    uptime: () => 0,
  };
  const body = await collectHostMetrics(source);
  return body.replace(/^(node_\w+_total(?:\{[^}]*\})?) (\S+)$/gm, (_, series: string, v: string) => `${series} ${Number(v) + k * 7}`);
}

/** Scrapes the host job SCRAPES times, 15 s apart; returns the last scrape's time. */
async function scrapeHostJob(store: MemoryQueryable): Promise<number> {
  const target = targetsOf(parseScrapeConfig(hostScrapeConfig({ host: "127.0.0.1", port: 9 }, HOSTNAME))).targets[0]!;
  let previous: Labels[] = [];
  let t = T0;
  for (let k = 0; k < SCRAPES; k++) {
    t = T0 + k * SCRAPE_MS;
    const body = await exposition(k, t);
    const result = await scrapeOnce(target, async () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }), t, { previous, clock: () => 0 });
    expect(result.error).toBeNull();
    store.append(result.series);
    previous = result.tracked;
  }
  return t;
}

/**
 * The dashboard's variables as the page resolves them: resolveVariables over what has been
 * fetched so far, then each variable it asks for fetched (`variableOptions`, the procedure the
 * page calls, over the store), until nothing is left to fetch.
 */
async function resolveLikeThePage(d: Dashboard, store: MemoryQueryable, range: { start: number; end: number }): Promise<VariableState[]> {
  const principal = { permissions: new Set(["metrics:read", "dashboards:read"]) } as unknown as Principal;
  const deps = { db: undefined as never, queryable: () => store };
  const fetched = new Map<string, FetchedOptions>();
  for (let round = 0; round <= d.variables.length; round++) {
    const states = resolveVariables(d.variables, { urlValues: {}, range, dashboard: d.title, fetched: (input) => fetched.get(JSON.stringify(input)) ?? { loading: true } });
    const wanted = states.flatMap((s) => (s.input && !fetched.has(JSON.stringify(s.input)) ? [s.input] : []));
    if (wanted.length === 0) return states;
    for (const input of wanted) fetched.set(JSON.stringify(input), { loading: false, options: (await variableOptions(deps, principal, input)).options });
  }
  throw new Error("variables did not settle");
}

interface TargetOutcome {
  where: string;
  expr: string;
  data: boolean;
  /** Legend labels missing from the result. */
  missingLabels: string[];
}

async function evaluatePanel(p: VisualPanel, states: VariableState[], store: MemoryQueryable, at: number): Promise<TargetOutcome[]> {
  const engine = createEngine();
  const range = { start: at - RANGE_MS, end: at };
  const intervalMs = panelIntervalMs(p, RANGE_MS, (p.gridPos.w / 24) * GRID_PX);
  const out: TargetOutcome[] = [];
  for (const t of interpolateTargets(p.targets, variableValues(states), { range, intervalMs, dashboard: "Node Exporter Full" })) {
    if (t.kind !== "promql") continue;
    const where = `${p.title} / ${t.refId}`;
    const r = await engine.instantQuery(store, t.expr, at);
    const samples = r.resultType === "vector" ? r.result : [];
    const data = r.resultType === "scalar" || samples.length > 0;
    const missingLabels = [...(t.legendFormat ?? "").matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).filter((label) => samples.some((s) => !(label in s.labels)));
    out.push({ where, expr: t.expr, data, missingLabels });
  }
  return out;
}

describe.skipIf(!present)("Node Exporter Full over the host collector (job host)", () => {
  let dashboard: Dashboard;
  const store = new MemoryQueryable();
  let at = 0;
  let states: VariableState[] = [];

  beforeAll(async () => {
    const converted = convertDashboardJson(JSON.parse(fs.readFileSync(FILE, "utf8")) as Record<string, unknown>);
    dashboard = converted.dashboard;
    at = await scrapeHostJob(store);
    states = await resolveLikeThePage(dashboard, store, { start: at - RANGE_MS, end: at });
  });

  it("resolves job, nodename and instance from node_uname_info as the page does", () => {
    const selected = Object.fromEntries(states.map((s) => [s.variable.name, s.selected]));
    expect(selected).toEqual({ job: ["host"], nodename: [HOSTNAME], node: [HOSTNAME] });
    expect(states.every((s) => !s.loading && !s.error)).toBe(true);
  });

  it("every target of the panels a first visit shows (the expanded rows) returns data", async () => {
    const firstVisit = dashboard.panels.filter((p): p is VisualPanel => p.type !== "row");
    const rows = dashboard.panels.filter((p) => p.type === "row" && !p.collapsed).map((p) => p.title);
    expect(rows).toEqual(["Quick CPU / Mem / Disk", "Basic CPU / Mem / Net / Disk"]);
    expect(firstVisit.map((p) => p.title)).toEqual([
      "Pressure",
      "CPU Busy",
      "Sys Load",
      "RAM Used",
      "SWAP Used",
      "Root FS Used",
      "CPU Cores",
      "RAM Total",
      "SWAP Total",
      "RootFS Total",
      "Uptime",
      "CPU Basic",
      "Memory Basic",
      "Network Traffic Basic",
      "Disk Space Used Basic",
    ]);
    const outcomes = (await Promise.all(firstVisit.map((p) => evaluatePanel(p, states, store, at)))).flat();
    expect(outcomes).toHaveLength(28);
    // Interpolated for the host job's instance: no variable left, the selectors name it.
    for (const o of outcomes) expect(o.expr, o.where).not.toMatch(/\$/);
    expect(outcomes.find((o) => o.where === "CPU Busy / A")!.expr).toBe('100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle",instance="web-1",job="host"}[1m])))');
    const problems = outcomes.flatMap((o) => [
      ...(o.data ? [] : [`no data: ${o.where}: ${o.expr}`]),
      ...o.missingLabels.map((l) => `{{${l}}} not in the result: ${o.where}`),
    ]);
    expect(problems).toEqual([]);
  });

  it("the first-visit values are the fixtures' (pressure, uptime, memory used)", async () => {
    const byTitle = (title: string) => dashboard.panels.find((p): p is VisualPanel => p.type !== "row" && p.title === title)!;
    const engine = createEngine();
    const value = async (title: string, refId: string) => {
      const t = interpolateTargets(byTitle(title).targets, variableValues(states), { range: { start: at - RANGE_MS, end: at }, intervalMs: SCRAPE_MS }).find((x) => x.refId === refId)!;
      const r = await engine.instantQuery(store, t.kind === "promql" ? t.expr : "", at);
      return r.resultType === "vector" ? r.result[0]!.v : r.resultType === "scalar" ? r.result.v : NaN;
    };
    // Counters bumped by 7 a scrape: a rate of 7/15 per second.
    expect(await value("Pressure", "D")).toBeCloseTo(7 / 15, 6);
    expect(await value("Uptime", "A")).toBe(at / 1000 - 1767225600);
    // Used = total - free - (cached + buffers + SReclaimable), in bytes.
    expect(await value("Memory Basic", "B")).toBe((24731400 - 22533532 - (1531588 + 138820 + 152752)) * 1024);
  });

  it("collapsed rows: targets with data (logged, not asserted)", async () => {
    const lines: string[] = [];
    let withData = 0;
    let total = 0;
    for (const row of dashboard.panels) {
      if (row.type !== "row" || !row.collapsed) continue;
      const outcomes = (await Promise.all(row.panels.map((p) => evaluatePanel(p, states, store, at)))).flat();
      const ok = outcomes.filter((o) => o.data).length;
      withData += ok;
      total += outcomes.length;
      lines.push(`  ${row.title}: ${ok}/${outcomes.length}`);
      for (const o of outcomes.filter((x) => !x.data)) lines.push(`    no data: ${o.where}: ${o.expr.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    console.log(`node-exporter-full collapsed rows: ${withData}/${total} targets return data\n${lines.join("\n")}`);
    expect(total).toBeGreaterThan(0);
  });
});
