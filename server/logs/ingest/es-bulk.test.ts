import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildBulkResponse, decodeEsBulk, eventFromEsDocument, type EsBulkAction, type EsBulkOptions } from "./es-bulk";

const LIMITS = { maxBytes: 10 * 1024 * 1024 };
const T = Date.UTC(2024, 4, 1, 13, 45, 0, 123);

function ndjson(...lines: unknown[]): string {
  return lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
}

function decode(body: string, opts: Partial<EsBulkOptions> = {}) {
  return decodeEsBulk(Buffer.from(body), { contentType: "application/x-ndjson" }, { ...LIMITS, ...opts });
}

// Fixtures shaped like what each shipper sends.
const filebeat = [
  { create: { _index: "filebeat-8.13.4" } },
  {
    "@timestamp": "2024-05-01T13:45:00.123Z",
    message: '192.168.1.10 - - [01/May/2024:13:45:00 +0000] "GET / HTTP/1.1" 200 612',
    log: { offset: 1234, file: { path: "/var/log/nginx/access.log" } },
    input: { type: "filestream" },
    host: { name: "web-1", hostname: "web-1.internal", os: { family: "debian" } },
    agent: { type: "filebeat", version: "8.13.4" },
    ecs: { version: "8.0.0" },
  },
];
const ecsLogging = [
  { create: { _index: "logs-checkout-default" } },
  {
    "@timestamp": "2024-05-01T13:45:00.123Z",
    "log.level": "error",
    message: "payment declined",
    "service.name": "checkout",
    "trace.id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "span.id": "00f067aa0ba902b7",
    "error.type": "CardDeclined",
  },
];
const fluentBit = [
  { create: { _index: "logstash-2024.05.01" } },
  {
    "@timestamp": "2024-05-01T13:45:00.123Z",
    log: "2024-05-01 13:45:00 INFO started in 1.2s\n",
    stream: "stdout",
    kubernetes: { pod_name: "api-7d9f", namespace_name: "prod", container_name: "api" },
  },
];
const fluentBitDate = [{ index: { _index: "fluent-bit" } }, { date: 1714571100.123, log: "plain line", level: "warn" }];
const vector = [
  { index: { _index: "vector-2024.05.01" } },
  { host: "web-2", message: "Connection closed", source_type: "file", file: "/var/log/app.log", timestamp: "2024-05-01T13:45:00.123456789Z" },
];
const logstash = [
  { index: { _id: null, _index: "logstash-2024.05.01", routing: null } },
  { "@timestamp": "2024-05-01T13:45:00.123Z", "@version": "1", message: "from logstash", host: { name: "ls-1" } },
];
const rsyslog = [
  { index: { _index: "rsyslog-2024.05.01", _type: "events" } },
  { "@timestamp": "2024-05-01T15:45:00.123+02:00", host: "db-1", severity: "err", facility: "daemon", programname: "postgres", message: " connection refused" },
];

