import { describe, expect, it } from "vitest";
import { SERIES_COLORS } from "@/components/charts/time-series-option";
import type { FieldConfig } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";
import { displaySeries } from "./display-series";

const data: PanelData = {
  range: { start: 0, end: 60_000 },
  intervalMs: 15_000,
  results: [
    {
      kind: "series",
      refId: "A",
      stepMs: 15_000,
      instant: false,
      series: [
        { name: "api", labels: { job: "api", code: "200" }, points: [[0, 1]] },
        { name: "web", labels: { job: "web", code: "500" }, points: [[0, 2]] },
      ],
    },
    { kind: "error", refId: "B", message: "parse error" },
    { kind: "logs", refId: "C", hits: [], total: 0 },
    { kind: "series", refId: "D", stepMs: 15_000, instant: false, series: [{ name: "api", labels: { job: "api" }, points: [[0, 3]] }] },
  ],
};

const fc = (over: Partial<FieldConfig>): FieldConfig => ({ defaults: {}, overrides: [], ...over });

describe("displaySeries", () => {
  it("takes every series result in order, names unique, palette colours by position, unit short", () => {
    const s = displaySeries(data, fc({}));
    expect(s.map((x) => [x.name, x.refId, x.color, x.unit])).toEqual([
      ["api", "A", SERIES_COLORS[0], "short"],
      ["web", "A", SERIES_COLORS[1], "short"],
      ["api (2)", "D", SERIES_COLORS[2], "short"],
    ]);
    expect(displaySeries(undefined, undefined)).toEqual([]);
  });

  it("defaults: display name template, fixed colour, unit, decimals", () => {
    const s = displaySeries(data, fc({ defaults: { displayName: "{{job}} {{code}}", color: "semi-dark-red", unit: "bytes", decimals: 1 } }));
    expect(s.map((x) => x.name)).toEqual(["api 200", "web 500", "api "]);
    expect(new Set(s.map((x) => x.color))).toEqual(new Set(["#dc2626"]));
    expect(s.every((x) => x.unit === "bytes" && x.decimals === 1)).toBe(true);
  });

  it("overrides by name, regex and query; a later override wins", () => {
    const s = displaySeries(
      data,
      fc({
        defaults: { unit: "short" },
        overrides: [
          { matcher: { id: "byName", options: "web" }, properties: { color: "purple", displayName: "Web {{code}}" } },
          { matcher: { id: "byRegexp", options: "/^a/" }, properties: { unit: "s" } },
          { matcher: { id: "byQuery", options: "D" }, properties: { unit: "ms", color: "#123456" } },
        ],
      }),
    );
    expect(s.map((x) => [x.name, x.color, x.unit])).toEqual([
      ["api", SERIES_COLORS[0], "s"],
      ["Web 500", "#a855f7", "short"],
      ["api (2)", "#123456", "ms"],
    ]);
  });
});
