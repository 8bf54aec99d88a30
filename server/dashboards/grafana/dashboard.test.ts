import { describe, expect, it } from "vitest";
import { allVisualPanels, type Panel } from "../model";
import { clampGridPos, convertGrafanaDashboard, GrafanaInputError, rowsToPanels, sourcePanels } from "./dashboard";

const ts = (id: number | undefined, gridPos: object, extra: object = {}) => ({ type: "timeseries", id, title: `p${id ?? "?"}`, gridPos, targets: [{ expr: "up", refId: "A" }], ...extra });

function layout(panels: Panel[]) {
  return panels.map((p) => [p.type, p.id, p.gridPos, ...(p.type === "row" ? [p.collapsed, p.panels.map((c) => [c.id, c.gridPos])] : [])]);
}

describe("gridPos", () => {
  it("clamps to the 24-column grid", () => {
    expect(clampGridPos({ x: 30, y: -2, w: 30, h: 0 })).toEqual({ x: 23, y: 0, w: 1, h: 1 });
    expect(clampGridPos({ x: 12, y: 3.6, w: 16, h: 500 })).toEqual({ x: 12, y: 4, w: 12, h: 200 });
    expect(clampGridPos({ x: 0, y: 0, w: 24, h: 8 })).toEqual({ x: 0, y: 0, w: 24, h: 8 });
    expect(clampGridPos(undefined)).toBeUndefined();
  });
});

