import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { chunkHeader, ChunkIterator, decodeChunk, decodeChunkInto, encodeChunk, iterateChunk, sampleColumns } from "./chunk";
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
    expect(() => decodeChunk(Uint8Array.of(4, 0))).toThrow(/unknown format version 4/);
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

describe("decodeChunkInto", () => {
  it("appends exactly the samples inside [fromMs, toMs] at the given index, bit-exact, for XOR and decimal chunks", () => {
    const xor = syntheticSeries("counter-gaps", { seed: 5, jitterMs: 50, samples: 120 });
    const stale = new Float64Array(xor.values);
    new BigUint64Array(stale.buffer)[60] = STALE_NAN; // stale marker: an XOR chunk with a NaN payload
    const decimal = { timestamps: xor.timestamps, values: Float64Array.from(xor.timestamps, (_, i) => i * 0.25 + 3) };
    const rnd = seededRandom(12);
    for (const s of [xor, { timestamps: xor.timestamps, values: stale }, decimal]) {
      const bytes = encodeChunk(s.timestamps, s.values);
      const first = s.timestamps[0];
      const last = s.timestamps[s.timestamps.length - 1];
      for (let round = 0; round < 60; round++) {
        const a = first - 20_000 + Math.floor(rnd() * (last - first + 40_000));
        const b = a + Math.floor(rnd() * 900_000);
        const at = Math.floor(rnd() * 5);
        const out = sampleColumns(at + s.timestamps.length);
        const n = decodeChunkInto(bytes, a, b, out, at);
        const want: number[] = [];
        s.timestamps.forEach((t, i) => {
          if (t >= a && t <= b) want.push(i);
        });
        expect(n).toBe(want.length);
        expect(Array.from(out.timestamps.subarray(at, at + n))).toEqual(want.map((i) => s.timestamps[i]));
        expect(bitsOf(out.values.subarray(at, at + n))).toEqual(bitsOf(Float64Array.from(want, (i) => s.values[i]!)).map((x, k) => (want[k] === 60 && s.values === stale ? STALE_NAN : x)));
        expect(Array.from(out.timestamps.subarray(0, at))).toEqual(new Array(at).fill(0));
        // `nan` is set exactly when a NaN value was written.
        const wroteNaN = Array.from(out.values.subarray(at, at + n)).some((v) => Number.isNaN(v));
        expect(out.nan).toBe(wroteNaN);
      }
    }
  });

  it("flags NaN values written (stale markers, NaN samples, first and later samples) and not others", () => {
    const ts = [1000, 2000, 3000, 4000];
    const cases: [number[], boolean][] = [
      [[1, 2, 3, 4], false],
      [[1.5, 2.25, 3, 4], false],
      [[NaN, 2, 3, 4], true],
      [[1, 2, NaN, 4], true],
      [[1, Infinity, -Infinity, 4], false],
    ];
    for (const [values, want] of cases) {
      const out = sampleColumns(4);
      decodeChunkInto(encodeChunk(ts, Float64Array.from(values)), -Infinity, Infinity, out, 0);
      expect(out.nan).toBe(want);
    }
    const stale = Float64Array.of(1, 0, 3, 4);
    new BigUint64Array(stale.buffer)[1] = STALE_NAN;
    const out = sampleColumns(4);
    decodeChunkInto(encodeChunk(ts, stale), 2500, Infinity, out, 0);
    expect(out.nan).toBe(false); // the marker at 2000 is outside the range
    decodeChunkInto(encodeChunk(ts, stale), 0, Infinity, out, 0);
    expect(out.nan).toBe(true);
  });

  it("reads chunks of every length the same as the pull iterator (word-aligned reads, end padding)", () => {
    const rnd = seededRandom(99);
    for (let len = 1; len <= 70; len++) {
      const ts = Array.from({ length: len }, (_, i) => 1_700_000_000_000 + i * 15_000 + Math.floor(rnd() * 40));
      for (const values of [Float64Array.from(ts, () => rnd() * 1e6), Float64Array.from(ts, (_, i) => i * 3 + Math.floor(rnd() * 3))]) {
        const bytes = encodeChunk(ts, values);
        const out = sampleColumns(len);
        expect(decodeChunkInto(bytes, -Infinity, Infinity, out, 0)).toBe(len);
        const it = new ChunkIterator(bytes);
        for (let i = 0; i < len; i++) {
          expect(it.next()).toBe(true);
          expect(out.timestamps[i]).toBe(it.timestamp);
          const value = new Uint32Array(out.values.buffer, 8 * i, 2);
          const little = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
          expect(little ? [value[1], value[0]] : [value[0], value[1]]).toEqual([it.valueHi, it.valueLo]);
        }
      }
    }
  });
});

