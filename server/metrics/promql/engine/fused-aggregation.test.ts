/**
 * Aggregations over window functions (`sum by (job) (rate(x[5m]))`) take a fused path that folds
 * series by series (aggregations.ts, foldWindows): its results must be the generic path's bit for
 * bit — values (-0 included; NaN as NaN), series order, annotations and errors.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../chunk/synthetic-series";
import type { SeriesSamplesInput } from "../../model";
import { fusedAggregations } from "./aggregations";
import { createEngine } from "./engine";
import { MemoryQueryable } from "./memory-queryable";
import type { QueryResult } from "./types";

const fused = createEngine();
const generic = createEngine({ fuseAggregations: false });

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

describe("fused aggregation over window functions", () => {
  it("equals the generic path bit for bit (range and instant queries, every folded operator and window function)", async () => {
    const q = randomStore(7, 48, () => "m_total");
    const before = fusedAggregations.count;
    for (const f of FUNCS) {
      for (const agg of AGGS) {
        for (const by of GROUPINGS) {
          const expr = `${agg} ${by} (${f}(m_total[2m]))`;
          for (const [start, end, step] of [
            [0, 3600_000, 60_000],
            [123_456, 2_000_000, 37_000],
          ] as const) {
            const want = exact(await generic.rangeQuery(q, expr, start, end, step));
            expect(exact(await fused.rangeQuery(q, expr, start, end, step)), expr).toEqual(want);
          }
          const want = exact(await generic.instantQuery(q, expr, 1_800_000));
          expect(exact(await fused.instantQuery(q, expr, 1_800_000)), expr).toEqual(want);
        }
      }
    }
    // The fused path answered (in the groupings with few groups).
    expect(fusedAggregations.count - before).toBeGreaterThan(FUNCS.length * AGGS.length * 3);
  });

  it("equals it with offset, @, parentheses, several names and one group per series", async () => {
    const q = randomStore(11, 30, (k) => (k % 2 ? "a_total" : "b_total"));
    for (const expr of [
      "sum by (job) (rate(a_total[5m] offset 3m))",
      "sum by (job) (rate(a_total[5m] @ 1800))",
      "sum by (job) ((rate((a_total[5m]))))",
      "sum by (job) (rate({__name__=~\".+_total\"}[5m]))",
      "sum without (zone) (rate(a_total[5m]))",
      "max by (instance) (max_over_time(a_total[10m]))",
      "avg(rate(a_total[1m]))",
      "sum(rate(a_total[5m]) * 2)",
    ]) {
      const want = exact(await generic.rangeQuery(q, expr, 600_000, 3_600_000, 30_000));
      expect(exact(await fused.rangeQuery(q, expr, 600_000, 3_600_000, 30_000)), expr).toEqual(want);
    }
  });

  it("keeps annotations and the sample limit", async () => {
    const q = randomStore(3, 12, () => "gauge");
    const expr = "sum by (job) (rate(gauge[5m]))";
    const a = await generic.rangeQuery(q, expr, 0, 3_600_000, 60_000);
    const b = await fused.rangeQuery(q, expr, 0, 3_600_000, 60_000);
    expect(b.infos).toEqual(a.infos);
    expect(b.infos?.[0]).toMatch(/might not be a counter/);
    const limited = [createEngine({ maxSamples: 50 }), createEngine({ maxSamples: 50, fuseAggregations: false })];
    for (const e of limited) await expect(e.rangeQuery(q, expr, 0, 3_600_000, 60_000)).rejects.toThrow(/too many samples/);
  });
});
