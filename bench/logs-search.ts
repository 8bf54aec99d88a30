/**
 * Discover's hot paths over BENCH_EVENTS (10,000,000) generated events spread over 7 days ending
 * now: half nginx access lines (grok-style attributes), half JSON app logs from 6 services. Data
 * is written through the real store (commitBatch: blocks, token index, field catalog) into a
 * database of its own, kept between runs (BENCH_FRESH=1 reloads, BENCH_DROP=1 drops at the end).
 * BENCH_EXPLAIN=1 also prints the EXPLAIN ANALYZE of block selection for the main shapes.
 * Prints p50/p95 over BENCH_RUNS (10) runs of:
 *   (a) term search, last 1 h   (b) the same over 7 d   (c) phrase search, 24 h
 *   (d) field filter, 1 h (and 24 h)   (e) histogram, 24 h   (f) top-5 terms of a field, 24 h
 *
 *   npm run bench:logs-search
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import { createDb, createPool, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { logBlocks, logSources } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import type { LogEvent } from "@/server/logs/event";
import { compileQuery } from "@/server/logs/query/compile";
import { parseQuery } from "@/server/logs/query/parse";
import { rangeCondition } from "@/server/logs/search/scan";
import { searchHistogram, searchLogs, searchTerms } from "@/server/logs/search/service";
import { listFields } from "@/server/logs/store/fields";
import { commitBatch, dayOf, ensurePartitions } from "@/server/logs/store/write";
import { appEvent, nginxEvent } from "./lib/log-events";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const total = Number(process.env.BENCH_EVENTS || 10_000_000);
const runs = Number(process.env.BENCH_RUNS || 10);
const dbName = process.env.BENCH_DB || "lookout_bench_logs_search";
const BATCH = 10_000;

async function load(db: Db, end: number): Promise<void> {
  const source = async (name: string) => {
    await db.insert(logSources).values({ name }).onConflictDoNothing();
    return (await db.select().from(logSources).where(eq(logSources.name, name)))[0]!;
  };
  const ng = await source("nginx");
  const ap = await source("app");
  const start = end - 7 * DAY;
  const spacing = (7 * DAY) / total;
  const days = Array.from({ length: 9 }, (_, d) => dayOf(start + (d - 1) * DAY));
  for (const s of [ng, ap]) await ensurePartitions(db, s.id, days);
  const t0 = Date.now();
  for (let b = 0; b < total; b += BATCH) {
    const n = Math.min(BATCH, total - b);
    const nginxEvents: LogEvent[] = [];
    const appEvents: LogEvent[] = [];
    for (let k = 0; k < n; k++) {
      const i = b + k;
      const ts = Math.floor(start + i * spacing);
      if (i % 2 === 0) nginxEvents.push(nginxEvent(i, ts, "nginx"));
      else appEvents.push(appEvent(i, ts, "app"));
    }
    await Promise.all([
      commitBatch(db, { batchId: randomUUID(), sourceId: ng.id, receivedAt: new Date(), events: nginxEvents, deadLetters: [], dropped: 0 }),
      commitBatch(db, { batchId: randomUUID(), sourceId: ap.id, receivedAt: new Date(), events: appEvents, deadLetters: [], dropped: 0 }),
    ]);
    if ((b / BATCH) % 50 === 0) process.stdout.write(`\rloaded ${((b + n) / 1e6).toFixed(1)} M events (${Math.round((b + n) / ((Date.now() - t0) / 1000))} events/s)   `);
  }
  console.log(`\nloaded ${total.toLocaleString()} events in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * BENCH_EXPLAIN=1: EXPLAIN ANALYZE of the candidate-block selection for the main query shapes,
 * built the way server/logs/search/scan.ts candidateBlocks builds it.
 */
