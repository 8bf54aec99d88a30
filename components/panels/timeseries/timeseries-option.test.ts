import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import { describe, expect, it } from "vitest";
import { TimeSeriesOptionsSchema, type FieldDefaults, type Reducer, type TimeSeriesOptions } from "@/server/dashboards/model";
import { ALERT_ANNOTATION_SERIES, type PanelAnnotation } from "./alert-annotations";
import type { DisplaySeries } from "./display-series";
import { renderSvg } from "./ssr-render.test-util";
import {
  buildTimeseriesPanelOption,
  legendItems,
  percentPoints,
  sortLegend,
  THRESHOLD_SERIES,
  thresholdLevels,
  tooltipContent,
  tooltipRows,
  type TimeseriesOptionInput,
} from "./timeseries-option";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const S = 15_000;
const mk = (name: string, values: (number | null)[], over: Partial<DisplaySeries> = {}): DisplaySeries => ({
  name,
  refId: "A",
  labels: {},
  color: name === "a" ? "#111111" : "#222222",
  unit: "short",
  points: values.map((v, i) => [T0 + i * S, v]),
  ...over,
});
const series = [mk("a", [1, 2, null, 4]), mk("b", [3, Number.NaN, 1, 0], { unit: "bytes" })];
const opts = (o: Record<string, unknown> = {}): TimeSeriesOptions => TimeSeriesOptionsSchema.parse(o);
const build = (over: Partial<TimeseriesOptionInput> = {}, o: Record<string, unknown> = {}, defaults: FieldDefaults = {}) =>
  buildTimeseriesPanelOption({ series, options: opts(o), defaults, startMs: T0, endMs: T0 + 3 * S, ...over });
const drawn = (o: ReturnType<typeof build>) => o.series as (LineSeriesOption & BarSeriesOption)[];
const yAxis = (o: ReturnType<typeof build>) => o.yAxis as Record<string, unknown>;

