import { getDb } from "@/db/client";
import { env } from "@/env";
import { getRedis } from "@/server/lib/redis";
import { enqueue, waitingCount } from "@/server/queues/queues";
import { metricsRawRetentionMs } from "@/server/retention/settings";
import { assertStorageAvailable } from "@/server/retention/watermarks";
import type { MetricsIngestDeps } from "./ingest-service";

/** HTTP glue of the metrics push endpoints: limits from env, raw retention from the retention settings, queue backlog (cached), enqueueing. */

export function metricsIngestDeps(): MetricsIngestDeps {
  const e = env();
  return {
    redis: getRedis(),
    limits: {
      // Samples per second per key: 10 × the log event rate (a sample is ~10× smaller than an event).
      ratePerKey: e.LOOKOUT_INGEST_RATE_PER_KEY * 10,
      highWater: e.LOOKOUT_INGEST_HIGH_WATER * 4,
      maxBytes: e.LOOKOUT_INGEST_MAX_BODY_BYTES,
    },
    rawRetentionMs: () => metricsRawRetentionMs(getDb()),
    backlog: () => waitingCount("metrics-ingest"),
    storageGate: () => assertStorageAvailable(getDb()),
    enqueue: async (payload) => {
      await enqueue("metrics-ingest", payload, { jobId: payload.batchId });
    },
  };
}
