import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import type { DecodedItem } from "@/server/logs/event";
import { decodeNdjson, decodeNdjsonLine, eventFromNdjsonObject } from "./ndjson";

const LIMITS = { maxBytes: 1024 * 1024 };
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);

function decode(body: string, opts: { maxLineBytes?: number; encoding?: string } = {}): DecodedItem[] {
  const buf = opts.encoding === "gzip" ? gzipSync(body) : Buffer.from(body);
  return decodeNdjson(buf, { contentType: "application/x-ndjson", contentEncoding: opts.encoding }, { ...LIMITS, maxLineBytes: opts.maxLineBytes });
}

describe("eventFromNdjsonObject", () => {
  it.each([
    [
      "all well-known keys",
      { "@timestamp": "2024-05-01T13:45:00.123Z", message: "GET /health 200", level: "info", service: "api", host: "web-1", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7", status: 200 },
      { ts: T, message: "GET /health 200", level: "info", service: "api", host: "web-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", fields: { status: 200 } },
    ],
    [
      "pino (msg, numeric level, epoch ms time)",
      { level: 30, time: 1714571100123, pid: 4242, hostname: "web-1", msg: "request completed", req: { method: "GET" } },
      { ts: T, message: "request completed", level: "30", fields: { pid: 4242, hostname: "web-1", req: { method: "GET" } } },
    ],
    [
      "ts in epoch seconds with fraction",
      { ts: 1714571100.123, msg: "x" },
      { ts: T, message: "x", fields: {} },
    ],
    [
      "timestamp in epoch nanoseconds (string)",
      { timestamp: "1714571100123456789", message: "x" },
      { ts: T, message: "x", fields: {} },
    ],
    [
      "@timestamp wins over later keys, which stay in fields",
      { "@timestamp": "2024-05-01T13:45:00.123Z", timestamp: "2020-01-01T00:00:00Z", message: "x" },
      { ts: T, message: "x", fields: { timestamp: "2020-01-01T00:00:00Z" } },
    ],
    [
      "an unreadable timestamp stays in fields and the next key is tried",
      { "@timestamp": "not a time", ts: 1714571100123, message: "x" },
      { ts: T, message: "x", fields: { "@timestamp": "not a time" } },
    ],
    [
      "message wins over msg; msg stays in fields",
      { message: "a", msg: "b" },
      { message: "a", fields: { msg: "b" } },
    ],
    [
      "an object message is stringified",
      { message: { text: "hi" } },
      { message: '{"text":"hi"}', fields: {} },
    ],
    [
      "no message at all",
      { user: "ann", action: "login" },
      { message: "", fields: { user: "ann", action: "login" } },
    ],
    [
      "an ECS-style host object stays in fields",
      { message: "x", host: { name: "web-1" }, service: "" },
      { message: "x", fields: { host: { name: "web-1" }, service: "" } },
    ],
    [
      "camelCase trace ids",
      { message: "x", traceId: "abc", spanId: "def" },
      { message: "x", traceId: "abc", spanId: "def", fields: {} },
    ],
  ])("maps %s", (_name, obj, expected) => {
    const event = eventFromNdjsonObject(obj as Record<string, unknown>);
    expect(JSON.parse(JSON.stringify(event))).toEqual(expected);
  });
});

describe("decodeNdjson", () => {
  it("decodes one item per line, indexed by 0-based line number", () => {
    const body = [
      '{"@timestamp":"2024-05-01T13:45:00.123Z","level":"info","service":"checkout","message":"order placed","order_id":"A-1001"}',
      "",
      '{"ts":1714571100123,"level":"error","msg":"payment declined","card":"visa"}',
      "",
    ].join("\n");
    expect(decode(body)).toEqual([
      { ok: true, index: 0, event: { ts: T, level: "info", service: "checkout", message: "order placed", fields: { order_id: "A-1001" } } },
      { ok: true, index: 2, event: { ts: T, level: "error", message: "payment declined", fields: { card: "visa" } } },
    ]);
  });

  it("takes a non-JSON line as a plain message, not an error", () => {
    expect(decode("Starting nginx: nginx.\n{broken json\n")).toEqual([
      { ok: true, index: 0, event: { message: "Starting nginx: nginx.", fields: {} } },
      { ok: true, index: 1, event: { message: "{broken json", fields: {} } },
    ]);
  });

  it.each([
    ["an array", "[1,2]", "an array"],
    ["a number", "42", "a number"],
    ["a string", '"just a string"', "a string"],
    ["null", "null", "null"],
    ["a boolean", "true", "a boolean"],
  ])("rejects a JSON line that is %s, keeping the good lines", (_name, line, kind) => {
    const items = decode(`{"message":"before"}\n${line}\n{"message":"after"}\n`);
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ ok: true, index: 0 });
    expect(items[1]).toEqual({ ok: false, index: 1, error: `line 2: expected a JSON object, got ${kind}` });
    expect(items[2]).toMatchObject({ ok: true, index: 2, event: { message: "after" } });
  });

  it("rejects a line over maxLineBytes and reads the rest", () => {
    const long = JSON.stringify({ message: "x".repeat(200) });
    const items = decode(`{"message":"a"}\n${long}\n{"message":"b"}\n`, { maxLineBytes: 100 });
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
    expect(items[1]).toEqual({ ok: false, index: 1, error: `line 2: ${long.length} bytes, longer than the 100 B line limit` });
  });

  it("keeps the raw text (untrimmed) of plain lines, strips CRLF", () => {
    expect(decode("  indented line  \r\n")).toEqual([{ ok: true, index: 0, event: { message: "  indented line  ", fields: {} } }]);
  });

  it("reads gzip bodies", () => {
    expect(decode('{"message":"zipped"}\n', { encoding: "gzip" })).toEqual([{ ok: true, index: 0, event: { message: "zipped", fields: {} } }]);
  });

  it("throws PAYLOAD_TOO_LARGE for a body over maxBytes", () => {
    expect(() => decodeNdjson(Buffer.alloc(100, 0x61), {}, { maxBytes: 10 })).toThrow(AppError);
  });

  it("returns nothing for an empty body", () => {
    expect(decode("")).toEqual([]);
    expect(decode("\n\n")).toEqual([]);
  });

  it("handles __proto__ keys as data", () => {
    const [item] = decode('{"message":"x","__proto__":{"admin":true}}\n');
    expect(item.ok && Object.keys(item.event.fields)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("decodes one line on its own", () => {
    expect(decodeNdjsonLine('{"msg":"x"}', 7)).toEqual({ ok: true, index: 7, event: { message: "x", fields: {} } });
  });
});
