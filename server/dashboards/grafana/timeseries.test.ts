import { describe, expect, it } from "vitest";
import { Notes } from "./json";
import { graphPanel, graphThresholds, timeseriesPanel } from "./timeseries";

describe("timeseries panel", () => {
  it("maps field config custom options, legend and tooltip", () => {
    const notes = new Notes();
    const { options, fieldConfig } = timeseriesPanel(
      {
        fieldConfig: {
          defaults: {
            custom: {
              drawStyle: "bars",
              lineWidth: 2,
              fillOpacity: 20,
              pointSize: 5,
              showPoints: "never",
              lineInterpolation: "smooth",
              stacking: { group: "A", mode: "percent" },
              axisLabel: "req/s",
              axisPlacement: "right",
              scaleDistribution: { type: "log", log: 2 },
              thresholdsStyle: { mode: "dashed+area" },
              axisSoftMin: 0,
            },
            unit: "reqps",
            thresholds: { mode: "absolute", steps: [{ color: "green", value: null }, { color: "red", value: 80 }] },
          },
          overrides: [],
        },
        options: { legend: { calcs: ["min", "mean", "max", "lastNotNull", "median"], displayMode: "table", placement: "right", showLegend: true }, tooltip: { mode: "single", sort: "desc" } },
      },
      notes,
      '"HTTP"',
    );
    expect(options).toEqual({
      drawStyle: "bars",
      lineWidth: 2,
      fillOpacity: 20,
      pointSize: 5,
      showPoints: "never",
      lineInterpolation: "smooth",
      stacking: "percent",
      legend: { displayMode: "table", placement: "right", calcs: ["min", "mean", "max", "lastNotNull"] },
      tooltip: { mode: "single" },
      axis: { scale: "log", logBase: 2, label: "req/s", placement: "right" },
      thresholdsStyle: "line+area",
    });
    expect(fieldConfig.defaults).toEqual({ unit: "reqps", min: 0, thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 80, color: "red" }] } });
    expect(notes.list()).toEqual(['Legend value "median" not supported; dropped: "HTTP"']);
  });

  it("hides the legend when showLegend is false", () => {
    const { options } = timeseriesPanel({ options: { legend: { showLegend: false, displayMode: "list", placement: "bottom", calcs: [] } } }, new Notes(), "p");
    expect(options.legend.displayMode).toBe("hidden");
  });

  it("uses defaults for a bare panel", () => {
    const { options, fieldConfig } = timeseriesPanel({}, new Notes(), "p");
    expect(options).toMatchObject({ drawStyle: "line", lineWidth: 1, fillOpacity: 0, stacking: "none", thresholdsStyle: "off" });
    expect(fieldConfig).toEqual({ defaults: {}, overrides: [] });
  });
});

describe("graph panel", () => {
  const graph = {
    type: "graph",
    lines: true,
    bars: false,
    points: false,
    fill: 2,
    linewidth: 2,
    stack: true,
    percentage: false,
    steppedLine: true,
    legend: { show: true, values: true, min: true, max: true, avg: true, current: true, total: true, alignAsTable: true, rightSide: true },
    tooltip: { shared: false, sort: 0, value_type: "individual" },
    yaxes: [
      { format: "bytes", min: "0", max: null, logBase: 1, label: "Memory", show: true, decimals: 1 },
      { format: "short", show: false },
    ],
    aliasColors: { used: "#E24D42" },
    seriesOverrides: [
      { alias: "/free.*/", color: "#7EB26D", fill: 0 },
      { alias: "total", yaxis: 2 },
    ],
    thresholds: [{ value: 80, op: "gt", colorMode: "critical", fill: true, line: true }],
  };

  it("maps draw style, fill, line width, stacking, legend, tooltip and y-axis", () => {
    const notes = new Notes();
    const { options, fieldConfig } = graphPanel(graph, notes, '"Memory"');
    expect(options).toMatchObject({
      drawStyle: "line",
      lineWidth: 2,
      fillOpacity: 20,
      showPoints: "never",
      lineInterpolation: "stepAfter",
      stacking: "normal",
      legend: { displayMode: "table", placement: "right", calcs: ["min", "max", "mean", "last", "sum"] },
      tooltip: { mode: "single" },
      axis: { scale: "linear", logBase: 10, label: "Memory", placement: "auto" },
      thresholdsStyle: "line+area",
    });
    expect(fieldConfig.defaults).toEqual({
      unit: "bytes",
      decimals: 1,
      min: 0,
      thresholds: { mode: "absolute", steps: [{ value: null, color: "transparent" }, { value: 80, color: "red" }] },
    });
    expect(fieldConfig.overrides).toEqual([
      { matcher: { id: "byName", options: "used" }, properties: { color: "#E24D42" } },
      { matcher: { id: "byRegexp", options: "free.*" }, properties: { color: "#7EB26D" } },
    ]);
    expect(notes.list()).toEqual(['Series override "fill" not supported; dropped: "Memory"', 'Series on the right y-axis shown on the left one: "Memory"']);
  });

  it("maps stack + percentage to percent, bars, points, hidden legend and log axes", () => {
    const bars = graphPanel({ bars: true, lines: false, stack: true, percentage: true, legend: { show: false }, yaxes: [{ logBase: 2, format: "short" }] }, new Notes(), "p");
    expect(bars.options).toMatchObject({ drawStyle: "bars", stacking: "percent", legend: { displayMode: "hidden" }, axis: { scale: "log", logBase: 2 } });
    const points = graphPanel({ points: true, lines: false, pointradius: 3, legend: { show: true, values: false, min: true } }, new Notes(), "p");
    expect(points.options).toMatchObject({ drawStyle: "points", showPoints: "always", pointSize: 6, legend: { displayMode: "list", placement: "bottom", calcs: [] } });
  });

  it("defaults as Grafana's graph: lines, fill 1, width 1", () => {
    const { options } = graphPanel({}, new Notes(), "p");
    expect(options).toMatchObject({ drawStyle: "line", fillOpacity: 10, lineWidth: 1, stacking: "none", tooltip: { mode: "multi" } });
  });

  it("turns graph thresholds into bands, including below-value ones", () => {
    expect(
      graphThresholds([
        { value: 90, op: "gt", colorMode: "critical", fill: true, line: false },
        { value: 70, op: "gt", colorMode: "warning", fill: true, line: false },
        { value: 10, op: "lt", colorMode: "custom", fillColor: "blue", line: false, fill: true },
      ]),
    ).toEqual({
      thresholds: {
        mode: "absolute",
        steps: [
          { value: null, color: "blue" },
          { value: 10, color: "transparent" },
          { value: 70, color: "orange" },
          { value: 90, color: "red" },
        ],
      },
      style: "area",
    });
    expect(graphThresholds([])).toEqual({ style: "off" });
  });
});
