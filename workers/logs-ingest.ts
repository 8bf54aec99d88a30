import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { getRedis } from "@/server/lib/redis";
import { recordSourceActivity } from "@/server/logs/source-activity";
import { processIngestBatch, SourceGoneError } from "@/server/logs/ingest-worker";
import { QUEUES } from "@/server/queues/registry";

export async function processLogsIngest(job: Job): Promise<unknown> {
  const parsed = QUEUES["logs-ingest"].payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  try {
    const outcome = await processIngestBatch(getDb(), parsed.data);
    if (outcome.committed) {
      await recordSourceActivity(getRedis(), parsed.data.sourceId, outcome.events, outcome.rawBytes, parsed.data.apiKeyId).catch(() => {});
    }
    return outcome;
  } catch (e) {
    if (e instanceof SourceGoneError) throw new UnrecoverableError(e.message);
    throw e;
  }
}
