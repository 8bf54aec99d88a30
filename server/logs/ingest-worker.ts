import type { Db } from "@/db/client";
import type { IncomingEvent, LogEvent } from "./event";
import { compilePipeline, type CompiledPipeline } from "./pipeline/run";
import { findSourceById, parsePipeline, type LogSource } from "./sources";
import { commitBatch, type DeadLetter } from "./store/write";

export type IngestJob = { batchId: string; sourceId: string; receivedAt: number; apiKeyId: string | null; events: IncomingEvent[]; replayOf?: number[] };

const compiled = new Map<string, { updatedAt: number; run: CompiledPipeline }>();

/** The source's compiled pipeline, recompiled when the source changes. */
export function pipelineFor(source: LogSource): CompiledPipeline {
  const hit = compiled.get(source.id);
  const stamp = source.updatedAt.getTime();
  if (hit && hit.updatedAt === stamp) return hit.run;
  const run = compilePipeline(parsePipeline(source.pipeline));
  compiled.set(source.id, { updatedAt: stamp, run });
  return run;
}

export type ProcessOutcome = { committed: boolean; source: string; events: number; deadLetters: number; dropped: number; rawBytes: number };

/**
 * Runs a batch through its source's pipeline and commits it exactly once. A source deleted since
 * the batch was accepted is a permanent error (the caller fails the job without retrying).
 */
export async function processIngestBatch(db: Db, job: IngestJob): Promise<ProcessOutcome> {
  const source = await findSourceById(db, job.sourceId);
  if (!source) throw new SourceGoneError(job.sourceId);
  const run = pipelineFor(source);
  const events: LogEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  let dropped = 0;
  for (const incoming of job.events) {
    const r = run(incoming, { source: source.name, observedTs: job.receivedAt });
    if (r.kind === "event") events.push(r.event);
    else if (r.kind === "dropped") dropped++;
    else deadLetters.push({ step: r.step, stepType: r.stepType, error: r.error, event: incoming as unknown as Record<string, unknown> });
  }
  const res = await commitBatch(db, {
    batchId: job.batchId,
    sourceId: source.id,
    receivedAt: new Date(job.receivedAt),
    events,
    deadLetters,
    dropped,
    replayOf: job.replayOf,
  });
  return { committed: res.committed, source: source.name, events: events.length, deadLetters: deadLetters.length, dropped, rawBytes: res.rawBytes };
}

export class SourceGoneError extends Error {
  constructor(sourceId: string) {
    super(`source ${sourceId} no longer exists`);
    this.name = "SourceGoneError";
  }
}
