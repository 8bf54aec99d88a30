import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { chunkHeader, ChunkIterator, decodeChunk, encodeChunk, iterateChunk } from "./chunk";
import { seededRandom, syntheticSeries, type SeriesShape } from "./synthetic-series";

function bitsOf(values: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(values.buffer, values.byteOffset, values.length));
}

function expectRoundTrip(timestamps: ArrayLike<number>, values: Float64Array): Uint8Array {
  const bytes = encodeChunk(timestamps, values);
  const out = decodeChunk(bytes);
  expect(Array.from(out.timestamps)).toEqual(Array.from(timestamps));
  expect(bitsOf(out.values)).toEqual(bitsOf(values));
  return bytes;
}

const STALE_NAN = 0x7ff0000000000002n;
/**
 * Built from bit patterns straight into the array's memory: a NaN passed around as a JS number may
 * be canonicalised by the engine, which would make the test vacuous.
 */
const EDGE_BITS = [
  STALE_NAN,
  0x7ff8000000000000n, // canonical NaN
  0xfff8000000000001n, // negative quiet NaN with payload
  0x7ff4000000000000n, // signalling NaN
  0x7ff0000000000000n, // +Inf
  0xfff0000000000000n, // -Inf
  0x8000000000000000n, // -0
  0n,
  1n, // smallest denormal
  0x000fffffffffffffn, // largest denormal
  0x8000000000000001n, // -smallest denormal
  0x7fefffffffffffffn, // MAX_VALUE
  0xffefffffffffffffn, // -MAX_VALUE
  0x3cb0000000000000n, // EPSILON
  0x3ff0000000000000n, // 1
  0x3ff0000000000000n,
  STALE_NAN,
  STALE_NAN,
  0x3fb999999999999an, // 0.1
];

function floatsFromBits(bits: bigint[]): Float64Array {
  const f = new Float64Array(bits.length);
  new BigUint64Array(f.buffer).set(bits);
  return f;
}

const EDGE_VALUES = floatsFromBits(EDGE_BITS);

