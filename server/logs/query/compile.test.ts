import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { thrownBy } from "@/test/thrown";
import { encodeBlock } from "@/server/logs/store/block";
import { fieldValueKey, fnv1a32 } from "@/server/logs/store/tokens";
import { QueryError } from "./ast";
import { compileQuery, getField, type CompileContext } from "./compile";
import { FIXTURE, fixtureFields } from "./events.fixture";
import { parseQuery } from "./parse";

const SOURCES = new Map([
  ["nginx", "00000000-0000-4000-8000-000000000001"],
  ["app", "00000000-0000-4000-8000-000000000002"],
  ["syslog", "00000000-0000-4000-8000-000000000003"],
]);
const ctx: CompileContext = { fields: fixtureFields(), sourceIdsByName: SOURCES };
const compile = (q: string) => compileQuery(parseQuery(q), ctx);
const ids = (q: string) => FIXTURE.filter(compile(q).matches).map((e) => e.id);
const dialect = new PgDialect();
const render = (q: string) => {
  const c = compile(q).blockCondition;
  return c ? dialect.sqlToQuery(c) : null;
};

describe("compileQuery: matches on the fixture", () => {
  it.each<[string, string[]]>([
    ["", FIXTURE.map((e) => e.id)],
    ["timeout", ["pay-timeout", "checkout-timeout"]],
    ["TIMEOUT", ["pay-timeout", "checkout-timeout"]],
    ["time*", ["pay-timeout", "checkout-timeout"]],
    ["ti?eout", ["pay-timeout", "checkout-timeout"]],
    ['"card declined"', ["pay-declined"]],
    ['"declined card"', []],
    ["payment-api", ["checkout-timeout"]], // the phrase "payment api" in a message (service values are keywords)
    ["insufficient_funds", ["pay-declined"]], // a token of a string attribute (array element)
    ["shop", ["checkout-timeout"]],
    ["too", []], // attribute value deeper than the index reaches
    ["überweisung", ["app-unicode"]],
    ["日本語", ["app-unicode"]],
    ["100%", ["sys-cron"]],
    ["'); drop table x; --", []],
    ["%", ["sys-cron"]],
    ["message:timeout", ["pay-timeout", "checkout-timeout"]],
    ["message:bank", []],
    ["bank", ["pay-timeout"]],
    ['message:"order 8812"', ["pay-declined"]],
    ["level:error", ["nginx-502", "nginx-503", "pay-declined", "checkout-timeout"]],
    ["level:ERR*", ["nginx-502", "nginx-503", "pay-declined", "checkout-timeout"]],
    ["level:warning", ["nginx-404", "pay-timeout"]],
    ["level>=error", ["nginx-502", "nginx-503", "pay-declined", "checkout-timeout", "sys-kernel"]],
    ["NOT _exists_:level", ["app-nolevel"]],
    ["service:payment-api", ["pay-declined", "pay-ok", "pay-timeout"]],
    ["service:PAYMENT-API", ["pay-declined", "pay-ok", "pay-timeout"]],
    ["service:pay*", ["pay-declined", "pay-ok", "pay-timeout"]],
    ["service:payment", []],
    ["service:cron", ["sys-cron"]],
    ['service:"payment-api"', ["pay-declined", "pay-ok", "pay-timeout"]],
    ["service:(checkout OR sshd)", ["checkout-timeout", "checkout-debug", "app-nolevel", "sys-sshd", "app-deep"]],
    ["host:edge-2", ["nginx-502", "nginx-503"]],
    ["source:syslog", ["sys-sshd", "sys-kernel", "sys-cron"]],
    ["source:sys*", ["sys-sshd", "sys-kernel", "sys-cron"]],
    ["source:nginx level:error", ["nginx-502", "nginx-503"]],
    ["trace_id:4bf92f3577b34da6a3ce929d0e0e4736", ["pay-declined"]],
    ["span_id:00f067aa0ba902b7", ["pay-declined"]],
    ["_exists_:trace_id", ["pay-declined", "pay-ok"]],
    ["trace_id:*", ["pay-declined", "pay-ok"]],
    ["http.status:503", ["nginx-503"]], // a flat dotted key holding a string
    ["http.status:502", ["nginx-502"]], // a nested number
    ["attributes.http.status:404", ["nginx-404"]],
    ["http.status>=500", ["nginx-502", "nginx-503"]],
    ["http.status:[400 TO 502]", ["nginx-404", "nginx-502"]],
    ["http.status:{404 TO 503}", ["nginx-502"]],
    ["http.status:[500 TO *]", ["nginx-502", "nginx-503"]],
    ["http.status<300", ["nginx-200"]],
    ["http.method:post", ["nginx-502", "nginx-503"]],
    ["http.path:\\/api\\/orders", ["nginx-200"]],
    ["http.path:/api/*", ["nginx-200", "nginx-502"]],
    ['http.path:"api checkout"', ["nginx-502"]],
    ["duration_ms:30000", ["pay-timeout"]],
    ["duration_ms>=5000", ["pay-timeout", "checkout-timeout"]], // a number and a numeric string
    ["order.total:[20 TO 100]", ["pay-ok"]],
    ["order.total:129.5", ["pay-declined"]],
    ["order.currency:eur", ["pay-declined"]],
    ["user.vip:true", ["pay-declined"]],
    ["user.vip:false", ["pay-ok"]],
    ["user.id:U-77", ["pay-declined"]],
    ["error.reasons:risk", ["pay-declined"]],
    ["tags:checkout", ["pay-ok"]],
    ["items.sku:B-2", ["app-deep"]],
    ["items.qty>1", ["app-deep"]],
    ["a.b.c.d:shallow", ["app-deep"]],
    ["k8s.pod:checkout-7d9f", ["checkout-timeout"]],
    ["k8s.namespace:shop", ["checkout-timeout"]],
    ["_exists_:k8s", ["checkout-timeout"]],
    ["_exists_:error.kind", ["pay-declined"]],
    ["cart.total:59.90", ["checkout-debug"]],
    ["note:*done*", ["sys-cron"]],
    ['note:"C:\\\\temp"', ["sys-cron"]],
    ["timeout AND level:error", ["checkout-timeout"]],
    ["timeout -level:error", ["pay-timeout"]],
    ["timeout OR oom OR memory", ["pay-timeout", "checkout-timeout", "sys-kernel"]],
    ["(timeout OR memory) NOT source:app", ["sys-kernel"]],
    ["NOT source:app NOT source:nginx", ["sys-sshd", "sys-kernel", "sys-cron"]],
    ["level:(error OR fatal) host:db-1", ["sys-kernel"]],
  ])("%s", (q, expected) => {
    expect(ids(q)).toEqual(expected);
  });
});

