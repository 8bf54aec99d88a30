/**
 * Dashboard load: the "Lookout self-monitoring" dashboard (the panels a first visit shows; the
 * collapsed rows query only when opened) over 24 h, on a store holding 24 h of every series its
 * queries read at 15 s (the series are derived from the dashboard's own PromQL: each metric with
 * the labels its queries match and group by, histograms with their `le` buckets).
 *
 * Server side: every visible panel's queries through `runPanelQuery` (what `panels.query` runs),
 * all panels in parallel as the browser asks for them, with the Redis panel cache emptied first
 * (cold) and then warm. Browser: Debian's Chromium opens the dashboard on the production server
 * (web + workers) and waits until every visible panel has its data (`data-state` ready/error),
 * cold (panel cache emptied) and warm (reload). p50/p95 over BENCH_RUNS (5) runs each.
 *
 *   npm run bench:dashboards   (BENCH_INSTANCES=4 reporting processes; BENCH_SERIES_PER_METRIC=24
 *                              label combinations per metric and instance; BENCH_RUNS=5)
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { sql } from "drizzle-orm";
import Redis from "ioredis";
import type { Db } from "@/db/client";
import { ALL_PERMISSIONS } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { lookoutSelfDashboard } from "@/server/dashboards/defaults/lookout-self";
import { PanelCache } from "@/server/dashboards/panel-cache";
import { runPanelQuery } from "@/server/dashboards/panel-query";
import { interpolateTargets, panelIntervalMs } from "@/server/dashboards/variables";
import { type VisualPanel } from "@/server/dashboards/model";
import { deleteKeysByPrefix } from "@/server/lib/redis";
import { pgArray } from "@/server/lib/sql-array";
import { encodeChunk } from "@/server/metrics/chunk/chunk";
import type { Expr, LabelMatcher } from "@/server/metrics/promql/ast";
import { parseExpr } from "@/server/metrics/promql/parse";
import { fingerprintOfKey, seriesKey } from "@/server/metrics/store/series-key";
import { rebuildHourRollups } from "@/server/metrics/store/rollup-store";
import { startThrowawayStack } from "@/scripts/lib/stack";
import { seedFoundation } from "@/server/setup/seed";

const HOUR = 3_600_000;
const STEP = 15_000;
const RANGE = 24 * HOUR;
const runs = Number(process.env.BENCH_RUNS || 5);
const perMetric = Number(process.env.BENCH_SERIES_PER_METRIC || 24);
/** Lookout processes reporting (web + workers): each metric's label sets repeat per instance. */
const instances = Number(process.env.BENCH_INSTANCES || 4);
const port = Number(process.env.BENCH_PORT || 3190);
const ADMIN = { email: "bench-admin@lookout.test", password: "bench-admin-password" };
const LE = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
/** The width of the bench's browser viewport's grid (px), for the panels' intervals. */
const GRID_PX = 1400;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const end = Math.floor(Date.now() / HOUR) * HOUR + HOUR; // data reaches past now: the range is full

/** Top-level visual panels: what a first visit renders (collapsed rows hold theirs inside). */
const visiblePanels = (): VisualPanel[] => lookoutSelfDashboard.panels.filter((p): p is VisualPanel => p.type !== "row");

/** Metric name → label names with candidate values, from the selectors and groupings of the queries. */
function seriesShapes(): Map<string, Map<string, string[]>> {
  const shapes = new Map<string, Map<string, string[]>>();
  const visit = (e: Expr, grouping: string[]) => {
    switch (e.kind) {
      case "VectorSelector": {
        const labels = shapes.get(e.name) ?? new Map<string, string[]>();
        shapes.set(e.name, labels);
        for (const m of e.matchers as LabelMatcher[]) {
          if (m.name === "__name__") continue;
          if (m.type === "=") labels.set(m.name, [m.value]);
          else if (!labels.has(m.name)) labels.set(m.name, ["a", "b", "c"]);
        }
        for (const g of grouping) if (!labels.has(g) && g !== "le") labels.set(g, ["a", "b", "c"]);
        if (e.name.endsWith("_bucket")) labels.set("le", LE);
        return;
      }
      case "MatrixSelector":
        return visit(e.vectorSelector, grouping);
      case "SubqueryExpr":
      case "ParenExpr":
      case "UnaryExpr":
        return visit(e.expr, grouping);
      case "Call":
        return e.args.forEach((a) => visit(a, grouping));
      case "AggregateExpr":
        return visit(e.expr, e.without ? grouping : [...grouping, ...e.grouping]);
      case "BinaryExpr":
        visit(e.lhs, grouping);
        return visit(e.rhs, grouping);
      default:
        return;
    }
  };
  const panels = lookoutSelfDashboard.panels.flatMap((p) => (p.type === "row" ? p.panels : [p]));
  for (const p of panels)
    for (const t of p.targets)
      if (t.kind === "promql") {
        const expr = t.expr.replace(/\$__rate_interval|\$__interval|\$__range/g, "5m");
        visit(parseExpr(expr), []);
      }
  return shapes;
}

