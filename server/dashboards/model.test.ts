import { describe, expect, it } from "vitest";
import { allVisualPanels, DASHBOARD_SCHEMA_VERSION, DashboardSchema, emptyDashboard, nextPanelId, VisualPanelSchema } from "./model";

const panel = (id: number, extra: Record<string, unknown> = {}) => ({ id, type: "timeseries", title: `p${id}`, gridPos: { x: 0, y: 0, w: 12, h: 8 }, ...extra });

describe("DashboardSchema", () => {
  it("fills defaults: time, refresh, tooltip, empty lists, panel options and field config", () => {
    const d = DashboardSchema.parse({ schemaVersion: DASHBOARD_SCHEMA_VERSION, title: "x", panels: [panel(1)] });
    expect(d.time).toEqual({ from: "now-6h", to: "now" });
    expect(d.refresh).toBe("");
    expect(d.graphTooltip).toBe("crosshair");
    expect(d.variables).toEqual([]);
    const p = d.panels[0]!;
    expect(p.type === "timeseries" && p.options.legend.displayMode).toBe("list");
    expect(p.type !== "row" && p.fieldConfig).toEqual({ defaults: {}, overrides: [] });
  });

  it("refuses a duplicate panel id, also inside a collapsed row, and a duplicate variable name", () => {
    const dup = DashboardSchema.safeParse({
      schemaVersion: 1,
      title: "x",
      panels: [panel(1), { type: "row", id: 2, title: "r", collapsed: true, gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [panel(1)] }],
    });
    expect(dup.success).toBe(false);
    expect(dup.error!.issues[0]!.message).toBe("panel id 1 is used twice");
    const vars = DashboardSchema.safeParse({ schemaVersion: 1, title: "x", variables: [{ type: "custom", name: "a", query: "1" }, { type: "constant", name: "a", query: "2" }] });
    expect(vars.error!.issues[0]!.message).toBe('variable "a" is defined twice');
  });

  it("checks durations, grid bounds, names and the title", () => {
    expect(DashboardSchema.safeParse({ schemaVersion: 1, title: " " }).success).toBe(false);
    expect(DashboardSchema.safeParse({ schemaVersion: 1, title: "x", refresh: "soon" }).success).toBe(false);
    expect(VisualPanelSchema.safeParse(panel(1, { gridPos: { x: 24, y: 0, w: 1, h: 1 } })).success).toBe(false);
    expect(VisualPanelSchema.safeParse(panel(1, { timeFrom: "1 hour" })).success).toBe(false);
    expect(VisualPanelSchema.safeParse(panel(1, { repeat: "1job" })).success).toBe(false);
    expect(VisualPanelSchema.safeParse(panel(1, { type: "piechart" })).success).toBe(false);
  });

  it("lists visual panels in document order, collapsed rows included, and finds the next free id", () => {
    const d = DashboardSchema.parse({
      schemaVersion: 1,
      title: "x",
      panels: [panel(3), { type: "row", id: 7, title: "r", collapsed: true, gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [panel(9), panel(4)] }, panel(5)],
    });
    expect(allVisualPanels(d).map((p) => p.id)).toEqual([3, 9, 4, 5]);
    expect(nextPanelId(d)).toBe(10);
    expect(nextPanelId(emptyDashboard())).toBe(1);
  });
});
