import { describe, expect, it } from "vitest";
import { compressionRatio, formatByteRate, formatEventRate } from "./source-format";

describe("source numbers", () => {
  it("formats rates", () => {
    expect(formatEventRate(0)).toBe("0");
    expect(formatEventRate(0.25)).toBe("0.3");
    expect(formatEventRate(12.4)).toBe("12");
    expect(formatEventRate(1234.4)).toBe("1,234");
    expect(formatByteRate(1536)).toBe("1.5 KiB/s");
    expect(formatByteRate(0)).toBe("0 B/s");
  });

  it("formats the raw → stored ratio", () => {
    expect(compressionRatio(1000, 250)).toBe("4.0×");
    expect(compressionRatio(12_000, 1000)).toBe("12×");
    expect(compressionRatio(100, 0)).toBe("—");
    expect(compressionRatio(0, 0)).toBe("—");
  });
});
