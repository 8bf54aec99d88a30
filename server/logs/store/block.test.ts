import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "@/server/logs/event";
import { CorruptBlockError, decodeBlock, decodeBlockMeta, encodeBlock, NO_ATTRIBUTES, type BlockSections } from "./block";
import { encodePayloadV1 } from "./block-v1";
import { fieldValueKey, fnv1a32 } from "./tokens";

const base: LogEvent = {
  ts: 1_790_000_000_000,
  observedTs: 1_790_000_000_500,
  source: "web",
  service: "checkout",
  host: "web-1",
  level: "error",
  message: "card declined for order 42",
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  attributes: { http: { status: 502, method: "POST" }, user: "ann", tags: ["a", "b"], ok: false },
};

describe("block encoding", () => {
  it("round-trips events, sorted by time", () => {
    const events: LogEvent[] = [
      { ...base, ts: base.ts + 2000, message: "later", level: null, service: null, host: null, traceId: null, spanId: null, attributes: {} },
      base,
      { ...base, ts: base.ts + 1000, message: "middle ✓ unicode", attributes: { nested: { deep: { x: 1 } } } },
    ];
    const block = encodeBlock(events);
    expect(block.count).toBe(3);
    expect(block.minTs).toBe(base.ts);
    expect(block.maxTs).toBe(base.ts + 2000);
    const decoded = decodeBlock(block.payload);
    expect(decoded.map((e) => e.message)).toEqual(["card declined for order 42", "middle ✓ unicode", "later"]);
    expect(decoded[0]).toEqual(base);
    expect(decoded[2]).toMatchObject({ level: null, service: null, host: null, traceId: null, attributes: {} });
  });

  it("indexes message tokens, field=value pairs and the well-known fields", () => {
    const block = encodeBlock([base]);
    const has = (h: number) => block.tokens.includes(h);
    expect(has(fnv1a32("declined"))).toBe(true);
    expect(has(fnv1a32("order"))).toBe(true);
    expect(has(fieldValueKey("http.status", 502))).toBe(true);
    expect(has(fieldValueKey("http.method", "post"))).toBe(true);
    expect(has(fieldValueKey("tags", "b"))).toBe(true);
    expect(has(fieldValueKey("ok", false))).toBe(true);
    expect(has(fieldValueKey("service", "checkout"))).toBe(true);
    expect(has(fieldValueKey("host", "web-1"))).toBe(true);
    expect(has(fieldValueKey("level", "error"))).toBe(true);
    expect(has(fieldValueKey("trace_id", base.traceId!))).toBe(true);
    expect(has(fnv1a32("nothere"))).toBe(false);
    expect([...block.tokens]).toEqual([...new Set(block.tokens)].sort((a, b) => a - b));
  });

  it("summarises services, hosts and levels", () => {
    const block = encodeBlock([base, { ...base, service: "api", host: "web-2", level: "info" }, { ...base, level: null }]);
    expect(block.services.sort()).toEqual(["api", "checkout"]);
    expect(block.hosts.sort()).toEqual(["web-1", "web-2"]);
    expect(block.levelCounts).toMatchObject({ error: 1, info: 1, none: 1, warn: 0 });
    expect(Object.values(block.levelCounts).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("refuses an empty block and an unknown payload version", () => {
    expect(() => encodeBlock([])).toThrow(/empty/);
    expect(() => decodeBlock(deflateRawSync(Buffer.from(JSON.stringify({ v: 2 }))))).toThrow(/unknown block version 2/);
  });
});

const t0 = 1_790_000_000_000;
/** Events exercising every field's edge cases, in time order. */
const tricky: LogEvent[] = [
  { ...base, ts: t0, message: "first line\nsecond line\r\n\ttabbed \"quoted\" \\ back", attributes: { big: 1e21, tiny: 5e-324, neg: -12.5, nul: null, arr: [1, "two", null, { three: [3] }], "dotted.key": "v", "": "empty key" } },
  { ...base, ts: t0 + 1, message: "", service: "", host: "", traceId: "", spanId: "", attributes: {} },
  { ...base, ts: t0 + 1, message: "emoji 🎉 CJK 日本語 combining é", service: "sérvice ✓", host: "hôst-🎉", level: null, traceId: null, spanId: "only-span", attributes: { "ключ": "значение", deep: { a: { b: { c: { d: { e: { f: "g" } } } } } } } },
  { ...base, ts: t0 + 5000, observedTs: t0 - 86_400_000, message: "x".repeat(70_000), service: null, host: null, level: "fatal", traceId: null, spanId: null, attributes: { s: "y".repeat(300) } },
  { ...base, ts: t0 + 5000, message: "🎉", level: "trace", attributes: { n: 0, f: false, t: true, e: "" } },
];

const ALL_COMBINATIONS: BlockSections[] = [false, true].flatMap((message) => [false, true].flatMap((attributes) => [false, true].map((ids) => ({ message, attributes, ids }))));

/** What decodeBlock(payload, sections) should return for `events`. */
function expected(events: LogEvent[], s: BlockSections): LogEvent[] {
  return events.map((e) => ({
    ...e,
    message: s.message ? e.message : "",
    attributes: s.attributes ? e.attributes : {},
    traceId: s.ids ? e.traceId : null,
    spanId: s.ids ? e.spanId : null,
  }));
}

/** A v1 payload written by the v1 encoder before v2 existed (the two events of `fixtureEvents`). */
const V1_FIXTURE =
  "VVBLboQwDL0KettmJBM+EbkKZZEfAyoloyTQBeIU3fZ0PUkV0Y5U797H9rMP7JAlQ4qQfSk6ehYriWhg8Pq/1BCxzMfdQPbEbuXAMPmY8oALLfsC2dcXeI93yB5GBVtYZ5Z5dfZ1HX0ofLAuFDUvvr8+wYCBIc02m2s9dnysGiF0VVvVqsq4jneWHLlaVC3Yui1LDnH5iUZqhVKkVUdci6euUgo5/oEppQfkgZhU2iJkQ/xk0PMdsnQvPL9A3bMV6rf7/FtiZ5OPg5mcefNbAsOH07cyB45+C8ZBZgbnDw==";
const fixtureEvents: LogEvent[] = [
  { ts: t0, observedTs: t0 + 500, source: "web", service: "checkout", host: "web-1", level: "error", message: "card declined\nfor order 42 ✓", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", attributes: { http: { status: 502 }, big: 1e21, tags: ["a", null] } },
  { ts: t0 + 1000, observedTs: t0 + 500, source: "web", service: null, host: null, level: null, message: "", traceId: null, spanId: null, attributes: {} },
];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("block payload v2 sections", () => {
  const payload = encodeBlock(tricky).payload;

  it("round-trips every field exactly with all sections (the default)", () => {
    expect(decodeBlock(payload)).toStrictEqual(tricky);
    expect(decodeBlock(payload, { message: true, attributes: true, ids: true })).toStrictEqual(tricky);
    expect(Object.is(decodeBlock(payload)[0]!.attributes.big, 1e21)).toBe(true);
  });

  it.each(ALL_COMBINATIONS)("decodes only the sections asked for: %o", (sections) => {
    expect(decodeBlock(payload, sections)).toStrictEqual(expected(tricky, sections));
  });

  it("gives events without requested attributes one shared frozen {}, and each requested empty one its own", () => {
    const meta = decodeBlock(payload, {});
    expect(meta[0]!.attributes).toBe(NO_ATTRIBUTES);
    expect(meta[1]!.attributes).toBe(NO_ATTRIBUTES);
    expect(Object.isFrozen(NO_ATTRIBUTES)).toBe(true);
    const full = decodeBlock(payload);
    expect(full[1]!.attributes).toEqual({});
    expect(full[1]!.attributes).not.toBe(NO_ATTRIBUTES);
    expect(Object.isFrozen(full[1]!.attributes)).toBe(false);
  });

  it("keeps lone surrogates in messages, ids, names and attributes", () => {
    const events: LogEvent[] = [
      { ...base, message: "half \ud83c", traceId: "\udc00x", service: "s\ud800", host: "\udfff", attributes: { "k\ud800": "v\udc00" } },
      // Two halves that pair up when the column's strings are concatenated.
      { ...base, ts: base.ts + 1, message: "\ud83c", spanId: "\udf89" },
      { ...base, ts: base.ts + 2, message: "\udf89 end" },
    ];
    const decoded = decodeBlock(encodeBlock(events).payload);
    expect(decoded).toStrictEqual(events);
    expect(decoded[1]!.message).toBe("\ud83c");
    // Only halves that pair up across strings: the concatenation is well-formed UTF-16.
    const paired: LogEvent[] = [
      { ...base, message: "a\ud83c", traceId: "\ud83c" },
      { ...base, ts: base.ts + 1, message: "\udf89b", traceId: "\udf89" },
    ];
    expect(decodeBlock(encodeBlock(paired).payload)).toStrictEqual(paired);
  });

  it("keeps fractional, negative and far-off times exact", () => {
    for (const [ts, observedTs] of [
      [t0 + 0.25, t0],
      [-86_400_000, 0],
      [2 ** 52, 2 ** 51 + 1],
      [t0, -t0 - 0.5],
    ]) {
      const events: LogEvent[] = [
        { ...base, ts: ts!, observedTs: observedTs! },
        { ...base, ts: ts! + 1, observedTs: observedTs! },
      ];
      expect(decodeBlock(encodeBlock(events).payload)).toStrictEqual(events);
    }
  });

  it("round-trips blocks without ids, attributes or messages, and a block of 1,000 events", () => {
    const bare: LogEvent[] = [{ ...base, message: "", traceId: null, spanId: null, attributes: {} }];
    expect(decodeBlock(encodeBlock(bare).payload)).toStrictEqual(bare);
    const many: LogEvent[] = Array.from({ length: 1000 }, (_, i) => ({
      ...base,
      ts: t0 + i * 37,
      observedTs: t0 + 1000 - i,
      service: `svc-${i % 3}`,
      level: (["info", "warn", null] as const)[i % 3]!,
      message: `event ${i} ${"é".repeat(i % 5)}`,
      traceId: i % 2 ? null : `t${i}`,
      attributes: i % 4 ? { i } : {},
    }));
    for (const s of ALL_COMBINATIONS) expect(decodeBlock(encodeBlock(many).payload, s)).toStrictEqual(expected(many, s));
  });

  it("reports the uncompressed size of its sections as rawBytes", () => {
    const block = encodeBlock(tricky);
    expect(block.rawBytes).toBeGreaterThan(70_000 + 300);
    expect(block.payload.length).toBeLessThan(block.rawBytes);
  });
});

describe("block meta columns", () => {
  it("gives times, levels, services and hosts as typed arrays", () => {
    const m = decodeBlockMeta(encodeBlock(tricky).payload);
    expect(m.count).toBe(tricky.length);
    expect(m.source).toBe("web");
    expect([...m.ts]).toEqual(tricky.map((e) => e.ts));
    expect([...m.observedTs]).toEqual(tricky.map((e) => e.observedTs));
    expect([...m.levels]).toEqual([4, 4, -1, 5, 0]);
    expect([...m.services].map((c) => (c < 0 ? null : m.dict[c]))).toEqual(tricky.map((e) => e.service));
    expect([...m.hosts].map((c) => (c < 0 ? null : m.dict[c]))).toEqual(tricky.map((e) => e.host));
  });

  it("reads v1 payloads too", () => {
    const v2 = decodeBlockMeta(encodeBlock(fixtureEvents).payload);
    const v1 = decodeBlockMeta(Buffer.from(V1_FIXTURE, "base64"));
    expect(v1).toStrictEqual(v2);
  });
});

describe("v1 payloads", () => {
  it("still decode: a payload written by the v1 encoder before v2", () => {
    expect(decodeBlock(Buffer.from(V1_FIXTURE, "base64"))).toStrictEqual(fixtureEvents);
  });

  it("decode whole whatever the sections asked for", () => {
    const { payload } = encodePayloadV1(tricky);
    expect(payload[0]).not.toBe(0x76);
    expect(decodeBlock(payload)).toStrictEqual(tricky);
    expect(decodeBlock(payload, {})).toStrictEqual(tricky);
  });
});

describe("corrupt payloads", () => {
  const payload = encodeBlock(tricky).payload;
  const v1 = Buffer.from(V1_FIXTURE, "base64");

  it("throw CorruptBlockError when truncated anywhere", () => {
    for (const p of [payload, v1]) {
      for (let len = 0; len < p.length; len += len < 64 ? 1 : 97) {
        const e = thrown(() => decodeBlock(p.subarray(0, len)));
        expect(e, `truncated to ${len} of ${p.length}`).toBeInstanceOf(CorruptBlockError);
        expect((e as Error).message).toMatch(/^corrupt log block: /);
      }
    }
    expect(thrown(() => decodeBlockMeta(payload.subarray(0, 9)))).toBeInstanceOf(CorruptBlockError);
  });

  it("throw CorruptBlockError for trailing bytes, a bad version or garbage sections", () => {
    expect(thrown(() => decodeBlock(Buffer.concat([payload, Buffer.from([0])])))).toBeInstanceOf(CorruptBlockError);
    const badVersion = Buffer.from(payload);
    badVersion[1] = 4;
    expect(() => decodeBlock(badVersion)).toThrow(/unknown block version 4/);
    const garbage = Buffer.from(payload);
    garbage.fill(0xff, 12);
    expect(thrown(() => decodeBlock(garbage))).toBeInstanceOf(CorruptBlockError);
    expect(thrown(() => decodeBlock(Buffer.from("not a block at all")))).toBeInstanceOf(CorruptBlockError);
  });

  it("either decode or throw CorruptBlockError whatever byte is damaged", () => {
    for (let i = 0; i < payload.length; i += i < 64 ? 1 : 13) {
      const damaged = Buffer.from(payload);
      damaged[i] ^= 0x5a;
      const e = thrown(() => decodeBlock(damaged));
      if (e !== undefined) expect(e, `byte ${i}`).toBeInstanceOf(CorruptBlockError);
    }
  });
});

describe("block token index", () => {
  const ev = (message: string, attributes: Record<string, unknown>): LogEvent => ({
    ts: 1, observedTs: 1, source: "s", service: null, host: null, level: null, message, traceId: null, spanId: null, attributes,
  });

  it("indexes the words of a string field that the message holds only inside longer words", () => {
    const { tokens } = encodeBlock([ev("timeouts happen", { kind: "timeout" }), ev("reconnect", { phase: "connect" })]);
    expect(tokens).toContain(fnv1a32("timeout"));
    expect(tokens).toContain(fnv1a32("connect"));
  });

  it("still skips re-tokenising a parsed field that appears in the message as whole words", () => {
    const { tokens } = encodeBlock([ev('GET /api/orders HTTP/1.1" 200', { request: "/api/orders", status: "200" })]);
    expect(tokens).toContain(fnv1a32("orders"));
    expect(tokens).toContain(fnv1a32("api"));
  });
});
