import type { MarkAreaComponentOption, MarkLineComponentOption } from "echarts/components";
import { describe, expect, it } from "vitest";
import { ALERT_ANNOTATION_SERIES, alertAnnotationSeries, alertTooltipHtml, ANNOTATION_STYLE, labelsText, MAX_DRAWN_PERIODS, visiblePeriods, type PanelAnnotation } from "./alert-annotations";
import { renderSvg } from "./ssr-render.test-util";

const M = 60_000;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const at = (min: number) => T0 + min * M;
const range = { startMs: at(0), endMs: at(60) };
const period = (state: PanelAnnotation["state"], start: number, end: number | null, over: Partial<PanelAnnotation> = {}): PanelAnnotation => ({
  ruleUid: "r1",
  ruleTitle: "High <error> rate",
  fingerprint: "f1",
  labels: { alertname: "High error rate", instance: "api:9100", severity: "critical" },
  state,
  start: at(start),
  end: end === null ? null : at(end),
  ...over,
});

type Area = [{ name: string; xAxis: number; itemStyle: { color: string; opacity: number } }, { xAxis: number }];
const areas = (s: ReturnType<typeof alertAnnotationSeries>) => (s!.markArea as MarkAreaComponentOption).data as unknown as Area[];
const lines = (s: ReturnType<typeof alertAnnotationSeries>) => ((s!.markLine as MarkLineComponentOption | undefined)?.data ?? []) as { xAxis: number; lineStyle: { color: string; width: number } }[];

describe("alertAnnotationSeries", () => {
  it("nothing to draw without periods in the range", () => {
    expect(alertAnnotationSeries(undefined, range)).toBeNull();
    expect(alertAnnotationSeries([], range)).toBeNull();
    expect(alertAnnotationSeries([period("firing", -30, -10), period("firing", 70, null)], range)).toBeNull();
  });

  it("one band per period in the state's colour, a line at each start inside the range", () => {
    const s = alertAnnotationSeries([period("pending", 10, 15), period("firing", 15, 30), period("nodata", 40, null), period("error", 50, 55)], range)!;
    expect(s).toMatchObject({ type: "line", name: ALERT_ANNOTATION_SERIES, data: [], tooltip: { show: false } });
    expect(areas(s).map(([a, b]) => [a.name, a.itemStyle.color, (a.xAxis - T0) / M, (b.xAxis - T0) / M])).toEqual([
      ["Pending: High <error> rate", "#f59e0b", 10, 15],
      ["Firing: High <error> rate", "#ef4444", 15, 30],
      ["No data: High <error> rate", ANNOTATION_STYLE.nodata.color, 40, 60],
      ["Error: High <error> rate", ANNOTATION_STYLE.error.color, 50, 55],
    ]);
    expect(areas(s)[1]![0].itemStyle.opacity).toBeLessThan(0.3);
    expect(lines(s).map((l) => [(l.xAxis - T0) / M, l.lineStyle.color, l.lineStyle.width])).toEqual([
      [10, "#f59e0b", 1],
      [15, "#ef4444", 1],
      [40, "#94a3b8", 1],
      [50, "#94a3b8", 1],
    ]);
    // The rule title shows on the band when hovered.
    expect(s.markArea).toMatchObject({ label: { show: false }, emphasis: { label: { show: true, formatter: "{b}" } } });
  });

  it("clips to the panel's range: a period begun before has no start line, open ones reach the end", () => {
    const s = alertAnnotationSeries([period("firing", -120, null)], range)!;
    expect(areas(s).map(([a, b]) => [(a.xAxis - T0) / M, (b.xAxis - T0) / M])).toEqual([[0, 60]]);
    expect(s.markLine).toBeUndefined();
    // A panel shifted back (timeShift) sees only what overlaps its own range.
    expect(visiblePeriods([period("firing", 10, 20), period("firing", 50, null)], at(-30), at(15)).map((v) => [(v.from - T0) / M, (v.to - T0) / M])).toEqual([[10, 15]]);
  });

  it("draws at most MAX_DRAWN_PERIODS bands, the latest", () => {
    const many = Array.from({ length: MAX_DRAWN_PERIODS + 20 }, (_, i) => period("firing", i * 0.1, i * 0.1 + 0.05, { fingerprint: `f${i}` }));
    const shown = visiblePeriods(many, range.startMs, range.endMs);
    expect(shown).toHaveLength(MAX_DRAWN_PERIODS);
    expect(shown[0]!.period.fingerprint).toBe("f20");
  });

  it("ECharts draws the bands and lines (a filled rectangle in the firing colour)", () => {
    const s = alertAnnotationSeries([period("firing", 15, 30)], range)!;
    const svg = renderSvg({
      xAxis: { type: "time", min: range.startMs, max: range.endMs },
      yAxis: { type: "value" },
      series: [{ type: "line", data: [[at(0), 1], [at(60), 2]] }, s],
    });
    expect(svg).toMatch(/fill="#ef4444"/);
  });
});

describe("alert tooltip", () => {
  it("lists the periods going on at the time, with labels but not alertname, escaped", () => {
    const ps = [period("firing", 10, 30), period("pending", 40, null, { ruleTitle: "Disk", labels: { alertname: "Disk", mount: "/" } })];
    const html = alertTooltipHtml(ps, at(20));
    expect(html).toContain("<b>Firing</b> High &lt;error&gt; rate");
    expect(html).toContain("{instance=&quot;api:9100&quot;, severity=&quot;critical&quot;}");
    expect(html).not.toContain("Disk");
    expect(alertTooltipHtml(ps, at(30))).toBe("");
    expect(alertTooltipHtml(ps, at(100))).toContain("<b>Pending</b> Disk");
    expect(alertTooltipHtml(undefined, at(20))).toBe("");
  });

  it("a bucket lists what overlaps it; long lists are cut", () => {
    const ps = [period("firing", 10, 30)];
    expect(alertTooltipHtml(ps, at(5))).toBe("");
    expect(alertTooltipHtml(ps, at(5), { untilMs: at(11) })).toContain("Firing");
    expect(alertTooltipHtml(ps, at(30), { untilMs: at(31) })).toBe("");
    const many = Array.from({ length: 12 }, (_, i) => period("firing", 0, null, { fingerprint: `f${i}` }));
    expect(alertTooltipHtml(many, at(1), { max: 8 })).toContain("… 4 more alerts");
  });

  it("labelsText", () => {
    expect(labelsText({ alertname: "X" })).toBe("");
    expect(labelsText({ alertname: "X", a: 'q"uote' })).toBe('{a="q\\"uote"}');
  });
});
