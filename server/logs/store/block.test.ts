import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "@/server/logs/event";
import { getField } from "@/server/logs/query/compile";
import { foldString } from "@/server/logs/query/text-match";
import { blockPrefixLength, CorruptBlockError, decodeBlock, decodeBlockMeta, decodeBlockPrefix, encodeBlock, NO_ATTRIBUTES, type AttributeSelection, type BlockSections } from "./block";
import { addValueTypes, type FieldTypes } from "./field-types";
import { encodePayloadV1 } from "./block-v1";
import { encodePayloadV2 } from "./block-v2";
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

// ---------------------------------------------------------------------------------------------
// Columnar attributes (payload v3)

/** A v2 payload (attributes as one JSON array), written before v3: the two events of `fixtureEvents`. */
const V2_FIXTURE =
  "dgICMDIjOZOKVipPTVLSUUrOSE3Ozi8tUdIBCegaKsUyNGxoPjoj4wI/w4vtIAYDIwMTAysDAAXBAQ3AQAgDQCxMwhw0wEOQU/bgX8Lu5JVHvLd07WS2+WXQvimti8F4WgCLSBLNgnb+Y5BlTE4sSlFISU3OycxLTeFKyy9SyC9KSS1SMDFSeDRnMgCLrlbKKCkpULKqViouSSwpLVayMjUwqtVRSspMV7IyTNU2MtRRKklML1ayilZKVNLJK83Jia2FUAA=";

const at = (i: number, attributes: Record<string, unknown>): LogEvent => ({ ...base, ts: t0 + i, attributes });

/** Attributes covering what the columns must keep exact, one event each (in time order). */
const shapes: Record<string, unknown>[] = [
  { http: { status: 502, method: "POST", headers: { "x-id": "a1" } }, user: "ann", tags: ["a", "b"], ok: false },
  { http: { status: 200, method: "GET", headers: {} }, user: "bob", tags: [], ok: true },
  { "http.status": 404, http: { status: "404?" }, "a.b": { c: 1 }, a: { b: { c: 2, d: 3 } } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c", "toString": 1, "x": {"__proto__": 5}}') as Record<string, unknown>,
  { "ключ": "значение", emoji: "🎉 日本語", "": "empty key", "lone\ud800": "half \udc00", NUL: "a\u0000b" },
  { z: 1, "10": "ten", "2": "two", a: { "1": 1, b: 2 } },
  { n: 1.5, big: 1e21, tiny: 5e-324, neg: -12.25, huge: 2 ** 53, frac: 0.1 + 0.2, int: -7 },
  { n: 3, big: 7, tiny: 0, neg: 1, huge: -1, frac: 0.3, int: 8 },
  { nul: null, empty: {}, deep: { a: { b: { c: { d: { e: { f: "g" } } } } } } },
  { nul: "now a string", empty: { not: "empty" }, deep: "flat now", ok: "yes" },
  { mixed: 1 },
  { mixed: "one" },
  { mixed: null },
  { mixed: [1, { two: 2 }] },
  { mixed: true },
  { mixed: { nested: ["x\"y", "\\"] } },
  {},
  { s: "TimeOut in Café ÄRGER" },
];
const shapeEvents = shapes.map((a, i) => at(i, a));

/** Encodes events as v3 (the default) or v2 (JSON attributes). */
const payloadOf = (events: LogEvent[], version: 2 | 3) => encodePayloadV2([...events].sort((a, b) => a.ts - b.ts), version === 2 ? "json" : "columns").payload;
const attrsOf = (payload: Buffer, attributes: AttributeSelection) => decodeBlock(payload, { attributes }).map((e) => e.attributes);

/** Deep equality that also checks key order and own "__proto__" keys. */
function expectSameAttributes(got: Record<string, unknown>[], want: Record<string, unknown>[]) {
  expect(got).toStrictEqual(want);
  expect(got.map((a) => JSON.stringify(a))).toEqual(want.map((a) => JSON.stringify(a)));
  for (const a of got) expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
}

/** A deterministic generator of messy attributes (mixed types per path, nested, dotted keys). */
function randomAttributes(seed: number, count: number): Record<string, unknown>[] {
  let x = seed;
  const rnd = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const keys = ["a", "b", "a.b", "c", "Status", "msg", "ü", "__proto__", "0", "7"];
  const words = ["alpha", "Beta", "GAMMA", "timeout", "déjà", "x\"y", "🎉", ""];
  const value = (depth: number): unknown => {
    switch (rnd(depth > 2 ? 6 : 8)) {
      case 0: return null;
      case 1: return rnd(2) === 0;
      case 2: return rnd(1000) - 500;
      case 3: return (rnd(100000) - 50000) / 100;
      case 4: case 5: return words[rnd(words.length)]! + (rnd(3) === 0 ? String(rnd(50)) : "");
      case 6: return [value(depth + 1), value(depth + 1)];
      default: return object(depth + 1);
    }
  };
  const object = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let k = rnd(4); k > 0; k--) Object.defineProperty(o, keys[rnd(keys.length)]!, { value: value(depth), enumerable: true, writable: true, configurable: true });
    return o;
  };
  return Array.from({ length: count }, () => object(0));
}

