import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatMs } from "./units";

describe("formatBytes", () => {
  it("formats in IEC units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MiB");
    expect(formatBytes(8_573_440)).toBe("8.2 MiB");
    expect(formatBytes(123.4 * 1024 ** 3)).toBe("123 GiB");
    expect(formatBytes(2 * 1024 ** 4)).toBe("2.0 TiB");
  });

  it("carries rounding into the next unit", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1.0 MiB");
  });

  it("handles negatives and missing values", () => {
    expect(formatBytes(-2048)).toBe("-2.0 KiB");
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("formatMs", () => {
  it("formats latencies", () => {
    expect(formatMs(0.44)).toBe("0.4 ms");
    expect(formatMs(12.34)).toBe("12 ms");
    expect(formatMs(2500)).toBe("2.5 s");
    expect(formatMs(null)).toBe("—");
  });
});

describe("formatCount", () => {
  it("adds thousands separators", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(0)).toBe("0");
  });
});