async function explainPlans(db: Db, pool: pg.Pool, end: number): Promise<void> {
  const fields = new Map((await listFields(db)).map((f) => [f.path, f]));
  const sources = new Map((await db.select({ id: logSources.id, name: logSources.name }).from(logSources)).map((r) => [r.name, r.id]));
  const meta = { id: logBlocks.id, day: logBlocks.day, minTs: logBlocks.minTs, maxTs: logBlocks.maxTs, levelCounts: logBlocks.levelCounts };
  const shapes: [string, string, number][] = [
    ["term, 1 h", "timeout", 1],
    ["term, 7 d", "timeout", 168],
    ["phrase, 24 h", '"card declined"', 24],
    ["field filter, 1 h", "service:payments AND level:error", 1],
    ["attribute filter, 24 h", "response:500", 24],
    ["count by bucket (histogram), 24 h", "", 24],
  ];
  for (const [label, q, hours] of shapes) {
    const plan = compileQuery(parseQuery(q), { fields, sourceIdsByName: sources });
    const start = end - hours * HOUR;
    const byTokens = plan.tokenIndexed && hours > 3;
    const where = byTokens ? and(gte(logBlocks.day, dayOf(start)), lte(logBlocks.day, dayOf(end)), plan.blockCondition!)! : and(rangeCondition(start, end), plan.blockCondition ?? undefined)!;
    const { sql: text, params } = db.select(meta).from(logBlocks).where(where).toSQL();
    const c = await pool.connect();
    try {
      await c.query("begin");
      if (byTokens) await c.query("set local enable_seqscan = off");
      const r = await c.query<{ "QUERY PLAN": string }>(`explain (analyze, costs off) ${text}`, params);
      console.log(`\n${label}: ${q || "(all)"}\n${r.rows.map((x) => x["QUERY PLAN"]).join("\n")}`);
    } finally {
      await c.query("rollback");
      c.release();
    }
  }
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const principal = { type: "service_account", id: "bench", name: "bench", apiKeyId: "bench", scopes: ["query"], permissions: new Set(["logs:read"]), dataFilter: null } as unknown as Principal;

async function main() {
  const base = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [dbName])).rowCount;
  if (exists && process.env.BENCH_FRESH) await admin.query(`drop database ${pg.escapeIdentifier(dbName)} with (force)`);
  if (!exists || process.env.BENCH_FRESH) await admin.query(`create database ${pg.escapeIdentifier(dbName)}`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  await runMigrations(u.toString());
  const pool = createPool(u.toString(), 4);
  const db = createDb(pool);
  try {
    const stored = await db.execute<{ n: string; end: string | null }>(sql`select coalesce(sum(count), 0) as n, max(max_ts) as end from log_blocks`);
    let end: number;
    if (Number(stored.rows[0]!.n) < total) {
      await db.execute(sql`truncate log_blocks, log_ingest_batches, log_source_stats, log_fields`);
      end = Math.floor(Date.now() / MINUTE) * MINUTE;
      await load(db, end);
      await db.execute(sql`vacuum analyze`);
    } else {
      end = new Date(stored.rows[0]!.end!).getTime() + 1;
      console.log(`reusing ${Number(stored.rows[0]!.n).toLocaleString()} stored events in ${dbName}`);
    }
    const size = await db.execute<{ size: string }>(sql`select pg_size_pretty(sum(pg_total_relation_size(c.oid))) as size from pg_class c join pg_inherits i on i.inhrelid = c.oid where i.inhparent = 'log_blocks'::regclass`);
    console.log(`log_blocks partitions on disk: ${size.rows[0]!.size}`);

    const cases: [string, () => Promise<{ n: number; extra?: string }>][] = [
      ["(a) term `timeout`, 1 h", async () => { const r = await searchLogs(db, principal, { q: "timeout", start: end - HOUR, end, limit: 100, trackTotalHits: 10_000 }); return { n: r.total, extra: r.totalRelation }; }],
      ["(b) term `timeout`, 7 d", async () => { const r = await searchLogs(db, principal, { q: "timeout", start: end - 7 * DAY, end, limit: 100, trackTotalHits: 10_000 }); return { n: r.total, extra: r.totalRelation }; }],
      ["(b') term `timeout`, 7 d, exact total", async () => { const r = await searchLogs(db, principal, { q: "timeout", start: end - 7 * DAY, end, limit: 100, trackTotalHits: true }); return { n: r.total, extra: r.totalRelation }; }],
      ['(c) phrase "card declined", 24 h', async () => { const r = await searchLogs(db, principal, { q: '"card declined"', start: end - DAY, end, limit: 100, trackTotalHits: 10_000 }); return { n: r.total, extra: r.totalRelation }; }],
      ["(d) service:payments AND level:error, 1 h", async () => { const r = await searchLogs(db, principal, { q: "service:payments AND level:error", start: end - HOUR, end, limit: 100, trackTotalHits: 10_000 }); return { n: r.total, extra: r.totalRelation }; }],
      ["(d') response:500, 24 h", async () => { const r = await searchLogs(db, principal, { q: "response:500", start: end - DAY, end, limit: 100, trackTotalHits: 10_000 }); return { n: r.total, extra: r.totalRelation }; }],
      ["(e) histogram, all events, 24 h", async () => { const r = await searchHistogram(db, principal, { q: "", start: end - DAY, end, buckets: 60 }); return { n: r.total }; }],
      ["(e') histogram level:error, 24 h", async () => { const r = await searchHistogram(db, principal, { q: "level:error", start: end - DAY, end, buckets: 60 }); return { n: r.total }; }],
      ["(e'') histogram `timeout`, 24 h", async () => { const r = await searchHistogram(db, principal, { q: "timeout", start: end - DAY, end, buckets: 60 }); return { n: r.total }; }],
      ["(f) top-5 service, 24 h", async () => { const r = await searchTerms(db, principal, { field: "service", q: "", start: end - DAY, end, size: 5 }); return { n: r.buckets.length }; }],
      ["(f') top-5 response (attribute), 24 h", async () => { const r = await searchTerms(db, principal, { field: "response", q: "", start: end - DAY, end, size: 5 }); return { n: r.buckets.length }; }],
    ];
    if (process.env.BENCH_EXPLAIN) await explainPlans(db, pool, end);
    const only = process.env.ONLY;
    for (const [label, fn] of cases) {
      if (only && !label.includes(only)) continue;
      const times: number[] = [];
      let out = { n: 0 } as { n: number; extra?: string };
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        out = await fn();
        times.push(performance.now() - t);
      }
      times.sort((x, y) => x - y);
      console.log(`${label.padEnd(44)} p50 ${pct(times, 0.5).toFixed(0).padStart(6)} ms  p95 ${pct(times, 0.95).toFixed(0).padStart(6)} ms  (${out.n.toLocaleString()}${out.extra ? ` ${out.extra}` : ""})`);
    }
  } finally {
    await pool.end();
    if (process.env.BENCH_DROP) await admin.query(`drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