describe("columnar attributes (v3)", () => {
  it("round-trips attributes exactly: nesting, key order, dotted and odd keys, mixed types, nulls, empty objects", () => {
    const decoded = decodeBlock(payloadOf(shapeEvents, 3));
    expect(decoded).toStrictEqual(shapeEvents);
    expectSameAttributes(
      decoded.map((e) => e.attributes),
      shapes,
    );
    const proto = decoded[3]!.attributes;
    expect(Object.hasOwn(proto, "__proto__")).toBe(true);
    expect(proto.__proto__).toStrictEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(decoded[5]!.attributes)).toEqual(["2", "10", "z", "a"]);
    expect(Object.is(decoded[6]!.attributes.frac, 0.1 + 0.2)).toBe(true);
    expect(decoded[6]!.attributes.tiny).toBe(5e-324);
    expect(decoded[8]!.attributes.empty).not.toBe(decoded[16]!.attributes);
  });

  it("round-trips random messy attributes, and keeps -0 exact in number columns", () => {
    for (const seed of [1, 2, 3]) {
      const attrs = randomAttributes(seed, 300);
      const events = attrs.map((a, i) => at(i, a));
      expectSameAttributes(attrsOf(payloadOf(events, 3), true), attrs);
    }
    const negZero = decodeBlock(encodeBlock([at(0, { z: -0 }), at(1, { z: 1 })]).payload);
    expect(Object.is(negZero[0]!.attributes.z, -0)).toBe(true);
  });

  it("stores what only JSON can as JSON, with JSON's meaning (as v2 did)", () => {
    const when = new Date(t0);
    const events = [at(0, { when, drop: undefined, keep: 1 }), at(1, { when: "x", keep: 2 }), at(2, { nested: { when } })];
    const want = events.map((e) => JSON.parse(JSON.stringify(e.attributes)) as Record<string, unknown>);
    expectSameAttributes(attrsOf(payloadOf(events, 3), true), want);
    expect(attrsOf(payloadOf(events, 3), { paths: ["keep", "nested.when"] })).toStrictEqual([{ keep: 1 }, { keep: 2 }, { "nested.when": when.toISOString() }]);
  });

  it("round-trips and selects columns packed around a large one", () => {
    // Small columns before and after a column too large to share a group.
    const events = Array.from({ length: 600 }, (_, i) => at(i, { a: i % 3, big: `${"v".repeat(20)}${i}`, c: i % 2 === 0, d: `x${i % 4}` }));
    const payload = payloadOf(events, 3);
    expect(decodeBlock(payload)).toStrictEqual(events);
    expect(attrsOf(payload, { paths: ["d", "c"] })).toStrictEqual(events.map((e) => ({ d: e.attributes.d, c: e.attributes.c })));
    expect(attrsOf(payload, { paths: ["a"] })).toStrictEqual(events.map((e) => ({ a: e.attributes.a })));
  });

  it("is smaller than v2 for repetitive attributes", () => {
    const events = Array.from({ length: 1000 }, (_, i) => at(i, { http: { status: [200, 404, 500][i % 3], path: `/api/${i % 7}` }, user: { id: i, tier: i % 5 ? "free" : "pro" }, ms: (i * 37) / 100 }));
    expect(payloadOf(events, 3).length).toBeLessThan(payloadOf(events, 2).length);
    expect(decodeBlock(payloadOf(events, 3))).toStrictEqual(events);
  });
});

