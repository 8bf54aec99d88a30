import { describe, expect, it } from "vitest";
import { countsText, durationMsText, healthLabel, healthTone, sortedLabels, stateLabel, stateTone, valueText } from "./state";

describe("alert state presentation", () => {
  it("names and colours every state distinctly", () => {
    expect(stateLabel("nodata")).toBe("No data");
    expect(stateTone("firing")).toBe("red");
    expect(stateTone("pending")).toBe("amber");
    expect(stateTone("normal")).toBe("green");
    const tones = new Set((["normal", "pending", "firing", "nodata", "error"] as const).map(stateTone));
    expect(tones.size).toBe(5);
    expect([healthLabel("unknown"), healthTone("error")]).toEqual(["not evaluated yet", "red"]);
  });

  it("summarises instance counts worst first", () => {
    expect(countsText({ normal: 2, pending: 1, firing: 3, nodata: 0, error: 0 })).toBe("3 firing, 1 pending, 2 normal");
    expect(countsText({ normal: 0, pending: 0, firing: 0, nodata: 0, error: 0 })).toBe("no instances");
  });

  it("prints values and durations compactly", () => {
    expect(valueText(null)).toBe("—");
    expect(valueText(0)).toBe("0");
    expect(valueText(42)).toBe("42");
    expect(valueText(0.123456)).toBe("0.1235");
    expect(valueText(12.345678)).toBe("12.3457");
    expect(valueText(1234.5678)).toBe("1234.5678");
    expect(valueText(0.00001234)).toBe("1.234e-5");
    expect(valueText(Infinity)).toBe("+Inf");
    expect(valueText(NaN)).toBe("NaN");
    expect(durationMsText(45.4)).toBe("45 ms");
    expect(durationMsText(1500)).toBe("1.5 s");
    expect(durationMsText(12_345)).toBe("12.3 s");
    expect(durationMsText(null)).toBe("—");
  });

  it("puts alertname first", () => {
    expect(sortedLabels({ severity: "page", alertname: "A", instance: "x" }).map(([k]) => k)).toEqual(["alertname", "instance", "severity"]);
  });
});