describe("old rows layout (schemaVersion < 16)", () => {
  it("lays rows of spans out on the grid, collapsed rows carrying their panels", () => {
    const rows = [
      { title: "Overview", showTitle: true, height: "250px", panels: [ts(1, {}, { span: 6 }), ts(2, {}, { span: 6 }), ts(3, {}, { span: 4 })] },
      { title: "Details", collapse: true, height: 300, panels: [ts(4, {}, { span: 12 })] },
      { title: "Last", showTitle: false, panels: [ts(5, {}, { span: 3, height: "100px" })] },
    ];
    const flat = rowsToPanels(rows);
    expect(flat.map((p) => [p.type, p.id ?? null, p.gridPos, p.collapsed ?? null])).toEqual([
      ["row", null, { x: 0, y: 0, w: 24, h: 1 }, false],
      ["timeseries", 1, { x: 0, y: 1, w: 12, h: 7 }, null],
      ["timeseries", 2, { x: 12, y: 1, w: 12, h: 7 }, null],
      ["timeseries", 3, { x: 0, y: 8, w: 8, h: 7 }, null],
      ["row", null, { x: 0, y: 15, w: 24, h: 1 }, true],
      ["row", null, { x: 0, y: 24, w: 24, h: 1 }, false],
      ["timeseries", 5, { x: 0, y: 25, w: 6, h: 3 }, null],
    ]);
    expect((flat[4].panels as { gridPos: unknown }[]).map((p) => p.gridPos)).toEqual([{ x: 0, y: 16, w: 24, h: 8 }]);

    const r = convertGrafanaDashboard({ title: "Old", schemaVersion: 14, rows });
    expect(layout(r.dashboard.panels)).toEqual([
      ["row", 6, { x: 0, y: 0, w: 24, h: 1 }, false, []],
      ["timeseries", 1, { x: 0, y: 1, w: 12, h: 7 }],
      ["timeseries", 2, { x: 12, y: 1, w: 12, h: 7 }],
      ["timeseries", 3, { x: 0, y: 8, w: 8, h: 7 }],
      ["row", 7, { x: 0, y: 15, w: 24, h: 1 }, true, [[4, { x: 0, y: 16, w: 24, h: 8 }]]],
      ["row", 8, { x: 0, y: 24, w: 24, h: 1 }, false, []],
      ["timeseries", 5, { x: 0, y: 25, w: 6, h: 3 }],
    ]);
    expect(r.dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual(["Overview", "Details", "Last"]);
  });

  it("adds no row for a single untitled row", () => {
    const r = convertGrafanaDashboard({ title: "One", rows: [{ showTitle: false, panels: [ts(1, {}, { span: 12 })] }] });
    expect(layout(r.dashboard.panels)).toEqual([["timeseries", 1, { x: 0, y: 0, w: 24, h: 7 }]]);
  });
});

describe("panels and rows", () => {
  it("keeps Grafana's ids and renumbers clashes and missing ones", () => {
    const r = convertGrafanaDashboard({
      title: "Ids",
      panels: [ts(3, { x: 0, y: 0, w: 12, h: 8 }), ts(3, { x: 12, y: 0, w: 12, h: 8 }), ts(undefined, { x: 0, y: 8, w: 12, h: 8 }), { type: "row", id: 10, title: "R", collapsed: true, gridPos: { x: 0, y: 16, w: 24, h: 1 }, panels: [ts(10, { x: 0, y: 17, w: 24, h: 8 })] }],
    });
    expect(r.dashboard.panels.map((p) => p.id)).toEqual([3, 11, 12, 10]);
    expect(allVisualPanels(r.dashboard).map((p) => p.id)).toEqual([3, 11, 12, 13]);
  });

  it("keeps expanded rows followed by their panels, collapsed rows carrying theirs, and counts every panel", () => {
    const source = {
      title: "Rows",
      panels: [
        { type: "row", id: 1, title: "Open", collapsed: false, gridPos: { x: 0, y: 0, w: 24, h: 1 }, panels: [] },
        ts(2, { x: 0, y: 1, w: 12, h: 8 }),
        { type: "piechart", id: 3, title: "Pie", gridPos: { x: 12, y: 1, w: 12, h: 8 } },
        { type: "row", id: 4, title: "Closed", collapsed: true, repeat: "node", gridPos: { x: 0, y: 9, w: 24, h: 1 }, panels: [ts(5, { x: 0, y: 10, w: 24, h: 8 }), { type: "news", id: 6, title: "News", gridPos: { x: 0, y: 18, w: 24, h: 8 } }] },
      ],
    };
    const r = convertGrafanaDashboard(source);
    expect(layout(r.dashboard.panels)).toEqual([
      ["row", 1, { x: 0, y: 0, w: 24, h: 1 }, false, []],
      ["timeseries", 2, { x: 0, y: 1, w: 12, h: 8 }],
      ["row", 4, { x: 0, y: 9, w: 24, h: 1 }, true, [[5, { x: 0, y: 10, w: 24, h: 8 }]]],
    ]);
    const row = r.dashboard.panels[2];
    expect(row.type === "row" && row.repeat).toBe("node");
    expect(r.unsupported).toEqual([
      { id: 3, title: "Pie", type: "piechart", reason: 'panel type "piechart" has no counterpart in Lookout' },
      { id: 6, title: "News", type: "news", reason: 'panel type "news" has no counterpart in Lookout' },
    ]);
    const mapped = r.dashboard.panels.length + allVisualPanels(r.dashboard).filter((p) => !r.dashboard.panels.includes(p)).length;
    expect(mapped + r.unsupported.length).toBe(sourcePanels(source).length);
  });

  it("places panels without a gridPos below the others", () => {
    const r = convertGrafanaDashboard({ title: "G", panels: [ts(1, { x: 0, y: 0, w: 24, h: 5 }), { type: "text", id: 2, options: { content: "hi" } }] });
    expect(r.dashboard.panels[1].gridPos).toEqual({ x: 0, y: 5, w: 12, h: 8 });
  });

  it("resolves library panels from __elements and lists missing ones", () => {
    const r = convertGrafanaDashboard({
      title: "Lib",
      __elements: { abc: { name: "Shared CPU", uid: "abc", kind: 1, model: { type: "stat", title: "CPU", targets: [{ expr: "sum(up)", refId: "A" }], options: { reduceOptions: { calcs: ["max"] } } } } },
      panels: [
        { id: 1, gridPos: { x: 0, y: 0, w: 6, h: 4 }, libraryPanel: { uid: "abc", name: "Shared CPU" } },
        { id: 2, gridPos: { x: 6, y: 0, w: 6, h: 4 }, libraryPanel: { uid: "zzz", name: "Gone" } },
      ],
    });
    const p = r.dashboard.panels[0];
    expect(p).toMatchObject({ id: 1, type: "stat", title: "CPU", gridPos: { x: 0, y: 0, w: 6, h: 4 }, options: { reduce: "max" } });
    expect(r.unsupported).toEqual([{ id: 2, title: "", type: "library panel", reason: expect.stringContaining('library panel "Gone": its definition is not in this JSON') }]);
  });

  it("lists copies made by Grafana's repeat instead of importing them twice", () => {
    const r = convertGrafanaDashboard({
      title: "Rep",
      panels: [ts(1, { x: 0, y: 0, w: 12, h: 8 }, { repeat: "instance" }), ts(2, { x: 12, y: 0, w: 12, h: 8 }, { repeatPanelId: 1, repeatIteration: 123 })],
    });
    expect(r.dashboard.panels).toHaveLength(1);
    expect(r.dashboard.panels[0]).toMatchObject({ repeat: "instance", repeatDirection: "h" });
    expect(r.unsupported).toEqual([{ id: 2, title: "p2", type: "timeseries", reason: "copy made by Grafana's repeat of panel 1; the repeat recreates it" }]);
  });
});

describe("dashboard fields", () => {
  it("maps title, description, tags, time, refresh, timezone, graph tooltip, links and uid", () => {
    const r = convertGrafanaDashboard({
      title: " Node ",
      uid: "rYdddlPWk",
      description: "Hosts",
      tags: ["linux", " linux ", "", "node"],
      time: { from: "now-24h", to: "now" },
      refresh: "1m",
      timezone: "utc",
      graphTooltip: 2,
      links: [
        { type: "link", title: "Docs", url: "https://example.com", targetBlank: true, icon: "doc" },
        { type: "dashboards", tags: ["linux"], asDropdown: true },
        { type: "link", title: "Empty", url: "" },
      ],
      annotations: { list: [{ builtIn: 1, name: "Annotations & Alerts", enable: true }, { name: "Deploys", enable: true }] },
      panels: [],
    });
    expect(r.uid).toBe("rYdddlPWk");
    expect(r.dashboard).toMatchObject({
      schemaVersion: 1,
      title: "Node",
      description: "Hosts",
      tags: ["linux", "node"],
      time: { from: "now-24h", to: "now" },
      refresh: "1m",
      timezone: "utc",
      graphTooltip: "tooltip",
      links: [{ title: "Docs", url: "https://example.com", targetBlank: true }],
    });
    expect(r.warnings).toEqual(['Annotations not supported; dropped ("Deploys")', 'Dashboard links of type "dashboards" not supported; dropped']);
    expect(r.dashboard.annotations).toEqual({ alerts: { enabled: true } });
  });

  it("maps the built-in Annotations & Alerts entry to alert annotations, without a note", () => {
    const conv = (list: unknown[] | undefined) => convertGrafanaDashboard({ title: "T", panels: [], ...(list ? { annotations: { list } } : {}) });
    const builtIn = { builtIn: 1, datasource: { type: "grafana", uid: "-- Grafana --" }, enable: true, hide: true, iconColor: "rgba(0, 211, 255, 1)", name: "Annotations & Alerts", type: "dashboard" };
    expect(conv([builtIn])).toMatchObject({ dashboard: { annotations: { alerts: { enabled: true } } }, warnings: [] });
    expect(conv([{ ...builtIn, enable: false }])).toMatchObject({ dashboard: { annotations: { alerts: { enabled: false } } }, warnings: [] });
    expect(conv([{ ...builtIn, builtIn: true, enable: false }]).dashboard.annotations.alerts.enabled).toBe(false);
    // Grafana adds the entry, enabled, to dashboards without it.
    expect(conv(undefined)).toMatchObject({ dashboard: { annotations: { alerts: { enabled: true } } }, warnings: [] });
    expect(conv([{ name: "Deploys", enable: true, datasource: "Loki" }])).toMatchObject({ dashboard: { annotations: { alerts: { enabled: true } } }, warnings: ['Annotations not supported; dropped ("Deploys")'] });
    // A disabled custom entry showed nothing: no note.
    expect(conv([{ ...builtIn, enable: false }, { name: "Off", enable: false }]).warnings).toEqual([]);
  });

  it("defaults what is missing and turns off what it cannot read", () => {
    const r = convertGrafanaDashboard({ title: "T", refresh: false, timezone: "", graphTooltip: 0, panels: [] });
    expect(r.dashboard).toMatchObject({ time: { from: "now-6h", to: "now" }, refresh: "", timezone: "browser", graphTooltip: "default", tags: [], links: [] });
    const odd = convertGrafanaDashboard({ title: "T", refresh: "1m30s", timezone: "Europe/Paris", graphTooltip: 1 });
    expect(odd.dashboard).toMatchObject({ refresh: "", timezone: "browser", graphTooltip: "crosshair" });
    expect(odd.warnings).toEqual(['Auto-refresh "1m30s" not understood; turned off', 'Time zone "Europe/Paris" not supported; the browser\'s is used']);
  });

  it("names the field when the input is not usable", () => {
    expect(() => convertGrafanaDashboard({ panels: [] })).toThrow(new GrafanaInputError("title: a dashboard title is required"));
    expect(() => convertGrafanaDashboard({ title: "x", panels: {} })).toThrow("panels: must be a list");
    expect(() => convertGrafanaDashboard({ title: "x", templating: [] })).toThrow("templating: must be an object");
  });
});