describe("attributes by paths", () => {
  const paths = [
    "http.status", "http", "http.method", "http.headers", "http.headers.x-id", "tags", "ok", "user", "a.b", "a.b.c", "a.b.d", "a",
    "__proto__", "x.__proto__", "constructor", "toString", "ключ", "", "lone\ud800", "2", "a.1", "nul", "empty", "deep.a.b", "deep.a.b.c.d.e.f",
    "mixed", "mixed.nested", "missing", "http.status.code", "attributes.user", "attributes.http.status",
  ];

  it.each([3, 2] as const)("resolves every path as getField does on the whole attributes (v%i)", (version) => {
    const payload = payloadOf(shapeEvents, version);
    for (const set of [[paths[0]!], paths.slice(0, 2), paths]) {
      const got = decodeBlock(payload, { attributes: { paths: set } });
      got.forEach((e, i) => {
        for (const p of set) expect(getField(e, p), `event ${i} path ${JSON.stringify(p)} of ${set.length}`).toStrictEqual(getField(shapeEvents[i]!, p));
        const keys = Object.keys(e.attributes);
        expect(keys.every((k) => set.some((s) => s === k || s === `attributes.${k}`))).toBe(true);
        if (keys.length === 0) expect(e.attributes).toBe(NO_ATTRIBUTES);
      });
    }
  });

  it("gives objects and arrays whole, in key order, and only the paths asked for", () => {
    const got = attrsOf(payloadOf(shapeEvents, 3), { paths: ["http", "tags", "a.b"] });
    expect(got[0]).toStrictEqual({ http: shapes[0]!.http, tags: ["a", "b"] });
    expect(JSON.stringify(got[0]!.http)).toBe(JSON.stringify(shapes[0]!.http));
    expect(got[2]).toStrictEqual({ http: { status: "404?" }, "a.b": { c: 1 } });
    expect(got[16]).toBe(NO_ATTRIBUTES);
    expect(attrsOf(payloadOf(shapeEvents, 3), { paths: [] }).every((a) => a === NO_ATTRIBUTES)).toBe(true);
  });

  it("resolves random messy attributes as getField does", () => {
    const events = randomAttributes(7, 400).map((a, i) => at(i, a));
    const payload = payloadOf(events, 3);
    for (const p of ["a", "a.b", "b", "a.b.c", "Status", "c.0", "a.7", "__proto__", "0", "ü.msg"]) {
      const got = decodeBlock(payload, { attributes: { paths: [p, "msg"] } });
      got.forEach((e, i) => expect(getField(e, p), `${p} of event ${i}`).toStrictEqual(getField(events[i]!, p)));
    }
  });
});

