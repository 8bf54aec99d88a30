import { describe, expect, it } from "vitest";
import { compileAnchored, expandTemplate } from "./regex";

const matches = (source: string, value: string) => compileAnchored(source).re.test(value);

describe("compileAnchored", () => {
  it.each([
    ["foo", "foo", true],
    ["foo", "xfoox", false], // fully anchored
    ["o", "foo", false],
    ["a|b", "a", true],
    ["a|b", "ab", false], // ^(?:a|b)$, not ^a|b$
    ["(?P<host>[^:]+):(?P<port>\\d+)", "example.com:9100", true],
    ["(?i)abc", "AbC", true],
    ["(?s)a.b", "a\nb", true],
    ["a.b", "a\nb", false],
    ["a.b", "a\rb", true], // Go's `.` only excludes \n
    ["a\\-b\\:c\\#", "a-b:c#", true],
    ["[a\\-z]+", "a-z", true],
    ["[[:digit:]]+", "0123", true],
    ["[[:alpha:]_]+", "ab_C", true],
    ["[[:digit:]]+", "12a", false],
    ["\\Qa.b*\\E", "a.b*", true],
    ["\\Qa.b*\\E", "axbb", false],
    ["\\pL+", "héllo", true],
    ["\\p{Greek}+", "αβγ", true],
    ["a\\sb", "a\tb", true],
    ["a\\sb", "a\u00a0b", false], // Go's \s is ASCII
    ["[]a]+", "]a]", true],
    ["\\Afoo\\z", "foo", true],
    ["", "", true],
    ["", "x", false],
    ["(.*)", "", true],
  ])("%s on %j → %s", (source, value, expected) => {
    expect(matches(source, value)).toBe(expected);
  });

  it.each([
    ["foo(", /Unterminated group|Incomplete|missing/i],
    ["[a-", /missing closing \]/],
    ["a**", /Nothing to repeat/],
    ["(a)\\1", /backreferences are not supported/],
    ["(?=a)a", /lookaround assertions are not supported/],
    ["(?<!a)b", /lookaround assertions are not supported/],
    ["a(?i)b", /inline flags are only supported at the start/],
    ["(?U)a+", /unsupported flag "U"/],
    ["[[:nope:]]", /invalid character class range/],
    ["\\_", /Invalid escape/],
  ])("rejects %s", (source, message) => {
    expect(() => compileAnchored(source)).toThrow(message);
  });

  it("keeps the original source for display", () => {
    expect(compileAnchored("(?P<a>x)").source).toBe("(?P<a>x)");
  });
});

describe("expandTemplate (Go Regexp.Expand)", () => {
  const m = compileAnchored("(?P<first>f)(o+)(x)?").re.exec("foo") as RegExpExecArray;

  it.each([
    ["$1", "f"],
    ["${1}", "f"],
    ["$2-$1", "oo-f"],
    ["${2}x", "oox"],
    ["$2x", ""], // `$2x` names group "2x": unknown → ""
    ["$first", "f"],
    ["${first}_${2}", "f_oo"],
    ["$first_suffix", ""], // name runs to the last word character
    ["$3", ""], // unmatched optional group
    ["$9", ""], // beyond the group count
    ["$$1", "$1"],
    ["a$", "a$"],
    ["$-", "$-"],
    ["${1", "${1"], // unterminated brace: `$` literal
    ["${}", "${}"],
    ["no vars", "no vars"],
    ["$0", "foo"],
  ])("%s → %j", (template, expected) => {
    expect(expandTemplate(template, m)).toBe(expected);
  });
});