describe("decimal value encoding (format version 2)", () => {
  /** The value-encoding bit: first bit after the header (a one-byte count; version 3: stride and table). */
  function encoding(bytes: Uint8Array): "xor" | "decimal" {
    expect([2, 3]).toContain(bytes[0]);
    expect(bytes[1]).toBeLessThan(128);
    let at = 2;
    if (bytes[0] === 3) {
      expect(bytes[2]).toBeLessThan(128);
      let table = 0;
      let scale = 1;
      for (at = 3; ; at++) {
        table += (bytes[at]! & 0x7f) * scale;
        scale *= 128;
        if (bytes[at]! < 128) break;
      }
      at += 1 + table;
    }
    return bytes[at]! >> 7 ? "decimal" : "xor";
  }
  const ts = (n: number) => Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i * 15_000);

  it("stores exact decimals as integers and gets every bit back", () => {
    const cases: number[][] = [
      [0.29, 0.3, 0.31, 0.57, 1.01, 0.07], // 2 decimals: 0.29 * 100 is 28.999999999999996
      [1e15, 3e15, 2e15], // e = 15
      [1e-16, 3e-16, 0], // e = -16
      [-1.5, -2.25, 3.125, 0],
      [4096 * 131072, 4096 * 131080, 4096 * 131071], // gcd step 4096
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 7, 9e15],
      [5, 5, 5, 5, 5], // constant: no value bits
      [1, 1000000, 2, 1000001, 3, 1000002], // alternating: zigzag around the median
      [1e6, 1e6 + 10, 1e6 + 20, 1e6 + 30, 1e6 + 40, 1e6 + 51], // linear: delta-of-deltas
      [0.1],
      [7, 8],
    ];
    for (const values of cases) {
      const bytes = expectRoundTrip(ts(values.length), new Float64Array(values));
      expect(encoding(bytes), String(values)).toBe("decimal");
    }
    // A constant chunk of 120 samples: header + 1 bit per timestamp, nothing per value.
    expect(expectRoundTrip(ts(120), new Float64Array(120).fill(0.25)).length).toBeLessThan(40);
  });

  it("falls back to XOR for the whole chunk when any value is not an exact decimal", () => {
    const fallbacks: [string, Float64Array][] = [
      ["staleness marker", floatsFromBits([0x3ff0000000000000n, 0x4000000000000000n, STALE_NAN])],
      ["NaN first", floatsFromBits([0x7ff8000000000000n, 0x3ff0000000000000n])],
      ["+Inf", new Float64Array([1, 2, Infinity])],
      ["-Inf", new Float64Array([-Infinity, 2])],
      ["-0", new Float64Array([1, -0, 2])],
      ["0.1 + 0.2", new Float64Array([1, 0.1 + 0.2, 2])],
      ["2^70", new Float64Array([2 ** 70, 0])],
      ["denormal", floatsFromBits([1n, 0n])],
      ["beyond 2^53", new Float64Array([2 ** 53 + 2, 1])],
      ["delta beyond 2^53", new Float64Array([-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])],
      ["needs more than 16 decimals", new Float64Array([1e-17, 2e-17])],
    ];
    for (const [name, values] of fallbacks) {
      const bytes = expectRoundTrip(ts(values.length), values);
      expect(encoding(bytes), name).toBe("xor");
    }
    const edge = expectRoundTrip(ts(EDGE_VALUES.length), EDGE_VALUES);
    expect(encoding(edge)).toBe("xor");
  });

  it("round-trips random decimal series of every scale (seeded property test)", () => {
    const rnd = seededRandom(77);
    let decimal = 0;
    for (let round = 0; round < 400; round++) {
      const n = 1 + Math.floor(rnd() * 127);
      const decimals = Math.floor(rnd() * 20) - 3;
      const magnitude = 2 ** Math.floor(rnd() * 54);
      const values = new Float64Array(n);
      let m = Math.floor((rnd() - 0.5) * magnitude);
      for (let i = 0; i < n; i++) {
        const kind = Math.floor(rnd() * 4);
        m += kind === 0 ? 0 : kind === 1 ? Math.floor(rnd() * 200) : kind === 2 ? Math.floor((rnd() - 0.5) * magnitude) : -m;
        values[i] = decimals >= 0 ? Math.round(m) / 10 ** decimals : Math.round(m) * 10 ** -decimals;
        if (Object.is(values[i], -0)) values[i] = 0;
      }
      if (encoding(expectRoundTrip(ts(n), values)) === "decimal") decimal++;
    }
    // Math.PI has 16 significant digits: exact at e = -15. Likewise every double in [0.5, 1) is
    // some 16-digit mantissa × 10^-16 (decimal steps of 1e-16 are finer than the doubles' 2^-53),
    // so even float noise there is "decimal" — exactly, just not smaller.
    expect(encoding(expectRoundTrip(ts(2), new Float64Array([Math.PI, Math.E])))).toBe("decimal");
    // Most of them are representable; the rest exercise the fallback.
    expect(decimal).toBeGreaterThan(200);
  });

  it("rejects a corrupt decimal header", () => {
    const bytes = encodeChunk(ts(3), [1, 2, 4]);
    expect(() => decodeChunk(bytes.slice(0, bytes.length - 1))).toThrow(/truncated or corrupt/);
    expect(() => decodeChunk(Uint8Array.of(2, 0xff, 0xff, 0xff, 0x7f, 0, 0))).toThrow(/truncated or corrupt/);
  });
});

