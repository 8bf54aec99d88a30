import { describe, expect, it } from "vitest";
import { alertRows, filterHistory, filterRows } from "./alert-rows";

const inst = (ruleUid: string, fingerprint: string, state: "firing" | "pending" | "normal", since: number) => ({
  ruleUid,
  ruleTitle: `Rule ${ruleUid}`,
  fingerprint,
  labels: { alertname: `Rule ${ruleUid}`, fp: fingerprint },
  annotations: {},
  state,
  stateSince: since,
  value: 1,
  error: null,
});
const status = (silencedBy: string[] = [], inhibitedBy: string[] = []) => ({ state: silencedBy.length || inhibitedBy.length ? "suppressed" : "active", silencedBy, inhibitedBy, mutedBy: [] });

describe("alert rows", () => {
  const alerts: Parameters<typeof alertRows>[1] = [
    { fingerprint: "f1", labels: {}, annotations: {}, startsAt: new Date(5).toISOString(), generatorURL: "", receivers: [{ name: "ops" }], status: status(["s1"]), source: { kind: "rule" as const, ruleUid: "r1" } },
    { fingerprint: "x1", labels: { alertname: "Ext" }, annotations: { summary: "s" }, startsAt: new Date(50).toISOString(), generatorURL: "http://prom/graph", receivers: [{ name: "ops" }], status: status([], ["f1"]), source: { kind: "external" as const } },
  ];

  it("merges instance status and external alerts, worst first then newest", () => {
    const rows = alertRows([inst("r1", "f1", "firing", 5), inst("r2", "f2", "pending", 30), inst("r1", "f3", "firing", 20)], alerts);
    expect(rows.map((r) => [r.key, r.state, r.silencedBy, r.inhibitedBy, r.receivers])).toEqual([
      ["external/x1", "firing", [], ["f1"], ["ops"]],
      ["rule/r1/f3", "firing", [], [], []],
      ["rule/r1/f1", "firing", ["s1"], [], ["ops"]],
      ["rule/r2/f2", "pending", [], [], []],
    ]);
    expect(rows[0]).toMatchObject({ source: "external", ruleUid: null, generatorURL: "http://prom/graph", value: null, since: 50 });
  });

  it("filters by state and suppression", () => {
    const rows = alertRows([inst("r1", "f1", "firing", 5), inst("r2", "f2", "pending", 30)], alerts);
    expect(filterRows(rows, { states: ["pending"], suppression: "all" }).map((r) => r.key)).toEqual(["rule/r2/f2"]);
    expect(filterRows(rows, { states: [], suppression: "suppressed" }).map((r) => r.key)).toEqual(["external/x1", "rule/r1/f1"]);
    expect(filterRows(rows, { states: ["firing"], suppression: "active" }).map((r) => r.key)).toEqual([]);
  });
});

describe("history filter", () => {
  it("keeps the changes to the chosen states whose labels match", () => {
    const items = [
      { id: 1, to: "firing" as const, labels: { alertname: "A", env: "prod" } },
      { id: 2, to: "normal" as const, labels: { alertname: "A", env: "prod" } },
      { id: 3, to: "firing" as const, labels: { alertname: "B", env: "dev" } },
    ];
    expect(filterHistory(items, { states: ["firing"], matchers: [] }).map((i) => i.id)).toEqual([1, 3]);
    expect(filterHistory(items, { states: [], matchers: [{ name: "env", op: "=~", value: "pro.*" }] }).map((i) => i.id)).toEqual([1, 2]);
    expect(filterHistory(items, { states: ["firing"], matchers: [{ name: "env", op: "!=", value: "prod" }] }).map((i) => i.id)).toEqual([3]);
  });
});