describe("decodeEsBulk: shippers", () => {
  it("maps a Filebeat document (ECS, nested host)", () => {
    const { items, actions } = decode(ndjson(...filebeat));
    expect(actions).toEqual([{ index: 0, op: "create", _index: "filebeat-8.13.4" }]);
    expect(items).toEqual([
      {
        ok: true,
        index: 0,
        event: {
          ts: T,
          message: filebeat[1].message,
          host: "web-1",
          fields: {
            log: { offset: 1234, file: { path: "/var/log/nginx/access.log" } },
            input: { type: "filestream" },
            host: { hostname: "web-1.internal", os: { family: "debian" } },
            agent: { type: "filebeat", version: "8.13.4" },
            ecs: { version: "8.0.0" },
            _index: "filebeat-8.13.4",
          },
        },
      },
    ]);
  });

  it("maps ECS logging's dotted keys (log.level, service.name, trace.id, span.id)", () => {
    const [item] = decode(ndjson(...ecsLogging)).items;
    expect(item).toEqual({
      ok: true,
      index: 0,
      event: {
        ts: T,
        message: "payment declined",
        level: "error",
        service: "checkout",
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId: "00f067aa0ba902b7",
        fields: { "error.type": "CardDeclined", _index: "logs-checkout-default" },
      },
    });
  });

  it("maps Fluent Bit (log as the message, @timestamp or date)", () => {
    const { items } = decode(ndjson(...fluentBit, ...fluentBitDate));
    expect(items[0]).toMatchObject({
      ok: true,
      event: { ts: T, message: "2024-05-01 13:45:00 INFO started in 1.2s\n", fields: { stream: "stdout", _index: "logstash-2024.05.01" } },
    });
    expect(items[1]).toEqual({ ok: true, index: 1, event: { ts: T, message: "plain line", level: "warn", fields: { _index: "fluent-bit" } } });
  });

  it("maps Vector (message, timestamp, host string)", () => {
    const [item] = decode(ndjson(...vector)).items;
    expect(item).toEqual({
      ok: true,
      index: 0,
      event: { ts: T, message: "Connection closed", host: "web-2", fields: { source_type: "file", file: "/var/log/app.log", _index: "vector-2024.05.01" } },
    });
  });

  it("accepts Logstash's null _id and routing", () => {
    const { items, actions } = decode(ndjson(...logstash));
    expect(actions).toEqual([{ index: 0, op: "index", _index: "logstash-2024.05.01" }]);
    expect(items[0]).toMatchObject({ ok: true, event: { host: "ls-1", message: "from logstash", fields: { "@version": "1" } } });
  });

  it("maps an rsyslog omelasticsearch template (severity, host, offset timestamp)", () => {
    const [item] = decode(ndjson(...rsyslog)).items;
    expect(item).toEqual({
      ok: true,
      index: 0,
      event: { ts: T, message: " connection refused", level: "err", host: "db-1", fields: { facility: "daemon", programname: "postgres", _index: "rsyslog-2024.05.01" } },
    });
  });

  it("reads a gzip body (Filebeat compression_level > 0)", () => {
    const body = gzipSync(ndjson(...filebeat, ...vector));
    const { items } = decodeEsBulk(body, { contentEncoding: "gzip" }, LIMITS);
    expect(items.map((i) => i.ok)).toEqual([true, true]);
  });
});

