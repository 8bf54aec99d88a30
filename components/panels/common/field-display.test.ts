import { describe, expect, it } from "vitest";
import type { FieldConfig, Thresholds } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";
import {
  applyLabelTemplate,
  applyMappings,
  displayText,
  displayValue,
  fillRatio,
  NO_VALUE_COLOR,
  panelValues,
  resolveColor,
  resolveFieldConfig,
  seriesDisplayName,
  thresholdBands,
  thresholdColor,
} from "./field-display";

const GREEN = resolveColor("green");
const RED = resolveColor("red");
const ORANGE = resolveColor("orange");

describe("resolveColor", () => {
  it("turns Grafana's named colours into hex, shades included", () => {
    expect(GREEN).toMatch(/^#[0-9a-f]{6}$/);
    expect(resolveColor("semi-dark-red")).toMatch(/^#[0-9a-f]{6}$/);
    expect(resolveColor("semi-dark-red")).not.toBe(RED);
    expect(resolveColor("dark-red")).not.toBe(resolveColor("semi-dark-red"));
    expect(resolveColor("light-blue")).not.toBe(resolveColor("blue"));
    expect(resolveColor("super-light-purple")).toMatch(/^#/);
    expect(resolveColor("Yellow")).toBe(resolveColor("yellow"));
    expect(resolveColor("text")).toMatch(/^#/);
  });
  it("passes CSS colours through", () => {
    expect(resolveColor("#FF0000")).toBe("#FF0000");
    expect(resolveColor("rgba(1, 2, 3, 0.5)")).toBe("rgba(1, 2, 3, 0.5)");
    expect(resolveColor("teal")).toBe("teal");
    expect(resolveColor(undefined, "#123456")).toBe("#123456");
  });
});

describe("resolveFieldConfig", () => {
  const fc: FieldConfig = {
    defaults: { unit: "bytes", decimals: 1, thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }] } },
    overrides: [
      { matcher: { id: "byName", options: "api" }, properties: { unit: "s" } },
      { matcher: { id: "byRegexp", options: "web-.*" }, properties: { displayName: "web {{instance}}", decimals: 3 } },
      { matcher: { id: "byRegexp", options: "/^WEB-2$/i" }, properties: { unit: "percent" } },
      { matcher: { id: "byQuery", options: "B" }, properties: { color: "red", min: 0 } },
    ],
  };
  it("keeps the defaults when nothing matches", () => {
    expect(resolveFieldConfig(fc, { name: "db", refId: "A" })).toEqual(fc.defaults);
  });
  it("applies matching overrides in order, by name, regexp and query", () => {
    expect(resolveFieldConfig(fc, { name: "api", refId: "A" }).unit).toBe("s");
    const web2 = resolveFieldConfig(fc, { name: "web-2", refId: "B" });
    expect(web2).toMatchObject({ unit: "percent", decimals: 3, displayName: "web {{instance}}", color: "red", min: 0 });
    expect(web2.thresholds).toEqual(fc.defaults.thresholds);
    // an anchored bare regexp must match the whole name
    expect(resolveFieldConfig(fc, { name: "xweb-1" }).decimals).toBe(1);
  });
  it("ignores a regexp that does not compile", () => {
    expect(resolveFieldConfig({ defaults: {}, overrides: [{ matcher: { id: "byRegexp", options: "(" }, properties: { unit: "s" } }] }, { name: "(" })).toEqual({});
  });
  it("names series by displayName templates", () => {
    expect(applyLabelTemplate("{{ job }}/{{instance}}{{missing}}", { job: "api", instance: "h:1" })).toBe("api/h:1");
    expect(seriesDisplayName({ name: "up", labels: { instance: "a" } }, { displayName: "{{instance}}" })).toBe("a");
    expect(seriesDisplayName({ name: "up", labels: {} }, {})).toBe("up");
  });
});

describe("thresholds", () => {
  const abs: Thresholds = { mode: "absolute", steps: [{ value: 80, color: "red" }, { value: null, color: "green" }, { value: 50, color: "orange" }] };
  it("picks the highest step reached, the base below all", () => {
    expect(thresholdColor(10, abs)).toBe(GREEN);
    expect(thresholdColor(50, abs)).toBe(ORANGE);
    expect(thresholdColor(79.9, abs)).toBe(ORANGE);
    expect(thresholdColor(80, abs)).toBe(RED);
    expect(thresholdColor(-1e9, abs)).toBe(GREEN);
    expect(thresholdColor(null, abs)).toBe(NO_VALUE_COLOR);
    expect(thresholdColor(5, undefined)).toBe(GREEN);
  });
  it("reads percentage steps against min…max", () => {
    const pct: Thresholds = { mode: "percentage", steps: [{ value: null, color: "green" }, { value: 50, color: "red" }] };
    expect(thresholdColor(400, pct, 0, 1000)).toBe(GREEN);
    expect(thresholdColor(500, pct, 0, 1000)).toBe(RED);
    expect(thresholdColor(0.6, pct, 0, 1)).toBe(RED);
    expect(thresholdColor(60, pct)).toBe(RED);
  });
  it("splits min…max into coloured bands", () => {
    expect(thresholdBands(abs, 0, 100)).toEqual([
      { from: 0, to: 50, color: GREEN },
      { from: 50, to: 80, color: ORANGE },
      { from: 80, to: 100, color: RED },
    ]);
    // steps outside the range are clipped away
    expect(thresholdBands(abs, 60, 70)).toEqual([{ from: 60, to: 70, color: ORANGE }]);
    expect(thresholdBands({ mode: "percentage", steps: [{ value: null, color: "green" }, { value: 25, color: "red" }] }, 0, 200)).toEqual([
      { from: 0, to: 50, color: GREEN },
      { from: 50, to: 200, color: RED },
    ]);
  });
});

describe("applyMappings", () => {
  const mappings = [
    { type: "value" as const, value: "1", text: "UP", color: "green" },
    { type: "value" as const, value: "null", text: "N/A" },
    { type: "range" as const, from: 0, to: 0.5, text: "low" },
    { type: "range" as const, from: 100, to: null, text: "", color: "red" },
  ];
  it("matches values as text and ranges inclusively, first match wins", () => {
    expect(applyMappings(1, mappings)).toEqual({ text: "UP", color: GREEN });
    expect(applyMappings(0.5, mappings)).toEqual({ text: "low" });
    expect(applyMappings(0, mappings)).toEqual({ text: "low" });
    expect(applyMappings(1e6, mappings)).toEqual({ color: RED });
    expect(applyMappings(null, mappings)).toEqual({ text: "N/A" });
    expect(applyMappings(2, mappings)).toBeUndefined();
    expect(applyMappings(2, undefined)).toBeUndefined();
    expect(applyMappings("1", mappings)?.text).toBe("UP");
  });
});

describe("displayValue", () => {
  it("formats in the unit with decimals and colours by thresholds", () => {
    const d = displayValue(1536, { unit: "bytes", decimals: 2, thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 1000, color: "red" }] } });
    expect(d).toEqual({ text: "1.50", suffix: " KiB", color: RED, numeric: 1536 });
    expect(displayText(d)).toBe("1.50 KiB");
  });
  it("lets a mapping replace the text and colour", () => {
    const d = displayValue(0, { unit: "short", mappings: [{ type: "value", value: "0", text: "DOWN", color: "red" }] });
    expect(d).toEqual({ text: "DOWN", color: RED, numeric: 0 });
  });
  it("shows noValue for a missing value", () => {
    expect(displayValue(null, {})).toMatchObject({ text: "No data", numeric: null, color: NO_VALUE_COLOR });
    expect(displayValue(NaN, { noValue: "–" }).text).toBe("–");
  });
  it("uses a fixed colour when there are no thresholds", () => {
    expect(displayValue(3, { color: "purple" }).color).toBe(resolveColor("purple"));
  });
  it("uses percentage thresholds against the given range", () => {
    const fc = { thresholds: { mode: "percentage" as const, steps: [{ value: null, color: "green" }, { value: 90, color: "red" }] } };
    expect(displayValue(9.5, fc, { min: 0, max: 10 }).color).toBe(RED);
    expect(displayValue(9.5, fc).color).toBe(GREEN);
  });
});

