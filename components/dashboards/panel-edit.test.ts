import { describe, expect, it } from "vitest";
import { addTarget, addThreshold, changePanelType, newPanel, nextRefId, removeTarget, sortThresholds } from "./panel-edit";

describe("panel edits", () => {
  it("a new panel reads the query kind of its type", () => {
    expect(newPanel(1).targets).toMatchObject([{ kind: "promql", refId: "A", expr: "" }]);
    expect(newPanel(2, "logs").targets).toMatchObject([{ kind: "logs", mode: "lines" }]);
    expect(newPanel(3, "text").targets).toEqual([]);
  });

  it("changing type keeps title, layout, queries and field config, and resets options", () => {
    const p = { ...newPanel(1), title: "CPU", fieldConfig: { defaults: { unit: "percent" }, overrides: [] } };
    const stat = changePanelType(p, "stat");
    expect(stat).toMatchObject({ type: "stat", title: "CPU", gridPos: p.gridPos, targets: p.targets, fieldConfig: p.fieldConfig });
    expect(stat.options).toMatchObject({ reduce: "lastNotNull", colorMode: "value" });
    expect(changePanelType(stat, "stat")).toBe(stat);
  });

  it("changing to a log type adds a log query when there is none", () => {
    const v = changePanelType(newPanel(1), "logvolume");
    expect(v.targets.map((t) => [t.kind, t.refId])).toEqual([
      ["promql", "A"],
      ["logs", "B"],
    ]);
  });

  it("refIds go A..Z then A1..", () => {
    expect(nextRefId([])).toBe("A");
    const many = Array.from({ length: 26 }, (_, i) => ({ kind: "promql" as const, refId: String.fromCharCode(65 + i), expr: "", instant: false, hide: false }));
    expect(nextRefId(many)).toBe("A1");
    expect(nextRefId(many.slice(1))).toBe("A");
  });

  it("adds and removes targets", () => {
    const p = addTarget(newPanel(1, "table"), "promql");
    expect(p.targets.map((t) => t.refId)).toEqual(["A", "B"]);
    expect(p.targets[1]).toMatchObject({ instant: true });
    expect(removeTarget(p, 0).targets.map((t) => t.refId)).toEqual(["B"]);
  });

  it("thresholds keep the base first and grow upwards", () => {
    expect(sortThresholds([{ value: 90, color: "red" }, { value: null, color: "green" }, { value: 50, color: "orange" }]).map((s) => s.value)).toEqual([null, 50, 90]);
    const one = addThreshold([{ value: null, color: "green" }]);
    expect(one).toEqual([
      { value: null, color: "green" },
      { value: 80, color: "red" },
    ]);
    expect(addThreshold(one).at(-1)).toEqual({ value: 90, color: "orange" });
  });
});
