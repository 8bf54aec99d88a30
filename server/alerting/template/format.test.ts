import { describe, expect, it } from "vitest";
import { formatFloat, goQuote, goString, goTypeName, sprint, sprintf, sprintln } from "./format";
import { GoDuration, GoTime, KV, SafeHtml } from "./values";

describe("formatFloat (strconv.FormatFloat)", () => {
  it.each([
    // %v / shortest 'g': exponent form below 1e-4 and from 1e6 up (Go's precision-6 rule)
    [0, "g", -1, "0"],
    [1, "g", -1, "1"],
    [0.1234, "g", -1, "0.1234"],
    [123456, "g", -1, "123456"],
    [1234567, "g", -1, "1.234567e+06"],
    [1e6, "g", -1, "1e+06"],
    [100000000, "g", -1, "1e+08"],
    [0.0001, "g", -1, "0.0001"],
    [0.00001, "g", -1, "1e-05"],
    [1.5e-7, "g", -1, "1.5e-07"],
    [-2.5, "g", -1, "-2.5"],
    [1e100, "g", -1, "1e+100"],
    [0.1 + 0.2, "g", -1, "0.30000000000000004"],
    [34359738368, "g", -1, "3.4359738368e+10"],
    // %.4g: 4 significant digits, trailing zeros dropped, half to even on the exact value
    [1234.5678, "g", 4, "1235"],
    [12.34, "g", 4, "12.34"],
    [1.5, "g", 4, "1.5"],
    [100000, "g", 4, "1e+05"],
    [1000, "g", 4, "1000"],
    [12345, "g", 4, "1.234e+04"],
    [12355, "g", 4, "1.236e+04"],
    [0, "g", 4, "0"],
    [0.000123456, "g", 4, "0.0001235"],
    [2.675, "f", 2, "2.67"], // 2.675 is 2.67499999… in binary
    [0.125, "f", 2, "0.12"], // exactly half: to even
    [0.375, "f", 2, "0.38"],
    [3.14159, "f", 2, "3.14"],
    [-1.005, "f", 2, "-1.00"],
    [1e21, "f", 0, "1000000000000000000000"],
    [0.5, "f", 0, "0"],
    [1.5, "f", 0, "2"],
    [123.456, "e", 2, "1.23e+02"],
    [0, "e", 3, "0.000e+00"],
    [1234.5, "e", -1, "1.2345e+03"],
    [1234.5, "E", 1, "1.2E+03"],
  ] as const)("%s %s %d → %s", (v, fmt, prec, want) => {
    expect(formatFloat(v, fmt, prec)).toBe(want);
  });

  it("prints infinities and NaN as Go does", () => {
    expect(formatFloat(Infinity, "g", -1)).toBe("+Inf");
    expect(formatFloat(-Infinity, "f", 2)).toBe("-Inf");
    expect(formatFloat(NaN, "g", 4)).toBe("NaN");
  });

  it("handles subnormals and the largest double exactly", () => {
    expect(formatFloat(5e-324, "g", -1)).toBe("5e-324");
    expect(formatFloat(Number.MAX_VALUE, "g", -1)).toBe("1.7976931348623157e+308");
    expect(formatFloat(5e-324, "e", 3)).toBe("4.941e-324");
  });
});

describe("goString (%v of template values)", () => {
  it("prints Go's way", () => {
    expect(goString("x")).toBe("x");
    expect(goString(2.5)).toBe("2.5");
    expect(goString(7n)).toBe("7");
    expect(goString(true)).toBe("true");
    expect(goString(undefined)).toBe("<no value>");
    expect(goString(null)).toBe("<nil>");
    expect(goString(["a", 1n, 2.5])).toBe("[a 1 2.5]");
    expect(goString({ b: "2", a: 1n })).toBe("map[a:1 b:2]");
    expect(goString(new KV({ job: "api", alertname: "X" }))).toBe("map[alertname:X job:api]");
    expect(goString(new SafeHtml("<b>"))).toBe("<b>");
    expect(goString(new GoTime(Date.parse("2024-05-01T12:00:00.5Z")))).toBe("2024-05-01 12:00:00.5 +0000 UTC");
    expect(goString(new GoDuration(90_000_000_000n))).toBe("1m30s");
  });

  it("names types", () => {
    expect(goTypeName(1.5)).toBe("float64");
    expect(goTypeName(1n)).toBe("int");
    expect(goTypeName("s")).toBe("string");
    expect(goTypeName(["a"])).toBe("[]string");
    expect(goTypeName(new KV())).toBe("template.KV");
    expect(goTypeName({})).toBe("map[string]interface {}");
  });
});

describe("sprintf", () => {
  it.each([
    ["%s is %d", ["x", 3n], "x is 3"],
    ["%.2f", [3.14159], "3.14"],
    ["%5.1f|", [3.14159], "  3.1|"],
    ["%-5s|", ["ab"], "ab   |"],
    ["%05d", [42n], "00042"],
    ["%+d", [5n], "+5"],
    ["%x %X %o %b", [255n, 255n, 8n, 5n], "ff FF 10 101"],
    ["%#x", [255n], "0xff"],
    ["%x", ["hi"], "6869"],
    ["%q", ['a"b'], '"a\\"b"'],
    ["%v %v %v", [1.5, 2n, "s"], "1.5 2 s"],
    ["%t", [true], "true"],
    ["%c", [65n], "A"],
    ["%e", [1234.5678], "1.234568e+03"],
    ["%g", [1234567.0], "1.234567e+06"],
    ["%.3g", [1234567.0], "1.23e+06"],
    ["100%%", [], "100%"],
    ["%d", [3], "3"], // an integral float is accepted by %d (lenient)
    ["%d", [3.5], "%!d(float64=3.5)"],
    ["%s", [1.5], "%!s(float64=1.5)"],
    ["%d %d", [1n], "1 %!d(MISSING)"],
    ["%d", [1n, 2n], "1%!(EXTRA int=2)"],
    ["%*d", [4n, 7n], "   7"],
    ["%.1s", ["hello"], "h"],
    ["%6.2f%%", [12.3456], " 12.35%"],
    ["%s", [new GoTime(0)], "1970-01-01 00:00:00 +0000 UTC"],
  ] as const)("%s", (format, args, want) => {
    expect(sprintf(format, [...args])).toBe(want);
  });

  it("sprint and sprintln space operands as Go does", () => {
    expect(sprint(["a", "b"])).toBe("ab");
    expect(sprint([1n, 2n])).toBe("1 2");
    expect(sprint(["a", 1n, 2n, "b"])).toBe("a1 2b");
    expect(sprintln(["a", 1n])).toBe("a 1\n");
  });

  it("quotes as strconv.Quote", () => {
    expect(goQuote("a\nb\t\u0001é")).toBe('"a\\nb\\t\\x01é"');
  });
});
