import { compressSync } from "snappy";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import { seriesKey } from "@/server/metrics/store/series-key";
import { decodeRemoteWrite, decodeRemoteWriteColumns, invalidSeriesError, isStaleMarker, STALE_NAN_BITS } from "./decode";
import { WriteRequestType } from "./schema";
import { thrownBy } from "@/test/thrown";

const LIMITS = { maxBytes: 1024 * 1024 };
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);

function body(request: Record<string, unknown>): Buffer {
  return compressSync(Buffer.from(WriteRequestType.encode(WriteRequestType.fromObject(request)).finish()));
}

function labels(obj: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(obj).map(([name, value]) => ({ name, value }));
}

const appError = (fn: () => unknown) => thrownBy(fn, AppError);

function nanWithBits(bits: bigint): number {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(bits);
  return b.readDoubleBE();
}

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** Length-delimited field: tag byte, varint length, payload. */
function ld(tag: number, payload: number[]): number[] {
  return [tag, ...varint(BigInt(payload.length)), ...payload];
}

const str = (s: string): number[] => [...Buffer.from(s, "utf8")];

describe("decodeRemoteWrite: hand-built wire bytes", () => {
  // Written byte by byte from prompb, so a field-number typo in schema.ts cannot pass both this
  // and the round-trip tests. Tags: (field << 3) | wire type.
  const label = (name: string, value: string) => ld(0x0a, [...ld(0x0a, str(name)), ...ld(0x12, str(value))]); // Label{name=1, value=2}
  const sample = (value8: number[], ts: bigint) => ld(0x12, [0x09, ...value8, 0x10, ...varint(ts)]); // Sample{value=1 fixed64, timestamp=2 varint}
  const series = ld(0x0a, [
    ...label("__name__", "up"),
    ...label("job", "node"),
    ...sample([0, 0, 0, 0, 0, 0, 0xf8, 0x3f], BigInt(T)), // 1.5
    ...sample([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f], BigInt(T + 15_000)), // stale marker
    ...sample([0, 0, 0, 0, 0, 0, 0xf0, 0xff], -1000n), // -Inf, negative timestamp
    ...ld(0x22, [0x18, 0x01]), // histograms (4): some Histogram bytes, ignored
    ...ld(0x1a, [0x11, 0, 0, 0, 0, 0, 0, 0, 0]), // exemplars (3), ignored
  ]);
  const metadata = ld(0x1a, [0x08, 0x01, ...ld(0x12, str("http_requests_total")), ...ld(0x22, str("Requests.")), ...ld(0x2a, str("requests"))]);
  const reserved = ld(0x12, str("cortex")); // WriteRequest field 2 is reserved: skipped

  it("decodes series, samples, metadata and counts ignored parts", () => {
    const result = decodeRemoteWrite(compressSync(Buffer.from([...series, ...reserved, ...metadata])), LIMITS);
    expect(result.invalid).toEqual([]);
    expect(result.histogramsIgnored).toBe(1);
    expect(result.exemplarsIgnored).toBe(1);
    expect(result.series).toHaveLength(1);
    expect(result.series[0].labels).toEqual({ __name__: "up", job: "node" });
    const [a, b, c] = result.series[0].samples;
    expect(a).toEqual({ timestampMs: T, value: 1.5 });
    expect(b.timestampMs).toBe(T + 15_000);
    expect(b.stale).toBe(true);
    expect(b.value).toBeNaN();
    expect(c).toEqual({ timestampMs: -1000, value: -Infinity });
    expect(result.metadata).toEqual([{ metricFamilyName: "http_requests_total", type: "counter", help: "Requests.", unit: "requests" }]);
  });

  it("rejects a timestamp beyond the safe integer range as a per-series error", () => {
    const big = ld(0x0a, [...label("__name__", "up"), ...sample([0, 0, 0, 0, 0, 0, 0xf0, 0x3f], 2n ** 60n)]);
    const result = decodeRemoteWrite(compressSync(Buffer.from(big)), LIMITS);
    expect(result.series).toEqual([]);
    expect(result.invalid).toEqual([{ index: 0, labels: { __name__: "up" }, reason: expect.stringMatching(/timestamp .* out of range/), samples: 1 }]);
  });
});

