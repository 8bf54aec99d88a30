import { describe, expect, it } from "vitest";
import { formatDurationParts, formatSeconds, formatShort, formatValue, formatValueParts, isUnitId, UNITS } from "./value-format";

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

describe("more units (Grafana ids)", () => {
  it("formats data sizes and rates in SI and IEC", () => {
    expect(formatValue(1500, "decbytes")).toBe("1.5 kB");
    expect(formatValue(2_500_000, "decbytes")).toBe("2.5 MB");
    expect(formatValue(2048, "bits")).toBe("2 Kib");
    expect(formatValue(1500, "decbits")).toBe("1.5 kb");
    expect(formatValue(1_250_000, "bps")).toBe("1.25 Mb/s");
    expect(formatValue(999, "Bps")).toBe("999 B/s");
    expect(formatValue(12_000, "Bps")).toBe("12 kB/s");
    expect(formatValue(3 * 1024 * 1024, "binBps")).toBe("3 MiB/s");
    expect(formatValue(2, "kbytes")).toBe("2 KiB");
    expect(formatValue(2048, "mbytes")).toBe("2 GiB");
    expect(formatValue(999_960, "decbytes")).toBe("1 MB");
  });
  it("formats durations from nanoseconds to days", () => {
    expect(formatValue(500, "ns")).toBe("500 ns");
    expect(formatValue(1500, "ns")).toBe("1.5 µs");
    expect(formatValue(250, "µs")).toBe("250 µs");
    expect(formatValue(2500, "µs")).toBe("2.5 ms");
    expect(formatValue(90, "m")).toBe("1.5 h");
    expect(formatValue(36, "h")).toBe("1.5 day");
    expect(formatValue(2, "d")).toBe("2 day");
    expect(formatValue(3725, "dtdurations")).toBe("1h 2m 5s");
    expect(formatValue(90_061_000, "dtdurationms")).toBe("1d 1h 1m");
    expect(formatValue(0.25, "dtdurations")).toBe("250ms");
  });
  it("formats throughput, temperature, frequency and money", () => {
    expect(formatValue(12.345, "reqps")).toBe("12.3 req/s");
    expect(formatValue(1234, "reqps")).toBe("1.23 K req/s");
    expect(formatValue(5, "rps")).toBe("5 rd/s");
    expect(formatValue(7, "ops")).toBe("7 ops/s");
    expect(formatValue(7, "opm")).toBe("7 ops/min");
    expect(formatValue(21.5, "celsius")).toBe("21.5 °C");
    expect(formatValue(2_400_000_000, "hertz")).toBe("2.4 GHz");
    expect(formatValue(12.345, "currencyUSD")).toBe("$12.35");
    expect(formatValue(-5, "currencyUSD")).toBe("-$5");
    expect(formatValue(1234, "currencyUSD")).toBe("$1.23K");
    expect(formatValue(1234567.891, "locale")).toBe("1,234,567.891");
  });
  it("takes a fixed number of decimals", () => {
    expect(formatValue(1536, "bytes", 2)).toBe("1.50 KiB");
    expect(formatValue(0.256, "percentunit", 1)).toBe("25.6%");
    expect(formatValue(42, "percent", 0)).toBe("42%");
    expect(formatValue(1234, "short", 1)).toBe("1.2 K");
    expect(formatValue(3.14159, "none", 2)).toBe("3.14");
    expect(formatValue(250, "ms", 1)).toBe("250.0 ms");
    expect(formatValue(75, "s", 0)).toBe("1 min");
    expect(formatValue(-0.001, "short", 1)).toBe("0.0");
    expect(formatValue(1234, "reqps", 0)).toBe("1 K req/s");
    expect(formatValue(12, "currencyUSD", 2)).toBe("$12.00");
    // decimals do not change the special values
    expect(formatValue(NaN, "bytes", 2)).toBe("NaN");
  });
  it("understands custom suffix/prefix units and falls back to short", () => {
    expect(formatValue(3, "suffix: apples")).toBe("3 apples");
    expect(formatValue(3, "prefix:€")).toBe("€3");
    expect(formatValue(1234, "furlongs")).toBe("1.23 K");
  });
  it("splits values into prefix, number and unit", () => {
    expect(formatValueParts(1536, "bytes")).toEqual({ text: "1.5", suffix: " KiB" });
    expect(formatValueParts(42, "percent")).toEqual({ text: "42", suffix: "%" });
    expect(formatValueParts(5, "currencyUSD")).toEqual({ text: "5", prefix: "$" });
    expect(formatValueParts(5)).toEqual({ text: "5" });
  });
  it("lists each unit once, with the Grafana ids dashboards use", () => {
    const ids = UNITS.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ["decbytes", "bits", "bps", "Bps", "binBps", "ns", "µs", "m", "h", "d", "reqps", "rps", "ops", "opm", "celsius", "hertz", "currencyUSD"]) expect(isUnitId(id)).toBe(true);
  });
  it("writes durations as parts", () => {
    expect(formatDurationParts(0)).toBe("0s");
    expect(formatDurationParts(-65)).toBe("-1m 5s");
    expect(formatDurationParts(3600)).toBe("1h");
    expect(formatDurationParts(3605)).toBe("1h");
  });
});
