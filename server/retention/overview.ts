import { desc, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { logArchives, logSources, retentionRuns } from "@/db/schema";
import type { ObjectStore } from "@/server/archive/object-store";
import type { RetentionOverview, RunSummary, TierUsage } from "./model";
import { listDayPartitions, listLogPartitions, listMonthPartitions, relationSizes, type PeriodPartition } from "./partitions";
import { getRetentionSettings } from "./settings";

/**
 * What Settings → Retention shows: per source and tier the bytes and oldest day, restored days,
 * the metrics tiers and the audit log from the catalog, the store, the next scheduled run and
 * the last runs. Read-only.
 */
const RUNS_SHOWN = 50;

/** The next run of the `retention-run` job scheduler; null when Redis or the scheduler is not there. */
async function nextRunFromQueue(): Promise<number | null> {
  const { nextScheduledRun } = await import("@/server/queues/schedulers");
  return nextScheduledRun("retention", "retention-run");
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(fallback);
      },
    );
  });
}

function usage(parts: PeriodPartition[], sizes: Map<string, number>): TierUsage {
  let bytes = 0;
  for (const p of parts) bytes += sizes.get(p.name) ?? 0;
  const oldest = parts.reduce<PeriodPartition | null>((o, p) => (!o || p.start < o.start ? p : o), null);
  return { bytes, partitions: parts.length, oldest: oldest?.label ?? null };
}

export async function retentionOverview(db: Db, store: ObjectStore, opts: { nextRunAt?: () => Promise<number | null> } = {}): Promise<RetentionOverview> {
  const now = Date.now();
  const settings = await getRetentionSettings(db);
  const sources = await db.select().from(logSources).orderBy(logSources.name);
  const { leaves } = await listLogPartitions(db);
  const chunks = await listDayPartitions(db, "metric_chunks");
  const m5 = await listDayPartitions(db, "metric_rollups_5m");
  const h1 = await listMonthPartitions(db, "metric_rollups_1h");
  const audit = await listMonthPartitions(db, "audit_log");
  const sizes = await relationSizes(db, [...leaves.map((l) => l.name), ...[...chunks, ...m5, ...h1, ...audit].map((p) => p.name), "audit_log_default"]);

  const archives = await db.execute<{ source_id: string; bytes: string; events: string; days: number; oldest: string | null }>(sql`
    select source_id, sum(bytes) as bytes, sum(events) as events, count(*)::int as days, min(day)::text as oldest
    from ${logArchives} group by source_id`);
  const archiveBySource = new Map(archives.rows.map((r) => [r.source_id, r]));
  const restored = await db
    .select({ sourceId: logArchives.sourceId, day: logArchives.day, until: logArchives.restoredUntil })
    .from(logArchives)
    .where(gt(logArchives.restoredUntil, new Date(now)))
    .orderBy(logArchives.day);

  const auditUsage = usage(audit, sizes);
  const defaultBytes = sizes.get("audit_log_default") ?? 0;

  const runs = await db.select().from(retentionRuns).orderBy(desc(retentionRuns.id)).limit(RUNS_SHOWN);
  const next = await withTimeout((opts.nextRunAt ?? nextRunFromQueue)(), 2_000, null);

  return {
    settings: { ...settings, updatedAt: settings.updatedAt.toISOString() },
    sources: sources.map((s) => {
      const mine = leaves.filter((l) => l.sourceId === s.id);
      const a = archiveBySource.get(s.id);
      return {
        id: s.id,
        name: s.name,
        hotDays: s.hotDays,
        archiveDays: s.archiveDays,
        provisioned: s.provisioned,
        hot: {
          bytes: mine.reduce((n, l) => n + (sizes.get(l.name) ?? 0), 0),
          partitions: mine.length,
          oldest: mine.reduce<string | null>((o, l) => (o === null || l.day < o ? l.day : o), null),
        },
        archive: { bytes: Number(a?.bytes ?? 0), partitions: a?.days ?? 0, oldest: a?.oldest ?? null, events: Number(a?.events ?? 0) },
        restored: restored.filter((r) => r.sourceId === s.id).map((r) => ({ day: r.day, until: r.until!.toISOString() })),
      };
    }),
    metrics: { raw: usage(chunks, sizes), rollups5m: usage(m5, sizes), rollups1h: usage(h1, sizes) },
    audit: { ...auditUsage, bytes: auditUsage.bytes + defaultBytes },
    store: { kind: store.kind, location: store.location },
    nextRunAt: next === null ? null : new Date(next).toISOString(),
    runs: runs.map((r) => ({
      id: r.id,
      trigger: r.trigger,
      actor: r.actor,
      status: r.status,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      summary: (r.summary as RunSummary | null) ?? null,
      error: r.error,
    })),
  };
}
