import { UnrecoverableError, type Job } from "bullmq";
import { z } from "zod";
import { getDb } from "@/db/client";
import { metrics } from "@/server/lib/metrics";
import { getRedis } from "@/server/lib/redis";
import { recordSourceActivity } from "@/server/logs/source-activity";
import type { IncomingEvent } from "@/server/logs/event";
import { processIngestBatch, SourceGoneError, type IngestJob } from "@/server/logs/ingest-worker";
import { QUEUES } from "@/server/queues/registry";

// The envelope is checked with the queue's schema; the events (thousands per job) with a
// hand-written check of the same shape that neither copies them nor allocates per event (the
// pipeline copies what it keeps anyway).
const Envelope = QUEUES["logs-ingest"].payload.extend({ events: z.array(z.unknown()) });
const OPTIONAL_STRINGS = ["level", "service", "host", "traceId", "spanId"] as const;

/** Why `e` is not an IncomingEvent (queue payload shape), or null when it is one. */
export function incomingEventProblem(e: unknown): string | null {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return "not an object";
  const o = e as Record<string, unknown>;
  if (typeof o.message !== "string") return "message is not a string";
  if (o.ts !== undefined && typeof o.ts !== "number") return "ts is not a number";
  for (const k of OPTIONAL_STRINGS) if (o[k] !== undefined && typeof o[k] !== "string") return `${k} is not a string`;
  const f = o.fields;
  if (typeof f !== "object" || f === null || Array.isArray(f)) return "fields is not an object";
  return null;
}

/** The job's payload, validated; throws UnrecoverableError for a malformed one. */
export function parseLogsIngestPayload(data: unknown): IngestJob {
  const env = Envelope.safeParse(data);
  if (!env.success) throw new UnrecoverableError(`invalid payload: ${env.error.message}`);
  const events = env.data.events;
  for (let i = 0; i < events.length; i++) {
    const problem = incomingEventProblem(events[i]);
    if (problem) throw new UnrecoverableError(`invalid payload: events[${i}]: ${problem}`);
  }
  return { ...env.data, events: events as IncomingEvent[] };
}

export async function processLogsIngest(job: Job): Promise<unknown> {
  const payload = parseLogsIngestPayload(job.data);
  try {
    const end = metrics().logsBatchSeconds.startTimer();
    const outcome = await processIngestBatch(getDb(), payload);
    end();
    if (outcome.committed) {
      const m = metrics();
      const source = { source: outcome.source };
      m.logsStored.inc(source, outcome.events);
      if (outcome.deadLetters) m.logsDeadLetters.inc(source, outcome.deadLetters);
      if (outcome.dropped) m.logsDropped.inc(source, outcome.dropped);
      await recordSourceActivity(getRedis(), payload.sourceId, outcome.events, outcome.rawBytes, payload.apiKeyId).catch(() => {});
    }
    return outcome;
  } catch (e) {
    if (e instanceof SourceGoneError) throw new UnrecoverableError(e.message);
    throw e;
  }
}
