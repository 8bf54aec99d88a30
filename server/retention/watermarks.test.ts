import { describe, expect, it } from "vitest";
import { evaluateWatermarks, watermarkError, watermarkSeries, WATERMARK_RETRY_AFTER_S, type WatermarkState } from "./watermarks";

const GiB = 1024 ** 3;
const off = { minFreeBytes: 0, minFreePercent: 0, dbMaxBytes: 0 };

describe("evaluateWatermarks", () => {
  it("finds nothing while every limit is off or met", () => {
    expect(evaluateWatermarks({ diskFreeBytes: 1, diskTotalBytes: 100, dbBytes: 50 * GiB }, off)).toEqual([]);
    expect(evaluateWatermarks({ diskFreeBytes: 20 * GiB, diskTotalBytes: 100 * GiB, dbBytes: 5 * GiB }, { minFreeBytes: GiB, minFreePercent: 10, dbMaxBytes: 10 * GiB })).toEqual([]);
  });

  it("names each limit crossed with the measured value and the variable", () => {
    const breaches = evaluateWatermarks(
      { diskFreeBytes: 512 * 1024 ** 2, diskTotalBytes: 100 * GiB, dbBytes: 10.2 * GiB },
      { minFreeBytes: GiB, minFreePercent: 5, dbMaxBytes: 10 * GiB },
    );
    expect(breaches).toEqual([
      { kind: "disk_free_bytes", reason: "storage watermark: free disk space 512 MiB is under LOOKOUT_DISK_MIN_FREE_BYTES 1.0 GiB" },
      { kind: "disk_free_percent", reason: "storage watermark: free disk space 0.5% is under LOOKOUT_DISK_MIN_FREE_PERCENT 5%" },
      { kind: "database_size", reason: "storage watermark: database size 10 GiB is over LOOKOUT_DB_MAX_BYTES 10 GiB" },
    ]);
  });

  it("is at the limit still fine, one byte past it not", () => {
    expect(evaluateWatermarks({ diskFreeBytes: null, diskTotalBytes: null, dbBytes: 1000 }, { ...off, dbMaxBytes: 1000 })).toEqual([]);
    expect(evaluateWatermarks({ diskFreeBytes: null, diskTotalBytes: null, dbBytes: 1001 }, { ...off, dbMaxBytes: 1000 })).toHaveLength(1);
    expect(evaluateWatermarks({ diskFreeBytes: 1000, diskTotalBytes: 2000, dbBytes: null }, { ...off, minFreeBytes: 1000, minFreePercent: 50 })).toEqual([]);
  });

  it("passes a check whose value could not be measured", () => {
    expect(evaluateWatermarks({ diskFreeBytes: null, diskTotalBytes: null, dbBytes: null }, { minFreeBytes: GiB, minFreePercent: 50, dbMaxBytes: 1 })).toEqual([]);
  });
});

describe("watermarkError", () => {
  it("is null when all is well, else a 429 with every reason and a Retry-After", () => {
    expect(watermarkError([])).toBeNull();
    const err = watermarkError([
      { kind: "database_size", reason: "storage watermark: database size 2 GiB is over LOOKOUT_DB_MAX_BYTES 1.0 GiB" },
      { kind: "disk_free_bytes", reason: "storage watermark: free disk space 1 B is under LOOKOUT_DISK_MIN_FREE_BYTES 1.0 GiB" },
    ])!;
    expect(err.code).toBe("RATE_LIMITED");
    expect(err.retryAfter).toBe(WATERMARK_RETRY_AFTER_S);
    expect(err.userMessage).toBe(
      "storage watermark: database size 2 GiB is over LOOKOUT_DB_MAX_BYTES 1.0 GiB; storage watermark: free disk space 1 B is under LOOKOUT_DISK_MIN_FREE_BYTES 1.0 GiB; ingestion is paused until space is freed",
    );
  });
});

describe("watermarkSeries", () => {
  const state = (limits: WatermarkState["limits"], kinds: WatermarkState["breaches"][number]["kind"][]): WatermarkState => ({
    checkedAt: "2026-12-07T00:00:00.000Z",
    dataDir: ".data",
    limits,
    reading: { diskFreeBytes: 1, diskTotalBytes: 2, dbBytes: 3 },
    breaches: kinds.map((kind) => ({ kind, reason: kind })),
  });

  it("has a series for each limit that is on, 1 while crossed", () => {
    expect(watermarkSeries(state({ minFreeBytes: 1, minFreePercent: 0, dbMaxBytes: 5 }, ["database_size"]))).toEqual({ disk_free_bytes: false, database_size: true });
    expect(watermarkSeries(state(off, []))).toEqual({});
  });
});
