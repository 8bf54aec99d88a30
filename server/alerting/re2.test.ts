import { describe, expect, it } from "vitest";
import { compileAnchoredRe2, RegexSyntaxError, translateRe2 } from "./re2";

const matches = (pattern: string, s: string) => compileAnchoredRe2(pattern).test(s);

describe("compileAnchoredRe2: Go RE2 meaning on JS RegExp", () => {
  it.each<[string, string[], string[]]>([
    ["foo.bar", ["foo-bar"], ["foo\nbar", "foobar", "xfoo-bar"]],
    ["a.c", ["a\rc", "a\u2028c"], ["a\nc"]],
    ["(?s)foo.bar", ["foo\nbar"], []],
    ["(?i)abc", ["ABC", "aBc"], ["abd"]],
    ["a(?i)bc", ["aBC", "abc"], ["ABC"]],
    ["a(?i:b)c", ["aBc"], ["aBC"]],
    ["(?i)k", ["K", "k", "\u212a"], []],
    ["x(?i)k", ["xK", "x\u212a"], ["XK"]],
    ["(?i)[a-c]+", ["ABC", "abc"], ["d"]],
    ["x(?i:[a-c]+)", ["xABC"], ["XABC"]],
    ["(?i)\\pL+", ["Ünïcödé"], ["1"]],
    ["[[:alpha:]]+", ["abZ"], ["a1"]],
    ["[[:^alpha:]]+", ["12"], ["a"]],
    ["\\d+\\s\\w", ["12 a", "12\ta"], ["12\u00a0a", "١٢ a"]],
    ["[\\S]+", ["ab"], ["a b"]],
    ["[^\\d]", ["a", "\n"], ["5"]],
    ["a{2,3}", ["aa", "aaa"], ["a", "aaaa"]],
    ["a{2,}", ["aaaaa"], ["a"]],
    ["a{,3}", ["a{,3}"], ["aaa"]],
    ["a{", ["a{"], []],
    ["\\Qa.b*\\E", ["a.b*"], ["axb"]],
    ["\\x41\\x{1F642}\\101\\0", ["A🙂A\0"], []],
    ["\\pL+", ["héllo"], ["1"]],
    ["\\PL", ["1"], ["a"]],
    ["\\p{Greek}+", ["αβ"], ["a"]],
    ["\\p{^Greek}", ["a"], ["α"]],
    ["(?m)^a$\\nb", ["a\nb"], []],
    ["^a", ["a"], []],
    ["(?U)a+?b", ["aab"], []],
    ["(?P<x>a)|(?<y>b)", ["a", "b"], ["ab"]],
    ["[]a]", ["]", "a"], ["b"]],
    ["[^]a]", ["b", "\n"], ["]", "a"]],
    ["[a-]", ["a", "-"], ["b"]],
    ["\\-\\:\\#\\_\\ ", ["-:#_ "], []],
    ["^*a", ["a"], []],
    ["team-(B|C)", ["team-B", "team-C"], ["team-A", "team-BC"]],
    ["", [""], ["a"]],
    ["a|", ["a", ""], ["b"]],
    ["\\z", [""], []],
    ["\\Aab\\z", ["ab"], []],
    ["\\bfoo\\b", ["foo"], []],
  ])("%s", (pattern, yes, no) => {
    for (const s of yes) expect(matches(pattern, s), JSON.stringify(s)).toBe(true);
    for (const s of no) expect(matches(pattern, s), JSON.stringify(s)).toBe(false);
  });

  it("anchors the whole pattern, alternation included", () => {
    expect(matches("a|b", "a")).toBe(true);
    expect(matches("a|b", "ab")).toBe(false);
    expect(matches(".*bar", "foo-bar")).toBe(true);
    expect(matches("bar", "foo-bar")).toBe(false);
  });

  it("reads an unbalanced pattern as Go does inside ^(?:…)$", () => {
    // Go compiles "^(?:" + re + ")$", so `a)|(b` is valid there and matches "a…" or "…b".
    expect(matches("a)|(b", "a")).toBe(true);
    expect(matches("a)|(b", "xb")).toBe(true);
  });

  it("uses the JS i flag only when (?i) covers everything", () => {
    expect(translateRe2("(?i)abc").flags).toBe("iu");
    expect(translateRe2("a(?i)bc").flags).toBe("u");
    expect(translateRe2("123(?i)abc").flags).toBe("iu");
  });

  it.each<[string, RegExp]>([
    ["a**", /invalid nested repetition operator: `\*\*`/],
    ["a*+", /invalid nested repetition operator/],
    ["a{2}{3}", /invalid nested repetition operator/],
    ["*a", /missing argument to repetition operator/],
    ["(?=a)", /lookaround assertions are not supported/],
    ["(?<!a)", /lookaround assertions are not supported/],
    ["\\1", /backreferences are not supported/],
    ["(?P=x)", /backreferences and recursion/],
    ["\\C", /\\C, any byte, is not supported/],
    ["\\q", /invalid escape sequence: `\\q`/],
    ["[\\b]", /invalid escape sequence in character class/],
    ["[z-a]", /invalid character class range: `z-a`/],
    ["[[:foo:]]", /invalid character class range/],
    ["\\p{Foo}", /invalid character class range/],
    ["(a", /missing closing \)/],
    ["a)", /unexpected \)/],
    ["[a", /missing closing \]: `\[a\)\$`/],
    ["a{1001}", /invalid repeat count/],
    ["a{3,2}", /invalid repeat count/],
    ["(?P<1-x>a)", /invalid named capture/],
    ["(?P<x>a)(?P<x>b)", /duplicate capture group name/],
    ["(?x)a", /invalid or unsupported Perl syntax/],
    ["(?i-)a", /invalid or unsupported Perl syntax/],
    ["a(?i)\\pL", /only supported when \(\?i\) covers the whole pattern/],
    ["\\x{110000}", /invalid escape sequence/],
  ])("rejects %s with the reason", (pattern, reason) => {
    expect(() => compileAnchoredRe2(pattern)).toThrow(RegexSyntaxError);
    expect(() => compileAnchoredRe2(pattern)).toThrow(reason);
  });
});
