import { describe, expect, it } from "vitest";
import { convertDefaults, convertFieldConfig, convertMappings, convertOverrides, convertThresholds, displayNameTemplate, legacyMappings, legacyThresholds, regexBody } from "./field-config";
import { Notes } from "./json";

describe("thresholds", () => {
  it("keeps mode and steps, the first step becoming the base whatever its value", () => {
    expect(
      convertThresholds({
        mode: "percentage",
        steps: [
          { color: "green", value: 0 },
          { color: "#EAB839", value: 60 },
          { color: "red", value: 75 },
        ],
      }),
    ).toEqual({
      mode: "percentage",
      steps: [
        { value: null, color: "green" },
        { value: 60, color: "#EAB839" },
        { value: 75, color: "red" },
      ],
    });
  });

  it("reads Grafana's null first step and sorts the others", () => {
    expect(convertThresholds({ mode: "absolute", steps: [{ color: "green", value: null }, { color: "red", value: 90 }, { color: "orange", value: 80 }] })?.steps).toEqual([
      { value: null, color: "green" },
      { value: 80, color: "orange" },
      { value: 90, color: "red" },
    ]);
  });

  it("reads Grafana 6's bare step arrays (index order, -Infinity as null)", () => {
    expect(
      convertThresholds([
        { index: 1, value: 50, color: "orange" },
        { index: 0, value: null, color: "green" },
      ]),
    ).toEqual({ mode: "absolute", steps: [{ value: null, color: "green" }, { value: 50, color: "orange" }] });
  });

  it("ignores what is not thresholds", () => {
    expect(convertThresholds(undefined)).toBeUndefined();
    expect(convertThresholds({ mode: "absolute", steps: [] })).toBeUndefined();
    expect(convertThresholds("80,90")).toBeUndefined();
  });

  it("turns singlestat's \"80,90\" and three colours into steps", () => {
    expect(legacyThresholds("80,90", ["#299c46", "rgba(237, 129, 40, 0.89)", "#d44a3a"])).toEqual({
      mode: "absolute",
      steps: [
        { value: null, color: "#299c46" },
        { value: 80, color: "rgba(237, 129, 40, 0.89)" },
        { value: 90, color: "#d44a3a" },
      ],
    });
    expect(legacyThresholds(["10"], [])?.steps).toEqual([
      { value: null, color: "green" },
      { value: 10, color: "orange" },
    ]);
    expect(legacyThresholds("", ["red"])).toBeUndefined();
  });
});

describe("value mappings", () => {
  it("maps Grafana 8+ value, range and special mappings", () => {
    const notes = new Notes();
    const m = convertMappings(
      [
        { type: "value", options: { "1": { text: "Up", color: "green", index: 1 }, "0": { text: "Down", color: "red", index: 0 } } },
        { type: "range", options: { from: 0, to: 10, result: { text: "low", color: "blue" } } },
        { type: "range", options: { from: null, to: 0, result: { text: "negative" } } },
        { type: "special", options: { match: "null+nan", result: { text: "N/A" } } },
      ],
      notes,
      '"p"',
    );
    expect(m).toEqual([
      { type: "value", value: "0", text: "Down", color: "red" },
      { type: "value", value: "1", text: "Up", color: "green" },
      { type: "range", from: 0, to: 10, text: "low", color: "blue" },
      { type: "range", from: null, to: 0, text: "negative" },
      { type: "value", value: "null", text: "N/A" },
      { type: "value", value: "NaN", text: "N/A" },
    ]);
    expect(notes.list()).toEqual([]);
  });

  it("maps Grafana 7's numbered mapping types", () => {
    const m = convertMappings(
      [
        { id: 0, type: 1, value: "1", text: "On", op: "=" },
        { id: 1, type: 2, from: "10", to: "20", text: "mid" },
      ],
      new Notes(),
      "p",
    );
    expect(m).toEqual([
      { type: "value", value: "1", text: "On" },
      { type: "range", from: 10, to: 20, text: "mid" },
    ]);
  });

  it("reports regex mappings and special values we lack", () => {
    const notes = new Notes();
    expect(convertMappings([{ type: "regex", options: { pattern: "a.*", result: { text: "A" } } }, { type: "special", options: { match: "empty", result: { text: "-" } } }], notes, '"Disk"')).toEqual([]);
    expect(notes.list()).toEqual(['Value mapping of type "regex" not supported; dropped: "Disk"', 'Value mapping for special value "empty" not supported; dropped: "Disk"']);
  });

  it("reads singlestat value maps or range maps by mappingType", () => {
    expect(legacyMappings({ mappingType: 1, valueMaps: [{ value: "null", op: "=", text: "N/A" }, { value: "1", op: "=", text: "UP" }], rangeMaps: [{ from: "0", to: "1", text: "x" }] })).toEqual([
      { type: "value", value: "null", text: "N/A" },
      { type: "value", value: "1", text: "UP" },
    ]);
    expect(legacyMappings({ mappingType: 2, rangeMaps: [{ from: "0", to: "10", text: "low" }, { from: "null", to: "null", text: "none" }] })).toEqual([
      { type: "range", from: 0, to: 10, text: "low" },
      { type: "value", value: "null", text: "none" },
    ]);
  });
});

