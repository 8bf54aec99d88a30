import { describe, expect, it } from "vitest";
import type { VisualPanel } from "../model";
import { Datasources } from "./datasources";
import { Notes } from "./json";
import { convertVisualPanel, isRefusal, type Refusal } from "./panels";

const gridPos = { x: 0, y: 0, w: 12, h: 8 };

function convert(p: Record<string, unknown>, dash: Record<string, unknown> = {}) {
  const notes = new Notes();
  const r = convertVisualPanel(p, 7, gridPos, { ds: new Datasources(dash), notes });
  return { r, warnings: notes.list() };
}

function panel(p: Record<string, unknown>, dash?: Record<string, unknown>): VisualPanel {
  const { r } = convert(p, dash);
  if (isRefusal(r)) throw new Error(`refused: ${r.reason}`);
  return r;
}

describe("common panel fields", () => {
  it("keeps title, description, repeat, time overrides, interval and max data points; drops transparent", () => {
    const p = panel({
      type: "timeseries",
      title: "CPU $instance",
      description: "Per core",
      transparent: true,
      repeat: "instance",
      repeatDirection: "v",
      maxPerRow: 4,
      timeFrom: "now-24h",
      timeShift: "1d",
      interval: ">30s",
      maxDataPoints: 5,
      targets: [{ expr: "up", refId: "A" }],
    });
    expect(p).toMatchObject({ id: 7, type: "timeseries", title: "CPU $instance", description: "Per core", repeat: "instance", repeatDirection: "v", maxPerRow: 4, timeFrom: "24h", timeShift: "1d", interval: "30s", maxDataPoints: 10, gridPos });
    expect(p).not.toHaveProperty("transparent");
  });

  it("reports time overrides, intervals, links and transformations it cannot keep", () => {
    const { r, warnings } = convert({
      type: "stat",
      title: "Today",
      timeFrom: "now/d",
      interval: "$resolution",
      links: [{ title: "x", url: "/" }],
      transformations: [{ id: "reduce", options: {} }, { id: "organize", options: {} }, { id: "merge", disabled: true }],
      alert: { name: "High", conditions: [] },
      targets: [],
    });
    expect(isRefusal(r)).toBe(false);
    expect(warnings).toEqual([
      'Panel relative time "now/d" not supported; dropped: "Today"',
      'Panel min interval from a variable ($resolution) not supported; dropped: "Today"',
      'Panel links not supported; dropped: "Today"',
      'Legacy panel alert not imported (recreate it as an alert rule): "Today"',
      'Transformations not supported; dropped (reduce, organize): "Today"',
    ]);
  });

  it("keeps the panel when its targets are on another datasource", () => {
    const { r, warnings } = convert({ type: "timeseries", title: "Logs rate", datasource: { type: "loki", uid: "l" }, targets: [{ expr: 'rate({app="x"}[1m])', refId: "A" }] });
    expect(isRefusal(r) ? null : r.targets).toEqual([]);
    expect(warnings).toEqual(['Query on a non-Prometheus datasource (loki) skipped: "Logs rate"']);
  });
});

describe("table", () => {
  it("instant queries make a series table; sortBy and header kept", () => {
    const p = panel({
      type: "table",
      options: { showHeader: false, sortBy: [{ displayName: "Value", desc: true }], cellHeight: "sm" },
      fieldConfig: { defaults: { unit: "bytes", custom: { align: "auto" } }, overrides: [] },
      targets: [
        { expr: "a", instant: true, format: "table", refId: "A" },
        { expr: "b", instant: true, format: "table", refId: "B", hide: false },
      ],
    });
    expect(p.type === "table" && p.options).toEqual({ showHeader: false, sortBy: { field: "Value", desc: true }, format: "series" });
    expect(p.fieldConfig.defaults).toEqual({ unit: "bytes" });
  });

  it("range queries make a time series table", () => {
    const p = panel({ type: "table", targets: [{ expr: "a", refId: "A" }] });
    expect(p.type === "table" && p.options.format).toBe("timeseries");
  });

  it("maps table-old: styles to defaults and overrides, transform to format", () => {
    const notes = new Notes();
    const r = convertVisualPanel(
      {
        type: "table-old",
        title: "Old",
        transform: "timeseries_aggregations",
        sort: { col: 2, desc: true },
        styles: [
          { pattern: "Time", type: "date", dateFormat: "YYYY-MM-DD" },
          { pattern: "Value", type: "number", unit: "s", decimals: 2, thresholds: ["1", "5"], colors: ["green", "orange", "red"], alias: "Latency" },
          { pattern: "/instance|job/", type: "string", mappingType: 1, valueMaps: [{ value: "a", text: "A" }] },
          { pattern: "secret", type: "hidden" },
          { pattern: "/.*/", type: "number", unit: "short", decimals: 1 },
        ],
        targets: [{ expr: "x", refId: "A" }],
      },
      1,
      gridPos,
      { ds: new Datasources({}), notes },
    ) as VisualPanel;
    expect(r.type === "table" && r.options.format).toBe("series");
    expect(r.fieldConfig).toEqual({
      defaults: { unit: "short", decimals: 1 },
      overrides: [
        {
          matcher: { id: "byName", options: "Value" },
          properties: { unit: "s", decimals: 2, displayName: "Latency", thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 1, color: "orange" }, { value: 5, color: "red" }] } },
        },
        { matcher: { id: "byRegexp", options: "instance|job" }, properties: { mappings: [{ type: "value", value: "a", text: "A" }] } },
      ],
    });
    expect(notes.list()).toEqual(['Table sort by column number not supported; dropped: "Old"', 'Hidden table columns not supported; shown: "Old"']);
  });

  it("treats a Grafana 6 'table' with styles as the old table", () => {
    const p = panel({ type: "table", transform: "timeseries_to_rows", styles: [], targets: [{ expr: "x", instant: true }] });
    expect(p.type === "table" && p.options.format).toBe("timeseries");
  });
});

