import { describe, expect, it } from "vitest";
import type { GaugeSeriesOption } from "echarts/charts";
import { panelValues } from "@/components/panels/common/field-display";
import type { PanelData } from "@/server/dashboards/panel-data";
import { END_ANGLE, gaugeGeometry, gaugeOption, START_ANGLE, valueAngle } from "./gauge-option";

const data = (values: (number | null)[]): PanelData => ({
  range: { start: 0, end: 1 },
  intervalMs: 1,
  results: [{ kind: "series", refId: "A", stepMs: 0, instant: true, series: values.map((v, i) => ({ name: `s${i}`, labels: {}, points: [[0, v]] })) }],
});
const thresholds = { mode: "absolute" as const, steps: [{ value: null, color: "green" }, { value: 80, color: "red" }] };
const panel = { fieldConfig: { defaults: { unit: "percent", thresholds }, overrides: [] } };

describe("gaugeGeometry", () => {
  it("keeps every gauge inside the panel", () => {
    for (const [n, w, h] of [[1, 300, 200], [3, 900, 200], [4, 300, 600], [6, 500, 500]] as const) {
      const g = gaugeGeometry(n, w, h, true, true);
      expect(g).toHaveLength(n);
      for (const { cx, cy, radius } of g) {
        expect(cx - radius).toBeGreaterThanOrEqual(0);
        expect(cx + radius).toBeLessThanOrEqual(w);
        expect(cy - radius).toBeGreaterThanOrEqual(0);
        expect(cy + radius / 2).toBeLessThanOrEqual(h);
      }
    }
  });
  it("places several gauges side by side in a wide panel", () => {
    const g = gaugeGeometry(3, 900, 200, false, true);
    expect(new Set(g.map((x) => Math.round(x.cy))).size).toBe(1);
    expect(g[0]!.cx).toBeLessThan(g[1]!.cx);
  });
});

describe("gaugeOption", () => {
  it("draws the value arc in its threshold colour and a ring of threshold bands", () => {
    const values = panelValues(panel, data([50, 90]), "last", { min: 0, max: 100 });
    const opt = gaugeOption(values, { width: 600, height: 300, showThresholdMarkers: true, showThresholdLabels: false, showName: true, dark: false });
    const series = opt.series as GaugeSeriesOption[];
    expect(series).toHaveLength(4);
    const [main0, ring0, main1] = series;
    expect((main0!.progress as { itemStyle: { color: string } }).itemStyle.color).toBe(values[0]!.display.color);
    expect((main1!.progress as { itemStyle: { color: string } }).itemStyle.color).toBe(values[1]!.display.color);
    expect(values[0]!.display.color).not.toBe(values[1]!.display.color);
    const ringColors = (ring0!.axisLine as { lineStyle: { color: [number, string][] } }).lineStyle.color;
    expect(ringColors.map(([r]) => r)).toEqual([0.8, 1]);
    expect((main0!.data as { value: number }[])[0]!.value).toBe(50);
    expect((main0!.detail as { formatter: () => string }).formatter()).toBe("50%");
  });
  it("clamps the arc to min…max and shows missing values as empty", () => {
    const values = panelValues(panel, data([150, null]), "last", { min: 0, max: 100 });
    const series = gaugeOption(values, { width: 600, height: 300, showThresholdMarkers: false, showThresholdLabels: false, showName: false, dark: true }).series as GaugeSeriesOption[];
    expect(series).toHaveLength(2);
    expect((series[0]!.data as { value: number }[])[0]!.value).toBe(100);
    expect((series[0]!.detail as { formatter: () => string }).formatter()).toBe("150%");
    expect((series[1]!.progress as { show: boolean }).show).toBe(false);
    expect((series[1]!.detail as { formatter: () => string }).formatter()).toBe("No data");
  });
  it("labels min, max and each threshold around the arc", () => {
    const values = panelValues(panel, data([10]), "last", { min: 0, max: 100 });
    const opt = gaugeOption(values, { width: 300, height: 300, showThresholdMarkers: true, showThresholdLabels: true, showName: false, dark: false });
    const texts = (opt.graphic as { elements: { style: { text: string } }[] }).elements.map((e) => e.style.text);
    expect(texts).toEqual(["0%", "80%", "100%"]);
  });
  it("maps values to angles along the arc", () => {
    expect(valueAngle(0, 0, 100)).toBe(START_ANGLE);
    expect(valueAngle(100, 0, 100)).toBe(END_ANGLE);
    expect(valueAngle(50, 0, 100)).toBe(90);
  });
});
