import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/lib/errors";
import type { DecodedItem } from "@/server/logs/event";
import {
  anyValueToJs,
  decodeOtlpLogs,
  encodeOtlpLogsResponse,
  encodeOtlpStatus,
  otlpFormat,
  otlpLogsResponse,
  otlpPartialSuccess,
  severityToLevel,
} from "./otlp-logs";
import { ExportLogsServiceRequestType, ExportLogsServiceResponseType } from "./otlp-schema";
import { thrownBy } from "@/test/thrown";

const LIMITS = { maxBytes: 1024 * 1024 };
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);
const T_NS = "1714571100123456789";
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const JSON_TYPE = { contentType: "application/json" };
const PROTO_TYPE = { contentType: "application/x-protobuf" };

const str = (stringValue: string) => ({ stringValue });
const kv = (key: string, value: unknown) => ({ key, value });

/** What the OpenTelemetry Collector's otlphttp exporter sends with encoding: json. */
const collectorJson = {
  resourceLogs: [
    {
      resource: {
        attributes: [
          kv("service.name", str("checkout")),
          kv("host.name", str("web-1")),
          kv("k8s.pod.name", str("checkout-7d9f")),
          kv("process.pid", { intValue: "4242" }),
        ],
      },
      scopeLogs: [
        {
          scope: { name: "io.opentelemetry.java", version: "1.38.0" },
          logRecords: [
            {
              timeUnixNano: T_NS,
              observedTimeUnixNano: "1714571100200000000",
              severityNumber: 17,
              severityText: "ERROR",
              body: str("payment declined"),
              attributes: [kv("http.status_code", { intValue: "402" }), kv("retry", { boolValue: false }), kv("amount", { doubleValue: 12.5 })],
              flags: 1,
              traceId: TRACE,
              spanId: SPAN,
            },
          ],
        },
      ],
    },
  ],
};

function decodeJson(body: unknown): DecodedItem[] {
  return decodeOtlpLogs(Buffer.from(JSON.stringify(body)), JSON_TYPE, LIMITS);
}

function protoBody(request: Record<string, unknown>): Buffer {
  return Buffer.from(ExportLogsServiceRequestType.encode(ExportLogsServiceRequestType.fromObject(request)).finish());
}

function oneRecord(record: Record<string, unknown>, resourceAttributes: unknown[] = []): unknown {
  return { resourceLogs: [{ resource: { attributes: resourceAttributes }, scopeLogs: [{ logRecords: [record] }] }] };
}

const appError = (fn: () => unknown) => thrownBy(fn, AppError);

