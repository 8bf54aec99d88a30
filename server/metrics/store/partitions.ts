import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * The day/month partitions of the compacted metrics tables (migration 0011): metric_chunks and
 * metric_rollups_5m per UTC day, metric_rollups_1h per UTC month. Created outside the writing
 * transaction (creating a partition locks its parent), ahead by retention and here on demand;
 * cached per process.
 */
export const PARTITIONED_METRIC_TABLES = ["metric_chunks", "metric_rollups_5m", "metric_rollups_1h"] as const;
export type PartitionedMetricTable = (typeof PARTITIONED_METRIC_TABLES)[number];

const DAY_MS = 86_400_000;
const known = new Set<string>();

/** Period start (UTC day, or month for metric_rollups_1h) of `at` (epoch ms). */
export function metricPeriodStart(table: PartitionedMetricTable, at: number): number {
  if (table !== "metric_rollups_1h") return Math.floor(at / DAY_MS) * DAY_MS;
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Creates the partitions of every partitioned metrics table that hold time `at` (epoch ms). */
export async function ensureMetricPartitions(db: DbOrTx, at: number): Promise<void> {
  for (const table of PARTITIONED_METRIC_TABLES) {
    const key = `${table}:${metricPeriodStart(table, at)}`;
    if (known.has(key)) continue;
    await db.execute(sql`select lookout_ensure_metric_partition(${table}, ${at}::bigint)`);
    known.add(key);
  }
}

/** Forget cached partitions (after retention dropped some, or a test dropped its database). */
export function forgetMetricPartitions(): void {
  known.clear();
}
