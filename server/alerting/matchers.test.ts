import { describe, expect, it } from "vitest";
import {
  compareMatchers,
  labelsMatch,
  Matcher,
  MatcherError,
  MatcherParseError,
  matcherFromSilenceMatcher,
  matcherToSilenceMatcher,
  matchesEmpty,
  newMatcher,
  parseMatcher,
  parseMatchers,
  safeParseMatchers,
  sortMatchers,
  stringifyMatcher,
  stringifyMatchers,
  unquoteGo,
} from "./matchers";

const plain = (ms: Matcher[]) => ms.map((m) => m.toJSON());

describe("Matcher", () => {
  it("matches equality and regexes anchored, as Alertmanager", () => {
    expect(newMatcher("=", "a", "x").matches("x")).toBe(true);
    expect(newMatcher("!=", "a", "x").matches("x")).toBe(false);
    expect(newMatcher("=~", "a", "x|y").matches("y")).toBe(true);
    expect(newMatcher("=~", "a", "x").matches("xx")).toBe(false);
    expect(newMatcher("!~", "a", "x.*").matches("xyz")).toBe(false);
  });

  it("treats a missing label as the empty string", () => {
    expect(labelsMatch([newMatcher("=", "team", "")], {})).toBe(true);
    expect(labelsMatch([newMatcher("!~", "team", ".+")], { other: "x" })).toBe(true);
    expect(labelsMatch([newMatcher("=~", "team", ".+")], {})).toBe(false);
    expect(labelsMatch([newMatcher("!=", "team", "db")], {})).toBe(true);
    expect(labelsMatch([], { a: "b" })).toBe(true);
  });

  it("rejects a bad regex and an unknown type when built", () => {
    expect(() => newMatcher("=~", "a", "(")).toThrow(MatcherError);
    expect(() => newMatcher("=~", "a", "(")).toThrow(/error parsing regexp: missing closing \)/);
    expect(() => newMatcher("==" as never, "a", "b")).toThrow(/unknown match type/);
    expect(newMatcher("=", "a", "(").value).toBe("(");
  });

  it("serialises as a plain object", () => {
    expect(JSON.parse(JSON.stringify(newMatcher("=~", "a", "b+")))).toEqual({ type: "=~", name: "a", value: "b+" });
  });

  it("knows whether it matches the empty string", () => {
    expect(matchesEmpty(newMatcher("=~", "a", ".*"))).toBe(true);
    expect(matchesEmpty(newMatcher("=", "a", "x"))).toBe(false);
    expect(matchesEmpty(newMatcher("!=", "a", "x"))).toBe(true);
  });
});

describe("parseMatchers", () => {
  it("parses the UTF-8 syntax: braces optional, quoted or not, trailing comma", () => {
    const want = [
      { type: "=", name: "a", value: "b" },
      { type: "=~", name: "c", value: "d|e" },
    ];
    for (const s of ['{a="b", c=~"d|e"}', 'a="b",c=~"d|e"', "{a=b,c=~d|e,}", ' { a = "b" , c =~ "d|e" } ']) expect(plain(parseMatchers(s))).toEqual(want);
    expect(plain(parseMatchers('{"service.name"="checkout", "🙂"!~"x"}', { mode: "utf8" }))).toEqual([
      { type: "=", name: "service.name", value: "checkout" },
      { type: "!~", name: "🙂", value: "x" },
    ]);
  });

  it("is empty for empty input and {}", () => {
    expect(parseMatchers("")).toEqual([]);
    expect(parseMatchers("{}")).toEqual([]);
    expect(parseMatchers("  ")).toEqual([]);
  });

  it("falls back to the classic parser for what only it accepts (default mode)", () => {
    expect(plain(parseMatchers("tricky=~~~"))).toEqual([{ type: "=~", name: "tricky", value: "~~" }]);
    expect(plain(parseMatchers("job="))).toEqual([{ type: "=", name: "job", value: "" }]);
    expect(plain(parseMatchers("{foo=bar}}"))).toEqual([{ type: "=", name: "foo", value: "bar}" }]);
    expect(() => parseMatchers("tricky=~~~", { mode: "utf8" })).toThrow(MatcherParseError);
  });

  it("reports the UTF-8 parser's error when both parsers reject the input", () => {
    expect(() => parseMatchers('job="value')).toThrow('4:10: "value: missing end "');
    expect(() => parseMatchers('{foo=~"("}')).toThrow(/error parsing regexp/);
  });

  it("differs between the parsers where Alertmanager's do", () => {
    // The classic parser keeps unknown escapes and reads `\n` unquoted; the UTF-8 parser needs quotes for escapes.
    expect(plain(parseMatchers("{foo=bar\\n}", { mode: "classic" }))).toEqual([{ type: "=", name: "foo", value: "bar\n" }]);
    expect(() => parseMatchers("{foo=bar\\n}", { mode: "utf8" })).toThrow("8:9: \\: invalid input: expected a comma or close brace");
    // Names with dashes: UTF-8 only.
    expect(plain(parseMatchers("{name-with-dashes=x}", { mode: "utf8" }))).toEqual([{ type: "=", name: "name-with-dashes", value: "x" }]);
    expect(() => parseMatchers("{name-with-dashes=x}", { mode: "classic" })).toThrow(/bad matcher format/);
  });

  it("gives byte positions in UTF-8 errors", () => {
    expect(() => parseMatchers("{🙂=x,,}", { mode: "utf8" })).toThrow("8:9: unexpected ,: expected label name");
  });

  it("parseMatcher wants exactly one", () => {
    expect(parseMatcher("a=b").toJSON()).toEqual({ type: "=", name: "a", value: "b" });
    expect(() => parseMatcher("")).toThrow("no matchers");
    expect(() => parseMatcher("a=b,c=d")).toThrow("expected 1 matcher, found 2");
  });

  it("safeParseMatchers returns the error instead of throwing", () => {
    expect(safeParseMatchers('a=~"("')).toEqual({ ok: false, error: expect.stringContaining("missing closing )") });
    expect(safeParseMatchers("a=b")).toMatchObject({ ok: true });
  });
});

