/**
 * Window functions with a whole-series form (WindowFn.windows: rate, increase, delta) must give
 * what calling them per window gives, bit for bit.
 */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../chunk/synthetic-series";
import type { Evaluator } from "../evaluator";
import type { RangeArg } from "../types";
import { extrapolatedRate } from "./rate";
import { newWindow, windowValues } from "./windows";

function bits(a: Float64Array): string[] {
  return Array.from(a, (v) => (Number.isNaN(v) ? "NaN" : new BigUint64Array(Float64Array.of(v).buffer)[0]!.toString(16)));
}

describe("whole-series window functions", () => {
  it("equal the per-window function (counters with resets, NaN, gaps, sliding and jumping windows)", () => {
    const rnd = seededRandom(21);
    let compared = 0;
    for (let round = 0; round < 300; round++) {
      const len = Math.floor(rnd() * 200);
      const ts = new Float64Array(len);
      const vs = new Float64Array(len);
      let t = 0;
      let v = rnd() * 100;
      for (let i = 0; i < len; i++) {
        t += 1 + Math.floor(rnd() * (rnd() < 0.05 ? 600_000 : 30_000));
        ts[i] = t;
        const r = rnd();
        v = r < 0.08 ? rnd() * 10 : r < 0.1 ? NaN : r < 0.11 ? Infinity : Number.isNaN(v) ? rnd() : v + rnd() * 20;
        vs[i] = v;
      }
      const n = 1 + Math.floor(rnd() * 80);
      const windowEnd = new Float64Array(n);
      const step = 1 + Math.floor(rnd() * 60_000);
      const first = Math.floor(rnd() * 100_000) - 50_000;
      const jumping = rnd() < 0.2; // @ or offsets: windows need not move forward
      for (let i = 0; i < n; i++) windowEnd[i] = jumping ? Math.floor(rnd() * (t + 100_000)) : first + i * step;
      const range = [1000, 60_000, 300_000, 3_600_000][Math.floor(rnd() * 4)]!;
      const arg: RangeArg = { series: [], windowEnd, range, absentLabels: {}, selectorName: "" };
      const ev = { n, steps: windowEnd, checkTimeout() {} } as unknown as Evaluator;
      for (const [isCounter, isRate] of [
        [true, true],
        [true, false],
        [false, false],
      ] as const) {
        const fn = extrapolatedRate(isCounter, isRate);
        expect(fn.windows).toBeDefined();
        const want = { values: new Float64Array(n), present: new Uint8Array(n) };
        const got = { values: new Float64Array(n), present: new Uint8Array(n) };
        const s = { labels: {}, ts, vs };
        const a = windowValues(ev, arg, s, fn, newWindow(arg), want.values, want.present, true);
        const b = windowValues(ev, arg, s, fn, newWindow(arg), got.values, got.present);
        expect(b).toBe(a);
        expect(Array.from(got.present)).toEqual(Array.from(want.present));
        expect(bits(got.values)).toEqual(bits(want.values));
        compared += want.present.reduce((x, y) => x + y, 0);
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
