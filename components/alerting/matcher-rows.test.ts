import { describe, expect, it } from "vitest";
import { matcherStringProblem, matchesEverything, parseMatcherText, rowProblem, rowsFromLabels, rowsToText, rowToSilenceMatcher, rowToString, silenceMatcherToRow, type MatcherRow } from "./matcher-rows";

describe("matcher rows", () => {
  it("convert to and from the silence matcher shape for every operator", () => {
    const rows: MatcherRow[] = [
      { name: "a", op: "=", value: "x" },
      { name: "b", op: "!=", value: "y" },
      { name: "c", op: "=~", value: "p.*" },
      { name: "d", op: "!~", value: "q|r" },
    ];
    const sm = rows.map(rowToSilenceMatcher);
    expect(sm).toEqual([
      { name: "a", value: "x", isRegex: false, isEqual: true },
      { name: "b", value: "y", isRegex: false, isEqual: false },
      { name: "c", value: "p.*", isRegex: true, isEqual: true },
      { name: "d", value: "q|r", isRegex: true, isEqual: false },
    ]);
    expect(sm.map(silenceMatcherToRow)).toEqual(rows);
    expect(silenceMatcherToRow({ name: "a", value: "x", isRegex: true, isEqual: true })).toEqual({ name: "a", op: "=~", value: "x" });
  });

  it("print and parse Alertmanager's text", () => {
    expect(rowToString({ name: "msg", op: "=", value: 'say "hi"' })).toBe('msg="say \\"hi\\""');
    const rows: MatcherRow[] = [
      { name: "severity", op: "=", value: "critical" },
      { name: "team", op: "=~", value: "a|b" },
      { name: "", op: "=", value: "ignored" },
    ];
    expect(rowsToText(rows)).toBe('{severity="critical", team=~"a|b"}');
    expect(parseMatcherText(rowsToText(rows))).toEqual({ ok: true, rows: rows.slice(0, 2) });
    expect(parseMatcherText('job!="x",env!~dev.*')).toEqual({ ok: true, rows: [{ name: "job", op: "!=", value: "x" }, { name: "env", op: "!~", value: "dev.*" }] });
    expect(parseMatcherText("  ")).toEqual({ ok: true, rows: [] });
    expect(parseMatcherText("a b")).toMatchObject({ ok: false, error: expect.stringMatching(/expected an operator/) });
  });

  it("start a silence from an alert's labels, alertname first", () => {
    expect(rowsFromLabels({ severity: "page", alertname: "Down", instance: "h:1" })).toEqual([
      { name: "alertname", op: "=", value: "Down" },
      { name: "instance", op: "=", value: "h:1" },
      { name: "severity", op: "=", value: "page" },
    ]);
  });

  it("find problems: names, regexes, matchers that match everything", () => {
    expect(rowProblem({ name: "", op: "=", value: "x" })).toMatch(/required/);
    expect(rowProblem({ name: "1a", op: "=", value: "x" })).toMatch(/letters/);
    expect(rowProblem({ name: "a", op: "=~", value: "(" })).toMatch(/regexp/);
    expect(rowProblem({ name: "a", op: "=~", value: "x+" })).toBeNull();
    expect(matchesEverything([{ name: "a", op: "=~", value: ".*" }])).toBe(true);
    expect(matchesEverything([{ name: "a", op: "=~", value: ".*" }, { name: "b", op: "=", value: "x" }])).toBe(false);
    expect(matchesEverything([{ name: "a", op: "!=", value: "x" }])).toBe(true);
  });

  it("check one policy matcher string", () => {
    expect(matcherStringProblem('severity="critical"')).toBeNull();
    expect(matcherStringProblem("team=~a|b")).toBeNull();
    expect(matcherStringProblem("")).toMatch(/enter a matcher/);
    expect(matcherStringProblem('a="b", c="d"')).toBe("one matcher per line");
    expect(matcherStringProblem('a=~"("')).toMatch(/regexp/);
  });
});
