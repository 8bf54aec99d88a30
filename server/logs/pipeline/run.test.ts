import { describe, expect, it } from "vitest";
import type { IncomingEvent, LogEvent } from "../event";
import { compilePipeline, PipelineCompileError, runPipeline, type PipelineResult } from "./run";
import type { PipelineStepInput } from "./steps";

const OBSERVED = Date.UTC(2024, 5, 15, 12, 0, 0);
const ctx = { source: "test", observedTs: OBSERVED };
const ev = (message: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({ message, fields: {}, ...extra });

function run(steps: PipelineStepInput[], event: IncomingEvent, opts: Partial<typeof ctx> & { maxFieldBytes?: number } = {}): PipelineResult {
  return compilePipeline(steps)(event, { ...ctx, ...opts });
}

function ok(steps: PipelineStepInput[], event: IncomingEvent): LogEvent {
  const r = run(steps, event);
  if (r.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r.event;
}

const NGINX = '203.0.113.9 - alice [10/Oct/2024:13:55:36 +0200] "GET /cart?id=7 HTTP/1.1" 404 512 "https://shop.example/" "curl/8.5.0"';

describe("no steps", () => {
  it("maps the incoming event as is, with observedTs as the fallback time", () => {
    const e = ok([], ev("hello", { level: "WARNING", service: "api", host: "web-1", traceId: "t1", spanId: "s1", fields: { a: { b: 1 } } }));
    expect(e).toEqual({
      ts: OBSERVED, observedTs: OBSERVED, source: "test", service: "api", host: "web-1", level: "warn",
      message: "hello", traceId: "t1", spanId: "s1", attributes: { a: { b: 1 } },
    });
  });

  it("does not mutate the incoming event", () => {
    const input = ev("x", { fields: { http: { status: 200 } } });
    ok([{ type: "add", field: "http.method", value: "GET" }, { type: "remove", fields: ["http.status"] }], input);
    expect(input.fields).toEqual({ http: { status: 200 } });
  });
});

describe("json", () => {
  it("merges an object into the event; core names become core properties", () => {
    const e = ok([{ type: "json" }], ev('{"message":"started","level":"error","service":{"name":"billing"},"user":{"id":7},"trace_id":"abc"}'));
    expect(e).toMatchObject({ message: "started", level: "error", service: "billing", traceId: "abc", attributes: { user: { id: 7 } } });
    expect(e.attributes).toEqual({ user: { id: 7 } });
  });

  it("puts the value under target when given", () => {
    const e = ok([{ type: "json", target: "payload" }], ev("[1,2]"));
    expect(e.attributes).toEqual({ payload: [1, 2] });
  });

  it("bad JSON → dead letter when required (default), tag when not", () => {
    expect(run([{ type: "json" }], ev("{oops"))).toMatchObject({ kind: "dead-letter", step: 0, stepType: "json", error: expect.stringMatching(/^invalid JSON in message: /) });
    expect(run([{ type: "json" }], ev("plain text"))).toMatchObject({ kind: "dead-letter", error: 'message is not JSON: "plain text"' });
    expect(ok([{ type: "json", required: false }], ev("{oops")).attributes).toEqual({ tags: ["_jsonparsefailure"] });
    expect(run([{ type: "json" }], ev('"a string"'))).toMatchObject({ kind: "dead-letter", error: expect.stringMatching(/not JSON/) });
    expect(run([{ type: "json" }], ev("[1]"))).toMatchObject({ kind: "dead-letter", error: "JSON in message is not an object (set a target to keep it)" });
  });
});

describe("logfmt", () => {
  it("merges key=value pairs", () => {
    const e = ok([{ type: "logfmt" }], ev('time=2024-06-01T10:00:00Z level=warn msg="disk almost full" host=db-2 pct=91'));
    expect(e).toMatchObject({ level: "warn", host: "db-2", ts: Date.UTC(2024, 5, 1, 10), attributes: { msg: "disk almost full", pct: "91" } });
  });

  it("writes under target", () => {
    expect(ok([{ type: "logfmt", target: "kv" }], ev("a=1 b")).attributes).toEqual({ kv: { a: "1", b: true } });
  });
});

describe("grok", () => {
  it("parses nginx combined logs with ECS names; date + level finish the job", () => {
    const e = ok(
      [
        { type: "grok", patterns: ["%{COMBINEDAPACHELOG}"] },
        { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z"] },
        { type: "level", field: "http.response.status_code", mapping: { "404": "warn" } },
      ],
      ev(NGINX),
    );
    expect(e.ts).toBe(Date.UTC(2024, 9, 10, 11, 55, 36));
    expect(e.level).toBe("warn");
    expect(e.message).toBe(NGINX);
    expect(e.attributes).toEqual({
      source: { address: "203.0.113.9" },
      user: { name: "alice" },
      http: { request: { method: "GET", referrer: "https://shop.example/" }, version: "1.1", response: { status_code: 404, body: { bytes: 512 } } },
      url: { original: "/cart?id=7" },
      user_agent: { original: "curl/8.5.0" },
    });
  });

  it("overwrites existing fields, including message (SYSLOGLINE keeps the rest as message)", () => {
    const e = ok([{ type: "grok", patterns: ["%{SYSLOGLINE}"] }], ev("Mar  6 11:02:03 web-7 sshd[4242]: Accepted publickey for bob"));
    expect(e.message).toBe("Accepted publickey for bob");
    expect(e.host).toBe("web-7");
    expect(e.attributes).toMatchObject({ timestamp: "Mar  6 11:02:03", process: { name: "sshd", pid: 4242 } });
  });

  it("tries patterns in order and supports custom patterns and legacy names", () => {
    const steps: PipelineStepInput[] = [
      {
        type: "grok",
        ecsCompatibility: "disabled",
        customPatterns: "ORDER ORD-%{INT}",
        patterns: ["^order %{ORDER:order} by %{USERNAME:user}$", "^%{LOGLEVEL:level} %{GREEDYDATA:message}$"],
      },
    ];
    expect(ok(steps, ev("order ORD-12 by bob")).attributes).toEqual({ order: "ORD-12", user: "bob" });
    expect(ok(steps, ev("ERROR db down"))).toMatchObject({ level: "error", message: "db down", attributes: {} });
  });

  it("mismatch: tag and continue unless required; required → dead letter naming the step", () => {
    expect(ok([{ type: "grok", patterns: ["^%{INT:n}$"] }], ev("abc")).attributes).toEqual({ tags: ["_grokparsefailure"] });
    expect(run([{ type: "add", field: "x", value: 1 }, { type: "grok", patterns: ["^%{INT:n}$", "^%{IP:ip}$"], required: true }], ev("abc"))).toEqual({
      kind: "dead-letter", step: 1, stepType: "grok", error: 'none of the 2 patterns matched message: "abc"',
    });
    expect(run([{ type: "grok", field: "nope", patterns: ["%{INT}"], required: true }], ev("1"))).toMatchObject({ kind: "dead-letter", error: "field nope is missing" });
  });

  it("a capture under a non-object field is a dead letter, not a silent loss", () => {
    const r = run([{ type: "grok", patterns: ["%{INT:[http][status]}"] }], ev("500", { fields: { http: "1.1" } }));
    expect(r).toEqual({ kind: "dead-letter", step: 0, stepType: "grok", error: "cannot set http.status: http is a string" });
  });
});

describe("date", () => {
  it("sets the event time and removes the source field (unless told to keep it)", () => {
    expect(ok([{ type: "date", field: "t", formats: ["UNIX_MS"] }], ev("x", { fields: { t: 1700000000123 } }))).toMatchObject({ ts: 1700000000123, attributes: {} });
    expect(ok([{ type: "date", field: "t", formats: ["UNIX"], removeField: false }], ev("x", { fields: { t: "1700000000" } }))).toMatchObject({ ts: 1700000000000, attributes: { t: "1700000000" } });
  });

  it("first format that parses wins; time zone applies to local times", () => {
    const steps: PipelineStepInput[] = [{ type: "date", field: "t", formats: ["ISO8601", "yyyy/MM/dd HH:mm"], timezone: "America/Chicago" }];
    expect(ok(steps, ev("x", { fields: { t: "2024/01/02 03:04" } })).ts).toBe(Date.UTC(2024, 0, 2, 9, 4));
  });

  it("overrides a decoder-supplied time", () => {
    expect(ok([{ type: "date", field: "t", formats: ["UNIX"] }], ev("x", { ts: 5, fields: { t: 10 } })).ts).toBe(10_000);
  });

  it("unparseable or missing → dead letter; not required → tag", () => {
    expect(run([{ type: "date", field: "t", formats: ["ISO8601", "UNIX"] }], ev("x", { fields: { t: "soon" } }))).toEqual({
      kind: "dead-letter", step: 0, stepType: "date", error: 'cannot parse t "soon" as ISO8601, UNIX',
    });
    expect(run([{ type: "date", field: "t", formats: ["ISO8601"] }], ev("x"))).toMatchObject({ kind: "dead-letter", error: "field t is missing" });
    const e = ok([{ type: "date", field: "t", formats: ["ISO8601"], required: false }], ev("x", { fields: { t: "soon" } }));
    expect(e).toMatchObject({ ts: OBSERVED, attributes: { t: "soon", tags: ["_dateparsefailure"] } });
  });
});

describe("level", () => {
  it("normalises through a custom mapping first, then the standard names", () => {
    const steps: PipelineStepInput[] = [{ type: "level", field: "sev", mapping: { I: "info", E: "error" } }];
    expect(ok(steps, ev("x", { fields: { sev: "e" } })).level).toBe("error");
    expect(ok(steps, ev("x", { fields: { sev: "CRITICAL" } })).level).toBe("fatal");
    expect(ok(steps, ev("x", { fields: { sev: 30 } })).level).toBe("info");
    expect(ok(steps, ev("x", { fields: { sev: "whatever" } }))).toMatchObject({ level: null, attributes: { sev: "whatever" } });
  });

  it("keeps an unrecognised core level as an attribute", () => {
    expect(ok([], ev("x", { level: "loud" }))).toMatchObject({ level: null, attributes: { level: "loud" } });
  });
});

describe("rename, remove, add", () => {
  it("rename moves a value (also into core properties); a missing source is a no-op", () => {
    const e = ok([{ type: "rename", from: "msg", to: "message" }, { type: "rename", from: "app.name", to: "service" }, { type: "rename", from: "nope", to: "x" }], ev("raw", { fields: { msg: "hi", app: { name: "cart", v: 2 } } }));
    expect(e).toMatchObject({ message: "hi", service: "cart", attributes: { app: { v: 2 } } });
  });

  it("remove deletes fields and parents left empty; removing message leaves it empty", () => {
    const e = ok([{ type: "remove", fields: ["a.b", "c", "message", "flat.key"] }], ev("m", { fields: { a: { b: 1 }, c: 2, d: 3, "flat.key": 4 } }));
    expect(e).toMatchObject({ message: "", attributes: { d: 3 } });
  });

  it("add sets values with %{field} references; unknown references stay literal; overwrite: false keeps values", () => {
    const e = ok(
      [
        { type: "add", field: "service", value: "%{k8s.app}-%{k8s.ns}" },
        { type: "add", field: "env.name", value: "prod %{missing}" },
        { type: "add", field: "retries", value: 3 },
        { type: "add", field: "keep", value: "new", overwrite: false },
      ],
      ev("m", { fields: { k8s: { app: "cart", ns: "shop" }, keep: "old" } }),
    );
    expect(e.service).toBe("cart-shop");
    expect(e.attributes).toEqual({ k8s: { app: "cart", ns: "shop" }, keep: "old", env: { name: "prod %{missing}" }, retries: 3 });
  });
});

describe("mask and hash", () => {
  it("masks card numbers keeping the last four digits", () => {
    const e = ok([{ type: "mask", regex: "\\b(?:\\d{4}[- ]?){3}(\\d{4})\\b", replacement: "****-****-****-$1" }], ev("paid with 4111 1111 1111 1234 and 5500-0000-0000-0004"));
    expect(e.message).toBe("paid with ****-****-****-1234 and ****-****-****-0004");
  });

  it("masks with flags and default replacement; absent fields are left alone", () => {
    const e = ok([{ type: "mask", field: "user.email", regex: "[A-Z0-9._%+-]+@", flags: "i" }, { type: "mask", field: "nope", regex: "x" }], ev("m", { fields: { user: { email: "Bob.Smith@example.com" } } }));
    expect(e.attributes).toEqual({ user: { email: "****example.com" } });
  });

  it("hashes a field with SHA-256 (in place or into a target)", () => {
    const e = ok([{ type: "hash", field: "user.email" }, { type: "hash", field: "ip", target: "ip_hash" }], ev("m", { fields: { user: { email: "bob@example.com" }, ip: "10.0.0.1" } }));
    expect(e.attributes).toEqual({
      user: { email: "5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018" },
      ip: "10.0.0.1",
      ip_hash: "f5047344122f0dee9974ba6761e61c6b8649e1f3968d13a635ebbf7be53a3a0d",
    });
  });
});

describe("drop", () => {
  const event = ev("GET /healthz 200", { fields: { path: "/healthz", status: 200, tags: ["probe", "k8s"] } });
  const dropped = (step: PipelineStepInput) => run([step], event).kind === "dropped";

  it("equals, contains, matches, exists — and not", () => {
    expect(dropped({ type: "drop", field: "path", op: "equals", value: "/healthz" })).toBe(true);
    expect(dropped({ type: "drop", field: "status", op: "equals", value: 200 })).toBe(true);
    expect(dropped({ type: "drop", field: "status", op: "equals", value: "200" })).toBe(true);
    expect(dropped({ type: "drop", field: "status", op: "equals", value: 500 })).toBe(false);
    expect(dropped({ type: "drop", field: "message", op: "contains", value: "healthz" })).toBe(true);
    expect(dropped({ type: "drop", field: "tags", op: "contains", value: "probe" })).toBe(true);
    expect(dropped({ type: "drop", field: "message", op: "matches", value: "^GET /health" })).toBe(true);
    expect(dropped({ type: "drop", field: "message", op: "matches", value: "^get", flags: "i" })).toBe(true);
    expect(dropped({ type: "drop", field: "path", op: "exists" })).toBe(true);
    expect(dropped({ type: "drop", field: "nope", op: "exists" })).toBe(false);
    expect(dropped({ type: "drop", field: "nope", op: "exists", not: true })).toBe(true);
    expect(dropped({ type: "drop", field: "path", op: "equals", value: "/healthz", not: true })).toBe(false);
  });

  it("reports the step and the condition", () => {
    expect(run([{ type: "add", field: "a", value: 1 }, { type: "drop", field: "path", op: "equals", value: "/healthz" }], event)).toEqual({
      kind: "dropped", step: 1, reason: 'path equals "/healthz"',
    });
  });
});

describe("sample", () => {
  const messages = Array.from({ length: 2000 }, (_, i) => `request ${i} served`);
  const kept = (percent: number) => messages.filter((m) => run([{ type: "sample", percent }], ev(m)).kind === "event");

  it("keeps about the given share, deterministically per message", () => {
    const ten = kept(10);
    expect(ten.length).toBeGreaterThan(140);
    expect(ten.length).toBeLessThan(260);
    expect(kept(10)).toEqual(ten);
    expect(kept(0)).toEqual([]);
    expect(kept(100)).toHaveLength(2000);
    // a larger share keeps a superset
    expect(kept(50).filter((m) => ten.includes(m))).toEqual(ten);
  });

  it("reports the sampling as a drop reason", () => {
    const out = messages.map((m) => run([{ type: "sample", percent: 1 }], ev(m))).find((r) => r.kind === "dropped");
    expect(out).toEqual({ kind: "dropped", step: 0, reason: "sampled out (keeping 1%)" });
  });
});

describe("final mapping of well-known fields", () => {
  it("service, host, level, trace and span ids, and time from fields", () => {
    const e = ok([], ev("m", { fields: { service: { name: "api", version: "2" }, hostname: "h1", severity: "ERR", trace: { id: "T" }, span_id: "S", "@timestamp": "2024-01-02T03:04:05.678Z" } }));
    expect(e).toMatchObject({ service: "api", host: "h1", level: "error", traceId: "T", spanId: "S", ts: Date.UTC(2024, 0, 2, 3, 4, 5, 678) });
    expect(e.attributes).toEqual({ service: { version: "2" } });
  });

  it("epoch numbers in time fields by magnitude; unparseable values stay attributes", () => {
    expect(ok([], ev("m", { fields: { time: 1700000000 } })).ts).toBe(1700000000000);
    expect(ok([], ev("m", { fields: { time: 1700000000123 } })).ts).toBe(1700000000123);
    expect(ok([], ev("m", { fields: { timestamp: "10/Oct/2000" } }))).toMatchObject({ ts: OBSERVED, attributes: { timestamp: "10/Oct/2000" } });
  });

  it("ISO strings without an offset are UTC, whatever the process time zone", () => {
    expect(ok([], ev("m", { fields: { "@timestamp": "2024-01-02 03:04:05" } })).ts).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(ok([], ev("m", { fields: { timestamp: "2024-01-02T03:04:05+0200" } })).ts).toBe(Date.UTC(2024, 0, 2, 1, 4, 5));
  });

  it("dotted keys from decoders are addressable by the same path", () => {
    const steps: PipelineStepInput[] = [{ type: "drop", field: "http.status", op: "equals", value: 500 }];
    expect(run(steps, ev("m", { fields: { "http.status": 500 } })).kind).toBe("dropped");
    expect(run(steps, ev("m", { fields: { http: { status: 500 } } })).kind).toBe("dropped");
  });

  it("a decoder-supplied time wins over time fields", () => {
    expect(ok([], ev("m", { ts: 42, fields: { time: 1700000000 } }))).toMatchObject({ ts: 42, attributes: { time: 1700000000 } });
  });
});

describe("size guard", () => {
  it("an oversize field on input is a dead letter before any step", () => {
    const r = run([{ type: "json" }], ev("m", { fields: { body: "é".repeat(600) } }), { maxFieldBytes: 1000 });
    expect(r).toEqual({ kind: "dead-letter", step: -1, stepType: "input", error: "oversize field body: 1200 bytes > 1000" });
  });

  it("names a nested oversize field by its path (objects and arrays), and lets a large-but-fitting one pass", () => {
    const big = "é".repeat(600);
    const nested = run([], ev("m", { fields: { a: { ok: "x", list: ["small", { deep: big }] } } }), { maxFieldBytes: 1000 });
    expect(nested).toEqual({ kind: "dead-letter", step: -1, stepType: "input", error: "oversize field a.list[1].deep: 1200 bytes > 1000" });
    const fits = run([], ev("m", { fields: { a: { list: ["é".repeat(500)] } } }), { maxFieldBytes: 1000 });
    expect(fits.kind).toBe("event");
  });

  it("an oversize value produced by the steps is a dead letter on output", () => {
    const r = run([{ type: "add", field: "x", value: "%{message}%{message}" }], ev("a".repeat(600)), { maxFieldBytes: 1000 });
    expect(r).toEqual({ kind: "dead-letter", step: 1, stepType: "output", error: "oversize field x: 1200 bytes > 1000" });
  });
});

describe("compiling", () => {
  it("rejects bad definitions with the step number and a clear message", () => {
    const bad = (steps: unknown[]) => {
      try {
        compilePipeline(steps as PipelineStepInput[]);
      } catch (e) {
        expect(e).toBeInstanceOf(PipelineCompileError);
        return (e as PipelineCompileError).userMessage;
      }
      throw new Error("expected a compile error");
    };
    expect(bad([{ type: "add", field: "a", value: 1 }, { type: "mask", regex: "(unclosed" }])).toMatch(/^step 2 \(mask\): regex: invalid regex: /);
    expect(bad([{ type: "grok", patterns: ["%{NOT_A_PATTERN}"] }])).toBe("step 1 (grok): patterns.0: pattern %{NOT_A_PATTERN} not defined");
    expect(bad([{ type: "date", formats: ["yyyy-ww"] }])).toMatch(/^step 1 \(date\): formats\.0: unsupported letter "ww"/);
    expect(bad([{ type: "drop", field: "a", op: "matches", value: "[" }])).toMatch(/^step 1 \(drop\): value: invalid regex/);
    expect(bad([{ type: "teleport" }])).toMatch(/^step 1 \(teleport\): type: /);
    expect(bad(Array.from({ length: 51 }, () => ({ type: "logfmt" })))).toMatch(/^pipeline: /);
  });

  it("runPipeline compiles once per steps array", () => {
    const steps: PipelineStepInput[] = [{ type: "add", field: "a", value: 1 }];
    expect(runPipeline(steps, ev("m"), ctx)).toMatchObject({ kind: "event", event: { attributes: { a: 1 } } });
    steps.push({ type: "add", field: "b", value: 2 }); // same array: the compiled version is reused
    expect(runPipeline(steps, ev("m"), ctx)).toMatchObject({ kind: "event", event: { attributes: { a: 1 } } });
  });
});
