import { describe, expect, it } from "vitest";
import { seededRandom } from "@/server/metrics/chunk/synthetic-series";
import * as overTime from "@/server/metrics/promql/engine/functions/over-time";
import { extrapolatedRate } from "@/server/metrics/promql/engine/functions/rate";
import type { Window, WindowFn } from "@/server/metrics/promql/engine/functions/windows";
import { addSamples, copySlots, decodeSlots, emptySlots, encodeSlots, finalPoints, rangeBuckets, RES_1H, RES_5M, rollupHour } from "./rollup";

const H = RES_1H;
const M = 60_000;

interface Raw {
  ts: number[];
  vs: number[];
  stale: Uint8Array;
}

function raw(points: [number, number | "stale"][]): Raw {
  return {
    ts: points.map((p) => p[0]),
    vs: points.map((p) => (p[1] === "stale" ? NaN : p[1])),
    stale: Uint8Array.from(points, (p) => (p[1] === "stale" ? 1 : 0)),
  };
}

/** Rolls `r` up hour by hour (as compaction does) and assembles one block over [start, end]. */
function rolled(r: Raw, res: number, start: number, end: number) {
  const block = emptySlots(start, res, (end - start) / res + 1);
  for (let h = Math.floor(start / H) * H; h <= end; h += H) {
    const idx = r.ts.flatMap((t, i) => (t >= h && t < h + H ? [i] : []));
    const hour = rollupHour(h, idx.map((i) => r.ts[i]!), idx.map((i) => r.vs[i]!), Uint8Array.from(idx, (i) => r.stale[i]!));
    // Round-trip through the stored encoding.
    const stored = res === RES_5M ? hour.m5 : hour.h1;
    copySlots(decodeSlots(encodeSlots(stored), h, res), block);
  }
  return block;
}

describe("rollup slots", () => {
  it("keeps a slot's edge sample for the query bucket ending there and adds counter resets back", () => {
    // Counter 10, 20, reset to 3, 8 inside (0, 5m); 11 exactly at 5m; then 2 (reset at the boundary) at 6m.
    const r = raw([[1 * M, 10], [2 * M, 20], [3 * M, 3], [4 * M, 8], [5 * M, 11], [6 * M, 2], [7 * M, 5]]);
    const b = rolled(r, RES_5M, 0, 15 * M);
    const c = rangeBuckets(b, 1, 15 * M);
    expect([...c.end]).toEqual([5 * M, 10 * M]);
    expect([...c.count]).toEqual([5, 2]);
    expect([...c.first]).toEqual([10, 2]);
    expect([...c.last]).toEqual([11, 5]);
    expect([...c.lastTs]).toEqual([5 * M, 7 * M]);
    // Drop 20 → 3 adds 20; the drop 11 → 2 lies between buckets (the engine adds it back).
    expect([...c.corr]).toEqual([20, 0]);
    expect([...c.min]).toEqual([3, 2]);
    expect([...c.max]).toEqual([20, 5]);
    expect([...c.sum]).toEqual([52, 7]);
  });

  it("does not count stale markers and leaves empty buckets out", () => {
    const r = raw([[1 * M, 1], [2 * M, "stale"], [12 * M, 4], [13 * M, "stale"], [15 * M, "stale"]]);
    const b = rolled(r, RES_5M, 0, 20 * M);
    const c = rangeBuckets(b, 1, 20 * M);
    expect([...c.end]).toEqual([5 * M, 15 * M]);
    expect([...c.count]).toEqual([1, 1]);
    // Instant selectors see each bucket's final point, stale markers included.
    const p = finalPoints(b, 1, 20 * M);
    expect([...p.timestamps]).toEqual([2 * M, 15 * M]);
    expect([...p.stale!]).toEqual([1, 1]);
  });

  it("aggregates NaN samples as max_over_time / min_over_time do", () => {
    const r = raw([[1 * M, NaN], [2 * M, 3], [3 * M, NaN]]);
    const c = rangeBuckets(rolled(r, RES_5M, 0, 5 * M), 1, 5 * M);
    expect(c.max[0]).toBe(3);
    expect(c.min[0]).toBe(3);
    expect(c.sum[0]).toBeNaN();
    expect(c.last[0]).toBeNaN();
  });

  it("fills slots from raw samples the same way as from stored rollups", () => {
    const r = raw([[0, 1], [7 * M, 2], [H, 3], [H + 30 * M, "stale"]]);
    const fromRaw = emptySlots(0, RES_5M, 2 * H / RES_5M + 1);
    addSamples(fromRaw, r.ts, r.vs, r.stale, 0, r.ts.length);
    expect([...rolled(r, RES_5M, 0, 2 * H).f]).toEqual([...fromRaw.f]);
  });
});

