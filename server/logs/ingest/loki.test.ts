import { gzipSync } from "node:zlib";
import { compressSync } from "snappy";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import type { DecodedItem } from "@/server/logs/event";
import { decodeLokiPush, eventFromEntry } from "./loki";
import { PushRequestType } from "./loki-schema";
import { thrownBy } from "@/test/thrown";

const LIMITS = { maxBytes: 1024 * 1024 };
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);
const T_NS = "1714571100123456789";
const JSON_TYPE = { contentType: "application/json" };
const PROTO_TYPE = { contentType: "application/x-protobuf" };

function decodeJson(body: unknown): DecodedItem[] {
  return decodeLokiPush(Buffer.from(JSON.stringify(body)), JSON_TYPE, LIMITS);
}

function protoBody(request: Record<string, unknown>): Buffer {
  const bytes = PushRequestType.encode(PushRequestType.fromObject(request)).finish();
  return compressSync(Buffer.from(bytes));
}

const appError = (fn: () => unknown) => thrownBy(fn, AppError);

describe("decodeLokiPush: JSON", () => {
  it("decodes streams and values, indexing entries across streams", () => {
    const items = decodeJson({
      streams: [
        {
          stream: { job: "varlogs", filename: "/var/log/syslog", host: "web-1" },
          values: [
            [T_NS, "Started Session 42 of user root."],
            ["1714571101000000000", "Stopped Session 42.", { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", user: "root" }],
          ],
        },
        { stream: { service_name: "checkout", level: "error" }, values: [[T_NS, "payment declined"]] },
      ],
    });
    expect(items).toEqual([
      {
        ok: true,
        index: 0,
        event: { ts: T, message: "Started Session 42 of user root.", service: "varlogs", host: "web-1", fields: { job: "varlogs", filename: "/var/log/syslog", host: "web-1" } },
      },
      {
        ok: true,
        index: 1,
        event: {
          ts: T - 123 + 1000,
          message: "Stopped Session 42.",
          service: "varlogs",
          host: "web-1",
          traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
          fields: { job: "varlogs", filename: "/var/log/syslog", host: "web-1", trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", user: "root" },
        },
      },
      { ok: true, index: 2, event: { ts: T, message: "payment declined", service: "checkout", level: "error", fields: { service_name: "checkout", level: "error" } } },
    ]);
  });

  it("rejects bad entries one by one and keeps their neighbours", () => {
    const items = decodeJson({
      streams: [
        {
          stream: { job: "x" },
          values: [
            [T_NS, "good 1"],
            ["yesterday", "bad time"],
            [T_NS, 42],
            [T_NS],
            [T_NS, "bad metadata", { n: 1 }],
            "not a tuple",
            [T_NS, "good 2", {}],
          ],
        },
      ],
    });
    expect(items.map((i) => (i.ok ? i.event.message : i.error))).toEqual([
      "good 1",
      'stream 0, entry 1: invalid timestamp "yesterday": expected unix epoch nanoseconds as a string',
      "stream 0, entry 2: log line must be a string, got a number",
      "stream 0, entry 3: each value must be [timestamp, line] or [timestamp, line, structured metadata]",
      'stream 0, entry 4: structured metadata label "n" must be a string, got a number',
      "stream 0, entry 5: each value must be [timestamp, line] or [timestamp, line, structured metadata]",
      "good 2",
    ]);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("fails every entry of a stream with bad labels, and a stream without values as one item", () => {
    const items = decodeJson({
      streams: [
        { stream: { job: "x", n: 1 }, values: [[T_NS, "a"], [T_NS, "b"]] },
        { stream: { job: "y" }, values: "nope" },
        "not a stream",
        { stream: { job: "z" }, values: [[T_NS, "c"]] },
      ],
    });
    expect(items.map((i) => (i.ok ? i.event.message : i.error))).toEqual([
      'stream 0, entry 0: stream label "n" must be a string, got a number',
      'stream 0, entry 1: stream label "n" must be a string, got a number',
      'stream 1: "values" must be an array of [timestamp, line] pairs',
      "stream 2: expected a stream object, got a string",
      "c",
    ]);
  });

  it("accepts a numeric nanosecond timestamp and a stream without labels", () => {
    const items = decodeJson({ streams: [{ values: [[1714571100000000000, "x"]] }] });
    expect(items).toEqual([{ ok: true, index: 0, event: { ts: T - 123, message: "x", fields: {} } }]);
  });

  it("reads the legacy labels/entries shape", () => {
    const items = decodeJson({
      streams: [{ labels: '{job="legacy", level="warn"}', entries: [{ ts: "2024-05-01T15:45:00.123+02:00", line: "old style" }, { ts: "bad", line: "x" }] }],
    });
    expect(items[0]).toEqual({ ok: true, index: 0, event: { ts: T, message: "old style", service: "legacy", level: "warn", fields: { job: "legacy", level: "warn" } } });
    expect(items[1]).toMatchObject({ ok: false, index: 1 });
  });

  it("reads a gzip JSON body", () => {
    const body = gzipSync(JSON.stringify({ streams: [{ stream: { job: "x" }, values: [[T_NS, "zipped"]] }] }));
    const items = decodeLokiPush(body, { ...JSON_TYPE, contentEncoding: "gzip" }, LIMITS);
    expect(items).toMatchObject([{ ok: true, event: { message: "zipped" } }]);
  });

  it("returns nothing for an empty streams array", () => {
    expect(decodeJson({ streams: [] })).toEqual([]);
  });

  it.each([
    ["not JSON", "{streams: nope", "not valid JSON"],
    ["no streams", '{"values":[]}', '"streams" array'],
    ["streams not an array", '{"streams":{}}', '"streams" array'],
    ["an array body", "[]", '"streams" array'],
  ])("rejects a body that is %s with INVALID_INPUT", (_name, body, message) => {
    const err = appError(() => decodeLokiPush(Buffer.from(body), JSON_TYPE, LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toContain(message);
  });
});

describe("eventFromEntry: label mapping", () => {
  it.each([
    ["service_name beats service and job", { job: "j", service: "s", service_name: "sn" }, { service: "sn" }],
    ["service beats job", { job: "j", service: "s" }, { service: "s" }],
    ["job", { job: "j" }, { service: "j" }],
    ["host beats hostname and instance", { instance: "i:9100", hostname: "hn", host: "h" }, { host: "h" }],
    ["hostname beats instance", { instance: "i:9100", hostname: "hn" }, { host: "hn" }],
    ["instance", { instance: "i:9100" }, { host: "i:9100" }],
    ["level beats detected_level", { detected_level: "warn", level: "error" }, { level: "error" }],
    ["detected_level", { detected_level: "warn" }, { level: "warn" }],
    ["severity", { severity: "critical" }, { level: "critical" }],
    ["empty values are ignored", { service_name: "", job: "j" }, { service: "j" }],
    ["traceID / spanID (Tempo style)", { traceID: "t", spanID: "s" }, { traceId: "t", spanId: "s" }],
  ])("%s", (_name, labels, expected) => {
    const event = eventFromEntry(labels, { ts: T, line: "l", metadata: {} });
    expect(event).toMatchObject(expected);
    expect(event.fields).toEqual(labels);
  });

  it("reads service, host and level from structured metadata too, labels winning on conflicts", () => {
    const event = eventFromEntry({ job: "promtail", level: "info" }, { ts: T, line: "l", metadata: { level: "debug", detected_level: "debug", host: "m-host" } });
    expect(event).toMatchObject({ service: "promtail", level: "info", host: "m-host" });
    expect(event.fields).toEqual({ job: "promtail", level: "info", detected_level: "debug", host: "m-host" });
  });
});

describe("decodeLokiPush: protobuf + snappy", () => {
  it("decodes a PushRequest built with the same schema", () => {
    const body = protoBody({
      streams: [
        {
          labels: '{job="promtail", host="web-1", filename="/var/log/nginx/error.log"}',
          entries: [
            { timestamp: { seconds: 1714571100, nanos: 123456789 }, line: "upstream timed out" },
            { timestamp: { seconds: 1714571101, nanos: 0 }, line: "retrying", structuredMetadata: [{ name: "trace_id", value: "abc" }] },
          ],
          hash: 12345,
        },
        { labels: '{service_name="api", level="warn"}', entries: [{ timestamp: { seconds: 1714571100, nanos: 123000000 }, line: "slow query" }] },
      ],
    });
    const items = decodeLokiPush(body, PROTO_TYPE, LIMITS);
    expect(items).toEqual([
      { ok: true, index: 0, event: { ts: T, message: "upstream timed out", service: "promtail", host: "web-1", fields: { job: "promtail", host: "web-1", filename: "/var/log/nginx/error.log" } } },
      {
        ok: true,
        index: 1,
        event: { ts: T - 123 + 1000, message: "retrying", service: "promtail", host: "web-1", traceId: "abc", fields: { job: "promtail", host: "web-1", filename: "/var/log/nginx/error.log", trace_id: "abc" } },
      },
      { ok: true, index: 2, event: { ts: T, message: "slow query", service: "api", level: "warn", fields: { service_name: "api", level: "warn" } } },
    ]);
  });

  it("decodes hand-encoded bytes (guards the field numbers independently of protobufjs)", () => {
    // PushRequest{ streams(1): StreamAdapter{
    //   labels(1) = '{job="x"}'                                   0a 09 7b6a6f623d2278227d
    //   entries(2) = EntryAdapter{                                12 22
    //     timestamp(1) = Timestamp{ seconds(1)=1714571100,        0a 0b 08 dc8ec9b106
    //                               nanos(2)=123000000 }                10 c0a9d33a
    //     line(2) = "hi"                                          12 02 6869
    //     structuredMetadata(3) = { name(1)="trace_id",           1a 0f 0a 08 74726163655f6964
    //                               value(2)="abc" } }                  12 03 616263
    //   hash(3) = 42 }                                            18 2a
    // }  → outer: 0a 31 (stream, 49 bytes)
    const hex =
      "0a31" + "0a097b6a6f623d2278227d" + "1222" + "0a0b08dc8ec9b10610c0a9d33a" + "12026869" + "1a0f0a0874726163655f69641203616263" + "182a";
    const items = decodeLokiPush(compressSync(Buffer.from(hex, "hex")), PROTO_TYPE, LIMITS);
    expect(items).toEqual([
      { ok: true, index: 0, event: { ts: T, message: "hi", service: "x", traceId: "abc", fields: { job: "x", trace_id: "abc" } } },
    ]);
  });

  it("fails each entry of a stream whose labels string is malformed, keeping other streams", () => {
    const body = protoBody({
      streams: [
        { labels: '{job="x"', entries: [{ timestamp: { seconds: 1 }, line: "a" }, { timestamp: { seconds: 1 }, line: "b" }] },
        { labels: '{job="y"}', entries: [{ timestamp: { seconds: 1714571100, nanos: 123000000 }, line: "c" }] },
      ],
    });
    const items = decodeLokiPush(body, PROTO_TYPE, LIMITS);
    expect(items.map((i) => i.ok)).toEqual([false, false, true]);
    expect(items[0]).toEqual({ ok: false, index: 0, error: 'stream 0, entry 0: invalid labels "{job=\\"x\\"": expected "," or "}" at position 8, found end of input' });
  });

  it("leaves ts unset for an entry without a timestamp", () => {
    const items = decodeLokiPush(protoBody({ streams: [{ labels: '{job="x"}', entries: [{ line: "no time" }] }] }), PROTO_TYPE, LIMITS);
    expect(items).toEqual([{ ok: true, index: 0, event: { message: "no time", service: "x", fields: { job: "x" } } }]);
  });

  it("sniffs the format when Content-Type is missing", () => {
    const proto = protoBody({ streams: [{ labels: '{job="p"}', entries: [{ timestamp: { seconds: 1 }, line: "from proto" }] }] });
    const json = Buffer.from(JSON.stringify({ streams: [{ stream: { job: "j" }, values: [[T_NS, "from json"]] }] }));
    expect(decodeLokiPush(proto, {}, LIMITS)).toMatchObject([{ ok: true, event: { message: "from proto" } }]);
    expect(decodeLokiPush(json, {}, LIMITS)).toMatchObject([{ ok: true, event: { message: "from json" } }]);
  });

  it.each([
    ["not snappy", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), "not valid snappy"],
    ["snappy around bytes that are not a PushRequest", compressSync(Buffer.from([0x0a, 0xff, 0x01, 0x02])), "not a valid Loki PushRequest"],
  ])("rejects a body that is %s with INVALID_INPUT", (_name, body, message) => {
    const err = appError(() => decodeLokiPush(body, PROTO_TYPE, LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toContain(message);
  });

  it("refuses a snappy body that inflates past maxBytes", () => {
    const bomb = compressSync(Buffer.alloc(2 * 1024 * 1024));
    expect(appError(() => decodeLokiPush(bomb, PROTO_TYPE, LIMITS)).code).toBe("PAYLOAD_TOO_LARGE");
  });
});
