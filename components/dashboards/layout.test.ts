import { describe, expect, it } from "vitest";
import { DashboardSchema, type Dashboard } from "@/server/dashboards/model";
import { addPanel, addRow, applyGridLayout, duplicatePanel, expandRepeats, findPanel, removePanel, sections, toggleRow } from "./layout";

function ts(id: number, x: number, y: number, w = 12, h = 8, extra: Record<string, unknown> = {}) {
  return { id, type: "timeseries", title: `p${id}`, gridPos: { x, y, w, h }, ...extra };
}
function row(id: number, y: number, extra: Record<string, unknown> = {}) {
  return { id, type: "row", title: `r${id}`, gridPos: { x: 0, y, w: 24, h: 1 }, ...extra };
}
function dash(panels: unknown[]): Dashboard {
  return DashboardSchema.parse({ schemaVersion: 1, title: "t", panels });
}
const ys = (d: Dashboard) => d.panels.map((p) => [p.id, p.gridPos.y]);

describe("sections", () => {
  it("cuts the panel list at rows, in (y, x) order", () => {
    const s = sections(dash([ts(2, 12, 0), ts(1, 0, 0), row(3, 8), ts(4, 0, 9)]).panels);
    expect(s.map((x) => [x.row?.id ?? null, x.panels.map((p) => p.id)])).toEqual([
      [null, [1, 2]],
      [3, [4]],
    ]);
  });
});

describe("toggleRow", () => {
  const d = dash([ts(1, 0, 0), row(2, 8), ts(3, 0, 9, 12, 6), ts(4, 12, 9, 12, 10), row(5, 19), ts(6, 0, 20)]);

  it("collapsing moves the section into the row and later sections up by its height", () => {
    const c = toggleRow(d, 2);
    const r = c.panels.find((p) => p.id === 2);
    expect(r?.type === "row" && r.collapsed).toBe(true);
    expect(r?.type === "row" && r.panels.map((p) => p.id)).toEqual([3, 4]);
    expect(ys(c)).toEqual([
      [1, 0],
      [2, 8],
      [5, 9],
      [6, 10],
    ]);
  });

  it("expanding restores the layout exactly", () => {
    expect(toggleRow(toggleRow(d, 2), 2)).toEqual(d);
  });

  it("an unknown row changes nothing", () => {
    expect(toggleRow(d, 99)).toBe(d);
  });

  it("findPanel sees panels inside collapsed rows", () => {
    expect(findPanel(toggleRow(d, 2), 4)?.id).toBe(4);
  });
});

describe("editing", () => {
  it("addPanel puts the new panel top-left with a fresh id and pushes the rest down", () => {
    const d = dash([ts(1, 0, 0), row(2, 8)]);
    const { dashboard, id } = addPanel(d, (pid) => DashboardSchema.parse({ schemaVersion: 1, title: "x", panels: [ts(pid, 5, 5, 10, 4)] }).panels[0] as never);
    expect(id).toBe(3);
    expect(dashboard.panels.map((p) => [p.id, p.gridPos.x, p.gridPos.y])).toEqual([
      [3, 0, 0],
      [1, 0, 4],
      [2, 0, 12],
    ]);
  });

  it("addRow appends a row below everything", () => {
    const d = addRow(dash([ts(1, 0, 0, 12, 8)]));
    expect(d.panels.at(-1)).toMatchObject({ type: "row", id: 2, gridPos: { y: 8, w: 24, h: 1 } });
  });

  it("removePanel removes nested panels and keeps a collapsed row's panels when the row goes", () => {
    const d = toggleRow(dash([row(1, 0), ts(2, 0, 1), ts(3, 12, 1)]), 1);
    expect(findPanel(removePanel(d, 2), 2)).toBeUndefined();
    const noRow = removePanel(d, 1);
    expect(noRow.panels.map((p) => p.id)).toEqual([2, 3]);
  });

  it("duplicatePanel places the copy beside the original when it fits, else below", () => {
    const beside = duplicatePanel(dash([ts(1, 0, 0, 12, 8)]), 1);
    expect(beside.panels.map((p) => [p.id, p.gridPos.x, p.gridPos.y])).toEqual([
      [1, 0, 0],
      [2, 12, 0],
    ]);
    const below = duplicatePanel(dash([ts(1, 12, 0, 12, 8)]), 1);
    expect(below.panels.find((p) => p.id === 2)?.gridPos).toEqual({ x: 12, y: 8, w: 12, h: 8 });
  });

  it("applyGridLayout writes grid positions back, rows stay full width", () => {
    const d = dash([ts(1, 0, 0), row(2, 8), ts(3, 0, 9)]);
    const out = applyGridLayout(d, [
      { i: "1", x: 6, y: 0, w: 6, h: 5 },
      { i: "2", x: 3, y: 5, w: 10, h: 3 },
      { i: "3", x: 0, y: 6, w: 24, h: 8 },
    ]);
    expect(out.panels.map((p) => [p.id, p.gridPos])).toEqual([
      [1, { x: 6, y: 0, w: 6, h: 5 }],
      [2, { x: 0, y: 5, w: 24, h: 1 }],
      [3, { x: 0, y: 6, w: 24, h: 8 }],
    ]);
    expect(applyGridLayout(out, [{ i: "1", x: 6, y: 0, w: 6, h: 5 }])).toBe(out);
  });
});