/** Raw samples in (t − range, t], stale markers dropped, as the engine's range selection. */
function window(r: Raw, t: number, range: number): [number[], number[]] {
  const ts: number[] = [];
  const vs: number[] = [];
  r.ts.forEach((x, i) => {
    if (x > t - range && x <= t && r.stale[i] === 0) {
      ts.push(x);
      vs.push(r.vs[i]!);
    }
  });
  return [ts, vs];
}

function close(a: number | undefined, b: number | undefined, rel: number): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

describe("window functions over rollups match raw samples", () => {
  // Two days of a jittery 15 s counter with resets, gaps (missed scrapes, a 40-minute outage),
  // stale markers and samples exactly on slot boundaries.
  const rnd = seededRandom(42);
  const points: [number, number | "stale"][] = [];
  let v = 0;
  for (let t = 0; t < 48 * H; t += 15_000) {
    if (t > 10 * H && t < 10 * H + 40 * M) continue;
    if (rnd() < 0.03) continue;
    const jitter = rnd() < 0.5 ? 0 : Math.floor(rnd() * 40);
    if (rnd() < 0.005) {
      points.push([t + jitter, "stale"]);
      continue;
    }
    v = rnd() < 0.004 ? rnd() * 5 : v + rnd() * 100;
    points.push([t + jitter, v]);
  }
  const r = raw(points);
  const fns: [string, () => WindowFn, number][] = [
    ["rate", () => extrapolatedRate(true, true), 1e-9],
    ["increase", () => extrapolatedRate(true, false), 1e-9],
    ["delta", () => extrapolatedRate(false, false), 0],
    ["sum_over_time", () => overTime.sumOverTime, 1e-12],
    ["avg_over_time", () => overTime.avgOverTime, 1e-12],
    ["count_over_time", () => overTime.countOverTime, 0],
    ["min_over_time", () => overTime.minOverTime, 0],
    ["max_over_time", () => overTime.maxOverTime, 0],
    ["last_over_time", () => overTime.lastOverTime, 0],
    ["present_over_time", () => overTime.presentOverTime, 0],
  ];
  for (const res of [RES_5M, RES_1H]) {
    const block = rolled(r, res, 0, 48 * H);
    for (const [name, make, rel] of fns) {
      it(`${name} at ${res / M}m resolution`, () => {
        const fn = make();
        let compared = 0;
        for (const range of [res, 2 * res, 6 * res]) {
          const buckets = rangeBuckets(block, 1, 48 * H);
          for (let t = range; t <= 48 * H; t += res) {
            const [ts, vs] = window(r, t, range);
            const w: Window = { start: t - range, end: t, range, step: 0, evalT: t };
            fn.series?.(ts, vs);
            const want = ts.length ? fn(ts, vs, 0, ts.length, w) : undefined;
            let lo = 0;
            while (lo < buckets.end.length && buckets.end[lo]! <= t - range) lo++;
            let hi = lo;
            while (hi < buckets.end.length && buckets.end[hi]! <= t) hi++;
            const got = hi > lo ? fn.rollup!(buckets, lo, hi, w) : undefined;
            if (!close(got, want, rel)) expect({ name, range, t, got }).toEqual({ name, range, t, got: want });
            compared++;
          }
        }
        expect(compared).toBeGreaterThan(100);
      });
    }

    it(`instant selection at ${res / M}m resolution reads the same point as raw`, () => {
      for (const lookback of [5 * M, 30 * M]) {
        const p = finalPoints(block, 1, 48 * H);
        for (let t = res; t <= 48 * H; t += res) {
          const pick = (ts: ArrayLike<number>, stale: ArrayLike<number> | undefined, vs: ArrayLike<number>) => {
            let i = -1;
            for (let k = 0; k < ts.length && ts[k]! <= t; k++) i = k;
            if (i < 0 || ts[i]! <= t - lookback || stale?.[i] === 1) return undefined;
            return [ts[i], vs[i]];
          };
          expect(pick(p.timestamps, p.stale, p.values)).toEqual(pick(r.ts, r.stale, r.vs));
        }
      }
    });
  }
});
