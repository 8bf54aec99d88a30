import { describe, expect, it } from "vitest";
import type { Labels } from "../../model";
import { createEngine } from "./engine";
import { MemoryQueryable } from "./memory-queryable";
import { PromQLExecError, type QueryResult } from "./types";

type Sample = [number, number] | [number, "stale"];

function store(series: { labels: Labels; samples: Sample[] }[]): MemoryQueryable {
  const q = new MemoryQueryable();
  q.append(
    series.map((s) => ({
      labels: s.labels,
      samples: s.samples.map(([t, v]) => (v === "stale" ? { timestampMs: t * 1000, value: NaN, stale: true } : { timestampMs: t * 1000, value: v })),
    })),
  );
  return q;
}

/** Samples every `interval` seconds from 0: values[i] at i*interval. */
function every(interval: number, values: (number | "stale")[]): Sample[] {
  return values.map((v, i) => [i * interval, v] as Sample);
}

function vector(r: QueryResult): Record<string, number> {
  if (r.resultType !== "vector") throw new Error(`expected vector, got ${r.resultType}`);
  const sorted = (l: Labels) => Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));
  return Object.fromEntries(r.result.map((s) => [JSON.stringify(sorted(s.labels)), s.v]));
}

const engine = createEngine();

describe("rate extrapolation", () => {
  it("extrapolates to both window edges when samples cover the window", async () => {
    // 0, 10, …, 60 every 10s; window (0, 60] holds 10…60: 50 over 50s, extended by 10s to the start.
    const q = store([{ labels: { __name__: "c_total" }, samples: every(10, [0, 10, 20, 30, 40, 50, 60]) }]);
    const r = await engine.instantQuery(q, "increase(c_total[1m])", 60_000);
    expect(vector(r)['{}']).toBeCloseTo(60, 10);
  });

  it("extrapolates by half an interval when the series starts inside the window", async () => {
    const q = store([{ labels: { __name__: "c_total" }, samples: [[100, 5], [110, 15], [120, 25]] }]);
    // Window (60, 120]: first sample 40s after the start (> 1.1 × 10s) → extend 5s; zero point is 5s back → 5s.
    const r = await engine.instantQuery(q, "increase(c_total[1m])", 120_000);
    expect(vector(r)['{}']).toBeCloseTo((20 * 25) / 20, 10);
  });

  it("never extrapolates a counter below zero", async () => {
    const q = store([{ labels: { __name__: "c_total" }, samples: [[100, 1], [110, 11], [120, 21]] }]);
    // Zero point is 1s before the first sample, closer than the 5s half interval.
    const r = await engine.instantQuery(q, "increase(c_total[1m])", 120_000);
    expect(vector(r)['{}']).toBeCloseTo((20 * 21) / 20, 10);
  });

  it("adds counter resets back and ignores a single sample", async () => {
    const q = store([
      { labels: { __name__: "c_total", a: "reset" }, samples: every(10, [5, 10, 2, 4]) },
      { labels: { __name__: "c_total", a: "single" }, samples: [[30, 1]] },
    ]);
    const r = vector(await engine.instantQuery(q, "increase(c_total[30s])", 30_000));
    // Window (0, 30]: 10, 2, 4 → 4 - 10 + 10 = 4 over 20s, extrapolated to 30s.
    expect(r['{"a":"reset"}']).toBeCloseTo(6, 10);
    expect(r['{"a":"single"}']).toBeUndefined();
  });

  it("delta does not treat decreases as resets, and rate drops the metric name", async () => {
    const q = store([{ labels: { __name__: "g", x: "1" }, samples: every(10, [10, 8, 6, 4]) }]);
    const r = vector(await engine.instantQuery(q, "delta(g[30s])", 30_000));
    expect(r['{"x":"1"}']).toBeCloseTo(-6, 10);
  });

  it("flags rate() on a metric whose name does not look like a counter", async () => {
    const q = store([{ labels: { __name__: "g" }, samples: every(10, [1, 2, 3]) }]);
    const r = await engine.instantQuery(q, "rate(g[1m])", 20_000);
    expect(r.infos?.[0]).toMatch(/^PromQL info: metric might not be a counter, name does not end in .*"g" \(1:6\)$/);
  });
});