describe("decodeOtlpLogs: JSON", () => {
  it("maps a Collector export", () => {
    expect(decodeJson(collectorJson)).toEqual([
      {
        ok: true,
        index: 0,
        event: {
          ts: T,
          message: "payment declined",
          level: "error",
          service: "checkout",
          host: "web-1",
          traceId: TRACE,
          spanId: SPAN,
          fields: {
            "resource.k8s.pod.name": "checkout-7d9f",
            "resource.process.pid": 4242,
            "scope.name": "io.opentelemetry.java",
            "scope.version": "1.38.0",
            "http.status_code": 402,
            retry: false,
            amount: 12.5,
          },
        },
      },
    ]);
  });

  it("reads snake_case field names too", () => {
    const body = {
      resource_logs: [
        {
          resource: { attributes: [{ key: "service.name", value: { string_value: "api" } }] },
          scope_logs: [{ log_records: [{ time_unix_nano: T_NS, severity_number: 9, body: { string_value: "hi" }, trace_id: TRACE }] }],
        },
      ],
    };
    expect(decodeJson(body)).toEqual([{ ok: true, index: 0, event: { ts: T, message: "hi", level: "info", service: "api", traceId: TRACE, fields: {} } }]);
  });

  it.each([
    ["timeUnixNano", { timeUnixNano: T_NS, observedTimeUnixNano: "1" }, T],
    ["observedTimeUnixNano when timeUnixNano is 0", { timeUnixNano: "0", observedTimeUnixNano: T_NS }, T],
    ["observedTimeUnixNano when timeUnixNano is absent", { observedTimeUnixNano: T_NS }, T],
    ["a number", { timeUnixNano: 1714571100123000000 }, T],
    ["nothing", {}, undefined],
  ])("takes ts from %s", (_name, times, ts) => {
    const [item] = decodeJson(oneRecord({ body: str("x"), ...times }));
    expect(item.ok).toBe(true);
    expect(item.ok ? item.event.ts : "error").toBe(ts);
  });

  it.each([
    ["a string", str("plain"), "plain"],
    ["a kvlist (JSON-stringified)", { kvlistValue: { values: [kv("user", str("ann")), kv("n", { intValue: "3" })] } }, '{"user":"ann","n":3}'],
    ["an array", { arrayValue: { values: [str("a"), { intValue: 1 }] } }, '["a",1]'],
    ["an int", { intValue: "42" }, "42"],
    ["a bool", { boolValue: true }, "true"],
    ["a double", { doubleValue: 0.5 }, "0.5"],
    ["bytes (base64)", { bytesValue: "aGk=" }, "aGk="],
    ["an empty AnyValue", {}, ""],
  ])("turns %s body into the message", (_name, body, message) => {
    const [item] = decodeJson(oneRecord({ body }));
    expect(item.ok && item.event.message).toBe(message);
  });

  it("uses an empty message when there is no body", () => {
    const [item] = decodeJson(oneRecord({ timeUnixNano: T_NS }));
    expect(item).toEqual({ ok: true, index: 0, event: { ts: T, message: "", fields: {} } });
  });

  it("uses severityText when severityNumber is unset", () => {
    const [a, b] = decodeJson({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: "Warning", body: str("x") }, { severityNumber: 0, body: str("y") }] }] }],
    });
    expect(a.ok && a.event.level).toBe("Warning");
    expect(b.ok && b.event.level).toBeUndefined();
  });

  it("treats all-zero and empty ids as absent, and accepts base64 ids", () => {
    const items = decodeJson({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { traceId: "00000000000000000000000000000000", spanId: "0000000000000000" },
                { traceId: "", spanId: "" },
                { traceId: Buffer.from(TRACE, "hex").toString("base64"), spanId: SPAN.toUpperCase() },
              ],
            },
          ],
        },
      ],
    });
    expect(items.map((i) => i.ok && [i.event.traceId, i.event.spanId])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
      [TRACE, SPAN],
    ]);
  });

  it("rejects malformed records one by one and keeps their neighbours", () => {
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { body: str("good 1") },
                { body: str("bad trace"), traceId: "xyz" },
                { body: str("short span"), spanId: "00f067aa" },
                { body: str("bad time"), timeUnixNano: "yesterday" },
                { body: str("bad attribute"), attributes: [{ value: str("no key") }] },
                { body: str("bad int"), attributes: [kv("n", { intValue: "4.2" })] },
                "not a record",
                { body: str("good 2") },
              ],
            },
          ],
        },
      ],
    };
    expect(decodeJson(body).map((i) => (i.ok ? i.event.message : i.error))).toEqual([
      "good 1",
      'log record 1: traceId must be 16 bytes (32 hex digits), got "xyz"',
      'log record 2: spanId must be 8 bytes (16 hex digits), got "00f067aa"',
      'log record 3: timeUnixNano must be unix epoch nanoseconds, got "yesterday"',
      "log record 4: each attribute must be {key: string, value: AnyValue}",
      'log record 5: intValue must be an integer, got "4.2"',
      "log record 6: expected a LogRecord object",
      "good 2",
    ]);
  });

  it("fails the records of a resource whose attributes are malformed, keeping other resources", () => {
    const body = {
      resourceLogs: [
        { resource: { attributes: "nope" }, scopeLogs: [{ logRecords: [{ body: str("a") }, { body: str("b") }] }] },
        { scopeLogs: [{ scope: { attributes: [kv("x", { kvlistValue: { values: 3 } })] }, logRecords: [{ body: str("c") }] }] },
        { scopeLogs: [{ logRecords: [{ body: str("d") }] }] },
      ],
    };
    expect(decodeJson(body).map((i) => (i.ok ? i.event.message : i.error))).toEqual([
      "log record 0: resource: attributes must be an array of {key, value}",
      "log record 1: resource: attributes must be an array of {key, value}",
      "log record 2: scope: arrayValue/kvlistValue values must be an array",
      "d",
    ]);
  });

  it("counts records across resources and scopes", () => {
    const body = {
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ body: str("0") }] }, { logRecords: [{ body: str("1") }, { body: str("2") }] }] },
        { scopeLogs: [{ logRecords: [] }, {}] },
        { scopeLogs: [{ logRecords: [{ body: str("3") }] }] },
      ],
    };
    expect(decodeJson(body).map((i) => [i.index, i.ok && i.event.message])).toEqual([
      [0, "0"],
      [1, "1"],
      [2, "2"],
      [3, "3"],
    ]);
  });

  it("keeps event.name and scope attributes", () => {
    const body = { resourceLogs: [{ scopeLogs: [{ scope: { name: "s", attributes: [kv("lib", str("x"))] }, logRecords: [{ eventName: "user.login", body: str("m") }] }] }] };
    const [item] = decodeJson(body);
    expect(item.ok && item.event.fields).toEqual({ "scope.lib": "x", "scope.name": "s", "event.name": "user.login" });
  });

  it("returns nothing for an empty request", () => {
    expect(decodeJson({})).toEqual([]);
    expect(decodeJson({ resourceLogs: [] })).toEqual([]);
  });

  it.each([
    ["not JSON", "{resourceLogs", "not valid JSON"],
    ["an array", "[]", "must be an object"],
    ["resourceLogs not an array", '{"resourceLogs":{}}', '"resourceLogs" must be an array'],
    ["scopeLogs not an array", '{"resourceLogs":[{"scopeLogs":1}]}', '"scopeLogs" must be an array'],
    ["logRecords not an array", '{"resourceLogs":[{"scopeLogs":[{"logRecords":"x"}]}]}', '"logRecords" must be an array'],
  ])("rejects a body that is %s with INVALID_INPUT", (_name, body, message) => {
    const err = appError(() => decodeOtlpLogs(Buffer.from(body), JSON_TYPE, LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toContain(message);
  });
});

