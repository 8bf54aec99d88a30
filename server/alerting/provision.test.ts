import { describe, expect, it } from "vitest";
import { checkRuleGroups, globSegmentRegExp, matchesGlob } from "./provision";
import { RuleGroupSchema } from "./model";

describe("rule_files globs (Go's filepath.Match, as Prometheus)", () => {
  it.each([
    ["*.yml", "node.yml", true],
    ["*.yml", "node.yaml", false],
    ["*.yml", ".hidden.yml", true],
    ["node-?.yml", "node-1.yml", true],
    ["node-?.yml", "node-10.yml", false],
    ["[ab]*.yml", "a.yml", true],
    ["[ab]*.yml", "c.yml", false],
    ["[^ab]*.yml", "c.yml", true],
    ["[a-c].yml", "b.yml", true],
    ["\\*.yml", "*.yml", true],
    ["\\*.yml", "a.yml", false],
    ["rules.(v1).yml", "rules.(v1).yml", true],
  ])("%s matches %s: %s", (pattern, name, want) => {
    expect(globSegmentRegExp(pattern).test(name)).toBe(want);
  });

  it("matches whole paths segment by segment; * never crosses a /", () => {
    expect(matchesGlob("/etc/lookout/rules/*.yml", "/etc/lookout/rules/node.yml")).toBe(true);
    expect(matchesGlob("/etc/lookout/rules/*.yml", "/etc/lookout/rules/team/node.yml")).toBe(false);
    expect(matchesGlob("/etc/lookout/*/node.yml", "/etc/lookout/rules/node.yml")).toBe(true);
    expect(matchesGlob("/etc/lookout/rules/node.yml", "/etc/lookout/rules/node.yml")).toBe(true);
    expect(matchesGlob("/etc/lookout/rules/node.yml", "/etc/lookout/rules/http.yml")).toBe(false);
  });

  it("refuses an unclosed class", () => {
    expect(() => globSegmentRegExp("[ab.yml")).toThrow('unclosed [ in the pattern "[ab.yml"');
  });
});

describe("checkRuleGroups", () => {
  it("wants intervals of 1s to 24h", () => {
    const group = (interval: string) => RuleGroupSchema.parse({ name: "g", interval });
    expect(checkRuleGroups([{ group: group("1s"), index: 0 }, { group: group("24h"), index: 1 }])).toEqual([]);
    expect(checkRuleGroups([{ group: group("500ms"), index: 0 }, { group: group("1d1s"), index: 3 }])).toEqual([
      { index: 0, path: ["interval"], message: "a rule group is evaluated every 1s to 24h" },
      { index: 3, path: ["interval"], message: "a rule group is evaluated every 1s to 24h" },
    ]);
  });
});
