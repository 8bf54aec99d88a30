/**
 * examples/rules/node.rules.yml (HighErrorRate, HighMemoryUsage, DiskWillFillIn4Hours) parsed as
 * provisioning reads it and evaluated by the real evaluator over what Lookout's own jobs scrape:
 * the host collector (node_exporter names, on /proc fixtures) as the `host` job, and the demo
 * shop's registry as the `demo` job while the simulated shop runs into its incidents. Every
 * selector of every rule must select series; each rule fires when its condition holds and returns
 * nothing while it does not.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { evaluateRule } from "@/server/alerting/evaluate";
import type { AlertRule } from "@/server/alerting/model";
import { parseRuleFile } from "@/server/alerting/rule-file";
import { ruleTemplateRenderer } from "@/server/alerting/rule-render";
import { parseRuleGroup } from "@/server/alerting/rules-service";
import { nextStates } from "@/server/alerting/state";
import { demoScrapeConfig, hostScrapeConfig } from "@/server/demo/config";
import { ShopMetrics } from "@/server/demo/shop-metrics";
import { ShopSimulator } from "@/server/demo/simulate";
import { incidentAt } from "@/server/demo/traffic";
import { collectHostMetrics, type HostSource } from "@/server/metrics/host";
import { DISKSTATS, LOADAVG, MEMINFO, MOUNTS, NET_DEV, PROC_STAT } from "@/server/metrics/host/procfs.fixture";
import type { Labels } from "@/server/metrics/model";
import type { Expr, VectorSelector } from "@/server/metrics/promql/ast";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { MemoryQueryable } from "@/server/metrics/promql/engine/memory-queryable";
import { parseExpr } from "@/server/metrics/promql/parse";
import { printExpr } from "@/server/metrics/promql/print";
import { parseScrapeConfig, targetsOf } from "@/server/metrics/scrape/config";
import { scrapeOnce } from "@/server/metrics/scrape/scrape";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MINUTE = 60_000;
const SCRAPE = 15_000;
/** 2026-01-01T00:00Z: a multiple of 20 and of 45 minutes, so search fails at +30–31 min and payments at +32–34. */
const T0 = 1_767_225_600_000;
const noDb = {} as Db;

/** The example rules as provisioning reads them (lookout.yaml's evaluation_interval as the default). */
function exampleRules(): Map<string, AlertRule[]> {
  const parsed = parseRuleFile(readFileSync(path.join(root, "examples/rules/node.rules.yml"), "utf8"), { defaultInterval: "1m" });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  expect(parsed.warnings).toEqual([]);
  const byTitle = new Map<string, AlertRule[]>();
  for (const g of parsed.groups) {
    for (const r of parseRuleGroup(g).rules) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), { ...r, uid: `${r.title}-${r.labels.severity}` }]);
  }
  return byTitle;
}

function selectors(e: Expr): VectorSelector[] {
  switch (e.kind) {
    case "VectorSelector":
      return [e];
    case "MatrixSelector":
      return [e.vectorSelector];
    case "SubqueryExpr":
    case "ParenExpr":
    case "UnaryExpr":
      return selectors(e.expr);
    case "AggregateExpr":
      return [...selectors(e.expr), ...(e.param ? selectors(e.param) : [])];
    case "Call":
      return e.args.flatMap(selectors);
    case "BinaryExpr":
      return [...selectors(e.lhs), ...selectors(e.rhs)];
    default:
      return [];
  }
}

/** The selectors of `rule` that select nothing at `at`. */
async function emptySelectors(store: MemoryQueryable, rule: AlertRule, at: number): Promise<string[]> {
  if (rule.query.kind !== "promql") throw new Error("a PromQL rule");
  const out: string[] = [];
  for (const s of selectors(parseExpr(rule.query.expr))) {
    const text = printExpr({ ...s, offset: 0 });
    const r = await createEngine().instantQuery(store, text, at);
    if (r.resultType !== "vector" || r.result.length === 0) out.push(text);
  }
  return out;
}

