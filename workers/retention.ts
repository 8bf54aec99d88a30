import type { Job } from "bullmq";
import { UnrecoverableError } from "bullmq";
import { getDb } from "@/db/client";
import { env } from "@/env";
import { archiveStore } from "@/server/archive/store-from-env";
import { isAppError } from "@/server/lib/errors";
import { QUEUES } from "@/server/queues/registry";
import { withRetentionLock } from "@/server/retention/lock";
import { restoreDay } from "@/server/retention/restore";
import { runRetention } from "@/server/retention/run";

/** How long a restore waits for a retention run (or GDPR delete) to finish before its job is retried. */
const RESTORE_LOCK_WAIT_MS = 5 * 60_000;

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
        // Under the retention lock, so a GDPR delete never races a restore copying blocks it removes.
        const res = await withRetentionLock(getDb(), () => restoreDay(getDb(), archiveStore(), { sourceId: p.sourceId, day: p.day, hours: p.hours, actor: p.actor ?? null }), { waitMs: RESTORE_LOCK_WAIT_MS });
        if (!res.locked) throw new Error("a retention run or GDPR delete is in progress; the restore is retried");
        return res.value;
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