describe("buildTimeseriesPanelOption", () => {
  it("lines by default: one per series, gaps for null and NaN, the range as the x axis", () => {
    const o = build();
    const s = drawn(o);
    expect(s.map((x) => [x.type, x.name, x.color])).toEqual([
      ["line", "a", "#111111"],
      ["line", "b", "#222222"],
    ]);
    expect(s[1]!.data).toEqual([[T0, 3], [T0 + S, null], [T0 + 2 * S, 1], [T0 + 3 * S, 0]]);
    expect(s[0]).toMatchObject({ connectNulls: false, lineStyle: { width: 1 }, showSymbol: true });
    expect(s[0]!.stack).toBeUndefined();
    expect(s[0]!.areaStyle).toBeUndefined();
    expect(o.xAxis).toMatchObject({ type: "time", min: T0, max: T0 + 3 * S });
    expect(yAxis(o)).toMatchObject({ type: "value", scale: true, show: true, position: "left" });
    expect(renderSvg(o)).toContain("<path");
  });

  it("line width, fill, interpolation, points", () => {
    const s = drawn(build({}, { lineWidth: 3, fillOpacity: 40, lineInterpolation: "stepAfter", showPoints: "never" }));
    expect(s[0]).toMatchObject({ lineStyle: { width: 3 }, areaStyle: { opacity: 0.4 }, step: "end", showSymbol: false });
    expect(drawn(build({}, { lineInterpolation: "smooth" }))[0]!.smooth).toBeTruthy();
    const many = mk("a", Array.from({ length: 500 }, (_, i) => i));
    expect(drawn(build({ series: [many], width: 600 }, { showPoints: "auto" }))[0]!.showSymbol).toBe(false);
    expect(drawn(build({ series: [many] }, { showPoints: "always" }))[0]!.showSymbol).toBe(true);
    const points = drawn(build({}, { drawStyle: "points", pointSize: 7 }));
    expect(points[0]).toMatchObject({ type: "line", showSymbol: true, symbolSize: 7, lineStyle: { width: 0 } });
  });

  it("bars, stacked normally", () => {
    const o = build({}, { drawStyle: "bars", stacking: "normal", fillOpacity: 50 });
    expect(drawn(o).map((x) => [x.type, x.stack])).toEqual([
      ["bar", "A"],
      ["bar", "A"],
    ]);
    expect(drawn(o)[0]!.itemStyle).toEqual({ opacity: 0.5 });
    expect(yAxis(o).scale).toBe(false);
    expect(renderSvg(o)).toContain("<path");
  });

  it("percent stacking draws shares of the total at each time, axis 0…1 in percent", () => {
    expect(percentPoints([mk("a", [1, 2, null]), mk("b", [3, 2, 5])])).toEqual([
      [[T0, 0.25, 1], [T0 + S, 0.5, 2], [T0 + 2 * S, null, null]],
      [[T0, 0.75, 3], [T0 + S, 0.5, 2], [T0 + 2 * S, 1, 5]],
    ]);
    const o = build({}, { stacking: "percent" });
    expect(yAxis(o)).toMatchObject({ min: 0, max: 1 });
    expect((yAxis(o).axisLabel as { formatter: (v: number) => string }).formatter(0.5)).toBe("50%");
  });

  it("y axis: min/max from the field config, log scale drops values ≤ 0, placement and label", () => {
    expect(yAxis(build({}, {}, { min: 0, max: 10 }))).toMatchObject({ min: 0, max: 10, scale: false });
    const log = build({}, { axis: { scale: "log", logBase: 2 } });
    expect(yAxis(log)).toMatchObject({ type: "log", logBase: 2 });
    expect(drawn(log)[1]!.data).toEqual([[T0, 3], [T0 + S, null], [T0 + 2 * S, 1], [T0 + 3 * S, null]]);
    expect(renderSvg(log)).toContain("<path");
    expect(yAxis(build({}, { axis: { placement: "right", label: "req/s" } }))).toMatchObject({ position: "right", name: "req/s", show: true });
    expect(yAxis(build({}, { axis: { placement: "hidden" } })).show).toBe(false);
  });

  it("axis labels in the first visible series' unit", () => {
    const fmt = (o: ReturnType<typeof build>) => (yAxis(o).axisLabel as { formatter: (v: number) => string }).formatter(2048);
    expect(fmt(build({ hidden: new Set(["a"]) }))).toMatch(/KiB/);
    expect(fmt(build())).toBe("2.05 K");
  });

  it("hidden series are left out", () => {
    expect(drawn(build({ hidden: new Set(["a"]) })).map((s) => s.name)).toEqual(["b"]);
  });

  it("thresholds as dashed lines and/or bands on a series of their own", () => {
    const defaults: FieldDefaults = { thresholds: { mode: "absolute", steps: [{ value: 80, color: "red" }, { value: null, color: "green" }, { value: 50, color: "orange" }] } };
    const lines = drawn(build({}, { thresholdsStyle: "line" }, defaults)).find((s) => s.name === THRESHOLD_SERIES)!;
    expect(lines.data).toEqual([]);
    expect(lines.markLine!.data).toEqual([
      { yAxis: 50, lineStyle: { color: "#f97316", type: "dashed", width: 1 } },
      { yAxis: 80, lineStyle: { color: "#ef4444", type: "dashed", width: 1 } },
    ]);
    expect(lines.markArea).toBeUndefined();
    // Data across the thresholds: marks outside the y range are not drawn (the axis does not grow for them).
    const both = build({ series: [mk("a", [10, 60, 90])] }, { thresholdsStyle: "line+area" }, defaults);
    const marks = drawn(both).find((s) => s.name === THRESHOLD_SERIES)!;
    const bands = (marks.markArea!.data as [{ yAxis: number; itemStyle: { color: string } }, { yAxis: number }][]).map(([a, b]) => [a.yAxis, b.yAxis, a.itemStyle.color]);
    expect(bands).toEqual([
      [-Infinity, 50, "#22c55e"],
      [50, 80, "#f97316"],
      [80, Infinity, "#ef4444"],
    ]);
    const svg = renderSvg(both);
    // Every band is drawn, the top one above the data too.
    for (const c of ["#22c55e", "#f97316", "#ef4444"]) expect(svg).toContain(`fill="${c}"`);
    expect(svg).toContain("stroke-dasharray");
    expect(drawn(build({}, { thresholdsStyle: "off" }, defaults)).some((s) => s.name === THRESHOLD_SERIES)).toBe(false);
  });

  it("percentage thresholds are shares of min…max", () => {
    expect(thresholdLevels({ thresholds: { mode: "percentage", steps: [{ value: null, color: "green" }, { value: 50, color: "red" }] } }, [0, 200])).toEqual([
      { value: null, color: "#22c55e" },
      { value: 100, color: "#ef4444" },
    ]);
  });

  it("tooltip modes: all rows sorted with units, the nearest one, or none", () => {
    const byName = new Map(series.map((s) => [s.name, s]));
    const params = [
      { seriesName: "a", color: "#111111", value: [T0, 1] },
      { seriesName: "b", color: "#222222", value: [T0, 2048] },
      { seriesName: THRESHOLD_SERIES, value: [T0, 0] },
    ];
    const multi = tooltipRows(params, byName, "multi", null)!;
    expect(multi.time).toBe(T0);
    expect(multi.rows.map((r) => [r.name, r.value])).toEqual([
      ["b", 2048],
      ["a", 1],
    ]);
    expect(multi.rows[0]!.text).toMatch(/KiB/);
    expect(tooltipRows(params, byName, "single", 10)!.rows.map((r) => r.name)).toEqual(["a"]);
    expect(tooltipRows(params, byName, "single", 1500)!.rows.map((r) => r.name)).toEqual(["b"]);
    // Percent stacking keeps the raw value third: the tooltip shows it.
    expect(tooltipRows([{ seriesName: "a", value: [T0, 0.25, 1] }], byName, "multi", null)!.rows[0]!.value).toBe(1);
    const html = tooltipContent(T0, multi.rows, true);
    expect(html).toContain("2024-05-01 12:00:00 UTC");
    expect(html.indexOf(">b<")).toBeLessThan(html.indexOf(">a<"));
    expect(build({}, { tooltip: { mode: "none" } }).tooltip).toMatchObject({ showContent: false });
    const single = build({ pointerValue: () => 1 }, { tooltip: { mode: "single" } });
    const formatter = (single.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(formatter(params)).toContain(">a<");
    expect(formatter(params)).not.toContain(">b<");
  });

  it("alert periods: bands on their own series, not in the y range, listed in the tooltip", () => {
    const firing: PanelAnnotation = { ruleUid: "r", ruleTitle: "Latency", fingerprint: "f", labels: { alertname: "Latency", job: "api" }, state: "firing", start: T0 + S, end: T0 + 2 * S };
    const o = build({ annotations: [firing] }, {}, { thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 3, color: "red" }] } });
    const s = drawn(o);
    expect(s.map((x) => x.name)).toEqual(["a", "b", ALERT_ANNOTATION_SERIES]);
    expect(s[2]).toMatchObject({ data: [], markArea: { data: [[{ xAxis: T0 + S }, { xAxis: T0 + 2 * S }]] }, markLine: { data: [{ xAxis: T0 + S }] } });
    expect(s[2]!.stack).toBeUndefined();
    // Thresholds on (line style): both mark series.
    expect(drawn(build({ annotations: [firing] }, { thresholdsStyle: "line" }, { thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 3, color: "red" }] } })).map((x) => x.name)).toEqual(["a", "b", THRESHOLD_SERIES, ALERT_ANNOTATION_SERIES]);
    const formatter = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const inside = formatter([{ seriesName: "a", color: "#111111", value: [T0 + S, 2] }, { seriesName: ALERT_ANNOTATION_SERIES, value: [T0 + S, 0] }]);
    expect(inside).toContain("<b>Firing</b> Latency");
    expect(inside).toContain("{job=&quot;api&quot;}");
    expect(inside.match(new RegExp(ALERT_ANNOTATION_SERIES, "g"))).toBeNull();
    expect(formatter([{ seriesName: "a", color: "#111111", value: [T0, 1] }])).not.toContain("Latency");
    // Stacked percent and bars keep them too; ECharts draws the band.
    expect(drawn(build({ annotations: [firing] }, { stacking: "percent", drawStyle: "bars" })).at(-1)!.name).toBe(ALERT_ANNOTATION_SERIES);
    expect(renderSvg(o)).toContain("#ef4444");
    expect(drawn(build({ annotations: [] })).map((x) => x.name)).toEqual(["a", "b"]);
  });

  it("an empty panel still draws (axes only)", () => {
    expect(renderSvg(build({ series: [] }))).toContain("<svg");
  });
});

