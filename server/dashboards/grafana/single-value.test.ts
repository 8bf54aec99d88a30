import { describe, expect, it } from "vitest";
import { Notes } from "./json";
import { barGaugePanel, gaugePanel, singlestatPanel, statPanel } from "./single-value";

describe("stat", () => {
  it("maps reduce, colour/graph/text modes and orientation", () => {
    const { options, fieldConfig } = statPanel(
      {
        options: { reduceOptions: { calcs: ["mean"], fields: "", values: false }, colorMode: "background_solid", graphMode: "none", textMode: "value_and_name", orientation: "horizontal", justifyMode: "auto" },
        fieldConfig: { defaults: { unit: "s", thresholds: { mode: "absolute", steps: [{ color: "green", value: null }] } }, overrides: [] },
      },
      new Notes(),
      "p",
    );
    expect(options).toEqual({ reduce: "mean", colorMode: "background", graphMode: "none", textMode: "value_and_name", orientation: "horizontal" });
    expect(fieldConfig.defaults.unit).toBe("s");
  });

  it("reports reducers we lack and 'all values'", () => {
    const notes = new Notes();
    const { options } = statPanel({ options: { reduceOptions: { calcs: ["stdDev"], values: true } } }, notes, '"Exit code"');
    expect(options.reduce).toBe("lastNotNull");
    expect(notes.list()).toEqual([
      'Showing every value (instead of a reduction) not supported; shows the last value: "Exit code"',
      'Reduction "stdDev" not supported; uses the last non-null value: "Exit code"',
    ]);
  });

  it("reads Grafana 6's options.fieldOptions", () => {
    const { options, fieldConfig } = statPanel(
      {
        options: {
          fieldOptions: {
            calcs: ["max"],
            defaults: { unit: "percent", decimals: 1, min: 0, max: 100 },
            thresholds: [
              { index: 0, value: null, color: "green" },
              { index: 1, value: 80, color: "red" },
            ],
            mappings: [{ id: 0, type: 1, value: "0", text: "off" }],
          },
        },
      },
      new Notes(),
      "p",
    );
    expect(options.reduce).toBe("max");
    expect(fieldConfig.defaults).toEqual({
      unit: "percent",
      decimals: 1,
      min: 0,
      max: 100,
      thresholds: { mode: "absolute", steps: [{ value: null, color: "green" }, { value: 80, color: "red" }] },
      mappings: [{ type: "value", value: "0", text: "off" }],
    });
  });
});

describe("gauge and bar gauge", () => {
  it("maps gauge markers/labels and min/max", () => {
    const { options, fieldConfig } = gaugePanel(
      { options: { reduceOptions: { calcs: ["last"] }, showThresholdLabels: true, showThresholdMarkers: false }, fieldConfig: { defaults: { min: 0, max: 1, unit: "percentunit" } } },
      new Notes(),
      "p",
    );
    expect(options).toEqual({ reduce: "last", showThresholdMarkers: false, showThresholdLabels: true });
    expect(fieldConfig.defaults).toEqual({ min: 0, max: 1, unit: "percentunit" });
  });

  it("reads the Grafana 6.0 gauge (valueOptions, thresholds, minValue/maxValue)", () => {
    const { options, fieldConfig } = gaugePanel(
      { options: { valueOptions: { stat: "avg", unit: "celsius", decimals: 0 }, thresholds: [{ index: 0, value: -Infinity, color: "blue" }, { index: 1, value: 60, color: "red" }], minValue: 0, maxValue: 120, valueMappings: [] } },
      new Notes(),
      "p",
    );
    expect(options.reduce).toBe("mean");
    expect(fieldConfig.defaults).toEqual({ unit: "celsius", decimals: 0, min: 0, max: 120, thresholds: { mode: "absolute", steps: [{ value: null, color: "blue" }, { value: 60, color: "red" }] } });
  });

  it("maps bar gauge orientation, display mode and unfilled", () => {
    const { options } = barGaugePanel({ options: { reduceOptions: { calcs: ["lastNotNull"] }, orientation: "vertical", displayMode: "lcd", showUnfilled: false, valueMode: "color" } }, new Notes(), "p");
    expect(options).toEqual({ reduce: "lastNotNull", orientation: "vertical", displayMode: "lcd", showUnfilled: false });
  });
});

describe("singlestat", () => {
  const singlestat = {
    type: "singlestat",
    format: "percent",
    decimals: 1,
    thresholds: "80,90",
    colors: ["#299c46", "rgba(237, 129, 40, 0.89)", "#d44a3a"],
    colorValue: false,
    colorBackground: true,
    valueName: "avg",
    sparkline: { show: true, full: false },
    mappingType: 1,
    valueMaps: [{ value: "null", op: "=", text: "N/A" }],
    nullText: "none",
    gauge: { show: false, minValue: 0, maxValue: 100 },
  };

  it("becomes a stat with the legacy fields mapped", () => {
    const r = singlestatPanel(singlestat, new Notes(), "p");
    expect(r.type).toBe("stat");
    expect(r.options).toEqual({ reduce: "mean", colorMode: "background", graphMode: "area", textMode: "auto", orientation: "auto" });
    expect(r.fieldConfig.defaults).toEqual({
      unit: "percent",
      decimals: 1,
      thresholds: {
        mode: "absolute",
        steps: [
          { value: null, color: "#299c46" },
          { value: 80, color: "rgba(237, 129, 40, 0.89)" },
          { value: 90, color: "#d44a3a" },
        ],
      },
      mappings: [{ type: "value", value: "null", text: "N/A" }],
      noValue: "none",
    });
  });

  it("becomes a gauge when its gauge was shown", () => {
    const r = singlestatPanel({ ...singlestat, gauge: { show: true, minValue: 0, maxValue: 200, thresholdMarkers: true, thresholdLabels: true } }, new Notes(), "p");
    expect(r.type).toBe("gauge");
    expect(r.options).toEqual({ reduce: "mean", showThresholdMarkers: true, showThresholdLabels: true });
    expect(r.fieldConfig.defaults).toMatchObject({ min: 0, max: 200 });
  });

  it("maps value names: current → last non-null, total → sum, name → text mode name", () => {
    expect(singlestatPanel({ valueName: "current" }, new Notes(), "p").options.reduce).toBe("lastNotNull");
    expect(singlestatPanel({ valueName: "total" }, new Notes(), "p").options.reduce).toBe("sum");
    const byName = singlestatPanel({ valueName: "name" }, new Notes(), "p");
    expect(byName.type === "stat" && byName.options.textMode).toBe("name");
    const notes = new Notes();
    expect(singlestatPanel({ valueName: "last_time" }, notes, '"Up"').options.reduce).toBe("lastNotNull");
    expect(notes.list()).toEqual(['Singlestat value "last_time" not supported; uses the last non-null value: "Up"']);
  });

  it("turns a postfix without a unit into Grafana's suffix unit; reports one next to a unit", () => {
    expect(singlestatPanel({ format: "none", postfix: " req" }, new Notes(), "p").fieldConfig.defaults.unit).toBe("suffix: req");
    expect(singlestatPanel({ prefix: "$" }, new Notes(), "p").fieldConfig.defaults.unit).toBe("prefix:$");
    const notes = new Notes();
    expect(singlestatPanel({ format: "bytes", postfix: "/s" }, notes, '"Rate"').fieldConfig.defaults.unit).toBe("bytes");
    expect(notes.list()).toEqual(['Singlestat prefix/postfix next to a unit not supported; dropped: "Rate"']);
  });
});