describe("lookback and staleness", () => {
  const q = store([{ labels: { __name__: "m" }, samples: [[0, 1], [10, 2], [20, "stale"], [40, 3]] }]);

  it("takes the latest sample within the lookback, left-open", async () => {
    expect(vector(await engine.instantQuery(q, "m", 15_000))).toEqual({ '{"__name__":"m"}': 2 });
    expect(vector(await engine.instantQuery(q, "m", 339_999))).toEqual({ '{"__name__":"m"}': 3 });
    // The sample at 40s is exactly 5m old at 340s: outside (t - 5m, t].
    expect(vector(await engine.instantQuery(q, "m", 340_000))).toEqual({});
  });

  it("ends at a stale marker until the next sample", async () => {
    expect(vector(await engine.instantQuery(q, "m", 20_000))).toEqual({});
    expect(vector(await engine.instantQuery(q, "m", 39_999))).toEqual({});
    const r = await engine.rangeQuery(q, "m", 0, 50_000, 10_000);
    expect(r.resultType === "matrix" && r.result[0]).toEqual({ labels: { __name__: "m" }, timestamps: [0, 10_000, 40_000, 50_000], values: [1, 2, 3, 3] });
  });

  it("honours a custom lookback delta", async () => {
    const short = createEngine({ lookbackDeltaMs: 5000 });
    expect(vector(await short.instantQuery(q, "m", 14_000))).toEqual({ '{"__name__":"m"}': 2 });
    expect(vector(await short.instantQuery(q, "m", 15_000))).toEqual({});
    expect(vector(await short.instantQuery(q, "m", 44_000))).toEqual({ '{"__name__":"m"}': 3 });
  });

  it("drops stale markers from range selectors", async () => {
    const r = await engine.instantQuery(q, "count_over_time(m[1m])", 50_000);
    expect(vector(r)).toEqual({ "{}": 3 });
  });
});

describe("offset and @", () => {
  const q = store([{ labels: { __name__: "m" }, samples: every(10, [0, 1, 2, 3, 4, 5, 6]) }]);

  it("shifts with offset and pins with @ (incl. start() and end())", async () => {
    expect(vector(await engine.instantQuery(q, "m offset 20s", 60_000))).toEqual({ '{"__name__":"m"}': 4 });
    expect(vector(await engine.instantQuery(q, "m @ 30", 60_000))).toEqual({ '{"__name__":"m"}': 3 });
    const r = await engine.rangeQuery(q, "m @ start() + m @ end() + 0 * m", 20_000, 40_000, 10_000);
    expect(r.resultType === "matrix" && r.result[0].values).toEqual([6, 6, 6]);
  });
});

