import { describe, expect, it } from "vitest";
import { MIN_REFRESH_MS, refreshIntervalMs } from "./useAutoRefresh";

describe("refreshIntervalMs", () => {
  it("reads durations, off is null, and never polls faster than the floor", () => {
    expect(refreshIntervalMs("")).toBeNull();
    expect(refreshIntervalMs("30s")).toBe(30_000);
    expect(refreshIntervalMs("1m")).toBe(60_000);
    expect(refreshIntervalMs("1s")).toBe(MIN_REFRESH_MS);
    expect(refreshIntervalMs("soon")).toBeNull();
  });
});
