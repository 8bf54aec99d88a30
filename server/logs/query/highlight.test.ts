import { describe, expect, it } from "vitest";
import type { HighlightSpec } from "@/server/logs/search/contract";
import { highlightRanges } from "./highlight";

const tok = (value: string, field: string | null = null): HighlightSpec => ({ field, kind: "token", value });
const phrase = (value: string, field: string | null = null): HighlightSpec => ({ field, kind: "phrase", value });
const glob = (value: string, field: string | null = null): HighlightSpec => ({ field, kind: "wildcard", value });
const marks = (text: string, r: Array<[number, number]>) => r.map(([s, e]) => text.slice(s, e));

describe("highlightRanges", () => {
  it.each<[string, string | null, HighlightSpec[], string[]]>([
    ["Timeout talking to payment-api (timeout)", null, [tok("timeout")], ["Timeout", "timeout"]],
    ["timeouts are not a timeout", null, [tok("timeout")], ["timeout"]],
    ["Card declined: card DECLINED", null, [phrase("card declined")], ["Card declined", "card DECLINED"]],
    ["a a a b", null, [phrase("a a b")], ["a a b"]],
    ["upstream timeout, retrying in 3s", null, [glob("time*"), glob("retr?ing")], ["timeout", "retrying"]],
    ["x 100% done", null, [tok("100%")], ["100"]],
    ["x 100% done", null, [tok("%")], ["%"]],
    ["→ 日本語 ログ", null, [tok("日本語")], ["日本語"]],
    ["Überweisung", null, [tok("überweisung")], ["Überweisung"]],
    ["timeout", "message", [tok("timeout", "message")], ["timeout"]],
    ["timeout", null, [tok("timeout", "service")], []],
    ["payment-api", "service", [glob("pay*", "service")], ["payment-api"]],
    ["payment-api", "service", [tok("payment-api", "service")], ["payment-api"]],
    ["payment-api", "service", [tok("payment")], ["payment"]],
    ["payment-api", "host", [tok("payment-api", "service")], []],
    ["ab abc", null, [tok("ab"), glob("ab*")], ["ab", "abc"]],
    ["abc", null, [phrase("abc"), tok("abc"), glob("a*")], ["abc"]],
    ["foo bar", null, [phrase("foo"), phrase("bar")], ["foo", "bar"]],
    ["😀 smile", null, [tok("smile")], ["smile"]],
  ])("%s (%s)", (text, field, specs, expected) => {
    expect(marks(text, highlightRanges(text, field, specs))).toEqual(expected);
  });

  it("merges overlapping and adjacent ranges, sorted", () => {
    expect(highlightRanges("foo bar baz", null, [tok("baz"), phrase("foo bar"), tok("bar")])).toEqual([
      [0, 7],
      [8, 11],
    ]);
    expect(highlightRanges("ab", null, [glob("a*"), tok("ab")])).toEqual([[0, 2]]);
  });

  it("returns UTF-16 offsets", () => {
    expect(highlightRanges("😀 x", null, [tok("x")])).toEqual([[3, 4]]);
  });
});