describe("panelValues", () => {
  const data: PanelData = {
    range: { start: 0, end: 2000 },
    intervalMs: 1000,
    results: [
      { kind: "series", refId: "A", stepMs: 1000, instant: false, series: [{ name: "a", labels: { instance: "x" }, points: [[0, 1], [1000, 5]] }, { name: "b", labels: {}, points: [[0, null]] }] },
      { kind: "error", refId: "B", message: "bad" },
      { kind: "series", refId: "C", stepMs: 0, instant: true, series: [{ name: "c", labels: {}, points: [[2000, -4]] }] },
    ],
  };
  const panel = { fieldConfig: { defaults: { unit: "short" }, overrides: [{ matcher: { id: "byQuery" as const, options: "C" }, properties: { displayName: "cee", max: 10 } }] } };
  it("reduces every series of the series results, with field config and display", () => {
    const vs = panelValues(panel, data, "last");
    expect(vs.map((v) => [v.key, v.name, v.value, displayText(v.display)])).toEqual([
      ["A-0", "a", 5, "5"],
      ["A-1", "b", null, "No data"],
      ["C-0", "cee", -4, "-4"],
    ]);
    // min/max from the data (min(0, smallest) … largest), or the field config
    expect([vs[0]!.min, vs[0]!.max]).toEqual([-4, 5]);
    expect([vs[2]!.min, vs[2]!.max]).toEqual([-4, 10]);
  });
  it("takes defaults (gauge 0…100) over the data range", () => {
    const vs = panelValues(panel, data, "first", { min: 0, max: 100 });
    expect([vs[0]!.value, vs[0]!.min, vs[0]!.max]).toEqual([1, 0, 100]);
  });
  it("is empty without data", () => {
    expect(panelValues(panel, undefined, "last")).toEqual([]);
  });
  it("measures the filled share", () => {
    expect(fillRatio(50, 0, 200)).toBe(0.25);
    expect(fillRatio(500, 0, 200)).toBe(1);
    expect(fillRatio(-5, 0, 200)).toBe(0);
    expect(fillRatio(null, 0, 200)).toBe(0);
  });
});
