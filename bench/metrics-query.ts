/**
 * PromQL over storage: `sum by (job) (rate(x[5m]))` over 1,000 and 10,000 counter series at 15 s,
 * for 1 h / 24 h / 7 d at Grafana's default step, read through PostgreSQL (chunks) and the engine.
 * History is written as compacted chunks directly (the shape compaction leaves), then each hour's
 * 5m/1h rollups are built from its chunks (what compaction writes with them), so the bench
 * measures the query path, not ingest. Each case runs on raw samples (rollups off) and with
 * rollups; p50/p95 over BENCH_RUNS (5) runs. Rollups apply where every window ends on a 5 m (1 h)
 * boundary: Grafana's 24 h step (2 m) does not, so 24 h is also run at a 5 m step. (At a 2 m step
 * only every fifth window ends on a 5 m boundary, and the other windows need every raw sample
 * anyway, so serving those few from rollups would save no decoding.) Where Debian's
 * `victoria-metrics` is installed the same data is not loaded there (days of data would take
 * minutes to push); compare with the reference figure instead.
 *
 *   npm run bench:metrics-query          (BENCH_DAYS=7, BENCH_BIG_HOURS=24)
 *
 * ONLY=10k/1h,10k/24h,… runs only those cases (keys as printed; any other non-empty value: 10k/1h);
 * MODES=raw or MODES=rollups runs one mode. BENCH_KEEP_DB=1 keeps the loaded database and
 * BENCH_DB=<name> reuses it (no load; its data's end time is stored in it), so runs of two
 * builds can be compared on the same data.
 *
 * Each line also gives the median CPU time of a run in this process (node) and in the PostgreSQL
 * backends serving it (their /proc schedstat), which the other work on a shared machine does not
 * inflate as it does wall time. BENCH_PROFILE=1 adds a median per-phase breakdown: fetch (wall,
 * from the first select to the last one answering), of which SQL statements (wall, summed) and
 * decoding (CPU), then the engine (CPU: on series as they stream in, and after the last select
 * answered), chunks or rollup rows and MB fetched, samples (or rollup fields) in them, samples
 * kept. Loads write the current chunk format (version 3, with restart points); a database kept
 * by an older build holds version 2 chunks, which read the same but decode whole.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { sql } from "drizzle-orm";
import { createDb, createPool } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { encodeChunk } from "@/server/metrics/chunk/chunk";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import { fingerprintOfKey, seriesKey } from "@/server/metrics/store/series-key";
import { emptyReadStats, PgQueryable } from "@/server/metrics/store/read";
import type { Labels, Queryable, SelectHints, SeriesData, SeriesVisitor } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { rebuildHourRollups } from "@/server/metrics/store/rollup-store";
import { pgArray } from "@/server/lib/sql-array";
import type { Db } from "@/db/client";

const HOUR = 3_600_000;
const STEP = 15_000;
const runs = Number(process.env.BENCH_RUNS || 5);
const days = Number(process.env.BENCH_DAYS || 7);
const bigHours = Number(process.env.BENCH_BIG_HOURS || 24);
let end = Math.floor(Date.now() / HOUR) * HOUR;

/** Grafana's default step: range / max data points (~1,100 for a wide panel), at least 15 s, rounded to a nice interval. */
function grafanaStep(rangeMs: number): number {
  const raw = Math.max(STEP, rangeMs / 1100);
  const nice = [15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];
  return nice.find((n) => n >= raw) ?? raw;
}