describe("format version 1 chunks (written before decimal values) still decode", () => {
  // Hex written by the version-1 encoder (commit f6363b4); expected data regenerated here.
  const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
  const V1_COUNTER_GAPS =
    "0118000001941f297c2840c4ab80000000003ba6fe626e1d937b711eee2dde474e1ce23d5d01c07fbc08f8e693e247fe3996308ee2fb7ef18dbed7d07f9cfc2d2bc0b60f01b42004198e1931b260a9186601a1e0afcabed47bd400e00718c20e71bd205e9b5a1d6c";
  const V1_RATIO_2DP =
    "0110000001941f297bfe3fdccccccccccccd3ba9b59c2ee4390e4390e5bb2a4290a4290a45ab4f86e1b86e1b8788e37561585615852dd959164591645965b7adeb7adeb7a315374dd374dd34c3214852148521574de378de378de4316c5b16c5b16c36e5ffffffffffff80";
  const V1_EDGE =
    "01090000018bcfe568007ff00000000000023ba98d99c000000000001600200000000000000054004000000000000a80000000000000004ffe0000000000000a00000000000000051ff8000000000000a004999999999999a0";

  it("decodes synthetic series and edge bit patterns exactly", () => {
    const gaps = syntheticSeries("counter-gaps", { seed: 7, jitterMs: 50, samples: 24 });
    const ratio = syntheticSeries("gauge-ratio-2dp", { seed: 7, jitterMs: 2, samples: 16 });
    for (const [h, s] of [
      [V1_COUNTER_GAPS, gaps],
      [V1_RATIO_2DP, ratio],
    ] as const) {
      const out = decodeChunk(hex(h));
      expect(Array.from(out.timestamps)).toEqual(Array.from(s.timestamps));
      expect(bitsOf(out.values)).toEqual(bitsOf(s.values));
    }
    const edgeBits = [STALE_NAN, 0x7ff8000000000000n, 0xfff8000000000001n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x8000000000000000n, 1n, 0x3ff0000000000000n, 0x3fb999999999999an];
    const edge = decodeChunk(hex(V1_EDGE));
    expect(bitsOf(edge.values)).toEqual(edgeBits);
    expect(Array.from(edge.timestamps)).toEqual(edgeBits.map((_, i) => 1_700_000_000_000 + i * 15_000));
    // The same data re-encoded as version 2 is smaller and decodes identically.
    expect(encodeChunk(ratio.timestamps, ratio.values).length).toBeLessThan(hex(V1_RATIO_2DP).length / 2);
    expect(iterateChunk(hex(V1_COUNTER_GAPS), gaps.timestamps[3], gaps.timestamps[5], () => {})).toBe(3);
  });
});