describe("compileQuery: errors", () => {
  it.each<[string, string, [number, number]]>([
    ["sevrice:web", "unknown field 'sevrice' (did you mean 'service'?)", [0, 7]],
    ["http.stats:500", "unknown field 'http.stats' (did you mean 'http.status'?)", [0, 10]],
    ["zzzzzz:1", "unknown field 'zzzzzz'", [0, 6]],
    ["a OR levle:error", "unknown field 'levle' (did you mean 'level'?)", [5, 10]],
    ["source:nope", "unknown source 'nope'", [0, 11]],
    ["level:loud", "unknown level 'loud' (levels: trace, debug, info, warn, error, fatal)", [0, 10]],
    ["http.bytes:[x TO y]", "http.bytes is a number field; 'x' is not a number", [0, 19]],
    ["user.vip>1", "user.vip is a boolean field; ranges need numbers or text", [0, 10]],
    ["http.status:[600 TO 500]", "the range's lower bound 600 is above its upper bound 500", [0, 24]],
    ["message>5", "ranges do not apply to message; use words or phrases", [0, 9]],
    ["@timestamp>5", "'@timestamp' is set by the time range, not by the query", [0, 10]],
  ])("%s → %s", (q, message, [start, end]) => {
    const e = thrownBy(() => compile(q), QueryError);
    expect(e.message).toBe(message);
    expect(e.span).toEqual({ start, end });
  });
  it("knows the catalogue's fields (status in this catalogue is http.status)", () => {
    const withStatus = { ...ctx, fields: new Map([...ctx.fields, ["status", { path: "status", types: ["number" as const] }]]) };
    expect(thrownBy(() => compileQuery(parseQuery("status:[abc TO 5]"), withStatus), QueryError).message).toBe("status is a number field; 'abc' is not a number");
  });
});

