import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { retentionRuns } from "@/db/schema";
import type { ObjectStore } from "@/server/archive/object-store";
import { forgetPartitions } from "@/server/logs/store/write";
import { forgetMetricPartitions } from "@/server/metrics/store/partitions";
import { ageLogLeaves, createLogLeavesAhead, expireArchives, logPolicies, removeOrphans, type ArchiveItem } from "./log-tier";
import { ageAudit, ageMetrics, createAuditPartitionsAhead, createMetricPartitionsAhead } from "./metrics-tier";
import { DAYS_AHEAD, emptySummary, type RunSummary } from "./model";
import { dayString } from "./partitions";
import { withRetentionLock } from "./lock";
import { getRetentionSettings } from "./settings";

/**
 * One retention run (the `retention` worker, the console's "run now", `bin/lookout retention run`):
 * partitions ahead, leftover objects of killed runs, log days leaving the hot tier archived and
 * dropped, expired archives, metrics and audit partitions past their retention. One run at a
 * time across processes: a session-level advisory lock held by a dedicated connection for the
 * whole run (a killed process's session ends and releases it). Every step is idempotent, so a
 * rerun after a kill finishes the job.
 */
export type RunRetentionDeps = {
  db: Db;
  store: ObjectStore;
  /** The run's clock (epoch ms); tests simulate days with it. */
  now?: number;
  trigger: "schedule" | "manual" | "cli";
  actor?: string | null;
  hooks?: { afterArchive?: (item: ArchiveItem) => Promise<void> };
};



export async function runRetention(deps: RunRetentionDeps): Promise<RunSummary | { skipped: string }> {
  const res = await withRetentionLock(deps.db, () => runLocked(deps));
  return res.locked ? res.value : { skipped: "another retention run (or a GDPR delete) is in progress" };
}

async function runLocked(deps: RunRetentionDeps): Promise<RunSummary> {
  const { db, store } = deps;
  const now = deps.now ?? Date.now();
  const t0 = performance.now();
  // Runs left "running" were killed: we hold the lock, so none of them is alive.
  await db
    .update(retentionRuns)
    .set({ status: "failed", finishedAt: new Date(), error: "interrupted (the process ended before the run finished)" })
    .where(eq(retentionRuns.status, "running"));
  const [run] = await db
    .insert(retentionRuns)
    .values({ trigger: deps.trigger, actor: deps.actor ?? null, status: "running", startedAt: new Date(now) })
    .returning({ id: retentionRuns.id });
  const summary = emptySummary(now);
  try {
    const today = dayString(now);
    const settings = await getRetentionSettings(db);
    const policies = await logPolicies(db);
    await createLogLeavesAhead(db, policies, today, DAYS_AHEAD, summary);
    await createMetricPartitionsAhead(db, today, DAYS_AHEAD, summary);
    await createAuditPartitionsAhead(db, now, summary);

    const logDeps = { db, store, now, summary, hooks: deps.hooks };
    // Leftovers first: a killed run's object is gone before its day is archived again.
    await removeOrphans(logDeps);
    await ageLogLeaves(logDeps, policies, today);
    await expireArchives(logDeps, policies, today);

    const tierDeps = { db, now, settings, summary };
    await ageMetrics(tierDeps);
    await ageAudit(tierDeps);
  } catch (err) {
    finish(summary, now, t0);
    await db
      .update(retentionRuns)
      .set({ status: "failed", finishedAt: new Date(now + summary.durationMs), summary, error: (err as Error).message ?? String(err) })
      .where(and(eq(retentionRuns.id, run!.id), eq(retentionRuns.status, "running")));
    throw err;
  } finally {
    // This process's caches of partitions that may be gone now.
    if (summary.dropped.length) {
      forgetPartitions();
      forgetMetricPartitions();
    }
  }
  finish(summary, now, t0);
  await db
    .update(retentionRuns)
    .set({ status: summary.errors.length ? "failed" : "success", finishedAt: new Date(now + summary.durationMs), summary, error: summary.errors.length ? `${summary.errors.length} item(s) failed` : null })
    .where(eq(retentionRuns.id, run!.id));
  return summary;
}

function finish(summary: RunSummary, now: number, t0: number): void {
  summary.durationMs = Math.round(performance.now() - t0);
  summary.finishedAt = new Date(now + summary.durationMs).toISOString();
}
