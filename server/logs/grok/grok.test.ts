import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applyCapturesLogstash } from "./captures";
import { parseFieldReference } from "./expand";
import { compileGrok, grokLibrary, GrokCompileError, GrokMatcher, type CompiledGrok } from "./grok";
import { builtinPatterns, loadPatternDirectory, parsePatternDefinitions, PatternDefinitionError } from "./patterns";

/** Captures of a match as a Logstash-shaped object (without the message). */
function parse(grok: CompiledGrok, text: string): Record<string, unknown> | null {
  const values = grok.exec(text);
  if (!values) return null;
  const event: Record<string, unknown> = {};
  applyCapturesLogstash(event, grok, values);
  return event;
}

describe("pattern definitions", () => {
  it("parses NAME regex lines, skipping comments and blanks; later definitions win", () => {
    const defs = parsePatternDefinitions("# comment\n\nA \\d+\n  B [a-z]+ x\nA \\w+\r\n");
    expect([...defs]).toEqual([
      ["A", "\\w+"],
      ["B", "[a-z]+ x"],
    ]);
  });

  it("rejects malformed lines in strict mode only", () => {
    expect(() => parsePatternDefinitions("JUSTANAME", { strict: true })).toThrow(PatternDefinitionError);
    expect(() => parsePatternDefinitions("BAD-NAME x", { strict: true })).toThrow(/line 1/);
    expect(parsePatternDefinitions("JUSTANAME").size).toBe(0);
  });

  it("loads the shipped legacy and ECS sets", () => {
    const dir = fileURLToPath(new URL("./patterns/legacy", import.meta.url));
    const legacy = loadPatternDirectory(dir);
    expect(legacy.get("COMBINEDAPACHELOG")).toBe("%{HTTPD_COMBINEDLOG}");
    expect(builtinPatterns("disabled").get("IPV4")).toBe(legacy.get("IPV4"));
    expect(builtinPatterns("v1").get("HTTPD_COMMONLOG")).toContain("[source][address]");
    expect(loadPatternDirectory(path.join(dir, "..", "ecs-v1")).size).toBeGreaterThan(300);
  });
});

describe("field references", () => {
  it("reads legacy, dotted and ECS bracket forms", () => {
    expect(parseFieldReference("clientip")).toEqual(["clientip"]);
    expect(parseFieldReference("http.status")).toEqual(["http", "status"]);
    expect(parseFieldReference("[http][response][status_code]")).toEqual(["http", "response", "status_code"]);
    expect(parseFieldReference("@timestamp")).toEqual(["@timestamp"]);
  });
});

