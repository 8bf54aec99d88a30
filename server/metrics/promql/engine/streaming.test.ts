/**
 * Window functions over a range selector are evaluated while the selection streams in
 * (streaming.ts), and aggregations over them fold series by series (aggregations.ts, foldWindows
 * and GroupFolder): each way, and both together, results must be the generic path's bit for bit —
 * values (-0 included; NaN as NaN), series order, annotations and errors.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../chunk/synthetic-series";
import type { SeriesSamplesInput } from "../../model";
import { fusedAggregations } from "./aggregations";
import { createEngine } from "./engine";
import { MemoryQueryable } from "./memory-queryable";
import type { QueryResult } from "./types";

const generic = createEngine({ fuseAggregations: false, streamSelections: false });
const variants = [
  ["fused", createEngine({ streamSelections: false })],
  ["streamed", createEngine({ fuseAggregations: false })],
  ["streamed and fused", createEngine()],
] as const;

/**
 * Results with every float as its bit pattern, so -0 and last-bit differences count. NaN is
 * one value: the sign and payload of a NaN that arithmetic produces are not defined by JS (the
 * JIT may swap the operands of an addition), and the API prints every NaN as "NaN".
 */
function exact(r: QueryResult): unknown {
  const bits = (v: number) => (Number.isNaN(v) ? "NaN" : new BigUint64Array(Float64Array.of(v).buffer)[0]!.toString(16));
  switch (r.resultType) {
    case "matrix":
      return { ...r, result: r.result.map((s) => ({ labels: s.labels, timestamps: s.timestamps, values: s.values.map(bits) })) };
    case "vector":
      return { ...r, result: r.result.map((s) => ({ labels: s.labels, t: s.t, v: bits(s.v) })) };
    case "scalar":
      return { ...r, result: { t: r.result.t, v: bits(r.result.v) } };
    default:
      return r;
  }
}

/** Counters with resets, gauges with NaN and ±Inf, gaps, stale markers, series starting late or ending early. */
function randomStore(seed: number, series: number, name: (k: number) => string): MemoryQueryable {
  const rnd = seededRandom(seed);
  const input: SeriesSamplesInput[] = [];
  for (let k = 0; k < series; k++) {
    const samples: SeriesSamplesInput["samples"] = [];
    const from = rnd() < 0.2 ? Math.floor(rnd() * 3000) : 0;
    const to = rnd() < 0.2 ? 1800 + Math.floor(rnd() * 1800) : 3600;
    const interval = [10, 15, 30, 60][k % 4]!;
    let v = rnd() * 100;
    for (let t = from; t <= to; t += interval) {
      const r = rnd();
      if (r < 0.05) continue; // missed scrape
      if (r < 0.07) {
        samples.push({ timestampMs: t * 1000 + Math.floor(rnd() * 5), value: NaN, stale: true });
        continue;
      }
      if (k % 3 === 0) v = r < 0.1 ? rnd() * 10 : v + rnd() * 50; // counter with resets
      else if (k % 3 === 1) v = r < 0.09 ? [NaN, Infinity, -Infinity, -0][Math.floor(rnd() * 4)]! : (rnd() - 0.5) * 1e6;
      else v = Math.round(rnd() * 4) * 0.1;
      samples.push({ timestampMs: t * 1000 + Math.floor(rnd() * 5), value: v });
    }
    input.push({ labels: { __name__: name(k), job: `j${k % 4}`, instance: `i${k}`, zone: k % 7 === 0 ? "" : `z${k % 2}` }, samples });
  }
  const q = new MemoryQueryable();
  q.append(input);
  return q;
}

const FUNCS = [
  "rate",
  "increase",
  "delta",
  "irate",
  "idelta",
  "deriv",
  "changes",
  "resets",
  "sum_over_time",
  "avg_over_time",
  "count_over_time",
  "min_over_time",
  "max_over_time",
  "stddev_over_time",
  "stdvar_over_time",
  "present_over_time",
  "mad_over_time",
];
const AGGS = ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"];
const GROUPINGS = ["by (job)", "by (zone)", "", "by (__name__)", "without (instance)", "by (job, zone)"];