async function load(db: Db, name: string, series: number, hours: number): Promise<number> {
  const ids: number[] = [];
  for (let i0 = 0; i0 < series; i0 += 5000) {
    const labels = Array.from({ length: Math.min(5000, series - i0) }, (_, k) => {
      const i = i0 + k;
      return { __name__: name, job: `job-${i % 10}`, instance: `host-${Math.floor(i / 10)}:9100` };
    });
    const r = await db.execute<{ id: number }>(sql`
      insert into metric_series (name, labels, fingerprint)
      select * from unnest(${pgArray(labels.map(() => name))}::text[], ${pgArray(labels.map((l) => JSON.stringify(l)))}::jsonb[], ${pgArray(labels.map((l) => fingerprintOfKey(seriesKey(l))))}::bytea[])
      returning id`);
    ids.push(...r.rows.map((x) => Number(x.id)));
  }
  let samples = 0;
  const perHour = HOUR / STEP;
  const ts = new Float64Array(perHour);
  const vs = new Float64Array(perHour);
  for (let h = hours; h >= 1; h--) {
    const bucket = end - h * HOUR;
    const rows: { id: number; min: number; max: number; data: Buffer }[] = [];
    for (let k = 0; k < ids.length; k++) {
      const rate = 1 + (k % 13);
      const base = (hours - h) * perHour;
      for (let i = 0; i < perHour; i++) {
        ts[i] = bucket + i * STEP + ((k * 7 + i * 3) % 5);
        vs[i] = Math.floor((base + i) * 15 * rate + ((k + i) % 3));
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
  }
  return samples;
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function median(xs: number[]): number {
  return pct([...xs].sort((a, b) => a - b), 0.5);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU time (ms) the given PostgreSQL backends have used so far (first field of schedstat: ns on CPU). */
function backendCpuMs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // Not on this machine, or the backend is gone.
    }
  }
  return ns / 1e6;
}

/** A Queryable that notes when selects start and the last one answers (the engine runs after). */
class TimedQueryable implements Queryable {
  firstStart = 0;
  lastEnd = 0;
  lastEndCpu = 0;
  constructor(readonly inner: PgQueryable) {}
  reset() {
    this.firstStart = 0;
    this.lastEnd = 0;
  }
  async select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
    if (!this.firstStart) this.firstStart = performance.now();
    const out = await this.inner.select(matchers, hints);
    this.lastEnd = performance.now();
    this.lastEndCpu = cpuMs();
    return out;
  }
  async selectEach(matchers: LabelMatcher[], hints: SelectHints, visitor: SeriesVisitor): Promise<void> {
    if (!this.firstStart) this.firstStart = performance.now();
    await this.inner.selectEach(matchers, hints, visitor);
    this.lastEnd = performance.now();
    this.lastEndCpu = cpuMs();
  }
  labelNames(m: LabelMatcher[][], s: number, e: number): Promise<string[]> {
    return this.inner.labelNames(m, s, e);
  }
  labelValues(n: string, m: LabelMatcher[][], s: number, e: number): Promise<string[]> {
    return this.inner.labelValues(n, m, s, e);
  }
  series(m: LabelMatcher[][], s: number, e: number): Promise<Labels[]> {
    return this.inner.series(m, s, e);
  }
}