describe("attributes if the text occurs", () => {
  const payload = payloadOf(shapeEvents, 3);
  const all = attrsOf(payload, true);
  const hits = (v: 2 | 3, ifText: string[]) => {
    const got = attrsOf(v === 3 ? payload : payloadOf(shapeEvents, 2), { ifText });
    if (got.every((a) => a === NO_ATTRIBUTES)) return false;
    expectSameAttributes(got, all);
    return true;
  };

  it.each([3, 2] as const)("decodes all when a literal is in a key, a value, one event, a nested value or an array (v%i)", (v) => {
    expect(hits(v, ["x-id"])).toBe(true); // only a nested key
    expect(hits(v, ["constructor"])).toBe(true); // a key that is also an Object.prototype name
    expect(hits(v, ["значение"])).toBe(true); // one event's value
    expect(hits(v, ["timeout"])).toBe(true); // folded: "TimeOut"
    expect(hits(v, ["ärger"])).toBe(true); // folded non-ASCII: "ÄRGER"
    expect(hits(v, ["café"])).toBe(true);
    expect(hits(v, ["x\"y"])).toBe(true); // inside an array in a mixed column, escaped in JSON
    expect(hits(v, ["polluted"])).toBe(true); // a "__proto__" key's nested key
    expect(hits(v, ["nope", "g"])).toBe(true); // the second literal, deep down
    expect(hits(v, ["a\u0000b"])).toBe(true);
  });

  it.each([3, 2] as const)("gives every event NO_ATTRIBUTES when no key or string value holds a literal (v%i)", (v) => {
    expect(hits(v, ["zqxj"])).toBe(false);
    expect(hits(v, ["12.25"])).toBe(false); // only a number (JSON columns of mixed types may hit on numbers too)
    expect(hits(v, [])).toBe(false);
  });

  it("never skips a block with a literal anywhere in random attributes", () => {
    const attrs = randomAttributes(11, 200);
    const events = attrs.map((a, i) => at(i, a));
    const p = payloadOf(events, 3);
    const strings: string[] = [];
    const visit = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === "object") {
        for (const k in v) {
          strings.push(k);
          visit((v as Record<string, unknown>)[k]);
        }
      }
    };
    attrs.forEach(visit);
    const folded = strings.map(foldString);
    for (const lit of ["alpha", "beta", "gamma", "déjà", "dÉjà", "🎉", "x\"y", "timeout4", "zz", "ü", "__proto__", "49", "ph"]) {
      const got = attrsOf(p, { ifText: [lit] });
      // A block that holds the literal is never skipped (one that does not may be decoded anyway).
      if (folded.some((s) => s.includes(lit))) expect(got, lit).toStrictEqual(attrs);
    }
    expect(attrsOf(p, { ifText: ["zz"] }).every((a) => a === NO_ATTRIBUTES)).toBe(true);
  });
});

describe("older payloads and damage", () => {
  it("decodes a v2 payload written before v3, whole and by selection", () => {
    const v2 = Buffer.from(V2_FIXTURE, "base64");
    expect(v2[1]).toBe(2);
    expect(decodeBlock(v2)).toStrictEqual(fixtureEvents);
    expect(attrsOf(v2, { paths: ["http.status", "tags"] })).toStrictEqual([{ "http.status": 502, tags: ["a", null] }, NO_ATTRIBUTES]);
    expect(attrsOf(v2, { ifText: ["zqxj"] })).toStrictEqual([NO_ATTRIBUTES, NO_ATTRIBUTES]);
    expect(attrsOf(v2, { ifText: ["tags"] })).toStrictEqual([fixtureEvents[0]!.attributes, {}]);
    expect(decodeBlockMeta(v2)).toStrictEqual(decodeBlockMeta(encodeBlock(fixtureEvents).payload));
  });

  it("writes v3", () => {
    expect(encodeBlock(fixtureEvents).payload[1]).toBe(3);
  });

  const selections: AttributeSelection[] = [true, { paths: ["http.status", "a.b.c", "mixed"] }, { ifText: ["zqxj"] }, { ifText: ["g"] }];
  const v3 = payloadOf([...shapeEvents, ...randomAttributes(5, 60).map((a, i) => at(100 + i, a)), at(200, { when: new Date(t0) })], 3);

  it("throws CorruptBlockError for v3 attributes truncated or damaged anywhere", () => {
    for (const attributes of selections) {
      for (let len = 0; len < v3.length; len += len < 64 ? 1 : 41) {
        expect(thrown(() => decodeBlock(v3.subarray(0, len), { attributes })), `truncated to ${len}`).toBeInstanceOf(CorruptBlockError);
      }
      for (let i = 0; i < v3.length; i += i < 64 ? 1 : 7) {
        for (const mask of [0x5a, 0x01, 0x80]) {
          const damaged = Buffer.from(v3);
          damaged[i] ^= mask;
          const e = thrown(() => decodeBlock(damaged, { attributes }));
          if (e !== undefined) expect(e, `byte ${i} ^ ${mask}`).toBeInstanceOf(CorruptBlockError);
        }
      }
    }
    // Thousands of decodes: CPU-bound, slow on a loaded machine.
  }, 60_000);
});