describe("encodeChunk / decodeChunk", () => {
  it("handles empty, one- and two-sample chunks", () => {
    expectRoundTrip([], new Float64Array(0));
    expectRoundTrip([1_700_000_000_000], new Float64Array([42.5]));
    expectRoundTrip([1_700_000_000_000, 1_700_000_015_000], new Float64Array([1, 2]));
    expect(chunkHeader(encodeChunk([], []))).toEqual({ count: 0, firstTimestamp: null });
  });

  it("preserves exact bit patterns: staleness NaN, NaN payloads, ±Inf, -0, denormals", () => {
    const ts = Array.from(EDGE_VALUES, (_, i) => 1_700_000_000_000 + i * 15_000);
    const out = decodeChunk(expectRoundTrip(ts, EDGE_VALUES));
    expect(bitsOf(out.values)).toEqual(EDGE_BITS);
    // Reversed order changes which XOR windows get reused.
    expectRoundTrip(ts, floatsFromBits(EDGE_BITS.slice().reverse()));
    // Staleness markers reported by the iterator keep their payload too.
    const seen = new Float64Array(EDGE_VALUES.length);
    let i = 0;
    iterateChunk(encodeChunk(ts, EDGE_VALUES), -Infinity, Infinity, (_t, v) => {
      seen[i++] = v;
    });
    expect(bitsOf(seen)).toEqual(bitsOf(EDGE_VALUES));
  });

  it("handles negative and extreme timestamps and every delta-of-delta bucket", () => {
    const steps = [1, 1, 8, 0x7fff, 1, 129, 4097, 600_000, 2 ** 40, 1, 2 ** 52, 3];
    const ts: number[] = [-(2 ** 52)];
    for (const s of steps) ts.push(ts[ts.length - 1] + s);
    expectRoundTrip(ts, new Float64Array(ts.length).fill(3));
    expectRoundTrip([Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER], new Float64Array(2));
    expectRoundTrip([-5, -4, -2, 1], new Float64Array([1, 2, 3, 4]));
  });

  it("round-trips random series (seeded property test)", () => {
    const rnd = seededRandom(20250101);
    const words = new Uint32Array(2);
    const asFloat = new Float64Array(words.buffer);
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rnd() * 260);
      const ts: number[] = [];
      let t = Math.floor((rnd() - 0.3) * 2 ** 45);
      const stepKind = Math.floor(rnd() * 4);
      const values = new Float64Array(n);
      const valueKind = Math.floor(rnd() * 4);
      for (let i = 0; i < n; i++) {
        ts.push(t);
        const step =
          stepKind === 0
            ? 15_000
            : stepKind === 1
              ? 15_000 + Math.floor((rnd() - 0.5) * 200)
              : stepKind === 2
                ? 1 + Math.floor(rnd() * 2 ** Math.floor(rnd() * 40))
                : 1 + Math.floor(rnd() * 3);
        t += step;
        if (valueKind === 0) {
          // Arbitrary bit patterns, NaNs included.
          words[0] = Math.floor(rnd() * 2 ** 32);
          words[1] = Math.floor(rnd() * 2 ** 32);
          values[i] = asFloat[0];
        } else if (valueKind === 1) {
          values[i] = i > 0 && rnd() < 0.5 ? values[i - 1] : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10);
        } else if (valueKind === 2) {
          values[i] = Math.floor(rnd() * 1000) * (rnd() < 0.5 ? 1 : -1);
        } else {
          values[i] = EDGE_VALUES[Math.floor(rnd() * EDGE_VALUES.length)];
        }
      }
      expectRoundTrip(ts, values);
    }
  });

  it("round-trips realistic series: counters, gauges, constants, jitter, gaps", () => {
    const shapes: SeriesShape[] = ["counter", "counter-slow", "gauge-small-int", "gauge-bytes", "gauge-ratio-2dp", "constant", "counter-gaps", "gauge-float-noise"];
    for (const shape of shapes) {
      for (const jitterMs of [0, 2, 50]) {
        for (const intervalMs of [15_000, 60_000]) {
          const s = syntheticSeries(shape, { seed: 3, jitterMs, intervalMs, samples: 240 });
          expectRoundTrip(s.timestamps, s.values);
        }
      }
    }
  });

  it("accepts plain number arrays", () => {
    const bytes = encodeChunk([1000, 2000, 3000], [0.5, -0, Infinity]);
    const out = decodeChunk(bytes);
    expect(Array.from(out.values)).toEqual([0.5, -0, Infinity]);
    expect(Object.is(out.values[1], -0)).toBe(true);
  });

  it("rejects input that is not one series in time order", () => {
    const cases: [number[], number[], RegExp][] = [
      [[1000, 2000], [1], /2 timestamps but 1 values/],
      [[2000, 1000], [1, 2], /strictly increasing \(sample 1: 1000 after 2000\)/],
      [[1000, 2000, 2000], [1, 2, 3], /strictly increasing/],
      [[1000.5], [1], /not an integer/],
      [[NaN], [1], /not an integer/],
      [[2 ** 53], [1], /not an integer/],
      [[-(2 ** 53) + 1, 2 ** 53 - 1], [1, 2], /step too large/],
    ];
    for (const [ts, vs, message] of cases) {
      let error: unknown;
      try {
        encodeChunk(ts, vs);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("INVALID_INPUT");
      expect((error as AppError).userMessage).toMatch(message);
    }
  });

  it("rejects corrupt or truncated chunks with an error, not garbage", () => {
    const s = syntheticSeries("counter", { seed: 9, jitterMs: 2 });
    const bytes = encodeChunk(s.timestamps, s.values);
    expect(() => decodeChunk(new Uint8Array(0))).toThrow(AppError);
    expect(() => decodeChunk(Uint8Array.of(99, 0))).toThrow(/unknown format version 99/);
    for (const cut of [2, 10, bytes.length >> 1, bytes.length - 1]) {
      expect(() => decodeChunk(bytes.slice(0, cut))).toThrow(/truncated or corrupt/);
    }
    // A count no byte string of this size could hold is refused before allocating for it.
    expect(() => decodeChunk(Uint8Array.of(1, 0xff, 0xff, 0xff, 0x7f, 0, 0))).toThrow(/truncated or corrupt/);
  });
});