describe("decodeRemoteWriteColumns: the hand-written wire reader", () => {
  const label = (name: string, value: string) => ld(0x0a, [...ld(0x0a, str(name)), ...ld(0x12, str(value))]);
  const sample = (value8: number[], ts: bigint) => ld(0x12, [0x09, ...value8, 0x10, ...varint(ts)]);
  const ONE = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f];

  it("reads int64 timestamps exactly at the safe bounds and rejects one past them", () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const ok = ld(0x0a, [...label("__name__", "up"), ...sample(ONE, max), ...sample(ONE, -max), ...sample(ONE, -1n), ...sample(ONE, 0n)]);
    const c = decodeRemoteWriteColumns(compressSync(Buffer.from(ok)), LIMITS);
    expect([...c.timestamps.subarray(0, 4)]).toEqual([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -1, 0]);
    for (const bad of [max + 1n, -max - 1n, -(2n ** 63n)]) {
      const r = decodeRemoteWriteColumns(compressSync(Buffer.from(ld(0x0a, [...label("__name__", "up"), ...sample(ONE, bad)]))), LIMITS);
      expect(r.series).toEqual([]);
      expect(r.invalid[0]!.reason).toBe(`sample timestamp ${bad} is out of range`);
    }
  });

  it("gives each series its sample range, labels, canonical key, and defaults absent sample fields to 0", () => {
    const a = ld(0x0a, [...label("__name__", "up"), ...label("job", "a"), ...sample(ONE, 10n), ...sample(ONE, 20n)]);
    const b = ld(0x0a, [...label("__name__", "up"), ...label("env", ""), ...label("job", "b"), ...ld(0x12, [])]);
    const c = decodeRemoteWriteColumns(compressSync(Buffer.from([...a, ...b])), LIMITS);
    expect(c.series.map((s) => [s.labels, s.start, s.end, s.key === seriesKey(s.labels)])).toEqual([
      [{ __name__: "up", job: "a" }, 0, 2, true],
      [{ __name__: "up", job: "b" }, 2, 3, true],
    ]);
    expect([...c.timestamps.subarray(0, 3)]).toEqual([10, 20, 0]);
    expect([...c.values.subarray(0, 3)]).toEqual([1, 1, 0]);
  });

  it("skips unknown fields of every wire type, including groups", () => {
    const unknown = [0x28, 0x96, 0x01, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 0x3d, 1, 2, 3, 4, 0x43, 0x08, 0x01, 0x44]; // field 5 varint, 6 fixed64, 7 fixed32, 8 group{1: 1}
    const s = ld(0x0a, [...unknown, ...label("__name__", "up"), ...ld(0x12, [...unknown, 0x09, ...ONE, 0x10, 0x05])]);
    const c = decodeRemoteWriteColumns(compressSync(Buffer.from([...unknown, ...s])), LIMITS);
    expect(c.series).toHaveLength(1);
    expect([c.timestamps[0], c.values[0]]).toEqual([5, 1]);
  });

  it("rejects truncated and overrunning messages as INVALID_INPUT", () => {
    const s = ld(0x0a, [...label("__name__", "up"), ...sample(ONE, 10n)]);
    for (const bytes of [s.slice(0, -3), [0x0a, 0x7f, ...s.slice(2)], [0x0a, 0x80], [...s, 0x0f]]) {
      expect(appError(() => decodeRemoteWriteColumns(compressSync(Buffer.from(bytes)), LIMITS)).code).toBe("INVALID_INPUT");
    }
  });

  it("answers the same for a label set seen before (cached by wire bytes), valid or not", () => {
    const good = ld(0x0a, [...label("__name__", "up"), ...label("job", "c"), ...sample(ONE, 1n)]);
    const bad = ld(0x0a, [...label("job", "c"), ...label("__name__", "up"), ...sample(ONE, 1n)]);
    for (let round = 0; round < 2; round++) {
      const c = decodeRemoteWriteColumns(compressSync(Buffer.from([...good, ...bad, ...good])), LIMITS);
      expect(c.series.map((s) => [s.labels, s.key, s.start])).toEqual([
        [{ __name__: "up", job: "c" }, seriesKey({ __name__: "up", job: "c" }), 0],
        [{ __name__: "up", job: "c" }, seriesKey({ __name__: "up", job: "c" }), 2],
      ]);
      expect(c.invalid).toEqual([{ index: 1, labels: { job: "c", __name__: "up" }, reason: expect.stringMatching(/not sorted/), samples: 1 }]);
    }
  });

  it("reads labels that come after samples, or split around them", () => {
    const seen = ld(0x0a, [...label("__name__", "up"), ...label("job", "d"), ...sample(ONE, 1n)]);
    const after = ld(0x0a, [...sample(ONE, 2n), ...label("__name__", "up"), ...label("job", "d")]);
    const split = ld(0x0a, [...label("__name__", "up"), ...sample(ONE, 3n), ...label("job", "d")]);
    decodeRemoteWriteColumns(compressSync(Buffer.from(seen)), LIMITS);
    const c = decodeRemoteWriteColumns(compressSync(Buffer.from([...seen, ...after, ...split])), LIMITS);
    expect(c.invalid).toEqual([]);
    expect(c.series.map((s) => s.labels)).toEqual([1, 2, 3].map(() => ({ __name__: "up", job: "d" })));
    expect([...c.timestamps.subarray(0, 3)]).toEqual([1, 2, 3]);
  });

  it("decodes non-ASCII label values", () => {
    const s = ld(0x0a, [...label("__name__", "up"), ...label("city", "Zürich ☃"), ...label("long", "é".repeat(100)), ...sample(ONE, 1n)]);
    expect(decodeRemoteWriteColumns(compressSync(Buffer.from(s)), LIMITS).series[0]!.labels).toEqual({ __name__: "up", city: "Zürich ☃", long: "é".repeat(100) });
  });
});