/** Evaluates `rule` at `at`: the firing-or-pending series' labels (the state machine from scratch, `for` aside). */
async function activeSeries(store: MemoryQueryable, rule: AlertRule, at: number): Promise<Record<string, string>[]> {
  const result = await evaluateRule({ db: noDb, engine: createEngine(), queryable: store }, rule, at);
  expect(result.ok ? null : result.error).toBeNull();
  const { instances } = nextStates(rule, [], result, { render: ruleTemplateRenderer() });
  for (const i of instances) for (const [k, v] of Object.entries(i.annotations)) expect(v, `${rule.title} ${k}`).not.toMatch(/<no value>|%!|NaN/);
  return instances.filter((i) => i.state !== "normal").map((i) => i.labels);
}

/** Scrapes `bodyAt(t)` every 15 s over [start, end] as `config`'s target, into `store`. */
async function scrapeInto(store: MemoryQueryable, config: Record<string, unknown>, start: number, end: number, bodyAt: (t: number) => Promise<string>): Promise<void> {
  const target = targetsOf(parseScrapeConfig(config)).targets[0]!;
  let previous: Labels[] = [];
  for (let t = start; t <= end; t += SCRAPE) {
    const body = await bodyAt(t);
    const result = await scrapeOnce(target, async () => new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } }), t, { previous, clock: () => 0 });
    expect(result.error).toBeNull();
    store.append(result.series);
    previous = result.tracked;
  }
}

/** The host collector on /proc fixtures, with `available` of the memory left and the root filesystem at `rootAvail(t)` blocks of 1000. */
function hostSource(opts: { available: number; rootAvail: (t: number) => number; now: () => number }): HostSource {
  const total = 24_731_400;
  const meminfo = MEMINFO.replace(/^MemAvailable:\s+\d+ kB$/m, `MemAvailable:   ${Math.round(total * opts.available)} kB`);
  return {
    platform: "linux",
    readFile: async (p) => ({ "/proc/stat": PROC_STAT, "/proc/loadavg": LOADAVG, "/proc/meminfo": meminfo, "/proc/mounts": MOUNTS, "/proc/diskstats": DISKSTATS, "/proc/net/dev": NET_DEV })[p] ?? null,
    statfs: async (mountpoint) => ({ bsize: 4096, blocks: 1000, bfree: 900, bavail: mountpoint === "/" ? opts.rootAvail(opts.now()) : 800 }),
    uname: () => ({ sysname: "Linux", release: "6.1.0", machine: "x86_64", nodename: "web-1" }),
    nowMs: opts.now,
    cpus: () => [],
    loadavg: () => [0, 0, 0],
    totalmem: () => 0,
    freemem: () => 0,
    uptime: () => 0,
  };
}