describe("iterateChunk", () => {
  const s = syntheticSeries("counter-gaps", { seed: 5, jitterMs: 50, samples: 120 });
  const bytes = encodeChunk(s.timestamps, s.values);

  it("reports exactly the samples inside [fromMs, toMs]", () => {
    const rnd = seededRandom(11);
    const first = s.timestamps[0];
    const last = s.timestamps[s.timestamps.length - 1];
    for (let round = 0; round < 100; round++) {
      const a = first - 20_000 + Math.floor(rnd() * (last - first + 40_000));
      const b = a + Math.floor(rnd() * 600_000);
      const got: [number, number][] = [];
      const n = iterateChunk(bytes, a, b, (t, v) => {
        got.push([t, v]);
      });
      const want: [number, number][] = [];
      s.timestamps.forEach((t, i) => {
        if (t >= a && t <= b) want.push([t, s.values[i]]);
      });
      expect(got).toEqual(want);
      expect(n).toBe(want.length);
    }
    // Inclusive bounds on exact sample times.
    expect(iterateChunk(bytes, s.timestamps[3], s.timestamps[3], () => {})).toBe(1);
  });

  it("stops decoding at the time bound: a damaged tail does not matter", () => {
    const damaged = bytes.slice();
    damaged.fill(0xff, Math.floor(damaged.length * 0.75));
    const bound = s.timestamps[40];
    const got: number[] = [];
    iterateChunk(damaged, -Infinity, bound, (t) => {
      got.push(t);
    });
    expect(got).toEqual(Array.from(s.timestamps.subarray(0, 41)));
    expect(() => decodeChunk(damaged)).toThrow();
  });

  it("stops when the callback returns false", () => {
    const got: number[] = [];
    const n = iterateChunk(bytes, -Infinity, Infinity, (t) => got.push(t) < 5);
    expect(n).toBe(5);
    expect(got).toEqual(Array.from(s.timestamps.subarray(0, 5)));
  });

  it("exposes a pull iterator with exact value words", () => {
    const it = new ChunkIterator(encodeChunk([10, 20], floatsFromBits([STALE_NAN, 0x3ff0000000000000n])));
    expect(it.count).toBe(2);
    expect(it.next()).toBe(true);
    expect([it.timestamp, it.valueHi, it.valueLo]).toEqual([10, 0x7ff00000, 2]);
    expect(it.next()).toBe(true);
    expect([it.timestamp, it.value]).toEqual([20, 1]);
    expect(it.next()).toBe(false);
    expect(chunkHeader(encodeChunk([10, 20], [1, 2]))).toEqual({ count: 2, firstTimestamp: 10 });
  });
});

describe("compressed size (format requirement: ≤ 2 bytes/sample, 120-sample chunks)", () => {
  function bytesPerSample(shape: SeriesShape, jitterMs: number): number {
    let bytes = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const series = syntheticSeries(shape, { seed, jitterMs, samples: 120 });
      bytes += encodeChunk(series.timestamps, series.values).length;
    }
    return bytes / (20 * 120);
  }

  it.each([
    ["constant", 0],
    ["constant", 2],
    ["constant", 50],
    ["counter-slow", 0],
    ["counter-slow", 2],
    ["counter-slow", 50],
    ["gauge-small-int", 0],
    ["gauge-small-int", 2],
  ] as [SeriesShape, number][])("%s, jitter ±%i ms, stays under 2 bytes/sample", (shape, jitterMs) => {
    expect(bytesPerSample(shape, jitterMs)).toBeLessThanOrEqual(2);
  });

  // KNOWN GAP, not the target: busy integer counters and byte gauges change ~8–20 mantissa bits
  // per sample, which XOR coding alone stores at ~2.3–2.6 B/sample even with perfect timestamps.
  // These bounds only guard against regressions; see the report / bench/metrics-chunk.ts.
  it.each([
    ["counter", 0, 2.4],
    ["counter", 2, 2.95],
    ["gauge-bytes", 0, 2.7],
    ["gauge-bytes", 2, 3.2],
  ] as [SeriesShape, number, number][])("%s, jitter ±%i ms, stays under its current %f bytes/sample", (shape, jitterMs, bound) => {
    expect(bytesPerSample(shape, jitterMs)).toBeLessThanOrEqual(bound);
  });
});