describe("legend", () => {
  const reduce = (points: [number, number | null][], r: Reducer): number | null => {
    const vs = points.map((p) => p[1]).filter((v): v is number => v !== null && !Number.isNaN(v));
    if (r === "max") return vs.length ? Math.max(...vs) : null;
    if (r === "count") return vs.length;
    return vs.at(-1) ?? null;
  };

  it("items carry each calculation's value and text in the series' unit", () => {
    const items = legendItems(series, ["max", "count"], reduce);
    expect(items.map((i) => [i.name, i.color, i.calcs.map((c) => [c.reducer, c.value])])).toEqual([
      ["a", "#111111", [["max", 4], ["count", 3]]],
      ["b", "#222222", [["max", 3], ["count", 3]]],
    ]);
    expect(items[1]!.calcs[0]!.text).toMatch(/^3(\.0)? B$/);
    expect(items[1]!.calcs[1]!.text).toBe("3");
  });

  it("table sorting by a calculation, missing values last", () => {
    const items = legendItems([...series, mk("c", [null])], ["max"], reduce);
    expect(sortLegend(items, { reducer: "max", desc: true }).map((i) => i.name)).toEqual(["a", "b", "c"]);
    expect(sortLegend(items, { reducer: "max", desc: false }).map((i) => i.name)).toEqual(["b", "a", "c"]);
    expect(sortLegend(items, null).map((i) => i.name)).toEqual(["a", "b", "c"]);
  });
});
