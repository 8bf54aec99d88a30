import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ensureMetricPartitions } from "@/server/metrics/store/partitions";
import { rebuildHourRollups } from "@/server/metrics/store/rollup-store";
import { recordError } from "./log-tier";
import type { RetentionSettings, RunSummary } from "./model";
import { addDays, dayStartMs, DAY_MS, dropPartition, listDayPartitions, listMonthPartitions, withLockTimeout } from "./partitions";

/**
 * The metrics tiers and the audit log of one run. Raw chunks of a day past raw retention are
 * dropped only once every hour of the day that has chunks is rolled up (hours compacted before
 * rollups existed are rolled up first), so long-range queries keep their 5m/1h answers; rollup
 * partitions and audit months go whole once past their own retention.
 */
const HOUR_MS = 3_600_000;

export type TierDeps = { db: Db; now: number; settings: RetentionSettings; summary: RunSummary };

/** Metric partitions (raw and 5m per day, 1h per month) of today..today+daysAhead. */
export async function createMetricPartitionsAhead(db: Db, today: string, daysAhead: number, summary: RunSummary): Promise<void> {
  const before = new Set<string>();
  for (const t of ["metric_chunks", "metric_rollups_5m"] as const) for (const p of await listDayPartitions(db, t)) before.add(p.name);
  for (const p of await listMonthPartitions(db, "metric_rollups_1h")) before.add(p.name);
  for (let i = 0; i <= daysAhead; i++) {
    try {
      await ensureMetricPartitions(db, dayStartMs(addDays(today, i)));
    } catch (err) {
      recordError(summary, `create metric partitions ${addDays(today, i)}`, err);
    }
  }
  const after: string[] = [];
  for (const t of ["metric_chunks", "metric_rollups_5m"] as const) for (const p of await listDayPartitions(db, t)) after.push(p.name);
  for (const p of await listMonthPartitions(db, "metric_rollups_1h")) after.push(p.name);
  for (const name of after) if (!before.has(name)) summary.created.push(name);
}

/** Audit months: the current one and the next (rows never wait on DDL, the default stays empty). */
export async function createAuditPartitionsAhead(db: Db, now: number, summary: RunSummary): Promise<void> {
  const before = new Set((await listMonthPartitions(db, "audit_log")).map((p) => p.name));
  const d = new Date(now);
  for (const at of [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)]) {
    const day = new Date(at).toISOString().slice(0, 10);
    try {
      const res = await db.execute<{ name: string }>(sql`select lookout_ensure_audit_partition(${day}::date) as name`);
      const name = res.rows[0]!.name;
      if (!before.has(name)) summary.created.push(name);
    } catch (err) {
      recordError(summary, `create audit partition ${day}`, err);
    }
  }
}

async function drop(deps: TierDeps, table: string, name: string): Promise<void> {
  const bytes = await withLockTimeout(deps.db, (tx) => dropPartition(tx, name));
  deps.summary.dropped.push({ table, partition: name, bytes });
  deps.summary.bytesDropped += bytes;
}

/** Hours of a raw day partition that have chunks but no complete rollups. */
async function hoursMissingRollups(db: Db, partition: string): Promise<number[]> {
  const res = await db.execute<{ hour: string }>(sql`
    select distinct (c.min_ts / ${HOUR_MS}) * ${HOUR_MS} as hour from ${sql.identifier(partition)} c
    where not exists (select 1 from metric_rollup_hours h where h.hour = (c.min_ts / ${HOUR_MS}) * ${HOUR_MS} and h.complete)
    order by 1`);
  return res.rows.map((r) => Number(r.hour));
}

/** Drops the partitions of `table` whose period ended by `cutoff`; each failure is the item's own. */
async function dropEndedBefore(deps: TierDeps, table: string, parts: readonly { name: string; end: number }[], cutoff: number): Promise<void> {
  for (const p of parts) {
    if (p.end > cutoff) continue;
    try {
      await drop(deps, table, p.name);
    } catch (err) {
      recordError(deps.summary, `${table} ${p.name}`, err);
    }
  }
}

export async function ageMetrics(deps: TierDeps): Promise<void> {
  const { db, now, settings, summary } = deps;
  const rawCutoff = now - settings.metricsRawDays * DAY_MS;
  const m5Cutoff = now - settings.metrics5mDays * DAY_MS;
  const h1Cutoff = now - settings.metrics1hDays * DAY_MS;

  for (const p of await listDayPartitions(db, "metric_chunks")) {
    if (p.end > rawCutoff) continue;
    try {
      // Rollups only matter while some rollup tier still keeps the day.
      if (p.end > h1Cutoff) {
        for (const hour of await hoursMissingRollups(db, p.name)) {
          await rebuildHourRollups(db, hour);
          summary.rolledUp++;
        }
        const left = await hoursMissingRollups(db, p.name);
        if (left.length) throw new Error(`${left.length} hours of ${p.label} are still not rolled up; kept`);
      }
      await drop(deps, "metric_chunks", p.name);
    } catch (err) {
      recordError(summary, `metric_chunks ${p.name}`, err);
    }
  }
  await dropEndedBefore(deps, "metric_rollups_5m", await listDayPartitions(db, "metric_rollups_5m"), m5Cutoff);
  await dropEndedBefore(deps, "metric_rollups_1h", await listMonthPartitions(db, "metric_rollups_1h"), h1Cutoff);
  try {
    // "Rolled up" marks of hours whose 1h month is gone too (months ending on or before h1Cutoff's month start).
    const c = new Date(h1Cutoff);
    await db.execute(sql`delete from metric_rollup_hours where hour < ${Date.UTC(c.getUTCFullYear(), c.getUTCMonth(), 1)}`);
  } catch (err) {
    recordError(summary, "metric_rollup_hours", err);
  }
}

/** audit_log months that ended before now − auditDays (audit_log_default is never dropped). */
export async function ageAudit(deps: TierDeps): Promise<void> {
  await dropEndedBefore(deps, "audit_log", await listMonthPartitions(deps.db, "audit_log"), deps.now - deps.settings.auditDays * DAY_MS);
}
