import type { LineSeriesOption } from "echarts/charts";
import { describe, expect, it } from "vitest";
import { brushRange, buildTimeSeriesOption, escapeHtml, formatChartTime, nextHiddenSeries, seriesColor, tooltipHtml, type ChartSeries } from "./time-series-option";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const series: ChartSeries[] = [
  { name: "a", points: [[T0, 1], [T0 + 15_000, 2]] },
  { name: "b", points: [[T0, 5], [T0 + 15_000, null]] },
  { name: "c", points: [[T0, 3]] },
];

const lines = (o: ReturnType<typeof buildTimeSeriesOption>) => o.series as LineSeriesOption[];

describe("buildTimeSeriesOption", () => {
  it("draws one unstacked line per series on a time axis over the range", () => {
    const o = buildTimeSeriesOption(series, { startMs: T0 - 60_000, endMs: T0 + 60_000 });
    expect(lines(o).map((s) => s.name)).toEqual(["a", "b", "c"]);
    for (const s of lines(o)) {
      expect(s.type).toBe("line");
      expect(s.connectNulls).toBe(false);
      expect(s.stack).toBeUndefined();
      expect(s.areaStyle).toBeUndefined();
    }
    expect(lines(o)[1]!.data).toEqual([[T0, 5], [T0 + 15_000, null]]);
    expect(o.xAxis).toMatchObject({ type: "time", min: T0 - 60_000, max: T0 + 60_000 });
    expect(o.yAxis).toMatchObject({ type: "value", scale: true });
    expect(o.useUTC).toBe(false);
  });

  it("stacks areas when asked, from zero", () => {
    const o = buildTimeSeriesOption(series, { startMs: T0, endMs: T0 + 1, stacked: true });
    for (const s of lines(o)) {
      expect(s.stack).toBe("total");
      expect(s.areaStyle).toBeDefined();
    }
    expect(o.yAxis).toMatchObject({ scale: false });
  });

  it("leaves hidden series out but keeps every series' colour", () => {
    const o = buildTimeSeriesOption(series, { startMs: T0, endMs: T0 + 1, hidden: new Set(["a"]) });
    expect(lines(o).map((s) => [s.name, s.color])).toEqual([
      ["b", seriesColor(1)],
      ["c", seriesColor(2)],
    ]);
  });

  it("formats the y-axis in the unit and switches to UTC", () => {
    const o = buildTimeSeriesOption(series, { startMs: T0, endMs: T0 + 1, unit: "bytes", useUTC: true });
    const fmt = (o.yAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
    expect(fmt(2048)).toBe("2.0 KiB");
    expect(o.useUTC).toBe(true);
  });

  it("shows dots on sparse series only", () => {
    const dense: ChartSeries = { name: "d", points: Array.from({ length: 200 }, (_, i) => [T0 + i * 15_000, i]) };
    const o = buildTimeSeriesOption([dense, series[2]!], { startMs: T0, endMs: T0 + 1 });
    expect(lines(o).map((s) => s.showSymbol)).toEqual([false, true]);
  });

  it("has a tooltip formatter sorted by value, and a horizontal brush for zooming", () => {
    const o = buildTimeSeriesOption(series, { startMs: T0, endMs: T0 + 1, useUTC: true });
    const tooltip = o.tooltip as { trigger: string; formatter: (p: unknown) => string };
    expect(tooltip.trigger).toBe("axis");
    const html = tooltip.formatter([
      { seriesName: "low", color: "#111", value: [T0, 1] },
      { seriesName: "gap", color: "#222", value: [T0, null] },
      { seriesName: "high", color: "#333", value: [T0, 9] },
    ]);
    expect(html.indexOf(">high<")).toBeLessThan(html.indexOf(">low<"));
    expect(html.indexOf(">low<")).toBeLessThan(html.indexOf(">gap<"));
    expect(html).toContain("2024-05-01 12:00:00 UTC");
    expect(o.brush).toMatchObject({ brushType: "lineX", xAxisIndex: 0, brushMode: "single" });
  });
});

describe("tooltipHtml", () => {
  it("escapes series names and limits rows", () => {
    const entries = Array.from({ length: 25 }, (_, i) => ({ name: `s<${i}>`, color: "#000", value: i }));
    const html = tooltipHtml(T0, entries, { max: 3, useUTC: true });
    expect(html).toContain("s&lt;24&gt;");
    expect(html).not.toContain("s<24>");
    expect(html).toContain("… 22 more");
    expect(html).not.toContain("s&lt;0&gt;");
  });
  it("formats values in the unit", () => {
    expect(tooltipHtml(T0, [{ name: "x", color: "#000", value: 0.5 }], { unit: "percentunit" })).toContain("50%");
  });
});

describe("helpers", () => {
  it("formats chart times locally or in UTC", () => {
    expect(formatChartTime(T0, true)).toBe("2024-05-01 12:00:00 UTC");
    expect(formatChartTime(T0)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });
  it("escapes HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
  it("reads the brushed x range in order", () => {
    expect(brushRange({ areas: [{ coordRange: [T0 + 500.4, T0] }] })).toEqual([T0, T0 + 500]);
    expect(brushRange({ areas: [] })).toBeNull();
    expect(brushRange({ areas: [{ coordRange: [T0, T0] }] })).toBeNull();
    expect(brushRange(null)).toBeNull();
  });
});

describe("nextHiddenSeries (Grafana legend clicks)", () => {
  const all = ["a", "b", "c"];
  it("isolates the clicked series", () => {
    expect([...nextHiddenSeries(all, new Set(), "b", false)].sort()).toEqual(["a", "c"]);
  });
  it("shows everything again when the isolated series is clicked again", () => {
    expect(nextHiddenSeries(all, new Set(["a", "c"]), "b", false).size).toBe(0);
  });
  it("isolates another series when one is isolated", () => {
    expect([...nextHiddenSeries(all, new Set(["a", "c"]), "a", false)].sort()).toEqual(["b", "c"]);
  });
  it("toggles one series with a modifier", () => {
    expect([...nextHiddenSeries(all, new Set(["a"]), "b", true)].sort()).toEqual(["a", "b"]);
    expect([...nextHiddenSeries(all, new Set(["a"]), "a", true)]).toEqual([]);
  });
});
