import { describe, expect, it } from "vitest";
import { AlertRuleSchema, type AlertRule } from "@/server/alerting/model";
import { emptyRuleForm, fieldOfRulePath, groupWithoutRule, groupWithPaused, groupWithRule, newGroupProblems, ruleFormFrom, ruleFromForm, ruleSaveErrors, type RuleForm } from "./rule-form";

const form = (over: Partial<RuleForm>): RuleForm => ({ ...emptyRuleForm(), ...over });

describe("rule form → rule", () => {
  it("builds a PromQL rule with a threshold, labels and annotations", () => {
    const r = ruleFromForm(
      form({
        title: "HighErrorRate",
        expr: "rate(errors_total[5m])",
        op: ">=",
        threshold: "0.05",
        for: "10m",
        keepFiringFor: "2m",
        labels: [
          { key: "severity", value: "page" },
          { key: "", value: "" },
          { key: "team", value: "" },
        ],
        summary: "{{ $labels.job }} errors",
        runbookUrl: " https://runbooks/x ",
        annotations: [{ key: "dashboard", value: "/d/abc" }],
      }),
    );
    expect(r.errors).toBeUndefined();
    expect(r.rule).toEqual({
      title: "HighErrorRate",
      query: { kind: "promql", expr: "rate(errors_total[5m])", condition: { op: ">=", threshold: 0.05 } },
      for: "10m",
      keepFiringFor: "2m",
      labels: { severity: "page" },
      annotations: { summary: "{{ $labels.job }} errors", runbook_url: "https://runbooks/x", dashboard: "/d/abc" },
      noDataState: "NoData",
      execErrState: "Error",
      paused: false,
    });
  });

  it("leaves the condition out when the expression is the condition, and ignores a bad threshold then", () => {
    const r = ruleFromForm(form({ title: "Up", expr: "up == 0", conditionMode: "expr", threshold: "x", for: "" }));
    expect(r.rule?.query).toEqual({ kind: "promql", expr: "up == 0" });
    expect(r.rule?.for).toBe("0s");
  });

  it("builds a log rule counted per field", () => {
    const r = ruleFromForm(form({ title: "Errors", kind: "logs", logQuery: "level:error", window: "10m", groupBy: "service", op: ">", threshold: "100" }));
    expect(r.rule?.query).toEqual({ kind: "logs", query: "level:error", window: "10m", groupBy: "service", condition: { op: ">", threshold: 100 } });
  });

  it("reports problems by field", () => {
    const r = ruleFromForm(form({ title: " ", expr: "", threshold: "abc", for: "5 minutes", labels: [{ key: "1bad", value: "x" }], annotations: [{ key: "summary", value: "dup" }] }));
    expect(r.errors).toEqual({
      title: "a name is required",
      expr: "an expression is required",
      threshold: "a number, e.g. 0.05",
      for: "a duration such as 30s, 5m, 1h30m",
      labels: 'label "1bad": letters, digits and _, not starting with a digit',
      annotations: 'annotation "summary" has a field of its own above',
    });
    expect(ruleFromForm(form({ title: "x", expr: "up", labels: [{ key: "a", value: "1" }, { key: "a", value: "2" }] })).errors).toEqual({ labels: 'label "a" is given twice' });
    expect(ruleFromForm(form({ title: "x", kind: "logs", window: "" })).errors).toEqual({ window: expect.any(String) });
  });
});

describe("templates", () => {
  it("accepts Prometheus's template functions and reports syntax errors by field", () => {
    expect(ruleFromForm(form({ title: "t", expr: "up", summary: "{{ $labels.instance }} at {{ $value | humanizePercentage }}" })).errors).toBeUndefined();
    expect(ruleFromForm(form({ title: "t", expr: "up", summary: "{{ $labels.instance", description: "{{ nosuch }}", labels: [{ key: "team", value: "{{ $foo }}" }], annotations: [{ key: "x", value: "{{ end }}" }] })).errors).toEqual({
      summary: expect.stringMatching(/summary:1:1: unclosed action/),
      description: expect.stringMatching(/function "nosuch" not defined/),
      labels: expect.stringMatching(/undefined variable "\$foo"/),
      annotations: expect.stringMatching(/^template: x:/),
    });
  });
});