describe("the example rule file over Lookout's own scrapes", () => {
  const rules = exampleRules();

  it("holds HighErrorRate, HighMemoryUsage (warning and critical) and DiskWillFillIn4Hours", () => {
    expect([...rules].map(([title, rs]) => [title, rs.map((r) => r.labels.severity)])).toEqual([
      ["HighErrorRate", ["critical"]],
      ["HighMemoryUsage", ["warning", "critical"]],
      ["DiskWillFillIn4Hours", ["warning"]],
    ]);
    // The groups' intervals: its own, and lookout.yaml's evaluation_interval.
    const parsed = parseRuleFile(readFileSync(path.join(root, "examples/rules/node.rules.yml"), "utf8"), { defaultInterval: "45s" });
    expect(parsed.ok && parsed.groups.map((g) => [g.name, g.interval])).toEqual([
      ["http", "30s"],
      ["node", "45s"],
    ]);
  });

  it("HighMemoryUsage and DiskWillFillIn4Hours on the host job: real series, firing as their conditions hold", async () => {
    const store = new MemoryQueryable();
    let now = T0;
    // 5% of the memory available; the root filesystem at 35% free and losing 2 blocks a minute (gone in under 3 hours).
    const source = hostSource({ available: 0.05, rootAvail: (t) => 350 - Math.floor((2 * (t - T0)) / MINUTE), now: () => now });
    const end = T0 + 30 * MINUTE;
    await scrapeInto(store, hostScrapeConfig({ host: "127.0.0.1", port: 9 }, "web-1"), T0, end, async (t) => {
      now = t;
      return collectHostMetrics(source);
    });
    for (const rule of [...rules.get("HighMemoryUsage")!, ...rules.get("DiskWillFillIn4Hours")!]) {
      expect(await emptySelectors(store, rule, end), rule.title).toEqual([]);
    }
    const [warning, critical] = rules.get("HighMemoryUsage")!;
    expect(await activeSeries(store, warning!, end)).toEqual([{ alertname: "HighMemoryUsage", severity: "warning", instance: "web-1", job: "host" }]);
    expect(await activeSeries(store, critical!, end)).toEqual([]);
    // Only the root filesystem is filling up; /boot and the others stand still.
    const disk = await activeSeries(store, rules.get("DiskWillFillIn4Hours")![0]!, end);
    expect(disk).toEqual([{ alertname: "DiskWillFillIn4Hours", severity: "warning", instance: "web-1", job: "host", device: "/dev/vda", fstype: "ext4", mountpoint: "/" }]);
  });

  it("HighMemoryUsage and DiskWillFillIn4Hours stay quiet on a healthy host", async () => {
    const store = new MemoryQueryable();
    let now = T0;
    const source = hostSource({ available: 0.6, rootAvail: () => 350, now: () => now });
    const end = T0 + 30 * MINUTE;
    await scrapeInto(store, hostScrapeConfig({ host: "127.0.0.1", port: 9 }, "web-1"), T0, end, async (t) => {
      now = t;
      return collectHostMetrics(source);
    });
    for (const rule of [...rules.get("HighMemoryUsage")!, ...rules.get("DiskWillFillIn4Hours")!]) {
      expect(await emptySelectors(store, rule, end), rule.title).toEqual([]);
      expect(await activeSeries(store, rule, end), rule.title).toEqual([]);
    }
  });

  it("HighErrorRate on the demo job: nothing while the shop is healthy, the failing services during its incidents", async () => {
    const store = new MemoryQueryable();
    const shop = new ShopMetrics({ processMetrics: false });
    const sim = new ShopSimulator({ seed: 3, rate: 2 });
    expect([incidentAt(T0 + 30.5 * MINUTE), incidentAt(T0 + 33 * MINUTE)]).toEqual(["search-errors", "payments-latency"]);
    let last = T0 - SCRAPE;
    await scrapeInto(store, demoScrapeConfig({ host: "127.0.0.1", port: 9 }), T0, T0 + 34 * MINUTE, async (t) => {
      shop.record(sim.advance(last, t), t);
      last = t;
      return (await shop.scrape()).body;
    });
    const rule = rules.get("HighErrorRate")![0]!;
    expect(await emptySelectors(store, rule, T0 + 29 * MINUTE)).toEqual([]);
    // Minute 29: healthy (the payments incident of minute 12 has left the 5-minute window; search has not failed yet).
    expect(await activeSeries(store, rule, T0 + 29 * MINUTE)).toEqual([]);
    // Minute 34: payments timed out for two minutes (checkouts with them). Search's one failing minute
    // at minute 30 (a third of searches) stays under 5% of its 5 minutes.
    const during = await activeSeries(store, rule, T0 + 34 * MINUTE);
    expect(during.map((l) => l.service).sort()).toEqual(["checkout", "payments"]);
    expect(during[0]).toMatchObject({ alertname: "HighErrorRate", severity: "critical", job: "demo" });
  });
});
