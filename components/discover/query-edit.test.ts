import { describe, expect, it } from "vitest";
import { addClause, filterClause, needsQuotes, quoteValue } from "./query-edit";

describe("quoting values", () => {
  it.each([
    ["payment-api", "payment-api"],
    ["500", "500"],
    ["web_1.example", "web_1.example"],
    ["card declined", '"card declined"'],
    ["a:b", '"a:b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["C:\\temp", '"C:\\\\temp"'],
    ["pay*", '"pay*"'],
    ["AND", '"AND"'],
    ["or", '"or"'],
    ["", '""'],
    ["-1", '"-1"'],
    ["(x)", '"(x)"'],
    ["naïve", "naïve"],
  ])("%s → %s", (value, expected) => {
    expect(quoteValue(value)).toBe(expected);
    expect(needsQuotes(value)).toBe(value !== expected);
  });

  it("builds filter clauses", () => {
    expect(filterClause("service", "payment-api")).toBe("service:payment-api");
    expect(filterClause("msg", "card declined", true)).toBe('NOT msg:"card declined"');
  });
});

describe("adding a clause", () => {
  it("ANDs onto the query, or starts it", () => {
    expect(addClause("", "level:error")).toBe("level:error");
    expect(addClause("  ", "level:error")).toBe("level:error");
    expect(addClause("timeout", "level:error")).toBe("timeout AND level:error");
  });

  it("wraps a query with OR in parentheses", () => {
    expect(addClause("a OR b", "level:error")).toBe("(a OR b) AND level:error");
    expect(addClause('"x OR y"', "level:error")).toBe('"x OR y" AND level:error');
  });

  it("does not add a clause twice, and replaces its opposite", () => {
    expect(addClause("a AND level:error", "level:error")).toBe("a AND level:error");
    expect(addClause("a AND level:error", "NOT level:error")).toBe("a AND NOT level:error");
    expect(addClause("NOT level:error AND a", "level:error")).toBe("level:error AND a");
  });
});