describe("restart points (format version 3)", () => {
  /** Version, stride and restart-table length of a version-3 chunk, and where its body starts. */
  function layout(bytes: Uint8Array): { version: number; stride: number; table: number; bodyAt: number } {
    let at = 1;
    const uvarint = () => {
      let v = 0;
      let scale = 1;
      for (;;) {
        const b = bytes[at++]!;
        v += (b & 0x7f) * scale;
        scale *= 128;
        if (b < 128) return v;
      }
    };
    uvarint(); // count
    if (bytes[0] !== 3) return { version: bytes[0]!, stride: 0, table: 0, bodyAt: at };
    const stride = uvarint();
    const table = uvarint();
    return { version: 3, stride, table, bodyAt: at + table };
  }

  const withStale = (() => {
    const s = syntheticSeries("gauge-bytes", { seed: 4, jitterMs: 2, samples: 300 });
    const values = new Float64Array(s.values);
    new BigUint64Array(values.buffer)[150] = STALE_NAN;
    new BigUint64Array(values.buffer)[299] = STALE_NAN;
    return { timestamps: s.timestamps, values };
  })();
  const linear = { timestamps: Float64Array.from({ length: 240 }, (_, i) => 1_700_000_000_000 + i * 15_000), values: Float64Array.from({ length: 240 }, (_, i) => 1e6 + i * 10 + (i % 7 === 0 ? 1 : 0)) };
  const cases: [string, { timestamps: Float64Array; values: Float64Array }][] = [
    ...(["counter", "counter-gaps", "gauge-float-noise", "gauge-ratio-2dp", "constant", "gauge-small-int"] as SeriesShape[]).flatMap((shape) =>
      [128, 240, 601, 3600].map((samples) => [`${shape} × ${samples}`, syntheticSeries(shape, { seed: samples, jitterMs: 50, samples })] as [string, { timestamps: Float64Array; values: Float64Array }]),
    ),
    ["stale markers (XOR)", withStale],
    ["linear counter (delta-of-delta values)", linear],
  ];

  it.each(cases)("%s: decoding from any time equals the whole chunk sliced, bit for bit", (_, s) => {
    const bytes = encodeChunk(s.timestamps, s.values);
    expect(layout(bytes).version).toBe(3);
    const whole = decodeChunk(bytes);
    expect(Array.from(whole.timestamps)).toEqual(Array.from(s.timestamps));
    expect(bitsOf(whole.values)).toEqual(bitsOf(s.values));
    const n = s.timestamps.length;
    const rnd = seededRandom(n);
    const froms = [-Infinity, s.timestamps[0]! - 1, ...Array.from({ length: 40 }, () => s.timestamps[0]! + Math.floor(rnd() * (s.timestamps[n - 1]! - s.timestamps[0]! + 30_000)))];
    for (let k = 60; k < n; k += 64) froms.push(s.timestamps[k - 1]!, s.timestamps[k]!, s.timestamps[k]! + 1);
    for (const from of froms) {
      for (const to of [Infinity, from + 600_000]) {
        const at = 3;
        const out = sampleColumns(at + n);
        const got = decodeChunkInto(bytes, from, to, out, at);
        const want: number[] = [];
        s.timestamps.forEach((t, i) => {
          if (t >= from && t <= to) want.push(i);
        });
        expect(got, `from ${from}`).toBe(want.length);
        expect(Array.from(out.timestamps.subarray(at, at + got))).toEqual(want.map((i) => s.timestamps[i]));
        expect(bitsOf(out.values.subarray(at, at + got))).toEqual(want.map((i) => bitsOf(s.values.subarray(i, i + 1))[0]));
        expect(out.nan).toBe(want.some((i) => Number.isNaN(s.values[i])));
      }
    }
  });

  it("skips the samples before the restart point (a damaged stream before it does not matter)", () => {
    const s = syntheticSeries("counter", { seed: 5, jitterMs: 2, samples: 240 });
    const bytes = encodeChunk(s.timestamps, s.values);
    const { stride, bodyAt } = layout(bytes);
    expect(stride).toBe(64);
    const damaged = bytes.slice();
    // Sample 2 onward up to about sample 150 (restarts at 64, 128 and 192).
    damaged.fill(0xff, bodyAt + 30, bodyAt + Math.floor((bytes.length - bodyAt) * 0.6));
    const out = sampleColumns(240);
    const n = decodeChunkInto(damaged, s.timestamps[200]!, Infinity, out, 0);
    expect(n).toBe(40);
    expect(bitsOf(out.values.subarray(0, n))).toEqual(bitsOf(s.values.subarray(200)));
    expect(() => decodeChunk(damaged)).toThrow();
  });

  it("rejects a damaged restart table", () => {
    const s = syntheticSeries("counter", { seed: 6, jitterMs: 2, samples: 240 });
    const bytes = encodeChunk(s.timestamps, s.values);
    const { bodyAt, table } = layout(bytes);
    const late = s.timestamps[230]!;
    // The table's length pointing past the end; an entry's bit position past the body.
    const longTable = bytes.slice();
    longTable[3] = 0x7f;
    expect(() => decodeChunkInto(longTable, late, Infinity, sampleColumns(240), 0)).toThrow(/truncated or corrupt/);
    const farBit = bytes.slice();
    farBit.set([0xff, 0xff, 0x7f], bodyAt - table);
    expect(() => decodeChunkInto(farBit, late, Infinity, sampleColumns(240), 0)).toThrow(/truncated or corrupt/);
  });

  it("costs at most ~0.15 B/sample on an hour of 15 s samples, none below 128 samples", () => {
    for (const shape of ["counter", "counter-slow", "gauge-small-int", "gauge-bytes", "gauge-ratio-2dp"] as SeriesShape[]) {
      const s = syntheticSeries(shape, { seed: 2, jitterMs: 2, samples: 240 });
      const bytes = encodeChunk(s.timestamps, s.values);
      const { table } = layout(bytes);
      expect(table / 240, shape).toBeLessThanOrEqual(0.15);
      expect(bytes.length / 240, shape).toBeLessThanOrEqual(2);
      const short = syntheticSeries(shape, { seed: 2, jitterMs: 2, samples: 127 });
      expect(layout(encodeChunk(short.timestamps, short.values)).version).toBe(2);
    }
  });
});

