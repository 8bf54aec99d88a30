/**
 * Rollups end to end: two days of samples written, compacted hour by hour (which writes the
 * rollups), then range queries answered with rollups compared with the same queries on raw
 * samples only. Tolerance: 1e-9 relative (and 1e-9 absolute near zero) for every query; in
 * practice only sums/averages (bucket sums added) and rate/increase across counter resets
 * (corrections added in another order) differ at all, by float rounding.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import type { Queryable, SelectHints, SeriesData, SeriesSamplesInput, SeriesVisitor } from "@/server/metrics/model";
import { createEngine } from "@/server/metrics/promql/engine/engine";
import type { QueryResult } from "@/server/metrics/promql/engine/types";
import { seededRandom } from "@/server/metrics/chunk/synthetic-series";
import { uid } from "@/test/helpers";
import { compactHour } from "./compact";
import { deleteSeries } from "./delete";
import { PgQueryable } from "./read";
import { SeriesResolver } from "./series-resolver";
import { appendSamples, HOUR_MS } from "./write";

const H = HOUR_MS;
const M = 60_000;
const BASE = Date.UTC(2024, 2, 1); // far from other tests' hours
const HOURS = 48;
const engine = createEngine();
const resolver = new SeriesResolver(1000);

/** A copy of a selected series (a streamed one's arrays are only valid during the visit). */
function copied(s: SeriesData): unknown {
  const r = s.rollup;
  return {
    labels: s.labels,
    timestamps: [...s.timestamps],
    values: [...s.values].map(String),
    stale: s.stale ? [...s.stale] : undefined,
    rollup: r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? v : [...(v as Float64Array)].map(String)])) : undefined,
  };
}

/**
 * Counts what the store hands the engine, to prove rollups were read; streamed selections
 * (selectEach, what the engine uses for window functions) are checked against select().
 */
class Recording implements Queryable {
  rollupSelections = 0;
  samples = 0;
  constructor(private readonly inner: PgQueryable) {}
  async select(m: LabelMatcher[], h: SelectHints): Promise<SeriesData[]> {
    const out = await this.inner.select(m, h);
    if (out.some((s) => s.rollup)) this.rollupSelections++;
    for (const s of out) this.samples += s.timestamps.length;
    return out;
  }
  async selectEach(m: LabelMatcher[], h: SelectHints, visitor: SeriesVisitor): Promise<void> {
    const seen: unknown[] = [];
    let rollups = false;
    await this.inner.selectEach(m, h, {
      begin: (labels) => visitor.begin?.(labels),
      visit: (s) => {
        if (s.rollup) rollups = true;
        this.samples += s.timestamps.length;
        seen.push(copied(s));
        visitor.visit(s);
      },
    });
    if (rollups) this.rollupSelections++;
    expect(seen).toEqual((await this.inner.select(m, h)).map(copied));
  }
  labelNames = (m: LabelMatcher[][], a: number, b: number) => this.inner.labelNames(m, a, b);
  labelValues = (n: string, m: LabelMatcher[][], a: number, b: number) => this.inner.labelValues(n, m, a, b);
  series = (m: LabelMatcher[][], a: number, b: number) => this.inner.series(m, a, b);
}

function data(name: string): SeriesSamplesInput[] {
  const rnd = seededRandom(7);
  const counter: SeriesSamplesInput = { labels: { __name__: name, job: "counter" }, samples: [] };
  const gauge: SeriesSamplesInput = { labels: { __name__: name, job: "gauge" }, samples: [] };
  const flappy: SeriesSamplesInput = { labels: { __name__: name, job: "flappy" }, samples: [] };
  let c = 0;
  for (let t = BASE; t < BASE + HOURS * H + 30 * M; t += 15_000) {
    // Half the samples exactly on the 15 s grid (so on 5m and 1h boundaries too), half jittered.
    const ts = t + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 50));
    c = rnd() < 0.003 ? Math.floor(rnd() * 10) : c + Math.floor(rnd() * 20); // resets now and then
    counter.samples.push({ timestampMs: ts, value: c });
    gauge.samples.push({ timestampMs: ts, value: 100 * Math.sin((t - BASE) / 3e6) + rnd() });
    const off = Math.floor((t - BASE) / (97 * M)) % 3 === 0; // down about a third of the time
    if (!off) flappy.samples.push({ timestampMs: ts, value: rnd() * 1000 });
    else if (flappy.samples.length && !flappy.samples[flappy.samples.length - 1]!.stale) flappy.samples.push({ timestampMs: ts, value: NaN, stale: true });
  }
  return [counter, gauge, flappy];
}

