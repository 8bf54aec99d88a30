import { describe, expect, it } from "vitest";
import type { PanelData, TargetResult } from "@/server/dashboards/panel-data";
import { makeHit } from "@/components/discover/test-hits";
import { buildTable, compareCells, findColumn, nextSort, sortRows } from "./table-data";

const panelData = (...results: TargetResult[]): PanelData => ({ range: { start: 0, end: 3000 }, intervalMs: 1000, results });

const up: TargetResult = {
  kind: "series",
  refId: "A",
  stepMs: 0,
  instant: true,
  series: [
    { name: "up{job=api}", labels: { job: "api", instance: "a:1", __name__: "up" }, points: [[3000, 1]] },
    { name: "up{job=db}", labels: { __name__: "up", job: "db", instance: "b:1" }, points: [[3000, 0]] },
  ],
};

describe("buildTable (series)", () => {
  it("makes a row per series with label columns (__name__ first) and Value", () => {
    const t = buildTable(panelData(up), "series");
    expect(t.columns.map((c) => c.title)).toEqual(["__name__", "job", "instance", "Value"]);
    expect(t.rows.map((r) => [r.cells["label:job"], r.cells["value:Value"]])).toEqual([
      ["api", 1],
      ["db", 0],
    ]);
  });
  it("merges queries by label set into one row, a value column per query", () => {
    const b: TargetResult = { kind: "series", refId: "B", stepMs: 1000, instant: false, series: [{ name: "x", labels: { job: "db", instance: "b:1", __name__: "up" }, points: [[1000, 5], [2000, 7], [3000, null]] }, { name: "y", labels: { job: "web" }, points: [[1000, 2]] }] };
    const t = buildTable(panelData(up, { kind: "error", refId: "C", message: "x" }, b), "series");
    expect(t.columns.filter((c) => c.kind === "value").map((c) => [c.title, c.refId])).toEqual([
      ["Value #A", "A"],
      ["Value #B", "B"],
    ]);
    expect(t.rows).toHaveLength(3);
    const db = t.rows.find((r) => r.cells["label:job"] === "db")!;
    // a range result gives its last non-null value
    expect([db.cells["value:Value #A"], db.cells["value:Value #B"]]).toEqual([0, 7]);
    const web = t.rows.find((r) => r.cells["label:job"] === "web")!;
    expect(web.cells["value:Value #A"]).toBeUndefined();
  });
});

describe("buildTable (timeseries)", () => {
  it("makes a Time column and a column per series, a row per timestamp", () => {
    const r: TargetResult = { kind: "series", refId: "A", stepMs: 1000, instant: false, series: [{ name: "a", labels: {}, points: [[2000, 2], [1000, 1]] }, { name: "a", labels: {}, points: [[3000, 9]] }] };
    const t = buildTable(panelData(r), "timeseries");
    expect(t.columns.map((c) => c.title)).toEqual(["Time", "a", "a (2)"]);
    expect(t.rows.map((row) => [row.cells.time, row.cells["series:A:0"] ?? null, row.cells["series:A:1"] ?? null])).toEqual([
      [1000, 1, null],
      [2000, 2, null],
      [3000, null, 9],
    ]);
  });
});

describe("buildTable (logs)", () => {
  it("lists events as time, level, service and message", () => {
    const t = buildTable(panelData({ kind: "logs", refId: "A", total: 1, hits: [makeHit({ id: "1", ts: 5, level: "error", message: "boom" })] }), "series");
    expect(t.columns.map((c) => c.kind)).toEqual(["time", "level", "text", "text"]);
    expect(t.rows[0]!.cells).toEqual({ time: 5, level: "error", service: "payment-api", message: "boom" });
  });
  it("is empty without results", () => {
    expect(buildTable(undefined, "series")).toEqual({ columns: [], rows: [] });
    expect(buildTable(panelData({ kind: "error", refId: "A", message: "bad" }), "series").rows).toEqual([]);
  });
});

describe("sorting", () => {
  const rows = [
    { key: "1", cells: { n: 10, s: "web-10" } },
    { key: "2", cells: { n: null, s: "web-2" } },
    { key: "3", cells: { n: 2, s: null } },
    { key: "4", cells: { n: 2, s: "api" } },
  ];
  it("sorts numbers, text naturally, empties last both ways, stable", () => {
    expect(sortRows(rows, "n", false).map((r) => r.key)).toEqual(["3", "4", "1", "2"]);
    expect(sortRows(rows, "n", true).map((r) => r.key)).toEqual(["1", "3", "4", "2"]);
    expect(sortRows(rows, "s", false).map((r) => r.key)).toEqual(["4", "2", "1", "3"]);
    expect(sortRows(rows, "s", true).map((r) => r.key)).toEqual(["1", "2", "4", "3"]);
    expect(compareCells(1, "a")).toBeLessThan(0);
  });
  it("cycles header clicks and finds the sortBy column", () => {
    expect(nextSort(null, "a")).toEqual({ key: "a", desc: false });
    expect(nextSort({ key: "a", desc: false }, "a")).toEqual({ key: "a", desc: true });
    expect(nextSort({ key: "a", desc: true }, "a")).toBeNull();
    expect(nextSort({ key: "a", desc: true }, "b")).toEqual({ key: "b", desc: false });
    const cols = [{ key: "label:job", title: "job", kind: "label" as const }];
    expect(findColumn(cols, "job")?.key).toBe("label:job");
    expect(findColumn(cols, "label:job")?.key).toBe("label:job");
    expect(findColumn(cols, "nope")).toBeUndefined();
  });
});