describe("grok expansion and captures", () => {
  it("captures named references only, with int/float conversion", () => {
    const g = compileGrok("%{IP:client} %{WORD} %{INT:status:int} %{NUMBER:took:float} %{NUMBER:raw}", { ecsCompatibility: "disabled" });
    expect(g.captures.map((c) => c.name)).toEqual(["IP:client", "INT:status:int", "NUMBER:took:float", "NUMBER:raw"]);
    expect(parse(g, "10.1.2.3 GET 404 0.25 7")).toEqual({ client: "10.1.2.3", status: 404, took: 0.25, raw: "7" });
  });

  it("nests ECS field references", () => {
    const g = compileGrok("%{IP:[source][ip]}:%{INT:[source][port]:int}");
    expect(parse(g, "10.0.0.1:8080")).toEqual({ source: { ip: "10.0.0.1", port: 8080 } });
  });

  it("captures raw named groups, including ECS bracket names", () => {
    const g = compileGrok("(?<[user][name]>\\w+)@(?<domain>[a-z.]+)");
    expect(parse(g, "bob@example.org")).toEqual({ user: { name: "bob" }, domain: "example.org" });
  });

  it("expands recursive definitions and custom patterns (which override built-ins)", () => {
    const custom = "ORDERID ORD-%{INT}\nWORD [a-c]+\nLINE %{ORDERID:order} %{WORD:word}";
    const g = compileGrok("^%{LINE}$", { customPatterns: custom });
    expect(parse(g, "ORD-42 abc")).toEqual({ order: "ORD-42", word: "abc" });
    expect(g.exec("ORD-42 xyz")).toBeNull();
  });

  it("accepts inline definitions %{NAME:field=regex}", () => {
    const g = compileGrok("%{CODE:code=[A-Z]{3}}-%{CODE:again}");
    expect(parse(g, "ABC-XYZ")).toEqual({ code: "ABC", again: "XYZ" });
  });

  it("ignores text after the name in a reference, as Logstash does", () => {
    const g = compileGrok("%{INT - a comment}", { ecsCompatibility: "disabled" });
    expect(g.exec("12")).toEqual([]);
  });

  it("reports undefined and recursive patterns", () => {
    expect(() => compileGrok("%{NOPE_NOT_DEFINED}")).toThrow(/pattern %\{NOPE_NOT_DEFINED\} not defined/);
    expect(() => compileGrok("%{A}", { customPatterns: "A x%{B}\nB y%{A}" })).toThrow(/recursive \(A → B → A\)/);
    expect(() => compileGrok("%{A}", { customPatterns: "A (unclosed" })).toThrow(GrokCompileError);
    expect(() => grokLibrary({ customPatterns: "JUSTANAME" })).toThrow(/custom patterns: line 1/);
  });

  it("compiles Oniguruma syntax: atomic groups, possessive quantifiers, \\h, named groups", () => {
    expect(compileGrok("^(?>a+)b$").exec("aaab")).toEqual([]);
    expect(compileGrok("^a++a$").exec("aaa")).toBeNull();
    expect(parse(compileGrok("(?<hex>\\h+)"), "zz 0xBEEF")).toEqual({ hex: "0" });
    expect(parse(compileGrok("x(?<hex>\\h+)"), "0xBEEF")).toEqual({ hex: "BEEF" });
  });

  it("uses Ruby semantics: dot matches newlines, \\w and \\d are ASCII", () => {
    expect(parse(compileGrok("^%{GREEDYDATA:all}$"), "a\nb")).toEqual({ all: "a\nb" });
    expect(compileGrok("^\\w+$").exec("café")).toBeNull();
    expect(compileGrok("^\\d$").exec("٣")).toBeNull();
  });

  it("keeps captures from earlier iterations of a repeated group (Oniguruma semantics)", () => {
    const g = compileGrok("^(?: (?:a=%{WORD:a}|b=%{WORD:b}))*$");
    expect(parse(g, " a=1 b=2")).toEqual({ a: "1", b: "2" });
    expect(parse(g, " b=2 a=1 a=3")).toEqual({ a: "3", b: "2" });
  });

  it("skips empty captures and appends into existing fields (Logstash event semantics)", () => {
    const g = compileGrok("%{WORD:w}(?<opt>x?)");
    const event: Record<string, unknown> = { w: "old" };
    applyCapturesLogstash(event, g, g.exec("new")!);
    expect(event).toEqual({ w: ["old", "new"] });
  });

  it("caches compiled expressions per library", () => {
    expect(compileGrok("%{IP:x}")).toBe(compileGrok("%{IP:x}"));
    expect(compileGrok("%{IP:x}", { ecsCompatibility: "disabled" })).not.toBe(compileGrok("%{IP:x}"));
  });

  it("tries several patterns in order, first match wins", () => {
    const m = new GrokMatcher(["%{INT:n:int}$", "%{WORD:w}"]);
    expect(m.match("abc")?.patternIndex).toBe(1);
    expect(m.match("12")?.values).toEqual([12]);
    expect(m.match("  ")).toBeNull();
    expect(() => new GrokMatcher(["%{WORD}", "%{BOGUS}"])).toThrow(/pattern 2: pattern %\{BOGUS\} not defined/);
  });

  it("parses a combined Apache line with legacy and ECS names", () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08"';
    expect(parse(compileGrok("%{COMBINEDAPACHELOG}", { ecsCompatibility: "disabled" }), line)).toMatchObject({
      clientip: "127.0.0.1",
      auth: "frank",
      timestamp: "10/Oct/2000:13:55:36 -0700",
      verb: "GET",
      response: "200",
      referrer: '"http://www.example.com/start.html"',
    });
    expect(parse(compileGrok("%{COMBINEDAPACHELOG}"), line)).toMatchObject({
      source: { address: "127.0.0.1" },
      user: { name: "frank" },
      http: { request: { method: "GET" }, response: { status_code: 200, body: { bytes: 2326 } } },
      user_agent: { original: "Mozilla/4.08" },
    });
  });
});
