import { describe, expect, it } from "vitest";
import { compileInhibitRules, InhibitRuleError, Inhibitor, isInhibited, validateInhibitRules } from "./inhibit";
import type { InhibitRule } from "./model";

const criticalInhibitsWarning: InhibitRule = {
  source_matchers: ['severity="critical"'],
  target_matchers: ['severity="warning"'],
  equal: ["alertname", "cluster"],
};

const alert = (labels: Record<string, string>, resolved = false) => ({ labels, resolved });

describe("isInhibited", () => {
  const critical = alert({ alertname: "HighLatency", cluster: "eu", severity: "critical" });

  it("mutes a target while a matching source fires with the same equal labels", () => {
    const hit = isInhibited({ alertname: "HighLatency", cluster: "eu", severity: "warning" }, [critical], [criticalInhibitsWarning]);
    expect(hit?.source).toBe(critical);
    expect(hit?.rule.index).toBe(0);
  });

  it("does not mute when an equal label differs, or when the source is resolved", () => {
    expect(isInhibited({ alertname: "HighLatency", cluster: "us", severity: "warning" }, [critical], [criticalInhibitsWarning])).toBeNull();
    expect(isInhibited({ alertname: "HighLatency", cluster: "eu", severity: "warning" }, [{ ...critical, resolved: true }], [criticalInhibitsWarning])).toBeNull();
    expect(isInhibited({ alertname: "Other", cluster: "eu", severity: "warning" }, [critical], [criticalInhibitsWarning])).toBeNull();
  });

  it("treats an equal label missing on both sides as equal", () => {
    const source = alert({ alertname: "X", severity: "critical" });
    expect(isInhibited({ alertname: "X", severity: "warning" }, [source], [criticalInhibitsWarning])).not.toBeNull();
    expect(isInhibited({ alertname: "X", severity: "warning", cluster: "eu" }, [source], [criticalInhibitsWarning])).toBeNull();
  });

  it("never lets an alert inhibit itself, nor two alerts matching both sides each other", () => {
    const rule: InhibitRule = { source_matchers: ['team="db"'], target_matchers: ['team="db"'], equal: [] };
    const a = alert({ alertname: "A", team: "db" });
    const b = alert({ alertname: "B", team: "db" });
    expect(isInhibited(a.labels, [a], [rule])).toBeNull();
    expect(isInhibited(a.labels, [a, b], [rule])).toBeNull();
    // A source matching only the source side still inhibits an alert matching both.
    const wide: InhibitRule = { source_matchers: ['severity="critical"'], target_matchers: ['team="db"'] };
    const source = alert({ alertname: "S", severity: "critical" });
    expect(isInhibited({ alertname: "T", team: "db", severity: "critical" }, [source], [wide])?.source).toBe(source);
  });

  it("reads the deprecated source_match / target_match_re maps", () => {
    const rule: InhibitRule = { source_match: { severity: "critical" }, target_match_re: { severity: "warn.*|info" }, equal: ["alertname"] };
    expect(isInhibited({ alertname: "HighLatency", severity: "warning" }, [critical], [rule])).not.toBeNull();
    expect(isInhibited({ alertname: "HighLatency", severity: "info" }, [critical], [rule])).not.toBeNull();
    expect(isInhibited({ alertname: "HighLatency", severity: "swarning" }, [critical], [rule])).toBeNull();
  });

  it("reports the first rule that applies", () => {
    const rules = compileInhibitRules([{ source_matchers: ["never=1"], target_matchers: ["severity=warning"] }, criticalInhibitsWarning]);
    const inhibitor = new Inhibitor(rules, [critical]);
    expect(inhibitor.inhibitedBy({ alertname: "HighLatency", cluster: "eu", severity: "warning" })?.rule.index).toBe(1);
    expect(inhibitor.inhibitedBy({ alertname: "HighLatency", cluster: "eu", severity: "critical" })).toBeNull();
  });
});

describe("rule validation", () => {
  it("lists bad matchers, regexes and label names with paths", () => {
    const rules: InhibitRule[] = [
      { source_matchers: ["a!b"], target_match_re: { x: "(" }, equal: ["ok", "not ok"] },
      { source_match: { "bad-name": "v" } },
    ];
    expect(validateInhibitRules(rules).map((p) => p.path)).toEqual([
      "inhibit_rules[0].source_matchers[0]",
      "inhibit_rules[0].target_match_re.x",
      "inhibit_rules[0].equal[1]",
      "inhibit_rules[1].source_match.bad-name",
    ]);
    expect(() => compileInhibitRules(rules)).toThrow(InhibitRuleError);
    expect(validateInhibitRules([criticalInhibitsWarning])).toEqual([]);
  });
});