describe("decodeEsBulk: actions", () => {
  it("uses the URL's index for actions without _index, and _index wins when given", () => {
    const { actions, items } = decode(ndjson({ index: {} }, { message: "a" }, { index: { _index: "other" } }, { message: "b" }), { defaultIndex: "app-logs" });
    expect(actions.map((a) => a._index)).toEqual(["app-logs", "other"]);
    expect(items.map((i) => i.ok && i.event.fields._index)).toEqual(["app-logs", "other"]);
  });

  it("keeps a client _id in the action and in fields", () => {
    const { actions, items } = decode(ndjson({ index: { _index: "x", _id: "evt-42" } }, { message: "a" }));
    expect(actions[0]._id).toBe("evt-42");
    expect(items[0]).toMatchObject({ ok: true, event: { fields: { _index: "x", _id: "evt-42" } } });
  });

  it("rejects an action without any index (POST /_bulk, no _index) as Elasticsearch does", () => {
    const { actions, items } = decode(ndjson({ index: {} }, { message: "a" }, { index: { _index: "ok" } }, { message: "b" }));
    expect(actions[0].error).toEqual({ type: "action_request_validation_exception", reason: "Validation Failed: 1: index is missing;" });
    expect(items.map((i) => i.ok)).toEqual([false, true]);
  });

  it("rejects delete (no source line) and update (its source line consumed), keeping the neighbours", () => {
    const body = ndjson(
      { index: { _index: "a" } },
      { message: "one" },
      { delete: { _index: "a", _id: "1" } },
      { update: { _index: "a", _id: "2" } },
      { doc: { message: "changed" } },
      { create: { _index: "a" } },
      { message: "two" },
    );
    const { actions, items } = decode(body);
    expect(actions.map((a) => [a.op, a.error?.type])).toEqual([
      ["index", undefined],
      ["delete", "illegal_argument_exception"],
      ["update", "illegal_argument_exception"],
      ["create", undefined],
    ]);
    expect(actions[1]).toMatchObject({ _index: "a", _id: "1" });
    expect(actions[1].error?.reason).toMatch(/append-only/);
    expect(items.map((i) => (i.ok ? i.event.message : i.error))).toEqual([
      "one",
      "illegal_argument_exception: delete is not supported: Lookout log storage is append-only",
      "illegal_argument_exception: update is not supported: Lookout log storage is append-only",
      "two",
    ]);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
  });

  it.each([
    ["not JSON", "{index: nope", "expected a JSON object but found text that is not JSON"],
    ["an array", "[1,2]", "expected a JSON object but found an array"],
    ["two keys", '{"index":{},"create":{}}', "expected exactly one action but found 2 keys"],
    ["an unknown action", '{"upsert":{"_index":"a"}}', "expected field [create], [delete], [index] or [update] but found [upsert]"],
    ["a non-object action body", '{"index":"a"}', "expected an object after [index]"],
  ])("rejects a malformed action line (%s) and skips its source", (_name, line, reason) => {
    const body = ndjson({ index: { _index: "a" } }, { message: "one" }, line, { message: "orphan" }, { index: { _index: "a" } }, { message: "two" });
    const { actions, items } = decode(body);
    expect(actions).toHaveLength(3);
    expect(actions[1]).toEqual({ index: 1, op: "index", error: { type: "illegal_argument_exception", reason: `Malformed action/metadata line [3], ${reason}` } });
    expect(items.map((i) => (i.ok ? i.event.message : "ERR"))).toEqual(["one", "ERR", "two"]);
  });

  it("does not eat the next action after a malformed action line", () => {
    const { actions, items } = decode(ndjson("garbage", { index: { _index: "a" } }, { message: "kept" }));
    expect(actions.map((a) => a.error?.type ?? "ok")).toEqual(["illegal_argument_exception", "ok"]);
    expect(items[1]).toMatchObject({ ok: true, event: { message: "kept" } });
  });

  it("reports a missing source line (next line is an action, or end of body)", () => {
    const { actions, items } = decode(ndjson({ index: { _index: "a" } }, { create: { _index: "a", _id: "7" } }, { message: "two" }, { index: { _index: "a" } }));
    expect(actions.map((a) => a.error?.reason ?? "ok")).toEqual([
      "the index action on line [1] is not followed by a source document",
      "ok",
      "the index action on line [4] is not followed by a source document",
    ]);
    expect(items.map((i) => i.ok)).toEqual([false, true, false]);
  });

  it("reads a document shaped like an action but holding non-metadata keys as a source", () => {
    const { items } = decode(ndjson({ index: { _index: "a" } }, { index: { name: "products", docs: 12 } }));
    expect(items).toEqual([{ ok: true, index: 0, event: { message: "", fields: { index: { name: "products", docs: 12 }, _index: "a" } } }]);
  });

  it.each([
    ["not JSON", "this is not json", "is not JSON"],
    ["a number", "42", "is a number"],
    ["an array", '["a"]', "is an array"],
  ])("rejects a source that is %s with mapper_parsing_exception", (_name, source, found) => {
    const { actions, items } = decode(ndjson({ index: { _index: "a" } }, source, { index: { _index: "a" } }, { message: "ok" }));
    expect(actions[0].error).toEqual({
      type: "mapper_parsing_exception",
      reason: `failed to parse: the document on line [2] ${found}, expected a JSON object`,
    });
    expect(items.map((i) => i.ok)).toEqual([false, true]);
  });

  it("rejects an over-long source line and an over-long action line", () => {
    const big = JSON.stringify({ message: "x".repeat(500) });
    const bigAction = JSON.stringify({ index: { _index: "y".repeat(500) } });
    const { actions } = decode(ndjson({ index: { _index: "a" } }, big, bigAction, { message: "orphan" }, { index: { _index: "a" } }, { message: "ok" }), { maxLineBytes: 200 });
    expect(actions.map((a) => a.error?.type ?? "ok")).toEqual(["illegal_argument_exception", "illegal_argument_exception", "ok"]);
    expect(actions[0].error?.reason).toMatch(/^document on line \[2\] is .* over the line limit$/);
    expect(actions[1].error?.reason).toBe("Malformed action/metadata line [3], longer than the line limit");
  });

  it("skips blank lines and tolerates CRLF and a missing final newline", () => {
    const body = '{"index":{"_index":"a"}}\r\n\r\n{"message":"one"}\r\n\n{"index":{"_index":"a"}}\n{"message":"two"}';
    expect(decode(body).items.map((i) => i.ok && i.event.message)).toEqual(["one", "two"]);
  });

  it("returns nothing for an empty body", () => {
    expect(decode("")).toEqual({ items: [], actions: [] });
  });
});