describe("decodeOtlpLogs: protobuf", () => {
  const request = {
    resourceLogs: [
      {
        resource: { attributes: [kv("service.name", str("checkout")), kv("host.name", str("web-1")), kv("deployment.environment", str("prod"))] },
        scopeLogs: [
          {
            scope: { name: "otelcol/filelogreceiver", version: "0.100.0" },
            logRecords: [
              {
                timeUnixNano: T_NS,
                severityNumber: 13,
                severityText: "WARN",
                body: str("disk 91% full"),
                attributes: [
                  kv("big", { intValue: "9007199254740993" }),
                  kv("neg", { intValue: "-5" }),
                  kv("raw", { bytesValue: Buffer.from("hi") }),
                  kv("list", { arrayValue: { values: [str("a"), { boolValue: true }] } }),
                  kv("map", { kvlistValue: { values: [kv("k", { doubleValue: 1.5 })] } }),
                  kv("empty", {}),
                ],
                traceId: Buffer.from(TRACE, "hex"),
                spanId: Buffer.from(SPAN, "hex"),
              },
              { observedTimeUnixNano: T_NS, body: { kvlistValue: { values: [kv("event", str("login"))] } } },
            ],
          },
        ],
      },
    ],
  };
  const expected: DecodedItem[] = [
    {
      ok: true,
      index: 0,
      event: {
        ts: T,
        message: "disk 91% full",
        level: "warn",
        service: "checkout",
        host: "web-1",
        traceId: TRACE,
        spanId: SPAN,
        fields: {
          "resource.deployment.environment": "prod",
          "scope.name": "otelcol/filelogreceiver",
          "scope.version": "0.100.0",
          big: "9007199254740993",
          neg: -5,
          raw: "aGk=",
          list: ["a", true],
          map: { k: 1.5 },
          empty: null,
        },
      },
    },
    {
      ok: true,
      index: 1,
      event: {
        ts: T,
        message: '{"event":"login"}',
        service: "checkout",
        host: "web-1",
        fields: { "resource.deployment.environment": "prod", "scope.name": "otelcol/filelogreceiver", "scope.version": "0.100.0" },
      },
    },
  ];

  it("decodes a request built with the same schema", () => {
    expect(decodeOtlpLogs(protoBody(request), PROTO_TYPE, LIMITS)).toEqual(expected);
  });

  it("decodes the same request sent as JSON to the same events", () => {
    const message = ExportLogsServiceRequestType.fromObject(request);
    const json = ExportLogsServiceRequestType.toObject(message, { longs: String, bytes: String, json: true });
    // protobufjs writes bytes as base64; OTLP/JSON wants hex ids
    const rl = (json as typeof request).resourceLogs[0].scopeLogs[0].logRecords[0] as Record<string, unknown>;
    rl.traceId = TRACE;
    rl.spanId = SPAN;
    expect(decodeJson(json)).toEqual(expected);
  });

  it("reads a gzip protobuf body (the Collector's default compression)", () => {
    const items = decodeOtlpLogs(gzipSync(protoBody(request)), { ...PROTO_TYPE, contentEncoding: "gzip" }, LIMITS);
    expect(items).toEqual(expected);
  });

  it("decodes hand-encoded bytes (guards the field numbers independently of protobufjs)", () => {
    // ExportLogsServiceRequest{ resourceLogs(1) {                         0a 74
    //   resource(1) { attributes(1) { key(1)="service.name",              0a 17 0a 15 0a 0c 736572766963652e6e616d65
    //                                 value(2){ stringValue(1)="api" } } }        12 05 0a 03 617069
    //   scopeLogs(2) {                                                    12 59
    //     scope(1) { name(1)="io.x" }                                     0a 06 0a 04 696f2e78
    //     logRecords(2) {                                                 12 4f
    //       timeUnixNano(1, fixed64) = 1714571100123456789                09 156502d55461cb17
    //       severityNumber(2) = 17                                        10 11
    //       severityText(3) = "ERROR"                                     1a 05 4552524f52
    //       body(5) = { stringValue(1) = "boom" }                         2a 06 0a 04 626f6f6d
    //       attributes(6) = { key="http.status_code", value{intValue(3)=500} }
    //                                                                     32 17 0a 10 687474702e7374617475735f636f6465 12 03 18 f403
    //       traceId(9)                                                    4a 10 4bf92f3577b34da6a3ce929d0e0e4736
    //       spanId(10)                                                    52 08 00f067aa0ba902b7
    // } } }
    const hex = [
      "0a74",
      "0a170a150a0c736572766963652e6e616d6512050a03617069",
      "1259",
      "0a060a04696f2e78",
      "124f",
      "09156502d55461cb17",
      "1011",
      "1a054552524f52",
      "2a060a04626f6f6d",
      "32170a10687474702e7374617475735f636f6465120318f403",
      "4a104bf92f3577b34da6a3ce929d0e0e4736",
      "520800f067aa0ba902b7",
    ].join("");
    expect(decodeOtlpLogs(Buffer.from(hex, "hex"), PROTO_TYPE, LIMITS)).toEqual([
      {
        ok: true,
        index: 0,
        event: { ts: T, message: "boom", level: "error", service: "api", traceId: TRACE, spanId: SPAN, fields: { "scope.name": "io.x", "http.status_code": 500 } },
      },
    ]);
  });

  it("rejects a record whose trace id has the wrong length", () => {
    const body = protoBody({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.from("abcd", "hex") }, { body: str("ok") }] }] }] });
    expect(decodeOtlpLogs(body, PROTO_TYPE, LIMITS).map((i) => (i.ok ? "ok" : i.error))).toEqual([
      "log record 0: traceId must be 16 bytes (32 hex digits), got 2 bytes",
      "ok",
    ]);
  });

  it("rejects bytes that are not an ExportLogsServiceRequest with INVALID_INPUT", () => {
    const err = appError(() => decodeOtlpLogs(Buffer.from([0x0a, 0xff, 0x01, 0x02]), PROTO_TYPE, LIMITS));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.userMessage).toContain("not a valid OTLP ExportLogsServiceRequest (protobuf)");
  });

  it("returns nothing for an empty body", () => {
    expect(decodeOtlpLogs(Buffer.alloc(0), PROTO_TYPE, LIMITS)).toEqual([]);
  });
});

