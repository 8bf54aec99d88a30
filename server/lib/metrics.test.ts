import { describe, expect, it } from "vitest";
import { metrics, setStorageSource, timeQuery } from "./metrics";

async function histogramCount(kind: string): Promise<number> {
  const m = (await metrics().queryDuration.get()).values.find((v) => v.metricName === "lookout_query_duration_seconds_count" && v.labels.kind === kind);
  return m?.value ?? 0;
}

describe("timeQuery", () => {
  it("observes one duration per query, under its kind, and returns the query's value", async () => {
    const before = await histogramCount("logs_terms");
    expect(await timeQuery("logs_terms", async () => "ok")).toBe("ok");
    expect(await histogramCount("logs_terms")).toBe(before + 1);
  });

  it("observes failed queries too, and rethrows", async () => {
    const before = await histogramCount("promql_range");
    await expect(timeQuery("promql_range", async () => Promise.reject(new Error("bad")))).rejects.toThrow("bad");
    expect(await histogramCount("promql_range")).toBe(before + 1);
  });
});

describe("lookout_storage_bytes", () => {
  const values = async () => Object.fromEntries((await metrics().storageBytes.get()).values.map((v) => [v.labels.kind, v.value]));

  it("reads the storage source on collection; without one it reports what it had", async () => {
    setStorageSource(async () => ({ logs: 10, metrics: 20, other: 5, total: 35 }));
    expect(await values()).toEqual({ logs: 10, metrics: 20, other: 5, total: 35 });
    setStorageSource(async () => null);
    expect(await values()).toEqual({ logs: 10, metrics: 20, other: 5, total: 35 });
    setStorageSource(null);
    expect(await metrics().registry.getSingleMetricAsString("lookout_storage_bytes")).toContain('lookout_storage_bytes{kind="total"} 35');
  });
});