describe("defaults", () => {
  it("keeps unit ids as Grafana's, decimals, min/max, fixed colour, display name, no value", () => {
    const d = convertDefaults(
      { unit: "reqps", decimals: 2, min: 0, max: "100", color: { mode: "fixed", fixedColor: "blue" }, displayName: "${__field.labels.instance} load", noValue: "0", custom: { lineWidth: 3 } },
      new Notes(),
      "p",
    );
    expect(d).toEqual({ unit: "reqps", decimals: 2, min: 0, max: 100, color: "blue", displayName: "{{instance}} load", noValue: "0" });
  });

  it("leaves palette colour modes and empty units unset", () => {
    expect(convertDefaults({ unit: "", color: { mode: "palette-classic" }, decimals: 20 }, new Notes(), "p")).toEqual({});
  });

  it("reports data links", () => {
    const notes = new Notes();
    convertDefaults({ links: [{ title: "x", url: "/d/y" }] }, notes, '"P"');
    expect(notes.list()).toEqual(['Data links not supported; dropped: "P"']);
  });

  it("rewrites display name label templates", () => {
    expect(displayNameTemplate('${__field.labels["k8s.pod"]} / ${__field.labels.job} ${__series.name}')).toBe("{{k8s.pod}} / {{job}} ${__series.name}");
  });
});

describe("overrides", () => {
  it("maps byName, byRegexp (slashes removed), byFrameRefID → byQuery and byNames → one per name", () => {
    const notes = new Notes();
    const o = convertOverrides(
      [
        { matcher: { id: "byName", options: "Memory Used" }, properties: [{ id: "unit", value: "bytes" }, { id: "decimals", value: 2 }] },
        { matcher: { id: "byRegexp", options: "/.*Back.*/" }, properties: [{ id: "color", value: { mode: "fixed", fixedColor: "#6ED0E0" } }] },
        { matcher: { id: "byFrameRefID", options: "B" }, properties: [{ id: "displayName", value: "Limit" }, { id: "min", value: 0 }, { id: "max", value: 1 }] },
        { matcher: { id: "byNames", options: { mode: "include", names: ["a", "b"] } }, properties: [{ id: "thresholds", value: { mode: "absolute", steps: [{ value: null, color: "red" }] } }] },
        { matcher: { id: "byName", options: "m" }, properties: [{ id: "mappings", value: [{ type: "value", options: { "1": { text: "yes" } } }] }, { id: "noValue", value: "none" }] },
      ],
      notes,
      '"p"',
    );
    expect(o).toEqual([
      { matcher: { id: "byName", options: "Memory Used" }, properties: { unit: "bytes", decimals: 2 } },
      { matcher: { id: "byRegexp", options: ".*Back.*" }, properties: { color: "#6ED0E0" } },
      { matcher: { id: "byQuery", options: "B" }, properties: { displayName: "Limit", min: 0, max: 1 } },
      { matcher: { id: "byName", options: "a" }, properties: { thresholds: { mode: "absolute", steps: [{ value: null, color: "red" }] } } },
      { matcher: { id: "byName", options: "b" }, properties: { thresholds: { mode: "absolute", steps: [{ value: null, color: "red" }] } } },
      { matcher: { id: "byName", options: "m" }, properties: { mappings: [{ type: "value", value: "1", text: "yes" }], noValue: "none" } },
    ]);
    expect(notes.list()).toEqual([]);
  });

  it("drops overrides left without properties and reports what it drops", () => {
    const notes = new Notes();
    const o = convertOverrides(
      [
        { matcher: { id: "byRegexp", options: "/.*Back.*/" }, properties: [{ id: "custom.transform", value: "negative-Y" }] },
        { matcher: { id: "byType", options: "number" }, properties: [{ id: "unit", value: "s" }] },
        { matcher: { id: "byNames", options: { mode: "exclude", names: ["a"] } }, properties: [{ id: "unit", value: "s" }] },
      ],
      notes,
      '"Traffic"',
    );
    expect(o).toEqual([]);
    expect(notes.list()).toEqual([
      'Override property "custom.transform" not supported; dropped: "Traffic"',
      'Override matcher "byType" not supported; dropped: "Traffic"',
      'Override matcher "fields not named" not supported; dropped: "Traffic"',
    ]);
  });

  it("regexBody strips /…/flags only", () => {
    expect(regexBody("/a|b/i")).toBe("a|b");
    expect(regexBody("a|b")).toBe("a|b");
  });

  it("convertFieldConfig handles a missing field config", () => {
    expect(convertFieldConfig(undefined, new Notes(), "p")).toEqual({ defaults: {}, overrides: [] });
  });
});
