import { describe, expect, it } from "vitest";
import { AlertRuleSchema } from "./model";
import { formatGoExp, ruleQueryText } from "./prom-api";

describe("formatGoExp (Go's FormatFloat 'e', -1)", () => {
  it("prints the shortest mantissa with a signed two-digit exponent", () => {
    expect(formatGoExp(0)).toBe("0e+00");
    expect(formatGoExp(1)).toBe("1e+00");
    expect(formatGoExp(0.5)).toBe("5e-01");
    expect(formatGoExp(123.456)).toBe("1.23456e+02");
    expect(formatGoExp(-0.0025)).toBe("-2.5e-03");
    expect(formatGoExp(1e300)).toBe("1e+300");
    expect(formatGoExp(Number.NaN)).toBe("NaN");
    expect(formatGoExp(Infinity)).toBe("+Inf");
    expect(formatGoExp(-Infinity)).toBe("-Inf");
  });
});

describe("ruleQueryText", () => {
  const rule = (query: unknown) => AlertRuleSchema.parse({ title: "R", query });
  it("prints a PromQL rule as its condition", () => {
    expect(ruleQueryText(rule({ kind: "promql", expr: "rate(errors_total[5m]) > 0.01" }))).toBe("rate(errors_total[5m]) > 0.01");
    expect(ruleQueryText(rule({ kind: "promql", expr: "rate(errors_total[5m])", condition: { op: ">", threshold: 0.01 } }))).toBe("rate(errors_total[5m]) > 0.01");
    expect(ruleQueryText(rule({ kind: "promql", expr: "a / b", condition: { op: "<", threshold: 0.1 } }))).toBe("(a / b) < 0.1");
  });
  it("prints a log rule as a count over its window", () => {
    expect(ruleQueryText(rule({ kind: "logs", query: "level:error", window: "10m", groupBy: "service", condition: { op: ">=", threshold: 5 } }))).toBe('count by (service)(logs("level:error")[10m]) >= 5');
  });
});