describe("eventFromEsDocument", () => {
  it.each([
    ["host.hostname when host.name is missing", { message: "m", host: { hostname: "h2" } }, { host: "h2", fields: {} }],
    ["hostname (rsyslog)", { message: "m", hostname: "h3" }, { host: "h3", fields: {} }],
    ["nested service.name", { message: "m", service: { name: "api", version: "1.2" } }, { service: "api", fields: { service: { version: "1.2" } } }],
    ["level (non-ECS)", { message: "m", level: "DEBUG" }, { level: "DEBUG", fields: {} }],
    ["ECS log object keeps other keys", { message: "m", log: { level: "warn", logger: "db" } }, { level: "warn", fields: { log: { logger: "db" } } }],
    ["message wins over log", { message: "m", log: "other" }, { fields: { log: "other" } }],
    ["msg as a last resort", { msg: "m" }, { fields: {} }],
    ["trace_id / span_id", { message: "m", trace_id: "t", span_id: "s" }, { traceId: "t", spanId: "s", fields: {} }],
  ])("reads %s", (_name, doc, expected) => {
    const event = eventFromEsDocument(doc, {});
    expect(event).toMatchObject({ message: "m", ...expected });
    expect(event.fields).toEqual(expected.fields);
  });
});

describe("buildBulkResponse", () => {
  let n = 0;
  const generateId = () => `gen-${++n}`;

  it("answers like Elasticsearch: one item per action, 201 created or 400 with the error", () => {
    n = 0;
    const actions: EsBulkAction[] = [
      { index: 0, op: "create", _index: "filebeat-8.13.4" },
      { index: 1, op: "index", _index: "app", _id: "evt-42" },
      { index: 2, op: "delete", _index: "app", _id: "1", error: { type: "illegal_argument_exception", reason: "delete is not supported" } },
      { index: 3, op: "index", _index: "app" },
    ];
    expect(buildBulkResponse(actions, { took: 7, generateId, firstSeqNo: 100 })).toEqual({
      took: 7,
      errors: true,
      items: [
        { create: { _index: "filebeat-8.13.4", _id: "gen-1", _version: 1, result: "created", _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 100, _primary_term: 1, status: 201 } },
        { index: { _index: "app", _id: "evt-42", _version: 1, result: "created", _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 101, _primary_term: 1, status: 201 } },
        { delete: { _index: "app", _id: "1", status: 400, error: { type: "illegal_argument_exception", reason: "delete is not supported" } } },
        { index: { _index: "app", _id: "gen-2", _version: 1, result: "created", _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 102, _primary_term: 1, status: 201 } },
      ],
    });
  });

  it("reports errors: false when every item was accepted", () => {
    const { actions } = decode(ndjson(...filebeat, ...vector));
    const response = buildBulkResponse(actions, { took: 1 });
    expect(response.errors).toBe(false);
    expect(response.items.map((i) => Object.keys(i)[0])).toEqual(["create", "index"]);
  });

  it("generates 20-character URL-safe ids by default, unique per item", () => {
    const { actions } = decode(ndjson(...vector, ...vector, ...vector));
    const ids = buildBulkResponse(actions, { took: 1 }).items.map((i) => i.index?._id);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{20}$/.test(id ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it("builds the response straight from a decoded body with errors in it", () => {
    const { actions } = decode(ndjson({ index: { _index: "a" } }, "not json", { index: { _index: "a" } }, { message: "ok" }));
    const response = buildBulkResponse(actions, { took: 3, generateId: () => "id" });
    expect(response.errors).toBe(true);
    expect(response.items).toEqual([
      { index: { _index: "a", _id: "id", status: 400, error: { type: "mapper_parsing_exception", reason: "failed to parse: the document on line [2] is not JSON, expected a JSON object" } } },
      { index: expect.objectContaining({ _index: "a", status: 201, _seq_no: 0 }) },
    ]);
  });
});