describe("severityToLevel", () => {
  it.each([
    [0, undefined],
    [1, "trace"],
    [4, "trace"],
    [5, "debug"],
    [8, "debug"],
    [9, "info"],
    [12, "info"],
    [13, "warn"],
    [16, "warn"],
    [17, "error"],
    [20, "error"],
    [21, "fatal"],
    [24, "fatal"],
    [25, undefined],
    [-1, undefined],
    [9.5, undefined],
    ["9", "info"],
    ["SEVERITY_NUMBER_WARN2", "warn"],
    ["SEVERITY_NUMBER_FATAL", "fatal"],
    ["SEVERITY_NUMBER_UNSPECIFIED", undefined],
    [null, undefined],
  ])("%s → %s", (severity, level) => {
    expect(severityToLevel(severity)).toBe(level);
  });
});

describe("anyValueToJs", () => {
  it.each([
    [{ stringValue: "" }, ""],
    [{ intValue: 7 }, 7],
    [{ intValue: "-9223372036854775808" }, "-9223372036854775808"],
    [{ doubleValue: "NaN" }, "NaN"],
    [{ doubleValue: "2.5" }, 2.5],
    [{ arrayValue: {} }, []],
    [{ kvlistValue: { values: [] } }, {}],
    [{ kvlistValue: { values: [kv("a", { kvlistValue: { values: [kv("b", { arrayValue: { values: [{ intValue: 1 }] } })] } })] } }, { a: { b: [1] } }],
    [undefined, null],
  ])("%j → %j", (value, expected) => {
    expect(anyValueToJs(value)).toEqual(expected);
  });

  it("refuses values nested absurdly deep", () => {
    let v: Record<string, unknown> = { stringValue: "leaf" };
    for (let i = 0; i < 40; i++) v = { arrayValue: { values: [v] } };
    expect(() => anyValueToJs(v)).toThrow(/nested deeper/);
  });
});