describe("unquoteGo", () => {
  it("unquotes like strconv.Unquote and checks UTF-8", () => {
    expect(unquoteGo('"a\\tb"')).toBe("a\tb");
    expect(unquoteGo('"\\xf0\\x9f\\x99\\x82"')).toBe("🙂");
    expect(unquoteGo('"\\u00e9\\U0001F642\\101"')).toBe("é🙂A");
    expect(unquoteGo('"\\xf0\\x9f"')).toBeNull();
    expect(unquoteGo('"\\d"')).toBeNull();
    expect(unquoteGo('"\\\'"')).toBeNull();
    expect(unquoteGo('"a\nb"')).toBeNull();
    expect(unquoteGo('"\\ud800"')).toBeNull();
  });
});

describe("printing", () => {
  it("prints as Alertmanager and parses back", () => {
    const cases: [Matcher, string][] = [
      [newMatcher("=", "a", "b"), 'a="b"'],
      [newMatcher("=~", "a", 'x"y\\z\n'), 'a=~"x\\"y\\\\z\\n"'],
      [newMatcher("!=", "service name", "é"), '"service name"!="é"'],
      [newMatcher("!~", "a,b", "\u00a0"), '"a,b"!~"\\u00a0"'],
    ];
    for (const [m, text] of cases) {
      expect(stringifyMatcher(m)).toBe(text);
      expect(parseMatcher(text).toJSON()).toEqual(m.toJSON());
    }
    expect(stringifyMatchers([newMatcher("=", "a", "1"), newMatcher("!=", "b", "2")])).toBe('{a="1",b!="2"}');
  });

  it("sorts by name, value, then type", () => {
    const ms = [newMatcher("!=", "b", "1"), newMatcher("=", "b", "1"), newMatcher("=", "a", "9"), newMatcher("=", "b", "0")];
    expect(sortMatchers(ms).map(stringifyMatcher)).toEqual(['a="9"', 'b="0"', 'b="1"', 'b!="1"']);
    expect(compareMatchers(ms[0], ms[0])).toBe(0);
  });
});

describe("silence matchers", () => {
  it("converts both ways", () => {
    const cases = [
      [{ name: "a", value: "b", isRegex: false, isEqual: true }, "="],
      [{ name: "a", value: "b", isRegex: false, isEqual: false }, "!="],
      [{ name: "a", value: "b", isRegex: true, isEqual: true }, "=~"],
      [{ name: "a", value: "b", isRegex: true, isEqual: false }, "!~"],
    ] as const;
    for (const [sm, type] of cases) {
      const m = matcherFromSilenceMatcher(sm);
      expect(m.type).toBe(type);
      expect(matcherToSilenceMatcher(m)).toEqual(sm);
    }
    expect(matcherFromSilenceMatcher({ name: "a", value: "b", isRegex: false }).type).toBe("=");
  });
});
