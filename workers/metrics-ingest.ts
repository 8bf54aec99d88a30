import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { env } from "@/env";
import { AppError } from "@/server/lib/errors";
import { metrics } from "@/server/lib/metrics";
import { storeMetricsBatch } from "@/server/metrics/ingest-service";
import { sharedSeriesResolver } from "@/server/metrics/store/series-resolver";
import { QUEUES } from "@/server/queues/registry";

export async function processMetricsIngest(job: Job): Promise<unknown> {
  const parsed = QUEUES["metrics-ingest"].payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  const e = env();
  const m = metrics();
  const end = m.metricsBatchSeconds.startTimer();
  try {
    const r = await storeMetricsBatch(getDb(), parsed.data, sharedSeriesResolver(), e.LOOKOUT_INGEST_MAX_BODY_BYTES);
    end();
    if (r.committed) {
      m.metricsSamplesStored.inc(r.samples);
      if (r.rejectedSeriesLimit) m.metricsSamplesRejected.inc({ reason: "series_limit" }, r.rejectedSeriesLimit);
      if (r.rejectedTooOld) m.metricsSamplesRejected.inc({ reason: "too_old" }, r.rejectedTooOld);
    }
    return r;
  } catch (err) {
    // A body that no longer decodes cannot get better by retrying.
    if (err instanceof AppError && err.code === "INVALID_INPUT") throw new UnrecoverableError(err.userMessage);
    throw err;
  }
}