/** The same query through the generic engine and each variant: equal results, or the same error. */
async function expectSame(run: (e: ReturnType<typeof createEngine>) => Promise<QueryResult>, what: string): Promise<void> {
  const settle = (p: Promise<QueryResult>) => p.then(exact, (err: Error) => ({ error: err.message }));
  const want = await settle(run(generic));
  for (const [name, engine] of variants) expect(await settle(run(engine)), `${name}: ${what}`).toEqual(want);
}

describe("streamed and fused window functions", () => {
  it("equal the generic path bit for bit (range and instant queries, every folded operator and window function)", async () => {
    const q = randomStore(7, 30, () => "m_total");
    const before = fusedAggregations.count;
    for (const f of FUNCS) {
      for (const agg of AGGS) {
        for (const by of GROUPINGS) {
          const expr = `${agg} ${by} (${f}(m_total[2m]))`;
          await expectSame((e) => e.rangeQuery(q, expr, 0, 3600_000, 60_000), expr);
          await expectSame((e) => e.rangeQuery(q, expr, 123_456, 2_000_000, 37_000), expr);
          await expectSame((e) => e.instantQuery(q, expr, 1_800_000), expr);
        }
      }
      await expectSame((e) => e.rangeQuery(q, `${f}(m_total[2m])`, 0, 3600_000, 60_000), f);
    }
    // The fused paths answered (in the groupings with few groups), streamed and not.
    expect(fusedAggregations.count - before).toBeGreaterThan(2 * FUNCS.length * AGGS.length * 3);
  }, 60_000);

  it("equal it with offset, @, parentheses, several names, one group per series, shared selectors and subqueries", async () => {
    const q = randomStore(11, 30, (k) => (k % 2 ? "a_total" : "b_total"));
    for (const expr of [
      "sum by (job) (rate(a_total[5m] offset 3m))",
      "sum by (job) (rate(a_total[5m] @ 1800))",
      "sum by (job) ((rate((a_total[5m]))))",
      "sum by (job) (rate({__name__=~\".+_total\"}[5m]))",
      "rate({__name__=~\".+_total\"}[5m])",
      "sum by (job, instance) (rate({__name__=~\".+_total\"}[5m]))",
      "sum without (zone) (rate(a_total[5m]))",
      "max by (instance) (max_over_time(a_total[10m]))",
      "avg(rate(a_total[1m]))",
      "sum(rate(a_total[5m]) * 2)",
      "sum by (job) (rate(a_total[5m])) / sum by (job) (rate(a_total[5m]))",
      "sum by (job) (rate(a_total[5m])) / sum by (job) (increase(b_total[5m]))",
      "max_over_time(sum by (job) (rate(a_total[5m]))[20m:1m])",
      "sum by (job) (rate(a_total[5m])) and on (job) count by (job) (b_total)",
    ]) {
      await expectSame((e) => e.rangeQuery(q, expr, 600_000, 3_600_000, 30_000), expr);
      await expectSame((e) => e.instantQuery(q, expr, 2_000_000), expr);
    }
  });

  it("keep annotations and the sample limits", async () => {
    const q = randomStore(3, 12, () => "gauge");
    const expr = "sum by (job) (rate(gauge[5m]))";
    const a = await generic.rangeQuery(q, expr, 0, 3_600_000, 60_000);
    expect(a.infos?.[0]).toMatch(/might not be a counter/);
    for (const [, engine] of variants) expect((await engine.rangeQuery(q, expr, 0, 3_600_000, 60_000)).infos).toEqual(a.infos);
    // 50: the samples fetched are over the limit; 3000 at a 1 s step: the window function's values are.
    for (const [maxSamples, step] of [
      [50, 60_000],
      [3000, 1000],
    ]) {
      for (const opts of [{}, { fuseAggregations: false }, { streamSelections: false }, { fuseAggregations: false, streamSelections: false }]) {
        for (const x of [expr, "rate(gauge[5m])"]) {
          const what = `${maxSamples} ${JSON.stringify(opts)} ${x}`;
          await expect(createEngine({ maxSamples, ...opts }).rangeQuery(q, x, 0, 3_600_000, step), what).rejects.toThrow(/too many samples/);
          await expect(createEngine({ maxSamples: 1e6, ...opts }).rangeQuery(q, x, 0, 3_600_000, 60_000), what).resolves.toBeTruthy();
        }
      }
    }
  });
});
