import { describe, expect, it } from "vitest";
import { EvalError } from "./errors";
import {
  FUNCTIONS,
  goJson,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
  parsePromDuration,
  queryEscape,
  stripDomain,
  stripPort,
  titleCase,
  toFloat,
  type FuncEnv,
} from "./functions";
import { goMatch, goRegExp, goReplaceAll } from "./regex";
import { GoDuration, GoTime, KV, SafeHtml } from "./values";

const env: FuncEnv = { now: () => Date.parse("2024-05-01T12:00:00Z"), externalURL: "https://lookout.example/sub", dialect: "alertmanager" };
const call = (name: string, ...args: unknown[]) => FUNCTIONS[name]!.fn(args, env);

describe("Prometheus humanizers", () => {
  it.each([
    [1234567, "1.235M"],
    [0, "0"],
    [1, "1"],
    [999, "999"],
    [1000, "1k"],
    [1500, "1.5k"],
    [123456789012, "123.5G"],
    [1e27, "1000Y"],
    [0.001234, "1.234m"],
    [0.5, "500m"],
    [1e-7, "100n"],
    [-2500, "-2.5k"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    ["2048", "2.048k"],
  ])("humanize %s → %s", (v, want) => expect(humanize(v)).toBe(want));

  it.each([
    [1024, "1ki"],
    [1536, "1.5ki"],
    [1048576, "1Mi"],
    [34359738368, "32Gi"],
    [1, "1"],
    [0.5, "0.5"],
    [1000, "1000"],
    [-2048, "-2ki"],
  ])("humanize1024 %s → %s", (v, want) => expect(humanize1024(v)).toBe(want));

  it.each([
    [3661, "1h 1m 1s"],
    [0, "0s"],
    [1.5, "1.5s"],
    [59.99, "59.99s"],
    [60, "1m 0s"],
    [86400 + 3600 * 2 + 3, "1d 2h 0m 3s"],
    [0.5, "500ms"],
    [0.000123, "123us"],
    [-90, "-1m 30s"],
    [NaN, "NaN"],
    [new GoDuration(1_500_000_000n), "1.5s"],
  ])("humanizeDuration %s → %s", (v, want) => expect(humanizeDuration(v)).toBe(want));

  it.each([
    [0.1234, "12.34%"],
    [1, "100%"],
    [0.5, "50%"],
    [0.000012345, "0.001234%"],
    [12.3456, "1235%"],
  ])("humanizePercentage %s → %s", (v, want) => expect(humanizePercentage(v)).toBe(want));

  it("humanizeTimestamp prints the UTC time", () => {
    expect(humanizeTimestamp(1714564800)).toBe("2024-05-01 12:00:00 +0000 UTC");
    // 1714564800.123 × 1e9 is 1714564800122999808 as a float64: Go truncates to .122 too.
    expect(humanizeTimestamp(1714564800.123)).toBe("2024-05-01 12:00:00.122 +0000 UTC");
    expect(humanizeTimestamp(1714564800.5)).toBe("2024-05-01 12:00:00.5 +0000 UTC");
    expect(humanizeTimestamp(NaN)).toBe("NaN");
    expect(() => humanizeTimestamp(1e300)).toThrow(/overflows int64/);
  });

  it("converts arguments as Prometheus does", () => {
    expect(toFloat("1e3")).toBe(1000);
    expect(toFloat(5n)).toBe(5);
    expect(toFloat("+Inf")).toBe(Infinity);
    expect(() => toFloat("abc")).toThrow('strconv.ParseFloat: parsing "abc": invalid syntax');
    expect(() => toFloat(true)).toThrow("can't convert bool to float");
  });
});

describe("string functions", () => {
  it("title: Prometheus keeps the rest, Alertmanager lower-cases it", () => {
    expect(titleCase("hello wORLD foo-bar o'neil", false)).toBe("Hello WORLD Foo-Bar O'neil");
    expect(titleCase("hello wORLD", true)).toBe("Hello World");
    expect(call("title", "hELLO")).toBe("Hello");
    expect(FUNCTIONS.title!.fn(["hELLO"], { ...env, dialect: "prometheus" })).toBe("HELLO");
  });

  it("toUpper, toLower, trimSpace, join, stringSlice", () => {
    expect(call("toUpper", "abc")).toBe("ABC");
    expect(call("toLower", "ABC")).toBe("abc");
    expect(call("trimSpace", "  x \n")).toBe("x");
    expect(call("join", ", ", ["a", "b"])).toBe("a, b");
    expect(call("stringSlice", "a", "b")).toEqual(["a", "b"]);
    expect(() => call("join", ", ", "notalist")).toThrow("join: expected []string; found string");
    expect(() => call("toUpper", 5n)).toThrow("toUpper: expected string; found int");
  });

  it("stripPort and stripDomain", () => {
    expect(stripPort("host.example.com:9100")).toBe("host.example.com");
    expect(stripPort("[::1]:80")).toBe("::1");
    expect(stripPort("host")).toBe("host");
    expect(stripDomain("node1.example.com:9100")).toBe("node1:9100");
    expect(stripDomain("node1.example.com")).toBe("node1");
    expect(stripDomain("10.0.0.1:9100")).toBe("10.0.0.1:9100");
  });

  it("html, js, urlquery, urlUnescape", () => {
    expect(call("html", `<a href="x">'&'</a>`)).toBe("&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(call("js", `it's <b>`)).toBe("it\\'s \\u003Cb\\u003E");
    expect(call("urlquery", "a b&c=d/é")).toBe("a+b%26c%3Dd%2F%C3%A9");
    expect(queryEscape("x*y")).toBe("x%2Ay");
    expect(call("urlUnescape", "a+b%26c")).toBe("a b&c");
  });

  it("safeHtml and safeUrl mark values", () => {
    expect(call("safeHtml", "<b>")).toBeInstanceOf(SafeHtml);
  });

  it("printf, print, println", () => {
    expect(call("printf", "%.1f%%", 12.345)).toBe("12.3%");
    expect(call("print", "a", 1n, 2n)).toBe("a1 2");
    expect(call("println", "a", 1n)).toBe("a 1\n");
  });
});

describe("regular expressions (Go RE2 syntax)", () => {
  it("match is unanchored", () => {
    expect(goMatch("^api", "api-server")).toBe(true);
    expect(goMatch("server", "api-server")).toBe(true);
    expect(goMatch("^server", "api-server")).toBe(false);
    expect(call("match", "(?i)^API", "api")).toBe(true);
  });

  it("reReplaceAll expands $1, ${1}, $name and treats $1x as a group name", () => {
    expect(goReplaceAll("(.*):.*", "$1", "host:9100")).toBe("host");
    expect(goReplaceAll("(?P<host>[^:]+):(?P<port>\\d+)", "${port}@$host", "a:80")).toBe("80@a");
    expect(goReplaceAll("(a)", "$1x", "a")).toBe("");
    expect(goReplaceAll("(a)", "${1}x", "a")).toBe("ax");
    expect(goReplaceAll("a", "$$", "banana")).toBe("b$n$n$");
    expect(call("reReplaceAll", "\\.example\\.com", "", "n1.example.com")).toBe("n1");
  });

  it("translates RE2-only syntax", () => {
    expect(goRegExp("[[:digit:]]+").test("abc123")).toBe(true);
    expect(goRegExp("\\Aab\\z").test("ab")).toBe(true);
    expect(goRegExp("\\Aab\\z").test("abc")).toBe(false);
    expect(goRegExp("\\Qa.b\\E").test("axb")).toBe(false);
    expect(goRegExp("\\Qa.b\\E").test("a.b")).toBe(true);
    expect(goRegExp("\\pL+").test("é")).toBe(true);
    expect(goRegExp("(?s)a.b").test("a\nb")).toBe(true);
  });

  it("reports bad patterns", () => {
    expect(() => goRegExp("(")).toThrow(EvalError);
    expect(() => goRegExp("(")).toThrow(/error parsing regexp/);
    expect(() => goRegExp("(?U)a+")).toThrow(/ungreedy/);
  });
});

describe("comparison and collection builtins", () => {
  it("eq compares to any of the rest; ints and floats by value", () => {
    expect(call("eq", "a", "b", "a")).toBe(true);
    expect(call("eq", 1n, 1.0)).toBe(true);
    expect(call("eq", null, null)).toBe(true);
    expect(call("ne", "a", "b")).toBe(true);
    expect(() => call("eq", "1", 1n)).toThrow("incompatible types for comparison");
    expect(() => call("eq", [1], [1])).toThrow("invalid type for comparison");
  });

  it("lt, le, gt, ge on numbers, strings and times", () => {
    expect(call("lt", 1n, 2n)).toBe(true);
    expect(call("lt", 0.5, 1n)).toBe(true);
    expect(call("le", 2n, 2n)).toBe(true);
    expect(call("gt", "b", "a")).toBe(true);
    expect(call("ge", 3.5, 3.5)).toBe(true);
    expect(call("gt", 80.5, 80n)).toBe(true);
    expect(call("lt", new GoTime(1), new GoTime(2))).toBe(true);
    expect(() => call("lt", true, false)).toThrow("invalid type for comparison");
  });

  it("len counts bytes of strings, items of lists and maps", () => {
    expect(call("len", "héllo")).toBe(6n);
    expect(call("len", [1, 2])).toBe(2n);
    expect(call("len", new KV({ a: "1" }))).toBe(1n);
    expect(() => call("len", 5n)).toThrow("len of type int");
  });

  it("index and slice", () => {
    expect(call("index", new KV({ a: "1" }), "a")).toBe("1");
    expect(call("index", new KV({ a: "1" }), "b")).toBe("");
    expect(call("index", ["x", "y"], 1n)).toBe("y");
    expect(call("index", [["a", "b"]], 0n, 1n)).toBe("b");
    expect(() => call("index", ["x"], 3n)).toThrow("index out of range: 3");
    expect(call("slice", "abcdef", 1n, 3n)).toBe("bc");
    expect(call("slice", [1, 2, 3], 1n)).toEqual([2, 3]);
  });

  it("args builds a map for template calls", () => {
    expect(call("args", "a", 1n)).toEqual({ arg0: "a", arg1: 1n });
  });
});

describe("time and link functions", () => {
  it("date, tz, since, toTime, parseDuration, toDuration, now", () => {
    const t = new GoTime(Date.parse("2024-05-01T10:30:00Z"));
    expect(call("date", "15:04 MST", t)).toBe("10:30 UTC");
    expect((call("tz", "Europe/Berlin", t) as GoTime).Format("15:04 -07:00")).toBe("12:30 +02:00");
    expect(() => call("tz", "Mars/Olympus", t)).toThrow("unknown time zone Mars/Olympus");
    expect((call("since", t) as GoDuration).String()).toBe("1h30m0s");
    expect((call("toTime", 1714559400) as GoTime).ms).toBe(t.ms);
    expect(call("parseDuration", "1h30m")).toBe(5400);
    expect(parsePromDuration("1d")).toBe(86400);
    expect(() => parsePromDuration("abc")).toThrow("not a valid duration string");
    expect((call("toDuration", 90) as GoDuration).String()).toBe("1m30s");
    expect(call("now")).toBe(1714564800);
  });

  it("externalURL, pathPrefix, graphLink, tableLink", () => {
    expect(call("externalURL")).toBe("https://lookout.example/sub");
    expect(call("pathPrefix")).toBe("/sub");
    expect(call("graphLink", 'up{job="a"}')).toBe("/explore/metrics?g0.expr=up%7Bjob%3D%22a%22%7D&g0.tab=graph");
    expect(call("tableLink", "up")).toBe("/explore/metrics?g0.expr=up&g0.tab=table");
  });

  it("toJson marshals as Go: sorted keys, HTML characters escaped", () => {
    expect(goJson(new KV({ b: "<x>", a: "1" }))).toBe('{"a":"1","b":"\\u003cx\\u003e"}');
    expect(call("toJson", ["a", 1n, 2.5, true])).toBe('["a",1,2.5,true]');
    expect(goJson(new GoTime(Date.parse("2024-05-01T10:30:00Z")))).toBe('"2024-05-01T10:30:00Z"');
    expect(() => goJson(NaN)).toThrow("json: unsupported value: NaN");
  });
});
