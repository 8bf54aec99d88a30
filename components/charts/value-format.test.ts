import { describe, expect, it } from "vitest";
import { formatSeconds, formatShort, formatValue, isUnitId } from "./value-format";

describe("formatShort", () => {
  it("uses SI suffixes with three significant digits", () => {
    expect(formatShort(1234)).toBe("1.23 K");
    expect(formatShort(2_000_000_000)).toBe("2 G");
    expect(formatShort(-15_500)).toBe("-15.5 K");
    expect(formatShort(999)).toBe("999");
    expect(formatShort(0.5)).toBe("0.5");
    expect(formatShort(0.012345)).toBe("0.0123");
    expect(formatShort(0)).toBe("0");
    expect(formatShort(0.00002)).toBe("2.0e-5");
  });
});

describe("formatSeconds", () => {
  it("picks a readable unit", () => {
    expect(formatSeconds(0.0042)).toBe("4.2 ms");
    expect(formatSeconds(0.0000021)).toBe("2.1 µs");
    expect(formatSeconds(12.5)).toBe("12.5 s");
    expect(formatSeconds(75)).toBe("1.25 min");
    expect(formatSeconds(7200)).toBe("2 h");
    expect(formatSeconds(172_800)).toBe("2 day");
  });
});

describe("formatValue", () => {
  it("formats by unit", () => {
    expect(formatValue(1536, "bytes")).toBe("1.5 KiB");
    expect(formatValue(0.25, "percentunit")).toBe("25%");
    expect(formatValue(42.123, "percent")).toBe("42.1%");
    expect(formatValue(250, "ms")).toBe("250 ms");
    expect(formatValue(120_000, "ms")).toBe("2 min");
    expect(formatValue(0.1 + 0.2, "none")).toBe("0.30000000000000004");
    expect(formatValue(1234)).toBe("1.23 K");
  });
  it("writes special values as Prometheus does", () => {
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(Infinity, "bytes")).toBe("+Inf");
    expect(formatValue(-Infinity)).toBe("-Inf");
    expect(formatValue(null)).toBe("—");
  });
  it("knows its unit ids", () => {
    expect(isUnitId("bytes")).toBe(true);
    expect(isUnitId("furlongs")).toBe(false);
  });
});