describe("decodeRemoteWrite: round trip through the protobufjs types", () => {
  it("decodes an empty request", () => {
    expect(decodeRemoteWrite(compressSync(Buffer.alloc(0)), LIMITS)).toEqual({
      series: [],
      metadata: [],
      invalid: [],
      histogramsIgnored: 0,
      exemplarsIgnored: 0,
    });
  });

  it("keeps edge values: ±Inf, NaN, -0, extremes; flags only the stale marker", () => {
    const values = [Infinity, -Infinity, NaN, nanWithBits(0x7ff8000000000001n), nanWithBits(STALE_NAN_BITS), -0, Number.MAX_VALUE, Number.MIN_VALUE];
    const result = decodeRemoteWrite(
      body({
        timeseries: [
          { labels: labels({ __name__: "edge" }), samples: values.map((value, i) => ({ value, timestamp: T + i })) },
        ],
      }),
      LIMITS,
    );
    const got = result.series[0].samples;
    expect(got.map((s) => s.timestampMs)).toEqual(values.map((_, i) => T + i));
    expect(got.map((s) => s.value)).toEqual(values); // toEqual: NaN equals NaN, -0 vs 0 distinguished
    expect(Object.is(got[5].value, -0)).toBe(true);
    expect(got.map((s) => s.stale === true)).toEqual([false, false, false, false, true, false, false, false]);
  });

  it("handles several series, drops empty-valued labels, and large safe timestamps", () => {
    const result = decodeRemoteWrite(
      body({
        timeseries: [
          { labels: labels({ __name__: "a", instance: "", job: "x" }), samples: [{ value: 1, timestamp: Number.MAX_SAFE_INTEGER }] },
          { labels: labels({ __name__: "b:rate5m" }), samples: [{ value: 2, timestamp: 0 }] },
        ],
      }),
      LIMITS,
    );
    expect(result.invalid).toEqual([]);
    expect(result.series).toEqual([
      { labels: { __name__: "a", job: "x" }, samples: [{ timestampMs: Number.MAX_SAFE_INTEGER, value: 1 }] },
      { labels: { __name__: "b:rate5m" }, samples: [{ timestampMs: 0, value: 2 }] },
    ]);
  });

  it("counts histogram-only series without returning them", () => {
    const result = decodeRemoteWrite(
      body({ timeseries: [{ labels: labels({ __name__: "h" }), histograms: [Buffer.from([0x18, 0x05]), Buffer.alloc(0)] }] }),
      LIMITS,
    );
    expect(result.series).toEqual([]);
    expect(result.histogramsIgnored).toBe(2);
  });

  it("maps metadata types, unknown enum values to unknown", () => {
    const result = decodeRemoteWrite(
      body({
        metadata: [
          { type: 2, metricFamilyName: "temp", help: "Temperature.", unit: "celsius" },
          { type: 7, metricFamilyName: "state" },
          { type: 42, metricFamilyName: "future" },
        ],
      }),
      LIMITS,
    );
    expect(result.metadata).toEqual([
      { metricFamilyName: "temp", type: "gauge", help: "Temperature.", unit: "celsius" },
      { metricFamilyName: "state", type: "stateset", help: "", unit: "" },
      { metricFamilyName: "future", type: "unknown", help: "", unit: "" },
    ]);
  });
});

