import type { BarSeriesOption } from "echarts/charts";
import type { MarkAreaComponentOption } from "echarts/components";
import { describe, expect, it } from "vitest";
import { SERIES_COLORS } from "@/components/charts/time-series-option";
import { ALERT_ANNOTATION_SERIES, type PanelAnnotation } from "@/components/panels/timeseries/alert-annotations";
import { renderSvg } from "@/components/panels/timeseries/ssr-render.test-util";
import type { PanelData } from "@/server/dashboards/panel-data";
import { buildLogVolumeOption, LEVEL_COLORS, volumeSeries, volumeTooltip } from "./logvolume-option";

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const STEP = 60_000;
const pts = (...vs: number[]): [number, number | null][] => vs.map((v, i) => [T0 + i * STEP, v]);
const data: PanelData = {
  range: { start: T0, end: T0 + 3 * STEP },
  intervalMs: STEP,
  results: [
    {
      kind: "series",
      refId: "A",
      stepMs: STEP,
      instant: false,
      series: [
        { name: "error", labels: { level: "error" }, points: pts(1, 0, 2) },
        { name: "warn", labels: { level: "warn" }, points: pts(0, 3, 1) },
        { name: "info", labels: { level: "info" }, points: pts(5, 5, 5) },
        { name: "unknown", labels: { level: "unknown" }, points: pts(1, 1, 1) },
      ],
    },
    { kind: "error", refId: "B", message: "unknown field" },
  ],
};

describe("volumeSeries", () => {
  it("stacks levels least severe first, in level colours", () => {
    expect(volumeSeries(data, true).map((s) => [s.name, s.color])).toEqual([
      ["unknown", LEVEL_COLORS.unknown],
      ["info", LEVEL_COLORS.info],
      ["warn", LEVEL_COLORS.warn],
      ["error", LEVEL_COLORS.error],
    ]);
    expect(LEVEL_COLORS.error).toBe("#ef4444");
  });

  it("sums everything into one series when not stacking by level", () => {
    expect(volumeSeries(data, false)).toEqual([{ name: "logs", color: LEVEL_COLORS.info, points: pts(7, 9, 9) }]);
  });

  it("a count series keeps a palette colour; nothing gives nothing", () => {
    const count: PanelData = { ...data, results: [{ kind: "series", refId: "A", stepMs: STEP, instant: false, series: [{ name: "count", labels: {}, points: pts(1) }] }] };
    expect(volumeSeries(count, true)).toEqual([{ name: "count", color: SERIES_COLORS[0], points: pts(1) }]);
    expect(volumeSeries(undefined, true)).toEqual([]);
  });
});

describe("buildLogVolumeOption", () => {
  const series = volumeSeries(data, true);

  it("stacked bars centred in their buckets over the range", () => {
    const o = buildLogVolumeOption({ series, startMs: T0, endMs: T0 + 3 * STEP, stepMs: STEP });
    const bars = o.series as BarSeriesOption[];
    expect(bars.map((b) => [b.type, b.name, b.stack, b.color])).toEqual([
      ["bar", "unknown", "volume", LEVEL_COLORS.unknown],
      ["bar", "info", "volume", LEVEL_COLORS.info],
      ["bar", "warn", "volume", LEVEL_COLORS.warn],
      ["bar", "error", "volume", LEVEL_COLORS.error],
    ]);
    expect(bars[3]!.data).toEqual([[T0 + STEP / 2, 1], [T0 + 1.5 * STEP, 0], [T0 + 2.5 * STEP, 2]]);
    expect(o.xAxis).toMatchObject({ type: "time", min: T0, max: T0 + 3 * STEP });
    expect(o.brush).toMatchObject({ brushType: "lineX" });
    const svg = renderSvg(o);
    for (const c of [LEVEL_COLORS.info, LEVEL_COLORS.warn, LEVEL_COLORS.error]) expect(svg).toContain(c);
  });

  it("hidden levels are left out", () => {
    const o = buildLogVolumeOption({ series, startMs: T0, endMs: T0 + 3 * STEP, stepMs: STEP, hidden: new Set(["info", "unknown"]) });
    expect((o.series as BarSeriesOption[]).map((b) => b.name)).toEqual(["warn", "error"]);
  });

  it("tooltip: bucket start, most severe first, total", () => {
    const html = volumeTooltip(
      [
        { seriesName: "info", color: "#22c55e", value: [T0 + STEP / 2, 5] },
        { seriesName: "error", color: "#ef4444", value: [T0 + STEP / 2, 2] },
      ],
      STEP,
      true,
    );
    expect(html).toContain("2024-05-01 12:00:00 UTC");
    expect(html.indexOf("error")).toBeLessThan(html.indexOf("info"));
    expect(html).toMatch(/Total<\/span><b>7</);
  });

  it("alert periods: a band over the bars, listed in the tooltip of the buckets they overlap", () => {
    const firing: PanelAnnotation = { ruleUid: "r", ruleTitle: "Errors", fingerprint: "f", labels: { alertname: "Errors", job: "api" }, state: "firing", start: T0 + STEP * 1.5, end: null };
    // The error level (red too) hidden, so the red in the drawing is the band's.
    const o = buildLogVolumeOption({ series, startMs: T0, endMs: T0 + 3 * STEP, stepMs: STEP, annotations: [firing], hidden: new Set(["error"]) });
    const all = o.series as { name: string; type: string; markArea?: MarkAreaComponentOption }[];
    expect(all.map((x) => x.name)).toEqual(["unknown", "info", "warn", ALERT_ANNOTATION_SERIES]);
    expect(all[3]!.markArea!.data).toMatchObject([[{ xAxis: T0 + STEP * 1.5 }, { xAxis: T0 + 3 * STEP }]]);
    const formatter = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    // The bucket [T0+STEP, T0+2·STEP) overlaps the period; the first one does not.
    expect(formatter([{ seriesName: "info", color: "#22c55e", value: [T0 + 1.5 * STEP, 5] }])).toContain("<b>Firing</b> Errors");
    expect(formatter([{ seriesName: "info", color: "#22c55e", value: [T0 + STEP / 2, 5] }])).not.toContain("Firing");
    expect(renderSvg(o)).toContain("#ef4444");
    // Without periods nothing is added.
    expect((buildLogVolumeOption({ series, startMs: T0, endMs: T0 + 3 * STEP, stepMs: STEP, annotations: [] }).series as unknown[]).length).toBe(4);
  });
});
