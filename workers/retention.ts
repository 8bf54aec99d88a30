import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { getDb } from "@/db/client";
import { env } from "@/env";
import { archiveStore } from "@/server/archive/store-from-env";
import { isAppError } from "@/server/lib/errors";
import { QUEUES } from "@/server/queues/registry";
import { restoreDay } from "@/server/retention/restore";
import { runRetention } from "@/server/retention/run";

/** The retention queue's jobs (server/retention): a run, or restoring an archived day. */
export async function processRetention(job: Job): Promise<unknown> {
  const parsed = QUEUES.retention.payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  const p = parsed.data;
  switch (p.kind) {
    case "run":
      // A run already in progress elsewhere answers { skipped }: not an error, the next one comes.
      return runRetention({ db: getDb(), store: archiveStore(), trigger: p.trigger, actor: p.actor ?? null });
    case "restore":
      try {
        return await restoreDay(getDb(), archiveStore(), { sourceId: p.sourceId, day: p.day, hours: p.hours, actor: p.actor ?? null });
      } catch (err) {
        if (isAppError(err) && (err.code === "NOT_FOUND" || err.code === "INVALID_INPUT")) throw new UnrecoverableError(err.userMessage);
        throw err;
      }
  }
}

/** The schedulers' intervals that come from the environment rather than the registry. */
export function schedulerEvery(schedulerId: string, every: number): number {
  return schedulerId === "retention-run" ? env().LOOKOUT_RETENTION_INTERVAL_MINUTES * 60_000 : every;
}
