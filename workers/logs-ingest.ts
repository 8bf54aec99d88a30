import { UnrecoverableError, type Job } from "bullmq";
import { getDb } from "@/db/client";
import { metrics } from "@/server/lib/metrics";
import { getRedis } from "@/server/lib/redis";
import { recordSourceActivity } from "@/server/logs/source-activity";
import { processIngestBatch, SourceGoneError } from "@/server/logs/ingest-worker";
import { QUEUES } from "@/server/queues/registry";

export async function processLogsIngest(job: Job): Promise<unknown> {
  const parsed = QUEUES["logs-ingest"].payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  try {
    const end = metrics().logsBatchSeconds.startTimer();
    const outcome = await processIngestBatch(getDb(), parsed.data);
    end();
    if (outcome.committed) {
      const m = metrics();
      const source = { source: outcome.source };
      m.logsStored.inc(source, outcome.events);
      if (outcome.deadLetters) m.logsDeadLetters.inc(source, outcome.deadLetters);
      if (outcome.dropped) m.logsDropped.inc(source, outcome.dropped);
      await recordSourceActivity(getRedis(), parsed.data.sourceId, outcome.events, outcome.rawBytes, parsed.data.apiKeyId).catch(() => {});
    }
    return outcome;
  } catch (e) {
    if (e instanceof SourceGoneError) throw new UnrecoverableError(e.message);
    throw e;
  }
}