/** Every label combination of a shape, at most `perMetric` per instance (× buckets). */
function labelSets(name: string, shape: Map<string, string[]>): Record<string, string>[] {
  let sets: Record<string, string>[] = [{ __name__: name }];
  const entries = [...shape.entries()].filter(([k]) => k !== "le" && k !== "instance");
  for (const [label, values] of entries) sets = sets.flatMap((s) => values.map((v) => ({ ...s, [label]: v })));
  sets = sets.slice(0, perMetric).flatMap((s) => Array.from({ length: instances }, (_, i) => ({ ...s, instance: `lookout-${i}:3000` })));
  if (shape.has("le")) sets = sets.flatMap((s) => LE.map((le) => ({ ...s, le })));
  return sets;
}

/** 24 h of samples per series as compacted hourly chunks, then the hours' rollups. */
async function load(db: Db): Promise<{ series: number; samples: number }> {
  const shapes = seriesShapes();
  const all: { labels: Record<string, string>; counter: boolean; scale: number }[] = [];
  for (const [name, shape] of shapes) {
    const counter = /(_total|_bucket|_count|_sum)$/.test(name);
    labelSets(name, shape).forEach((labels, i) => {
      const le = labels.le === "+Inf" ? 100 : Number(labels.le ?? 1);
      all.push({ labels, counter, scale: counter ? (labels.le ? Math.min(1, 0.2 + le) : 1 + (i % 7)) : 1 + (i % 5) * 10 });
    });
  }
  const ids: number[] = [];
  for (let i = 0; i < all.length; i += 2000) {
    const part = all.slice(i, i + 2000);
    const r = await db.execute<{ id: number }>(sql`
      insert into metric_series (name, labels, fingerprint)
      select * from unnest(${pgArray(part.map((s) => s.labels.__name__!))}::text[], ${pgArray(part.map((s) => JSON.stringify(s.labels)))}::jsonb[], ${pgArray(part.map((s) => fingerprintOfKey(seriesKey(s.labels))))}::bytea[])
      returning id`);
    ids.push(...r.rows.map((x) => Number(x.id)));
  }
  const perHour = HOUR / STEP;
  const ts = new Float64Array(perHour);
  const vs = new Float64Array(perHour);
  let samples = 0;
  const hours = RANGE / HOUR + 1;
  for (let h = hours; h >= 1; h--) {
    const bucket = end - h * HOUR;
    const rows: { id: number; min: number; max: number; data: Buffer }[] = [];
    for (let k = 0; k < ids.length; k++) {
      const s = all[k]!;
      const base = (hours - h) * perHour;
      for (let i = 0; i < perHour; i++) {
        const n = base + i;
        ts[i] = bucket + i * STEP;
        vs[i] = s.counter ? Math.floor(n * 15 * s.scale) : s.scale * (50 + 40 * Math.sin((n + k) / 240));
      }
      rows.push({ id: ids[k]!, min: ts[0]!, max: ts[perHour - 1]!, data: Buffer.from(encodeChunk(ts, vs)) });
      samples += perHour;
    }
    for (let i = 0; i < rows.length; i += 5000) {
      const part = rows.slice(i, i + 5000);
      await db.execute(sql`
        insert into metric_chunks (series_id, min_ts, max_ts, samples, data)
        select * from unnest(${pgArray(part.map((r) => r.id))}::int4[], ${pgArray(part.map((r) => r.min))}::int8[], ${pgArray(part.map((r) => r.max))}::int8[], ${pgArray(part.map(() => perHour))}::int4[], ${pgArray(part.map((r) => r.data))}::bytea[])`);
    }
    await rebuildHourRollups(db, bucket);
  }
  await db.execute(sql`vacuum analyze`);
  return { series: ids.length, samples };
}