describe("expandRepeats", () => {
  it("without repeats renders the panels as they are", () => {
    const d = dash([ts(1, 0, 0), row(2, 8), ts(3, 0, 9)]);
    expect(expandRepeats(d, {}).map((r) => [r.key, r.gridPos.y, r.clone])).toEqual([
      ["1", 0, false],
      ["2", 8, false],
      ["3", 9, false],
    ]);
  });

  it("repeats a panel horizontally, maxPerRow per line, pushing later panels down", () => {
    const d = dash([ts(1, 0, 0, 12, 5, { repeat: "host", maxPerRow: 2 }), ts(2, 0, 5)]);
    const items = expandRepeats(d, { host: ["a", "b", "c"] });
    expect(items.map((r) => [r.key, r.gridPos, r.scopedVars, r.clone])).toEqual([
      ["1", { x: 0, y: 0, w: 12, h: 5 }, { host: "a" }, false],
      ["1-1", { x: 12, y: 0, w: 12, h: 5 }, { host: "b" }, true],
      ["1-2", { x: 0, y: 5, w: 12, h: 5 }, { host: "c" }, true],
      ["2", { x: 0, y: 10, w: 12, h: 8 }, {}, false],
    ]);
  });

  it("repeats a panel vertically", () => {
    const d = dash([ts(1, 0, 0, 8, 4, { repeat: "x", repeatDirection: "v" })]);
    expect(expandRepeats(d, { x: ["1", "2"] }).map((r) => r.gridPos)).toEqual([
      { x: 0, y: 0, w: 8, h: 4 },
      { x: 0, y: 4, w: 8, h: 4 },
    ]);
  });

  it("repeats a row with its section for each value", () => {
    const d = dash([row(1, 0, { repeat: "job" }), ts(2, 0, 1, 24, 3), row(4, 4), ts(5, 0, 5, 24, 2)]);
    const items = expandRepeats(d, { job: ["api", "web"] });
    expect(items.map((r) => [r.key, r.gridPos.y, r.scopedVars.job ?? null, r.clone])).toEqual([
      ["1", 0, "api", false],
      ["2", 1, "api", false],
      ["r1-1", 4, "web", true],
      ["r1-2", 5, "web", true],
      ["4", 8, null, false],
      ["5", 9, null, false],
    ]);
  });

  it("a collapsed row renders alone", () => {
    const d = toggleRow(dash([row(1, 0), ts(2, 0, 1)]), 1);
    expect(expandRepeats(d, {}).map((r) => r.key)).toEqual(["1"]);
  });
});