function compare(label: string, got: QueryResult, want: QueryResult): number {
  expect(got.resultType, label).toBe("matrix");
  if (got.resultType !== "matrix" || want.resultType !== "matrix") return 0;
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const wantBy = new Map(want.result.map((s) => [key(s.labels), s]));
  expect(got.result.map((s) => key(s.labels)).sort(), label).toEqual([...wantBy.keys()].sort());
  let points = 0;
  for (const s of got.result) {
    const w = wantBy.get(key(s.labels))!;
    expect(s.timestamps, label).toEqual(w.timestamps);
    s.values.forEach((a, i) => {
      const b = w.values[i]!;
      const t = s.timestamps[i];
      const ok = (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1);
      if (!ok) expect({ label, labels: s.labels, t, v: a }).toEqual({ label, labels: s.labels, t, v: b });
      points++;
    });
  }
  return points;
}

async function check(name: string, start: number, end: number, steps: number[], exprs: string[]): Promise<{ rollupSelections: number; points: number }> {
  let rollupSelections = 0;
  let points = 0;
  for (const step of steps) {
    for (const e of exprs) {
      const expr = e.replaceAll("M", name);
      const fast = new Recording(new PgQueryable(getDb()));
      const got = await engine.rangeQuery(fast, expr, start, end, step);
      const want = await engine.rangeQuery(new PgQueryable(getDb(), { rollups: false }), expr, start, end, step);
      points += compare(`${expr} step ${step / M}m`, got, want);
      rollupSelections += fast.rollupSelections;
    }
  }
  return { rollupSelections, points };
}

const RANGE_EXPRS = [
  "rate(M[5m])",
  "increase(M[1h])",
  "sum by (job) (rate(M[15m]))",
  "delta(M[1h])",
  "sum_over_time(M[1h])",
  "avg_over_time(M[15m])",
  "count_over_time(M[2h])",
  "min_over_time(M[1h])",
  "max_over_time(M[5m])",
  "last_over_time(M[10m])",
  "present_over_time(M[1h])",
];

describe("metric rollups", () => {
  it("answer long-range queries like raw samples, across compaction, late backfill and delete_series", async () => {
    const db = getDb();
    const name = `rollup_${uid()}`;
    const series = data(name);
    await appendSamples(db, { batchId: randomUUID(), series }, { resolver });
    for (let h = 0; h < HOURS; h++) await compactHour(db, BASE + h * H);
    // Hour 48 stays in the head (30 minutes of it): the open part is read raw.

    const end = BASE + HOURS * H + 30 * M;
    for (const [start, steps] of [
      [BASE + 24 * H, [5 * M, 15 * M, H, 2 * H]],
      [BASE, [H, 30 * M]],
    ] as const) {
      const r = await check(name, start, end, [...steps], RANGE_EXPRS);
      expect(r.rollupSelections).toBeGreaterThan(RANGE_EXPRS.length);
      expect(r.points).toBeGreaterThan(1000);
    }

    // Plain selectors read each bucket's final point: same values, fewer samples fetched.
    const plainFast = new Recording(new PgQueryable(db));
    const plainRaw = new Recording(new PgQueryable(db, { rollups: false }));
    for (const [q, step] of [[plainFast, 5 * M], [plainRaw, 5 * M]] as const) await engine.rangeQuery(q, name, BASE + 24 * H, end, step);
    expect(plainFast.samples).toBeLessThan(plainRaw.samples / 5);
    await check(name, BASE + 24 * H, end, [5 * M, H], [name, `timestamp(${name})`, `sum(${name})`]);

    // Windows not on rollup boundaries read raw (and still agree).
    const odd = await check(name, BASE + 24 * H + 7 * M, end, [5 * M], ["rate(M[5m])", "max_over_time(M[7m])"]);
    expect(odd.rollupSelections).toBe(0);
    const raw = await check(name, BASE + 24 * H, end, [H], ["stddev_over_time(M[1h])", "irate(M[1h])", "resets(M[1h])"]);
    expect(raw.rollupSelections).toBe(0);

    // A late backfill into hour 30: its head partition makes that hour raw until re-compacted,
    // and re-compaction rewrites its rollups.
    const late = { labels: { __name__: name, job: "counter" }, samples: [{ timestampMs: BASE + 30 * H + 7 * M + 1, value: 1e6 }] };
    await appendSamples(db, { batchId: randomUUID(), series: [late] }, { resolver });
    await check(name, BASE + 24 * H, end, [5 * M, H], ["rate(M[5m])", "max_over_time(M[1h])", "count_over_time(M[1h])"]);
    await compactHour(db, BASE + 30 * H);
    const after = await check(name, BASE + 24 * H, end, [5 * M, H], ["rate(M[5m])", "max_over_time(M[1h])", "count_over_time(M[1h])"]);
    expect(after.rollupSelections).toBeGreaterThan(0);

    // delete_series in the middle of hours rewrites their rollups.
    await deleteSeries(db, [[{ type: "=", name: "__name__", value: name }, { type: "=", name: "job", value: "counter" }]], BASE + 33 * H + 17 * M, BASE + 35 * H + 2 * M);
    await check(name, BASE + 24 * H, end, [5 * M, H], ["rate(M[5m])", "max_over_time(M[1h])", "count_over_time(M[1h])", name]);
  }, 240_000);
});