describe("text", () => {
  it("maps markdown, html, plain text and code", () => {
    const md = panel({ type: "text", options: { mode: "markdown", content: "# Hi" } });
    expect(md.type === "text" && md.options).toEqual({ mode: "markdown", content: "# Hi" });
    const html = panel({ type: "text", mode: "html", content: "<b>x</b>" });
    expect(html.type === "text" && html.options).toEqual({ mode: "markdown", content: "<b>x</b>" });
    const plain = panel({ type: "text", mode: "text", content: "plain" });
    expect(plain.type === "text" && plain.options).toEqual({ mode: "plain", content: "plain" });
    const code = panel({ type: "text", options: { mode: "code", content: "a = 1", code: { language: "python" } } });
    expect(code.type === "text" && code.options.content).toBe("```python\na = 1\n```");
    expect(md.targets).toEqual([]);
  });
});

describe("heatmap", () => {
  it("classic le buckets (format heatmap) are not calculated and get de-accumulated", () => {
    const p = panel({
      type: "heatmap",
      options: { calculate: false, color: { mode: "scheme", scheme: "RdYlBu" }, yAxis: { unit: "s" } },
      targets: [{ expr: "sum(increase(x_bucket[$__rate_interval])) by (le)", format: "heatmap", legendFormat: "{{le}}", refId: "A" }],
    });
    expect(p.type === "heatmap" && p.options).toEqual({ calculate: false, yAxisUnit: "s", colorScheme: "spectral", deaccumulate: true });
  });

  it("reads the old heatmap (dataFormat, yAxis.format, colorScheme)", () => {
    const p = panel({ type: "heatmap", dataFormat: "tsbuckets", yAxis: { format: "ms" }, color: { mode: "spectrum", colorScheme: "interpolateBlues" }, targets: [{ expr: "x", format: "time_series" }] });
    expect(p.type === "heatmap" && p.options).toEqual({ calculate: false, yAxisUnit: "ms", colorScheme: "blues", deaccumulate: false });
    const { r, warnings } = convert({ type: "heatmap", title: "Calc", dataFormat: "timeseries", targets: [{ expr: "x" }] });
    expect(!isRefusal(r) && r.type === "heatmap" && r.options.calculate).toBe(true);
    expect(warnings).toEqual(['Heatmap calculated from raw series (not buckets): shown from the series as they are: "Calc"']);
  });
});

describe("panel types", () => {
  it("graph → timeseries, singlestat → stat, gauge/bargauge kept", () => {
    expect(panel({ type: "graph", targets: [{ expr: "up" }] }).type).toBe("timeseries");
    expect(panel({ type: "singlestat", targets: [{ expr: "up" }] }).type).toBe("stat");
    expect(panel({ type: "grafana-singlestat-panel", gauge: { show: true } }).type).toBe("gauge");
    expect(panel({ type: "gauge" }).type).toBe("gauge");
    expect(panel({ type: "bargauge" }).type).toBe("bargauge");
  });

  it("refuses logs panels and types we lack, with a reason", () => {
    const loki = convert({ type: "logs", datasource: { type: "loki", uid: "x" }, targets: [{ expr: '{app="x"}' }] }).r as Refusal;
    expect(loki.reason).toMatch(/LogQL \(Loki\) cannot be converted/);
    for (const type of ["piechart", "news", "alertlist", "state-timeline", "grafana-worldmap-panel"]) {
      const r = convert({ type }).r as Refusal;
      expect(r.reason).toBe(`panel type "${type}" has no counterpart in Lookout`);
    }
    expect((convert({}).r as Refusal).reason).toBe("the panel has no type");
  });
});