describe("subqueries", () => {
  const q = store([{ labels: { __name__: "m" }, samples: every(10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }]);

  it("evaluates at multiples of the subquery step inside (t - range, t]", async () => {
    // At t=75s, [30s:20s] evaluates m at the multiples of 20s inside (45s, 75s]: only 60s.
    const r = await engine.instantQuery(q, "m[30s:20s]", 75_000);
    expect(r.resultType === "matrix" && r.result[0]).toMatchObject({ timestamps: [60_000], values: [6] });
    const r2 = await engine.instantQuery(q, "count_over_time(m[60s:20s])", 80_000);
    expect(vector(r2)).toEqual({ "{}": 3 });
  });

  it("uses the default step (1m) for [range:]", async () => {
    const r = await engine.instantQuery(q, "m[3m:]", 90_000);
    expect(r.resultType === "matrix" && r.result[0].timestamps).toEqual([0, 60_000]);
  });

  it("applies offset to the subquery window", async () => {
    const r = await engine.instantQuery(q, "max_over_time(m[20s:10s] offset 30s)", 90_000);
    expect(vector(r)).toEqual({ "{}": 6 });
  });
});

describe("aggregations", () => {
  const q = store([
    { labels: { __name__: "x", job: "a", i: "1" }, samples: [[0, 1]] },
    { labels: { __name__: "x", job: "a", i: "2" }, samples: [[0, 3]] },
    { labels: { __name__: "x", job: "b", i: "3" }, samples: [[0, 5]] },
    { labels: { __name__: "x", job: "b", i: "4" }, samples: [[0, NaN]] },
  ]);

  it("groups by and without", async () => {
    expect(vector(await engine.instantQuery(q, 'sum by (job) (x{i!="4"})', 0))).toEqual({ '{"job":"a"}': 4, '{"job":"b"}': 5 });
    expect(vector(await engine.instantQuery(q, "count without (i) (x)", 0))).toEqual({ '{"job":"a"}': 2, '{"job":"b"}': 2 });
    expect(vector(await engine.instantQuery(q, 'stddev(x{job="a"})', 0))).toEqual({ "{}": 1 });
    expect(vector(await engine.instantQuery(q, 'quantile(0.5, x{i!="4"})', 0))).toEqual({ "{}": 3 });
  });

  it("topk keeps labels and ranks NaN last; count_values labels by value", async () => {
    const r = await engine.instantQuery(q, "topk(1, x) by (job)", 0);
    expect(r.resultType === "vector" && r.result.map((s) => s.labels.i)).toEqual(["3", "2"]);
    const b = await engine.instantQuery(q, 'bottomk(1, x{job="b"})', 0);
    expect(b.resultType === "vector" && b.result.map((s) => s.labels.i)).toEqual(["3"]);
    expect(vector(await engine.instantQuery(q, 'count_values("v", x{i!="4"} * 1e21)', 0))).toEqual({
      '{"v":"1000000000000000000000"}': 1,
      '{"v":"3000000000000000000000"}': 1,
      '{"v":"5000000000000000000000"}': 1,
    });
  });
});

describe("binary operators", () => {
  const q = store([
    { labels: { __name__: "a", job: "x", i: "1" }, samples: [[0, 10]] },
    { labels: { __name__: "a", job: "x", i: "2" }, samples: [[0, 20]] },
    { labels: { __name__: "b", job: "x" }, samples: [[0, 2]] },
  ]);

  it("requires group_left for many-to-one and reports it", async () => {
    await expect(engine.instantQuery(q, "a / on(job) b", 0)).rejects.toThrow("many-to-one matching must be explicit");
    expect(vector(await engine.instantQuery(q, "a / on(job) group_left b", 0))).toEqual({ '{"i":"1","job":"x"}': 5, '{"i":"2","job":"x"}': 10 });
  });

  it("rejects duplicate series on the one side", async () => {
    await expect(engine.instantQuery(q, "b / on(job) group_left a", 0)).rejects.toThrow(/found duplicate series for the match group \{job="x"\} on the right hand-side/);
    await expect(engine.instantQuery(q, "a / on(job) group_right b", 0)).rejects.toThrow(/on the left hand-side/);
  });

  it("filters with comparisons and returns 0/1 with bool", async () => {
    expect(vector(await engine.instantQuery(q, "a > 15", 0))).toEqual({ '{"__name__":"a","i":"2","job":"x"}': 20 });
    expect(vector(await engine.instantQuery(q, "a > bool 15", 0))).toEqual({ '{"i":"1","job":"x"}': 0, '{"i":"2","job":"x"}': 1 });
  });
});

describe("results and errors", () => {
  const q = store([
    { labels: { __name__: "m", z: "1" }, samples: every(10, [1, 2, 3]) },
    { labels: { __name__: "m", a: "1" }, samples: every(10, [4, 5, 6]) },
  ]);

  it("sorts range-query series by labels and returns scalars as one series", async () => {
    const r = await engine.rangeQuery(q, "m", 0, 20_000, 10_000);
    expect(r.resultType === "matrix" && r.result.map((s) => s.labels)).toEqual([{ __name__: "m", a: "1" }, { __name__: "m", z: "1" }]);
    const s = await engine.rangeQuery(q, "time()", 0, 20_000, 10_000);
    expect(s).toEqual({ resultType: "matrix", result: [{ labels: {}, timestamps: [0, 10_000, 20_000], values: [0, 10, 20] }] });
    expect(await engine.instantQuery(q, '"hi"', 5000)).toEqual({ resultType: "string", result: { t: 5000, v: "hi" } });
  });

  it("categorises errors as bad_data, execution and timeout", async () => {
    const bad = await engine.instantQuery(q, "sum(", 0).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PromQLExecError);
    expect((bad as PromQLExecError).type).toBe("bad_data");
    const range = await engine.rangeQuery(q, "m[1m]", 0, 10, 1).catch((e: unknown) => e);
    expect((range as PromQLExecError).type).toBe("bad_data");
    const dup = store([
      { labels: { __name__: "m1", a: "1" }, samples: [[0, 1]] },
      { labels: { __name__: "m2", a: "1" }, samples: [[0, 2]] },
    ]);
    const exec = await engine.instantQuery(dup, '-{__name__=~"m1|m2"}', 0).catch((e: unknown) => e);
    expect((exec as PromQLExecError).type).toBe("execution");
    expect((exec as Error).message).toBe("vector cannot contain metrics with the same labelset");
    const limited = await createEngine({ maxSamples: 2 }).instantQuery(q, "m", 20_000).catch((e: unknown) => e);
    expect((limited as PromQLExecError).type).toBe("execution");
    const slow = await createEngine({ timeoutMs: -1 }).instantQuery(q, "sum(m)", 0).catch((e: unknown) => e);
    expect((slow as PromQLExecError).type).toBe("timeout");
  });

  it("fetches each selector once with hints covering lookback, range and offset", async () => {
    const calls: { start: number; end: number }[] = [];
    const spy = new MemoryQueryable();
    spy.select = async (_m, hints) => {
      calls.push({ start: hints.start, end: hints.end });
      return [];
    };
    await engine.rangeQuery(spy, "rate(m[5m] offset 1m) + m", 600_000, 1_200_000, 60_000);
    expect(calls).toEqual([
      { start: 600_000 - 60_000 - 300_000 + 1, end: 1_200_000 - 60_000 },
      { start: 600_000 - 300_000 + 1, end: 1_200_000 },
    ]);
  });
});
