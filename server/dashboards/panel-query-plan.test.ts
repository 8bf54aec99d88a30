import { describe, expect, it } from "vitest";
import { LogTargetSchema, PromTargetSchema } from "./model";
import { alignRange, builtinValues, instantFrames, interpolateBuiltins, planLogs, planProm, promStep, rangeFrames, rateInterval } from "./panel-query-plan";

const prom = (over: Record<string, unknown>) => PromTargetSchema.parse({ kind: "promql", refId: "A", expr: "up", ...over });
const logs = (over: Record<string, unknown>) => LogTargetSchema.parse({ kind: "logs", refId: "B", ...over });

describe("promStep", () => {
  it("is the panel interval, raised to the target's minimum interval", () => {
    expect(promStep(15_000, 3_600_000)).toBe(15_000);
    expect(promStep(15_000, 3_600_000, "1m")).toBe(60_000);
    expect(promStep(120_000, 3_600_000, "1m")).toBe(120_000);
  });

  it("never gives more than 11,000 points over the range", () => {
    const week = 7 * 86_400_000;
    const step = promStep(1_000, week);
    expect(step).toBe(Math.ceil(week / 11_000));
    expect(week / step).toBeLessThanOrEqual(11_000);
  });

  it("ignores an unreadable target interval", () => {
    expect(promStep(30_000, 60_000, "soon")).toBe(30_000);
  });
});

describe("alignRange", () => {
  it("moves start and end down to multiples of the step", () => {
    expect(alignRange(1_000_017_000, 1_003_617_999, 60_000)).toEqual({ start: 999_960_000, end: 1_003_560_000 });
    expect(alignRange(60_000, 120_000, 60_000)).toEqual({ start: 60_000, end: 120_000 });
  });
});

describe("built-ins", () => {
  it("$__rate_interval is max(4 × scrape interval, interval + scrape interval)", () => {
    expect(rateInterval(15_000)).toBe(60_000);
    expect(rateInterval(60_000)).toBe(75_000);
    expect(rateInterval(300_000)).toBe(315_000);
  });

  it("values: durations as PromQL writes them, ranges in seconds and ms", () => {
    expect(builtinValues(90_000, 3_600_400)).toEqual({
      __interval: "1m30s",
      __interval_ms: "90000",
      __rate_interval: "1m45s",
      __rate_interval_ms: "105000",
      __range: "3600s",
      __range_s: "3600",
      __range_ms: "3600400",
    });
  });

  it("fills $__name, ${__name} and [[__name]] forms; the longest name wins", () => {
    const expr = "sum(rate(x[$__rate_interval])) / $__interval_ms + increase(y[${__range}]) + z[[[__interval]]] + $__range_s + $__range_ms";
    expect(interpolateBuiltins(expr, 30_000, 21_600_000)).toBe("sum(rate(x[1m])) / 30000 + increase(y[21600s]) + z[30s] + 21600 + 21600000");
  });

  it("leaves dashboard variables and unknown built-ins alone", () => {
    expect(interpolateBuiltins('up{job="$job"}[$__interval] $__unknown', 60_000, 3_600_000)).toBe('up{job="$job"}[1m] $__unknown');
  });
});

describe("planProm", () => {
  const range = { start: 1_700_000_017_000, end: 1_700_003_617_000, intervalMs: 30_000 };

  it("a range target: step from the interval, range aligned, built-ins filled with the step", () => {
    const p = planProm(prom({ expr: "rate(x[$__rate_interval])", interval: "1m" }), range);
    expect(p.step).toBe(60_000);
    expect(p.start % 60_000).toBe(0);
    expect(p.end % 60_000).toBe(0);
    expect(p.start).toBeLessThanOrEqual(range.start);
    expect(range.start - p.start).toBeLessThan(60_000);
    expect(p.target.expr).toBe("rate(x[1m15s])");
    expect(p.target.refId).toBe("A");
  });

  it("an instant target evaluates at the end, moved down to the scrape interval at most", () => {
    const p = planProm(prom({ instant: true, expr: "sum(increase(x[$__range]))" }), range);
    expect(p.step).toBe(0);
    expect(p.start).toBe(p.end);
    expect(p.end).toBe(Math.floor(range.end / 15_000) * 15_000);
    expect(p.target.expr).toBe("sum(increase(x[3600s]))");
  });
});

describe("planLogs", () => {
  it("lines: the range to whole seconds (end inclusive to its last ms)", () => {
    const p = planLogs(logs({ mode: "lines" }), { start: 10_500, end: 20_250, intervalMs: 1_000 });
    expect(p).toMatchObject({ start: 10_000, end: 20_999, step: 0 });
  });

  it("volume: whole buckets of the interval, never more than the histogram's 10,000", () => {
    const p = planLogs(logs({ mode: "volume" }), { start: 65_000, end: 185_000, intervalMs: 60_000 });
    expect(p).toMatchObject({ start: 60_000, end: 239_999, step: 60_000 });
    const wide = planLogs(logs({ mode: "count" }), { start: 0, end: 30 * 86_400_000, intervalMs: 1_000 });
    expect((wide.end - wide.start) / wide.step).toBeLessThanOrEqual(10_000);
  });
});

describe("frames", () => {
  const plan = { start: 0, end: 60_000, step: 15_000 };

  it("a range result fills every step, null where the series has no value", () => {
    const frames = rangeFrames(
      {
        resultType: "matrix",
        result: [
          { labels: { __name__: "up", job: "a" }, timestamps: [0, 15_000, 60_000], values: [1, 0, 1] },
          { labels: { __name__: "up", job: "b" }, timestamps: [30_000], values: [Number.NaN] },
        ],
      },
      { expr: "up", legendFormat: "{{job}}" },
      plan,
    );
    expect(frames).toEqual([
      { name: "a", labels: { __name__: "up", job: "a" }, points: [[0, 1], [15_000, 0], [30_000, null], [45_000, null], [60_000, 1]] },
      { name: "b", labels: { __name__: "up", job: "b" }, points: [[0, null], [15_000, null], [30_000, Number.NaN], [45_000, null], [60_000, null]] },
    ]);
  });

  it("names: the label set without a legend, the expression for a label-less series, repeats made unique", () => {
    const r = { resultType: "matrix" as const, result: [{ labels: {}, timestamps: [0], values: [2] }] };
    expect(rangeFrames(r, { expr: "vector(2)" }, plan)[0]!.name).toBe("vector(2)");
    const v = instantFrames(
      {
        resultType: "vector",
        result: [
          { labels: { __name__: "up", job: "a", instance: "x" }, t: 5, v: 1 },
          { labels: { __name__: "up", job: "a", instance: "y" }, t: 5, v: 0 },
        ],
      },
      { expr: "up", legendFormat: "{{job}}" },
    );
    expect(v.map((f) => [f.name, f.points])).toEqual([
      ["a", [[5, 1]]],
      ["a (2)", [[5, 0]]],
    ]);
    const named = instantFrames({ resultType: "vector", result: [{ labels: { __name__: "up", job: "a" }, t: 5, v: 1 }] }, { expr: "up" });
    expect(named[0]!.name).toBe('up{job="a"}');
  });

  it("a scalar is one series; a string result is refused", () => {
    expect(instantFrames({ resultType: "scalar", result: { t: 7, v: 3 } }, { expr: "1+2" })).toEqual([{ name: "1+2", labels: {}, points: [[7, 3]] }]);
    expect(() => instantFrames({ resultType: "string", result: { t: 7, v: "x" } }, { expr: '"x"' })).toThrow(/string/);
  });
});