describe("decodeRemoteWrite: label validation (per series)", () => {
  const cases: [string, { name: string; value: string }[], RegExp][] = [
    ["missing __name__", labels({ job: "x" }), /missing metric name/],
    ["empty __name__", labels({ __name__: "" }), /missing metric name/],
    ["invalid metric name", labels({ __name__: "http-requests" }), /invalid metric name "http-requests"/],
    ["invalid label name", labels({ __name__: "up", "service.name": "x" }), /invalid label name "service.name"/],
    ["label name starting with a digit", labels({ __name__: "up", "0a": "x" }), /invalid label name "0a"/],
    ["empty label name", [{ name: "", value: "x" }, { name: "__name__", value: "up" }], /empty label name/],
    ["unsorted", labels({ job: "x", __name__: "up" }), /not sorted \("__name__" after "job"\)/],
    ["duplicate", [{ name: "__name__", value: "up" }, { name: "job", value: "a" }, { name: "job", value: "b" }], /duplicate label name "job"/],
  ];

  it.each(cases)("%s", (_title, ls, reason) => {
    const result = decodeRemoteWrite(
      body({
        timeseries: [
          { labels: labels({ __name__: "ok" }), samples: [{ value: 1, timestamp: T }] },
          { labels: ls, samples: [{ value: 2, timestamp: T }, { value: 3, timestamp: T + 1 }] },
        ],
      }),
      LIMITS,
    );
    // The valid series is still returned (the spec allows ingesting it); the bad one is reported.
    expect(result.series.map((s) => s.labels.__name__)).toEqual(["ok"]);
    expect(result.invalid).toHaveLength(1);
    expect(result.invalid[0].index).toBe(1);
    expect(result.invalid[0].samples).toBe(2);
    expect(result.invalid[0].reason).toMatch(reason);
  });

  it("builds a 400 error listing the first rejected series", () => {
    const invalid = Array.from({ length: 7 }, (_, i) => ({ index: i, labels: { job: "x" }, reason: "missing metric name (__name__ label)", samples: 2 }));
    const err = invalidSeriesError(invalid);
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.httpStatus).toBe(400);
    expect(err.userMessage).toMatch(/^7 series \(14 samples\) rejected: series 0 \{job="x"\}: missing metric name/);
    expect(err.userMessage).toMatch(/and 2 more$/);
  });
});

describe("decodeRemoteWrite: unreadable bodies", () => {
  it("rejects corrupt snappy", () => {
    const err = appError(() => decodeRemoteWrite(Buffer.from("definitely not snappy"), LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toMatch(/snappy/);
  });

  it("rejects an uncompressed protobuf body (snappy is required)", () => {
    const raw = Buffer.from(WriteRequestType.encode(WriteRequestType.fromObject({ timeseries: [{ labels: labels({ __name__: "up" }) }] })).finish());
    expect(appError(() => decodeRemoteWrite(raw, LIMITS)).code).toBe("INVALID_INPUT");
  });

  it.each([
    ["truncated length-delimited field", [0x0a, 0x7f, 0x0a]],
    ["invalid wire type", [0x0f, 0x01]],
    ["truncated varint", [0x0a, 0x04, 0x12, 0x02, 0x10, 0xff]],
  ])("rejects bad protobuf: %s", (_title, bytes) => {
    const err = appError(() => decodeRemoteWrite(compressSync(Buffer.from(bytes)), LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toMatch(/prometheus\.WriteRequest/);
  });

  it("rejects a body too large once decompressed, before inflating it", () => {
    const big = body({ timeseries: [{ labels: labels({ __name__: "x".repeat(5000) }), samples: [{ value: 1, timestamp: T }] }] });
    expect(big.length).toBeLessThan(1000);
    const err = appError(() => decodeRemoteWrite(big, { maxBytes: 1000 }));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.httpStatus).toBe(413);
  });

  it("rejects a compressed body over the limit", () => {
    expect(appError(() => decodeRemoteWrite(Buffer.alloc(2000), { maxBytes: 1000 })).code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("isStaleMarker", () => {
  it("recognises the stale NaN with or without the quiet bit, nothing else", () => {
    expect(isStaleMarker(nanWithBits(STALE_NAN_BITS))).toBe(true);
    expect(isStaleMarker(nanWithBits(0x7ff8000000000002n))).toBe(true);
    expect(isStaleMarker(NaN)).toBe(false);
    expect(isStaleMarker(nanWithBits(0x7ff8000000000001n))).toBe(false);
    expect(isStaleMarker(Infinity)).toBe(false);
    expect(isStaleMarker(0)).toBe(false);
  });
});
