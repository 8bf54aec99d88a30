/** Smoke tests of the panel views: rendered to HTML from sample results (no browser). */
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { makeHit } from "@/components/discover/test-hits";
import { VisualPanelSchema, type VisualPanel } from "@/server/dashboards/model";
import type { PanelData, TargetResult } from "@/server/dashboards/panel-data";
import { BarGaugeView } from "./bargauge/BarGaugeView";
import { GaugeView } from "./gauge/GaugeView";
import { LogsView } from "./logs/LogsView";
import { StatView } from "./stat/StatView";
import { TableView } from "./table/TableView";
import type { PanelViewProps } from "./types";

const panel = (type: VisualPanel["type"], extra: Record<string, unknown> = {}) => VisualPanelSchema.parse({ id: 1, type, gridPos: { x: 0, y: 0, w: 6, h: 6 }, ...extra });
const data = (...results: TargetResult[]): PanelData => ({ range: { start: 0, end: 60_000 }, intervalMs: 15_000, results });
const series = (...s: [string, Record<string, string>, (number | null)[]][]): TargetResult => ({
  kind: "series",
  refId: "A",
  stepMs: 15_000,
  instant: false,
  series: s.map(([name, labels, vs]) => ({ name, labels, points: vs.map((v, i): [number, number | null] => [i * 15_000, v]) })),
});
function render(View: ComponentType<PanelViewProps<never>>, p: VisualPanel, d: PanelData | undefined): string {
  return renderToStaticMarkup(createElement(View as ComponentType<PanelViewProps>, { panel: p, data: d, width: 600, height: 300, timezone: "utc" }));
}
const count = (html: string, s: string) => html.split(s).length - 1;

describe("panel views", () => {
  it("render nothing while loading and No data for an empty result", () => {
    for (const [View, type] of [[StatView, "stat"], [GaugeView, "gauge"], [BarGaugeView, "bargauge"], [TableView, "table"], [LogsView, "logs"]] as const) {
      expect(render(View, panel(type), undefined)).toBe("");
      expect(render(View, panel(type), data())).toContain("No data");
    }
  });

  it("stat: a value per series, in the unit, with a sparkline", () => {
    const p = panel("stat", { fieldConfig: { defaults: { unit: "bytes" } } });
    const html = render(StatView, p, data(series(["a", {}, [1024, 1536]], ["b", {}, [null, 2048]])));
    expect(count(html, 'data-testid="stat-value"')).toBe(2);
    expect(html).toContain("1.5");
    expect(html).toContain(" KiB");
    expect(html).toContain(">a<");
    // b has a single value: no sparkline for it
    expect(count(html, "<svg")).toBe(1);
  });

  it("bar gauge: a bar per series", () => {
    const html = render(BarGaugeView, panel("bargauge", { options: { displayMode: "lcd" } }), data(series(["a", {}, [10]], ["b", {}, [20]], ["c", {}, [30]])));
    expect(count(html, 'data-testid="bargauge-bar"')).toBe(3);
    expect(html).toContain(">30<");
  });

  it("table: rows sorted by options.sortBy, values in the unit", () => {
    const r = { ...(series(["x", { job: "api" }, [1]], ["y", { job: "db" }, [2048]]) as Extract<TargetResult, { kind: "series" }>), instant: true };
    const p = panel("table", { options: { sortBy: { field: "Value", desc: true } }, fieldConfig: { defaults: { unit: "bytes" } } });
    const html = render(TableView, p, data(r));
    expect(html).toContain('aria-sort="descending"');
    expect(html.indexOf(">db<")).toBeLessThan(html.indexOf(">api<"));
    expect(html).toContain("2.0 KiB");
  });

  it("logs: lines with fields and the Discover link", () => {
    const p = panel("logs", { targets: [{ kind: "logs", refId: "A", query: "level:error" }], options: { fields: ["host"] } });
    const d = data({ kind: "logs", refId: "A", total: 10, hits: [makeHit({ id: "1", ts: 1000, message: "first" }), makeHit({ id: "2", ts: 2000, message: "second" })] });
    const html = render(LogsView, p, d);
    expect(count(html, 'data-testid="log-line"')).toBe(2);
    expect(html.indexOf("second")).toBeLessThan(html.indexOf("first"));
    expect(html).toContain("web-1");
    expect(html).toContain("2 of 10 lines");
    expect(html).toContain('href="/explore/logs?from=0&amp;to=60000&amp;q=level%3Aerror');
  });
});

describe("option editors", () => {
  it("render each panel type's form from its defaults", async () => {
    const editors = {
      stat: (await import("./stat/StatOptionsEditor")).StatOptionsEditor,
      gauge: (await import("./gauge/GaugeOptionsEditor")).GaugeOptionsEditor,
      bargauge: (await import("./bargauge/BarGaugeOptionsEditor")).BarGaugeOptionsEditor,
      table: (await import("./table/TableOptionsEditor")).TableOptionsEditor,
      logs: (await import("./logs/LogsOptionsEditor")).LogsOptionsEditor,
      text: (await import("./text/TextOptionsEditor")).TextOptionsEditor,
    };
    const expected = { stat: "Colour mode", gauge: "Show threshold markers", bargauge: "Display mode", table: "Sort by column", logs: "Wrap lines", text: "Markdown" };
    for (const [type, Editor] of Object.entries(editors)) {
      const html = renderToStaticMarkup(createElement(Editor as ComponentType<{ panel: VisualPanel; onChange: () => void }>, { panel: panel(type as VisualPanel["type"]), onChange: () => {} }));
      expect(html).toContain(expected[type as keyof typeof expected]);
    }
  });
  it("render mappings and overrides", async () => {
    const { OverridesEditor, ValueMappingsEditor } = await import("./common/FieldConfigEditors");
    const m = renderToStaticMarkup(createElement(ValueMappingsEditor, { mappings: [{ type: "value", value: "1", text: "UP" }, { type: "range", from: 0, to: null, text: "low" }], onChange: () => {} }));
    expect(m).toContain('value="UP"');
    expect(m).toContain('aria-label="Mapping 2 from"');
    const o = renderToStaticMarkup(createElement(OverridesEditor, { overrides: [{ matcher: { id: "byRegexp", options: "web-.*" }, properties: { unit: "bytes", decimals: 2 } }], onChange: () => {} }));
    expect(o).toContain('value="web-.*"');
    expect(o).toContain("Decimals");
    expect(o).toContain("+ Add property");
  });
});