describe("payload prefixes", () => {
  const events: LogEvent[] = Array.from({ length: 300 }, (_, i) => ({
    ts: 1_700_000_000_000 + i * 37, observedTs: 1_700_000_000_000 + i * 37 + 5, source: "s", service: `svc-${i % 3}`, host: "h", level: i % 7 ? "info" : "error",
    message: `message number ${i} with some text`, traceId: i % 2 ? `t${i}` : null, spanId: null, attributes: { n: i, tag: `x${i % 5}` },
  }));
  const { payload } = encodeBlock(events);

  it("says how many leading bytes the asked-for sections need, and decodes from just those", () => {
    expect(blockPrefixLength(payload.subarray(0, 2), {})).toBeNull(); // header incomplete
    const metaOnly = blockPrefixLength(payload.subarray(0, 64), {})!;
    const withMessages = blockPrefixLength(payload.subarray(0, 64), { message: true })!;
    expect(metaOnly).toBeLessThan(withMessages);
    expect(withMessages).toBeLessThan(payload.length);
    expect(blockPrefixLength(payload.subarray(0, 64), { attributes: true })).toBe(payload.length);
    const a = decodeBlockPrefix(payload.subarray(0, metaOnly), {});
    expect(a.map((e) => [e.ts, e.service, e.level])).toEqual(events.map((e) => [e.ts, e.service, e.level]));
    const b = decodeBlockPrefix(payload.subarray(0, withMessages), { message: true });
    expect(b.map((e) => e.message)).toEqual(events.map((e) => e.message));
    expect(() => decodeBlockPrefix(payload.subarray(0, metaOnly), { message: true })).toThrow(CorruptBlockError);
    expect(() => decodeBlockPrefix(payload.subarray(0, metaOnly - 1), {})).toThrow(CorruptBlockError);
  });
});

describe("field types from the encoder", () => {
  it("reports every attribute path with its value types, as a walk of the events would", () => {
    const ev = (attributes: Record<string, unknown>, i = 0): LogEvent => ({
      ts: 1 + i, observedTs: 1, source: "s", service: null, host: null, level: null, message: "m", traceId: null, spanId: null, attributes,
    });
    const events = [
      ev({ http: { status: 200, method: "GET" }, ok: true, "dotted.key": "x" }, 0),
      ev({ http: { status: "503" }, tags: ["a", "b"], items: [{ sku: "x1", qty: 2 }], n: null }, 1),
      ev({ when: new Date(0), nested: { deep: { er: 1.5 } } }, 2),
      ev({}, 3),
    ];
    const want: FieldTypes = new Map();
    for (const e of events) addValueTypes(want, "", e.attributes, 0);
    const got = encodeBlock(events).fields;
    const norm = (m: FieldTypes) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(norm(got)).toEqual(norm(want));
    expect(norm(got)).toMatchObject({ "http.status": ["number", "string"], tags: ["string"], "items.sku": ["string"], "items.qty": ["number"], "dotted.key": ["string"] });
  });
});