describe("rule → form → rule", () => {
  it("round-trips stored rules", () => {
    const rules: AlertRule[] = [
      AlertRuleSchema.parse({ uid: "a1", title: "A", query: { kind: "promql", expr: "up == 0" }, for: "1m", labels: { severity: "page" }, annotations: { summary: "s", custom: "c" }, noDataState: "OK", execErrState: "KeepLast", paused: true }),
      AlertRuleSchema.parse({ uid: "b2", title: "B", query: { kind: "promql", expr: "x", condition: { op: "<", threshold: -1.5 } } }),
      AlertRuleSchema.parse({ uid: "c3", title: "C", query: { kind: "logs", query: "timeout", window: "15m", condition: { op: ">=", threshold: 3 } }, keepFiringFor: "5m" }),
    ];
    for (const r of rules) expect(ruleFromForm(ruleFormFrom(r)).rule).toEqual(r);
    expect(ruleFormFrom(rules[0]!)).toMatchObject({ conditionMode: "expr", summary: "s", annotations: [{ key: "custom", value: "c" }] });
  });
});

describe("issue paths → fields", () => {
  it("maps rule paths", () => {
    expect(fieldOfRulePath(["query", "expr"])).toBe("expr");
    expect(fieldOfRulePath(["query", "condition", "threshold"])).toBe("threshold");
    expect(fieldOfRulePath(["query", "window"])).toBe("window");
    expect(fieldOfRulePath(["annotations", "runbook_url"])).toBe("runbookUrl");
    expect(fieldOfRulePath(["annotations", "x"])).toBe("annotations");
    expect(fieldOfRulePath(["labels", "1x"])).toBe("labels");
    expect(fieldOfRulePath(["uid"])).toBeNull();
  });

  it("maps the server's save issues of the edited rule and the group head; others stay general", () => {
    const out = ruleSaveErrors(
      [
        { path: ["group", "rules", "2", "title"], message: "a name is required" },
        { path: ["group", "rules", "0", "title"], message: "other rule" },
        { path: ["group", "interval"], message: "bad interval" },
        { path: ["group", "name"], message: "bad name" },
      ],
      2,
    );
    expect(out).toEqual({ fields: { title: "a name is required", groupInterval: "bad interval", groupName: "bad name" }, other: ["group.rules.0.title: other rule"] });
    expect(ruleSaveErrors(null, 0)).toEqual({ fields: {}, other: [] });
  });

  it("checks a new group", () => {
    expect(newGroupProblems("", "1 minute")).toEqual({ groupName: "a group name is required", groupInterval: "a duration such as 30s, 1m, 5m" });
    expect(newGroupProblems("g", "30s")).toEqual({});
  });
});

describe("a rule's group", () => {
  const rule = (uid: string, title = uid) => AlertRuleSchema.parse({ uid, title, query: { kind: "promql", expr: "up" } });
  const group = { name: "g", folderUid: null, interval: "1m", rules: [rule("a"), rule("b")] };

  it("replaces the rule of the same uid in place, appends a new one", () => {
    const edited = groupWithRule(group, rule("b", "B2"));
    expect(edited.ruleIndex).toBe(1);
    expect(edited.group.rules.map((r) => r.title)).toEqual(["a", "B2"]);
    const added = groupWithRule(group, { ...rule("x"), uid: undefined });
    expect(added.ruleIndex).toBe(2);
    expect(added.group.rules).toHaveLength(3);
    expect(group.rules).toHaveLength(2);
  });

  it("removes, pauses and resumes by uid", () => {
    expect(groupWithoutRule(group, "a").rules.map((r) => r.uid)).toEqual(["b"]);
    expect(groupWithPaused(group, "b", true).rules.map((r) => r.paused)).toEqual([false, true]);
  });
});