describe("format version 2 chunks (written before restart points) still decode", () => {
  // Hex written by the version-2 encoder (130 samples: version 3 gives such chunks restart points).
  const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
  const V2: [SeriesShape, string][] = [
    [
      "counter",
      "028201800000ca0f94bdff40750b205019041077534a764fc65f153d9070815d531828dee9cbd6a2748946db684087803bd72340b21a40ab92a1c4b4" +
      "3e341baea30abe56e03b9a25b7bd8ed9889b2284bdd6cc49146eba88409570fc6736915c4135fd6b723c5c884bb5564588986c968a86ca098caa5e8c" +
      "2a190bd90864e84fed278932f098976292b41ee7f8e46e4a88c2e07858ef0f8c02b549a52d4dbe52f0b988ea598ae6f819226a678c1e22bb5ba20102" +
      "5c417ccc4260785d2e698b0ef11bc42287b42e23a91faa63921ab558d4e301b286f078a9afc68a0a15ab10635948952cad92d2e588a946d7b85d54",
    ],
    [
      "gauge-float-noise",
      "028201800000ca0f94bdff01ad1108900b72560ba1393ece598583cf3cceea691d9f1f32c3c8d89a5a099cdd01a386e4c580f73cf13f7f5f6f6a224b" +
      "0c40d4fa774bac332f183a13499eeb4028731195391e0da80a6c324b18103b37019dcb9a98687a80a7c5ea57e8857e54ae214744fbdffe45117e2495" +
      "47ada1b5a96315d8632943a881a271801ac737fea11bf7e0924144e260dd6f5ce4f345ec86919463edf293dd5b11e226f99814b492939ad97be1aee3" +
      "fa6b7300b56d0c112b93585c3ab7565c98ddc2e2c661b8c14950b9ae7fa5e808242d11e757fbbde3803be54eb8e3d03ac5d5c8e4fc9a085ee6a74f37" +
      "a98c412a845a2b4597e2bd9ac71509bf05da66ff352e076d223acd0910a99ff1098fe3fffba06bc65c35ffe9a59d8a3b3ba2c0526248b135b147003f" +
      "7379ddcb492cdc8b22d7f302b9e58e5cd7e85b1185c7279999044cfe3153775143d8e569150f9fcdcbe5b82a054af7c190cd57ffa34b7dee2b7a6c31" +
      "05006af20caf0cfea56e0b90c1992d3ac06803ac3f0a73feda0632eeb417d8240467856f16eb3100eb64629e00cb0cb5d806c069d440928baf5c5b0a" +
      "c098dd7205ad3334273cd7f074cfa8a6653ba805c546ce367896c4c3618eb38e3114a2d79cb69c2d1d471172eb2ace470b020b4c1b6f64c8464824a8" +
      "d1e7eda462d80412b906221512719ee8d17aa099754a5b8f895c40dffe024c4467e7782a88932da68ac738aaabf7400b4b24bdf9a8c2f53ed0330045" +
      "cb0ebc74b4e05e225756057366eb71ba504b90b03b858166a02a93f35ece5ddec000d8631965896f81caf5ab2e6767bf172990048a8c3e2235ab1be4" +
      "38f2bf86f48938a4dd3e957d1d80e1bedd47984a1ef35c3176546af35b66317a22642001e8270197a3e9c977901f79001d4c9726317545d956bdab7b" +
      "f63744d7aadc9ba710fef9d131e0f0b50ff550f987f2450760398d5e04c0a393440e3346e17a161546af717bff5b6d1c8c9a8a7e0d8ed8fdfc857684" +
      "93dd34fc2e62b7715a3d7ae14b191864231312e7f9b330794cbf430c81bde03fde12d1ac56a745e27d8434c4ec15d6ca47c93d3cf8788b32e2068ca6" +
      "548894b09fe19c5aa2624dea3b415320fb7b216f7a2cad01257337f324c61517f43987896364c56aa7f4dbf65673faaa8d680bed9fb209dadaac5563" +
      "b08e35d5eaf1bb931fdf8d7912a744036f6b5184d54872b1ab97d84aee73074cd26312bb86fdd673c3753d6a20913c4c7ed053bbefb62daa46bd9d53" +
      "8900000000000005ce13223de8611624f51671dd8cac85e518c9a0bc379cd6b7e738cbab8e54106f7ab250",
    ],
    [
      "counter-gaps",
      "028201800000ca0f9515e440750420f820c72103ba994b525731780ea64abc0ea5c37ef5039078c5adac142c55af81d4c0efc0752f53fbd40e0f2fa7" +
      "616f8aa7b933c0752e0fefc56a0abd5499799c233111da4f7d7d23bf80ea5ac2f7e2b3ae4467755e0b89921a1adaeaf00845230cb49633db0ae1aa63" +
      "b1956db4809c71e0753235f7c568577e0752f6cf7c567955f52c632ad9665a2509e46416575e075332ff7c567d2b79c442d107d5c09ccb55d68f3195" +
      "ca16a7c95cda67e07531ad7df159c911bbde130d656d3d297d74742810d310d25757d125accbce6e2090faf34bdcbc0752a5defc56d7fb6828802ca8" +
      "2647b6b4b9c21a161b2a1a6e112baaab40257fb17a407b2c295cac078906ea262a32fadafa8221fb46612f952bc15f841def503aac6169bdeed679a9" +
      "9ba93aed090f40",
    ],
  ];

  it.each(V2)("decodes %s exactly, whole and from any time", (shape, h) => {
    const s = syntheticSeries(shape, { seed: 3, jitterMs: 2, samples: 130 });
    const bytes = hex(h);
    expect(bytes[0]).toBe(2);
    const out = decodeChunk(bytes);
    expect(Array.from(out.timestamps)).toEqual(Array.from(s.timestamps));
    expect(bitsOf(out.values)).toEqual(bitsOf(s.values));
    for (const k of [0, 1, 2, 63, 64, 65, 100, 129]) {
      const cols = sampleColumns(130);
      const n = decodeChunkInto(bytes, s.timestamps[k]!, Infinity, cols, 0);
      expect(n).toBe(130 - k);
      expect(bitsOf(cols.values.subarray(0, n))).toEqual(bitsOf(s.values.subarray(k)));
    }
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

  const realistic: SeriesShape[] = ["constant", "counter-slow", "counter", "gauge-small-int", "gauge-bytes", "gauge-ratio-2dp"];
  it.each(realistic.flatMap((shape) => [0, 2].map((jitterMs) => [shape, jitterMs] as [SeriesShape, number])))(
    "%s, jitter ±%i ms, stays under 2 bytes/sample",
    (shape, jitterMs) => {
      expect(bytesPerSample(shape, jitterMs)).toBeLessThanOrEqual(2);
    },
  );

  // KNOWN GAPS, regression guards only (see bench/metrics-chunk.ts): a counter with missed scrapes
  // and a restart pays ~0.23 B/sample more for its timestamps (two wide delta-of-deltas per gap)
  // and lands just above 2 at ±2 ms; full-precision float noise cannot be written as decimals and
  // stays on XOR.
  it.each([
    ["counter-gaps", 0, 1.75],
    ["counter-gaps", 2, 2.25],
    ["gauge-float-noise", 2, 7.35],
  ] as [SeriesShape, number, number][])("%s, jitter ±%i ms, stays under its current %f bytes/sample", (shape, jitterMs, bound) => {
    expect(bytesPerSample(shape, jitterMs)).toBeLessThanOrEqual(bound);
  });
});