describe("formats and responses", () => {
  it.each([
    ["application/json", undefined, "json"],
    ["application/json; charset=utf-8", undefined, "json"],
    ["application/x-protobuf", undefined, "protobuf"],
    ["application/protobuf", undefined, "protobuf"],
    [undefined, Buffer.from(' {"resourceLogs":[]}'), "json"],
    [undefined, Buffer.from([0x0a, 0x00]), "protobuf"],
    [undefined, undefined, "protobuf"],
  ])("otlpFormat(%s) → %s", (contentType, body, format) => {
    expect(otlpFormat(contentType, body)).toBe(format);
  });

  it("builds partial-success responses", () => {
    expect(otlpPartialSuccess(2, "bad")).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: "bad" } });
    const ok: DecodedItem = { ok: true, index: 0, event: { message: "x", fields: {} } };
    const bad = (i: number): DecodedItem => ({ ok: false, index: i, error: `e${i}` });
    expect(otlpLogsResponse([ok])).toEqual({});
    expect(otlpLogsResponse([ok, bad(1), bad(2)])).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: "e1; e2" } });
    expect(otlpLogsResponse([bad(1), bad(2), bad(3)], 2)).toEqual({ partialSuccess: { rejectedLogRecords: 3, errorMessage: "e1; e2 (and 1 more)" } });
  });

  it("encodes responses as JSON or protobuf (bytes checked by hand)", () => {
    const response = otlpPartialSuccess(2, "bad");
    expect(encodeOtlpLogsResponse(response, "json")).toEqual({
      contentType: "application/json",
      body: Buffer.from('{"partialSuccess":{"rejectedLogRecords":2,"errorMessage":"bad"}}'),
    });
    const proto = encodeOtlpLogsResponse(response, "protobuf");
    expect(proto.contentType).toBe("application/x-protobuf");
    // partialSuccess(1) { rejectedLogRecords(1)=2, errorMessage(2)="bad" }
    expect(proto.body.toString("hex")).toBe("0a0708021203626164");
    expect(ExportLogsServiceResponseType.toObject(ExportLogsServiceResponseType.decode(proto.body), { longs: Number })).toEqual(response);
    expect(encodeOtlpLogsResponse({}, "protobuf").body.length).toBe(0);
  });

  it("encodes google.rpc.Status error bodies", () => {
    expect(encodeOtlpStatus("bad body", "json").body.toString()).toBe('{"code":3,"message":"bad body"}');
    // code(1)=3, message(2)="bad body"
    expect(encodeOtlpStatus("bad body", "protobuf").body.toString("hex")).toBe("0803120862616420626f6479");
  });
});
