import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock, encodeBlock } from "./block";
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
