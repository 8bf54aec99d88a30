import { describe, expect, it } from "vitest";
import { formatLabelString, LabelParseError, parseLabelString } from "./prom-labels";

describe("parseLabelString", () => {
  it.each([
    ["Promtail", '{filename="/var/log/syslog", job="varlogs"}', { filename: "/var/log/syslog", job: "varlogs" }],
    ["no spaces", '{job="x",level="info"}', { job: "x", level: "info" }],
    ["lots of spaces", '  {  job = "x" ,  level="info"  }  ', { job: "x", level: "info" }],
    ["trailing comma", '{job="x",}', { job: "x" }],
    ["empty set", "{}", {}],
    ["empty value", '{job=""}', { job: "" }],
    ["escaped quote and backslash", String.raw`{path="C:\\logs\\app.log", msg="say \"hi\""}`, { path: "C:\\logs\\app.log", msg: 'say "hi"' }],
    ["newline and tab escapes", String.raw`{v="a\nb\tc"}`, { v: "a\nb\tc" }],
    ["\\x bytes form UTF-8", String.raw`{v="caf\xc3\xa9"}`, { v: "café" }],
    ["octal bytes", String.raw`{v="\101\102"}`, { v: "AB" }],
    ["\\u and \\U escapes", String.raw`{v="\u00e9\U0001F600"}`, { v: "é😀" }],
    ["raw UTF-8 in values", '{city="Zürich", emoji="🚀"}', { city: "Zürich", emoji: "🚀" }],
    ["single quotes", "{job='x'}", { job: "x" }],
    ["backquoted raw string", "{re=`\\d+\"`}", { re: '\\d+"' }],
    ["quoted (UTF-8) label name", '{"service.name"="checkout"}', { "service.name": "checkout" }],
    ["commas and braces inside values", '{v="a,b}c{"}', { v: "a,b}c{" }],
    ["underscore names", '{__name__="up", _x9="1"}', { __name__: "up", _x9: "1" }],
  ])("reads %s", (_name, input, expected) => {
    expect(parseLabelString(input)).toEqual(expected);
  });

  it.each([
    ["empty input", ""],
    ["no braces", 'job="x"'],
    ["unterminated set", '{job="x"'],
    ["unterminated string", '{job="x}'],
    ["missing =", '{job "x"}'],
    ["!= matcher", '{job!="x"}'],
    ["unquoted value", "{job=x}"],
    ["name starting with a digit", '{1job="x"}'],
    ["missing comma", '{a="1" b="2"}'],
    ["double comma", '{a="1",,b="2"}'],
    ["text after }", '{a="1"} junk'],
    ["duplicate name", '{a="1", a="2"}'],
    ["unknown escape", String.raw`{a="\q"}`],
    ["short \\x", String.raw`{a="\x4"}`],
    ["surrogate \\u", String.raw`{a="\ud800"}`],
    ["empty quoted name", '{""="x"}'],
  ])("rejects %s", (_name, input) => {
    expect(() => parseLabelString(input)).toThrow(LabelParseError);
  });

  it("says where it failed", () => {
    expect(() => parseLabelString('{job="x" level="y"}')).toThrow('expected "," or "}" at position 9, found "l"');
  });

  it("keeps __proto__ as a label", () => {
    const labels = parseLabelString('{__proto__="x"}');
    expect(Object.keys(labels)).toEqual(["__proto__"]);
    expect(labels.__proto__).toBe("x");
  });

  it("round-trips through formatLabelString", () => {
    const labels = { job: "x", msg: 'a "quoted"\nline', "service.name": "api" };
    expect(parseLabelString(formatLabelString(labels))).toEqual(labels);
  });
});
