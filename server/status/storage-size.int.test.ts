import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logSources } from "@/db/schema";
import { metrics } from "@/server/lib/metrics";
import type { LogEvent } from "@/server/logs/event";
import { commitBatch } from "@/server/logs/store/write";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { scratchDatabase, type ScratchDatabase } from "@/test/helpers";
import { measureStorageSizes, trackStorageSize } from "./storage-size";

/** A database of its own: its sizes move only with what this file writes. */
let scratch: ScratchDatabase;

beforeAll(async () => {
  scratch = await scratchDatabase();
});
afterAll(async () => {
  await scratch?.drop();
});

const T0 = Date.UTC(2031, 5, 1, 12);

async function writeLogs(n: number) {
  const [source] = await scratch.db.insert(logSources).values({ name: `size-${randomUUID()}` }).returning();
  const events: LogEvent[] = Array.from({ length: n }, (_, i) => ({
    ts: T0 + i * 1000,
    observedTs: T0 + i * 1000,
    source: source!.name,
    service: "checkout",
    host: `web-${i % 3}`,
    level: i % 10 ? "info" : "error",
    message: `order ${randomUUID()} processed in ${i % 700} ms`,
    traceId: null,
    spanId: null,
    attributes: { order: i, note: randomUUID() },
  }));
  await commitBatch(scratch.db, { batchId: randomUUID(), sourceId: source!.id, receivedAt: new Date(), events, deadLetters: [], dropped: 0 });
}

async function writeSamples(seriesCount: number) {
  const series = Array.from({ length: seriesCount }, (_, k) => ({
    labels: { __name__: "size_test_total", instance: `i${k}`, run: randomUUID() },
    samples: Array.from({ length: 40 }, (_, i) => ({ timestampMs: Date.now() - (40 - i) * 15_000, value: i * (k + 1) })),
  }));
  await appendSamples(scratch.db, { batchId: randomUUID(), series }, { resolver: new SeriesResolver(10_000) });
}

async function gauge(): Promise<Record<string, number>> {
  const json = await metrics().registry.getMetricsAsJSON();
  const m = json.find((x) => x.name === "lookout_storage_bytes")!;
  return Object.fromEntries(m.values.map((v) => [String(v.labels.kind), v.value]));
}

describe("storage size", () => {
  it("grows under logs when log blocks are stored (a new day partition) and under metrics when samples are", async () => {
    const empty = await measureStorageSizes(scratch.db);
    await writeLogs(500);
    const withLogs = await measureStorageSizes(scratch.db);
    expect(withLogs.logs).toBeGreaterThan(empty.logs);
    expect(withLogs.metrics).toBe(empty.metrics);
    await writeSamples(50);
    const withSamples = await measureStorageSizes(scratch.db);
    expect(withSamples.metrics).toBeGreaterThan(withLogs.metrics);
    expect(withSamples.logs).toBe(withLogs.logs);
    for (const s of [empty, withLogs, withSamples]) {
      expect(s.total).toBeGreaterThanOrEqual(s.logs + s.metrics);
      expect(s.other).toBe(s.total - s.logs - s.metrics);
    }
  });

  it("lookout_storage_bytes reports non-zero logs, metrics and total once tracked, and serves a reading for a minute", async () => {
    const stop = trackStorageSize(scratch.db);
    try {
      const first = await gauge();
      expect(first.logs).toBeGreaterThan(0);
      expect(first.metrics).toBeGreaterThan(0);
      expect(first.total).toBeGreaterThan(first.logs + first.metrics);
      expect(first.other).toBe(first.total - first.logs - first.metrics);
      expect(first).toEqual(await measureStorageSizes(scratch.db));
      // More data within the minute: the cached reading is served, PostgreSQL is not asked again.
      await writeLogs(300);
      expect(await gauge()).toEqual(first);
      expect((await measureStorageSizes(scratch.db)).logs).toBeGreaterThan(first.logs);
      // Tracking the same database again keeps the cache.
      trackStorageSize(scratch.db);
      expect(await gauge()).toEqual(first);
    } finally {
      stop();
    }
  });

  it("keeps the last values when the database cannot be read", async () => {
    const broken = await scratchDatabase();
    const stopBroken = trackStorageSize(broken.db);
    const before = await gauge();
    await broken.drop();
    // A new loader starts empty; with the database gone it has nothing, and the gauge keeps what it had.
    stopBroken();
    const stop = trackStorageSize(broken.db);
    try {
      expect(await gauge()).toEqual(before);
    } finally {
      stop();
    }
  });
});