const benchPrincipal: Principal = { type: "service_account", id: "bench", name: "bench", apiKeyId: "bench", scopes: ["admin"], permissions: new Set(ALL_PERMISSIONS), dataFilter: null };

/** Every visible panel's queries, in parallel; ms until the last answers. */
async function serverLoad(db: Db, cache: PanelCache): Promise<{ ms: number; errors: string[] }> {
  const now = Date.now();
  const range = { start: now - RANGE, end: now };
  const t0 = performance.now();
  const errors: string[] = [];
  await Promise.all(
    visiblePanels().map(async (p) => {
      if (p.type === "text") return;
      const intervalMs = panelIntervalMs(p, RANGE, (p.gridPos.w / 24) * GRID_PX);
      const targets = interpolateTargets(p.targets, new Map(), { range, intervalMs, dashboard: lookoutSelfDashboard.title });
      const data = await runPanelQuery({ db, cache }, benchPrincipal, { targets, start: range.start, end: range.end, intervalMs });
      for (const r of data.results) if (r.kind === "error") errors.push(`${p.title}: ${r.message}`);
    }),
  );
  return { ms: performance.now() - t0, errors };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(0)} ms, p95 ${pct(xs, 0.95).toFixed(0)} ms`;

async function main() {
  let loaded = { series: 0, samples: 0 };
  const t = Date.now();
  const stack = await startThrowawayStack({
    root,
    port,
    label: "benchdash",
    seed: async (db) => {
      await seedFoundation(db, { adminEmail: ADMIN.email, adminPassword: ADMIN.password });
      loaded = await load(db);
    },
  });
  const redis = new Redis(process.env.REDIS_URL || "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  try {
    const panels = visiblePanels();
    const queries = panels.reduce((n, p) => n + p.targets.filter((x) => !x.hide).length, 0);
    console.log(`dashboard "${lookoutSelfDashboard.title}": ${panels.length} visible panels, ${queries} queries; store: ${loaded.series} series × 24 h at 15 s = ${(loaded.samples / 1e6).toFixed(1)} M samples (chunks + rollups), loaded in ${((Date.now() - t) / 1000).toFixed(0)} s`);

    // ---- server side (in this process, same code as panels.query) ----
    const benchPrefix = `${stack.redisPrefix}:bench-panel-cache`;
    const cache = new PanelCache({ redis, prefix: benchPrefix });
    const cold: number[] = [];
    const warm: number[] = [];
    let errors: string[] = [];
    for (let i = 0; i < runs; i++) {
      await deleteKeysByPrefix(redis, benchPrefix);
      const c = await serverLoad(stack.db, cache);
      cold.push(c.ms);
      errors = c.errors;
      warm.push((await serverLoad(stack.db, cache)).ms);
    }
    console.log(`server, all panel queries, 24 h: cold ${fmt(cold)}; warm ${fmt(warm)}`);
    if (errors.length) console.log(`  panel errors: ${errors.join("; ")}`);

    // ---- browser (production server + workers, Debian's Chromium) ----
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--disable-background-networking", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ baseURL: stack.url, viewport: { width: 1600, height: 1000 } });
      await page.goto("/login");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("navigation", { name: "Main" }).waitFor();
      const url = "/dashboards/d/lookout-self?from=now-24h&to=now";
      const open = async () => {
        const t0 = Date.now();
        await page.goto(url);
        await page.waitForFunction(
          (n) => {
            const panels = [...document.querySelectorAll("[data-testid^='panel-'][data-state]")];
            return panels.length >= n && panels.every((p) => p.getAttribute("data-state") !== "loading");
          },
          panels.length,
          { timeout: 60_000, polling: 20 },
        );
        return Date.now() - t0;
      };
      await open(); // the first visit compiles nothing (production build) but warms the JS caches
      const bCold: number[] = [];
      const bWarm: number[] = [];
      for (let i = 0; i < runs; i++) {
        await deleteKeysByPrefix(redis, `${stack.redisPrefix}:panel-cache`);
        bCold.push(await open());
        bWarm.push(await open());
      }
      console.log(`browser, navigation until every visible panel has data, 24 h: cold ${fmt(bCold)}; warm ${fmt(bWarm)}`);
    } finally {
      await browser.close();
    }
  } finally {
    redis.disconnect();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