async function main() {
  const base = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const reuse = process.env.BENCH_DB;
  if (reuse && !/^lookout_benchq_[0-9a-f]+$/.test(reuse)) throw new Error("BENCH_DB must name a database this bench kept");
  const name = reuse || `lookout_benchq_${randomBytes(3).toString("hex")}`;
  const keep = Boolean(process.env.BENCH_KEEP_DB || reuse);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  if (!reuse) await admin.query(`create database ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const pool = createPool(u.toString(), 4);
  try {
    const db = createDb(pool);
    let t = Date.now();
    if (reuse) {
      const meta = await db.execute<{ end_ms: string }>(sql`select end_ms::text from bench_meta`);
      end = Number(meta.rows[0]!.end_ms);
      console.log(`reusing ${name} (data ends ${new Date(end).toISOString()})`);
    } else {
      await runMigrations(u.toString());
      const a = await load(db, "bench_small_total", 1_000, days * 24);
      const b = await load(db, "bench_big_total", 10_000, bigHours);
      console.log(`loaded ${(a / 1e6).toFixed(1)} M samples (1,000 series × ${days} d) + ${(b / 1e6).toFixed(1)} M (10,000 series × ${bigHours} h) as chunks in ${((Date.now() - t) / 1000).toFixed(0)} s`);
      t = Date.now();
      for (let h = Math.max(days * 24, bigHours); h >= 1; h--) await rebuildHourRollups(db, end - h * HOUR);
      await db.execute(sql`create table bench_meta (end_ms bigint not null)`);
      await db.execute(sql`insert into bench_meta values (${end})`);
      await db.execute(sql`vacuum analyze`);
      const sizes = await db.execute<{ c: string; r5: string; r1: string }>(sql`
        select pg_total_relation_size('metric_chunks')::text as c, pg_total_relation_size('metric_rollups_5m')::text as r5, pg_total_relation_size('metric_rollups_1h')::text as r1`);
      const mb = (x: string) => (Number(x) / 1048576).toFixed(0);
      console.log(`rollups built in ${((Date.now() - t) / 1000).toFixed(0)} s; on disk: chunks ${mb(sizes.rows[0]!.c)} MB, 5m rollups ${mb(sizes.rows[0]!.r5)} MB, 1h rollups ${mb(sizes.rows[0]!.r1)} MB`);
    }
    const engine = createEngine();
    const profile = Boolean(process.env.BENCH_PROFILE);
    const stats = emptyReadStats();
    const queryables: [string, TimedQueryable][] = [
      ["raw", new TimedQueryable(new PgQueryable(db, { rollups: false, stats }))],
      ["rollups", new TimedQueryable(new PgQueryable(db, { stats }))],
    ];
    // Every pool connection open, so the backends serving the bench are known.
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    const pids: number[] = [];
    for (const c of clients) pids.push(Number((await c.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid));
    for (const c of clients) c.release();
    const all: [string, string, string, number, number?][] = [
      ["1k/1h", "1,000 series", "bench_small_total", HOUR],
      ["1k/24h", "1,000 series", "bench_small_total", 24 * HOUR],
      ["1k/24h@5m", "1,000 series", "bench_small_total", 24 * HOUR, 300_000],
      ["1k/7d", "1,000 series", "bench_small_total", days * 24 * HOUR],
      ["10k/1h", "10,000 series", "bench_big_total", HOUR],
      ["10k/24h", "10,000 series", "bench_big_total", bigHours * HOUR],
      ["10k/24h@5m", "10,000 series", "bench_big_total", bigHours * HOUR, 300_000],
    ];
    const only = process.env.ONLY ? process.env.ONLY.split(",") : undefined;
    const picked = only ? all.filter((c) => only.includes(c[0])) : all;
    const cases = (picked.length ? picked : all.filter((c) => c[0] === "10k/1h")).map((c) => c.slice(1) as [string, string, number, number?]);
    const modes = process.env.MODES?.split(",");
    if (modes) queryables.splice(0, queryables.length, ...queryables.filter(([m]) => modes.includes(m)));
    for (const [label, metric, range, fixedStep] of cases) {
      const step = fixedStep ?? grafanaStep(range);
      for (const [mode, q] of queryables) {
        const times: number[] = [];
        const cpu: number[] = [];
        const pgCpu: number[] = [];
        const phases: Record<string, number[]> = { fetch: [], sql: [], decode: [], engine: [], rows: [], mb: [], decoded: [], kept: [] };
        let series = 0;
        for (let r = 0; r < runs; r++) {
          Object.assign(stats, emptyReadStats());
          q.reset();
          const c0 = cpuMs();
          const p0 = backendCpuMs(pids);
          t = performance.now();
          const res = await engine.rangeQuery(q, `sum by (job) (rate(${metric}[5m]))`, end - range, end, step);
          times.push(performance.now() - t);
          const c1 = cpuMs();
          cpu.push(c1 - c0);
          pgCpu.push(backendCpuMs(pids) - p0);
          phases.fetch!.push(q.lastEnd - q.firstStart);
          phases.sql!.push(stats.sqlMs);
          phases.decode!.push(stats.decodeMs);
          phases.engine!.push(c1 - q.lastEndCpu + stats.visitMs);
          phases.rows!.push(stats.rows);
          phases.mb!.push(stats.bytes / 1048576);
          phases.decoded!.push(stats.decoded / 1e6);
          phases.kept!.push(stats.kept / 1e6);
          if (res.resultType === "matrix") series = res.result.length;
        }
        times.sort((x, y) => x - y);
        const rangeText = range >= 24 * HOUR ? `${range / 24 / HOUR} d` : `${range / HOUR} h`;
        console.log(
          `sum by (job) (rate(x[5m])) ${label.padEnd(13)} ${rangeText.padEnd(4)} step ${String(step / 1000).padStart(3)}s ${mode.padEnd(7)} → ${series} series: ` +
            `p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms; CPU node ${median(cpu).toFixed(0)} ms, PostgreSQL ${median(pgCpu).toFixed(0)} ms`,
        );
        if (profile) {
          const m = (k: string, d = 0) => median(phases[k]!).toFixed(d);
          console.log(
            `    fetch ${m("fetch")} ms (SQL ${m("sql")} ms wall, decode ${m("decode")} ms CPU), engine ${m("engine")} ms CPU; ` +
              `${m("rows")} rows, ${m("mb", 1)} MB, ${m("decoded", 2)} M samples in chunks, ${m("kept", 2)} M kept`,
          );
        }
      }
    }
  } finally {
    await pool.end();
    if (keep) console.log(`kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
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
