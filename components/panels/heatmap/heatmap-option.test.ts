import type { HeatmapSeriesOption } from "echarts/charts";
import { describe, expect, it } from "vitest";
import { renderSvg } from "@/components/panels/timeseries/ssr-render.test-util";
import { HeatmapOptionsSchema } from "@/server/dashboards/model";
import type { PanelData, SeriesFrame } from "@/server/dashboards/panel-data";
import { buildHeatmapOption, COLOR_SCHEMES, formatBound, heatmapGrid, heatmapTooltip, parseLe, timeLabel } from "./heatmap-option";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const S = 60_000;
const bucket = (le: string, values: (number | null)[], extra: Record<string, string> = {}): SeriesFrame => ({
  name: le,
  labels: { le, ...extra },
  points: values.map((v, i) => [T0 + i * S, v]),
});
const panelData = (series: SeriesFrame[]): PanelData => ({ range: { start: T0, end: T0 + 2 * S }, intervalMs: S, results: [{ kind: "series", refId: "A", stepMs: S, instant: false, series }] });

// Cumulative buckets, out of order, +Inf included, two instances of le="1".
const histogram = panelData([
  bucket("+Inf", [10, 20]),
  bucket("0.5", [2, 5]),
  bucket("1", [3, 6], { instance: "a" }),
  bucket("1", [3, 6], { instance: "b" }),
]);

describe("heatmapGrid", () => {
  it("buckets: sorted by le, a bound's series summed, de-accumulated, +Inf last", () => {
    const g = heatmapGrid(histogram, { calculate: false, deaccumulate: true });
    expect(g.mode).toBe("buckets");
    expect(g.times).toEqual([T0, T0 + S]);
    expect(g.rows).toEqual([
      { label: "0.5", upper: 0.5 },
      { label: "1", upper: 1, lower: 0.5 },
      { label: "+Inf", upper: Infinity, lower: 1 },
    ]);
    expect(g.cells).toEqual([
      [0, 0, 2], [0, 1, 4], [0, 2, 4],
      [1, 0, 5], [1, 1, 7], [1, 2, 8],
    ]);
    expect(g.max).toBe(8);
  });

  it("keeps cumulative counts when asked; labels in the bucket unit", () => {
    const g = heatmapGrid(histogram, { calculate: false, deaccumulate: false, yAxisUnit: "s" });
    expect(g.cells.filter((c) => c[0] === 0).map((c) => c[2])).toEqual([2, 6, 10]);
    expect(g.rows.map((r) => r.label)).toEqual(["500 ms", "1 s", "+Inf"]);
  });

  it("no negative counts (counter resets); a missing lower bucket leaves the cell out", () => {
    const g = heatmapGrid(panelData([bucket("1", [5, null]), bucket("2", [3, 4]), bucket("+Inf", [9, 9])]), { calculate: false, deaccumulate: true });
    expect(g.cells).toEqual([
      [0, 0, 5], [0, 1, 0], [0, 2, 6],
      [1, 2, 5],
    ]);
  });

  it("series mode (or series without le): each series a row", () => {
    const plain = panelData([
      { name: "cpu0", labels: { cpu: "0" }, points: [[T0, 1], [T0 + S, null]] },
      { name: "cpu1", labels: { cpu: "1" }, points: [[T0, 3], [T0 + S, 2]] },
    ]);
    const g = heatmapGrid(plain, { calculate: false, deaccumulate: true });
    expect(g).toMatchObject({ mode: "series", rows: [{ label: "cpu0" }, { label: "cpu1" }], cells: [[0, 0, 1], [0, 1, 3], [1, 1, 2]], max: 3 });
    expect(heatmapGrid(histogram, { calculate: true, deaccumulate: true }).rows.map((r) => r.label)).toEqual(["+Inf", "0.5", "1", "1"]);
    expect(heatmapGrid(undefined, { calculate: false, deaccumulate: true }).cells).toEqual([]);
  });

  it("parseLe and formatBound", () => {
    expect([parseLe("+Inf"), parseLe("Inf"), parseLe("0.25"), parseLe("x"), parseLe(undefined)]).toEqual([Infinity, Infinity, 0.25, null, null]);
    expect(formatBound(Infinity, "s")).toBe("+Inf");
    expect(formatBound(0.25)).toBe("0.25");
  });
});

describe("buildHeatmapOption", () => {
  const grid = heatmapGrid(histogram, { calculate: false, deaccumulate: true });

  it("category axes of times and buckets, a heatmap series, the colour scheme", () => {
    const o = buildHeatmapOption(grid, { options: HeatmapOptionsSchema.parse({ colorScheme: "blues" }), useUTC: true });
    expect(o.xAxis).toMatchObject({ type: "category", data: [String(T0), String(T0 + S)] });
    expect(o.yAxis).toMatchObject({ type: "category", data: ["0.5", "1", "+Inf"] });
    expect(o.visualMap).toMatchObject({ type: "continuous", min: 0, max: 8, inRange: { color: COLOR_SCHEMES.blues } });
    expect((o.series as HeatmapSeriesOption[])[0]).toMatchObject({ type: "heatmap", data: grid.cells });
    const svg = renderSvg(o);
    expect(svg).toContain("<path");
    expect(svg).toContain("+Inf");
  });

  it("tooltip names the bucket's bounds", () => {
    expect(heatmapTooltip(grid, [1, 1, 7], true)).toContain("Bucket 0.5 – 1");
    expect(heatmapTooltip(grid, [0, 0, 2], true)).toContain("Bucket ≤ 0.5");
    expect(heatmapTooltip(grid, [0, 0, 2], true)).toContain("2024-05-01 12:00:00 UTC");
  });

  it("time labels: time of day, with the date over days", () => {
    expect(timeLabel(T0, 3_600_000, true)).toBe("12:00");
    expect(timeLabel(T0, 3 * 86_400_000, true)).toBe("05-01 12:00");
  });
});