describe("compileQuery: block conditions", () => {
  it.each<[string, string | null, unknown[]]>([
    ["", null, []],
    ["timeout", '"log_blocks"."tokens" @> $1::int4[]', [[fnv1a32("timeout")]]],
    ['"card declined"', '"log_blocks"."tokens" @> $1::int4[]', [[fnv1a32("card"), fnv1a32("declined")].sort((a, b) => a - b)]],
    ["time*", null, []],
    ["NOT timeout", null, []],
    ["service:payment-api", '"log_blocks"."tokens" @> $1::int4[]', [[fieldValueKey("service", "payment-api")]]],
    ["span_id:00f067aa0ba902b7", null, []],
    ["http.status:502", '"log_blocks"."tokens" @> $1::int4[]', [[fieldValueKey("http.status", "502")]]],
    ["level:error", '"log_blocks"."tokens" && $1::int4[]', [[fieldValueKey("level", "error")]]],
    ["NOT _exists_:level", '("log_blocks"."level_counts"[7] > 0)', []],
    ["source:app", '"log_blocks"."source_id" = any($1::uuid[])', [[SOURCES.get("app")]]],
    ["NOT source:app", 'not ("log_blocks"."source_id" = any($1::uuid[]))', [[SOURCES.get("app")]]],
    ["timeout OR memory", '("log_blocks"."tokens" @> $1::int4[] or "log_blocks"."tokens" @> $2::int4[])', [[fnv1a32("timeout")], [fnv1a32("memory")]]],
    ["timeout OR time*", null, []],
    ["timeout NOT memory", '"log_blocks"."tokens" @> $1::int4[]', [[fnv1a32("timeout")]]],
    [
      "timeout service:checkout",
      '"log_blocks"."tokens" @> $1::int4[]',
      [[fnv1a32("timeout"), fieldValueKey("service", "checkout")].sort((a, b) => a - b)],
    ],
    ["http.status>500", null, []],
  ])("%s", (q, text, params) => {
    const r = render(q);
    expect(r?.sql ?? null).toBe(text);
    expect(r?.params ?? []).toEqual(params);
  });

  it("never puts user text into SQL text", () => {
    for (const q of ["'); drop table x; --", 'msg:"a\'b"', "source:app\\'s", "x%_y", "user.id:\"'; select 1; --\"", "日本語 ' \\\\"]) {
      let r: ReturnType<typeof render>;
      try {
        r = render(q);
      } catch (e) {
        expect(e).toBeInstanceOf(QueryError);
        continue;
      }
      if (!r) continue;
      expect(r.sql).not.toMatch(/drop|select|'|%|日本/i);
      for (const p of r.params) expect(Array.isArray(p) && p.every((x) => typeof x === "number" || /^[0-9a-f-]{36}$/.test(String(x)))).toBe(true);
    }
  });

  it("selects every block that holds a match (necessary condition, checked against encoded blocks)", () => {
    // Each fixture event alone in a block; the condition evaluated on the block's tokens/levels/source.
    const blocks = FIXTURE.map((e) => ({ e, b: encodeBlock([e]) }));
    const evalCond = (q: string, b: ReturnType<typeof encodeBlock>, sourceId: string) => {
      const r = render(q);
      if (!r) return true;
      // A tiny evaluator for the shapes the compiler emits.
      const tokens = new Set(b.tokens);
      const counts = [...["trace", "debug", "info", "warn", "error", "fatal", "none"].map((l) => b.levelCounts[l as keyof typeof b.levelCounts])];
      const js = r.sql
        .replace(/"log_blocks"\."tokens" @> \$(\d+)::int4\[\]/g, (_, i) => `P[${i - 1}].every((h) => T.has(h))`)
        .replace(/"log_blocks"\."tokens" && \$(\d+)::int4\[\]/g, (_, i) => `P[${i - 1}].some((h) => T.has(h))`)
        .replace(/"log_blocks"\."source_id" = any\(\$(\d+)::uuid\[\]\)/g, (_, i) => `P[${i - 1}].includes(S)`)
        .replace(/"log_blocks"\."level_counts"\[(\d)\]/g, (_, i) => `C[${i - 1}]`)
        .replace(/ or /g, " || ")
        .replace(/ and /g, " && ")
        .replace(/not \(/g, "!(");
      return new Function("T", "P", "S", "C", `return ${js};`)(tokens, r.params, sourceId, counts) as boolean;
    };
    const queries = ["timeout", '"card declined"', "payment-api", "insufficient_funds", "shop", "überweisung", "level:error", "NOT _exists_:level", "http.status:503", "http.status:502", "user.vip:true", "error.reasons:risk", "items.sku:B-2", "k8s.pod:checkout-7d9f", 'http.path:"api checkout"', "timeout OR memory", "source:nginx level:error", "NOT source:app", "order.total:129.5", "trace_id:4bf92f3577b34da6a3ce929d0e0e4736"];
    for (const q of queries) {
      const c = compile(q);
      let selected = 0;
      for (const { e, b } of blocks) {
        const sel = evalCond(q, b, SOURCES.get(e.source)!);
        if (c.matches(e)) expect(sel, `${q} must select ${e.id}`).toBe(true);
        if (sel) selected++;
      }
      expect(selected, q).toBeLessThan(blocks.length); // and it prunes
    }
  });
});

describe("compileQuery: blockExact, needs, highlight", () => {
  it.each<[string, string[] | null]>([
    ["", ["trace", "debug", "info", "warn", "error", "fatal", "none"]],
    ["*", ["trace", "debug", "info", "warn", "error", "fatal", "none"]],
    ["level:error", ["error"]],
    ["level:(error OR fatal)", ["error", "fatal"]],
    ["NOT level:info", ["trace", "debug", "warn", "error", "fatal", "none"]],
    ["level>=warn", ["warn", "error", "fatal"]],
    ["source:app", ["trace", "debug", "info", "warn", "error", "fatal", "none"]],
    ["source:app level:error", ["error"]],
    ["NOT source:app AND (level:error OR level:warn)", ["warn", "error"]],
    ["level:error NOT level:error", []],
    ["source:app OR level:error", null],
    ["timeout", null],
    ["level:error timeout", null],
    ["NOT (source:app level:error)", null],
  ])("%s", (q, levels) => {
    const ex = compile(q).blockExact;
    expect(ex ? [...ex.levels].sort() : null).toEqual(levels ? [...levels].sort() : null);
  });

  it("blockExact agrees with matches", () => {
    for (const q of ["level:error", "source:app level:(error OR warn)", "NOT level:info", "source:sys* NOT level:trace"]) {
      const c = compile(q);
      const lv = c.blockExact!.levels;
      const srcOnly = compileQuery(parseQuery(q.replace(/(NOT )?level:(\([^)]*\)|\S+)/g, "").trim() || "*"), ctx);
      for (const e of FIXTURE) if (srcOnly.matches(e)) expect(c.matches(e), `${q} ${e.id}`).toBe(lv.has(e.level ?? "none"));
    }
  });

  it("reports what the predicate reads", () => {
    expect(compile("level:error source:app").needs).toEqual({ message: false, attributes: false, ids: false });
    expect(compile("message:timeout").needs).toEqual({ message: true, attributes: false, ids: false });
    expect(compile("timeout").needs).toEqual({ message: true, attributes: { ifText: ["timeout"] }, ids: false });
    expect(compile('"card declined" OR time*').needs.attributes).toEqual({ ifText: ["declined", "time"] });
    expect(compile("http.status:500 trace_id:*").needs).toEqual({ message: false, attributes: { paths: ["http.status"] }, ids: true });
    expect(compile("http.status>=500 AND NOT _exists_:user.email").needs.attributes).toEqual({ paths: ["http.status", "user.email"] });
    // Paths and free text together, words without a usable literal, and non-ASCII words read everything.
    expect(compile("http.status:500 timeout").needs.attributes).toBe(true);
    expect(compile("*a*").needs.attributes).toBe(true);
    expect(compile("grüße").needs.attributes).toBe(true);
  });

  it("lists positive terms, phrases and wildcards", () => {
    expect(compile('timeout "card declined" time* service:pay* NOT memory http.status:500 foo-bar').highlight).toEqual([
      { field: null, kind: "token", value: "timeout" },
      { field: null, kind: "phrase", value: "card declined" },
      { field: null, kind: "wildcard", value: "time*" },
      { field: "service", kind: "wildcard", value: "pay*" },
      { field: "http.status", kind: "token", value: "500" },
      { field: null, kind: "phrase", value: "foo-bar" },
    ]);
    expect(compile("NOT (a OR NOT b)").highlight).toEqual([{ field: null, kind: "token", value: "b" }]);
  });
});

describe("getField", () => {
  const e = FIXTURE.find((x) => x.id === "pay-declined")!;
  it("reads built-ins and attribute paths (flat dotted keys and nested objects)", () => {
    expect(getField(e, "service")).toBe("payment-api");
    expect(getField(e, "trace_id")).toBe(e.traceId);
    expect(getField(e, "order.id")).toBe(8812);
    expect(getField(e, "attributes.user.email")).toBe("ana@example.com");
    expect(getField(e, "error.reasons")).toEqual(["insufficient_funds", "risk"]);
    expect(getField(e, "order.nope")).toBeUndefined();
    expect(getField(FIXTURE.find((x) => x.id === "nginx-503")!, "http.status")).toBe("503");
    expect(getField({ ...e, attributes: { a: { "b.c": 1 } } }, "a.b.c")).toBe(1);
  });
});
