/**
 * The database's size by kind for `lookout_storage_bytes`: the logs tables and the metrics tables
 * (every table of db/schema/logs.ts and db/schema/metrics.ts, their partitions included, each with
 * its indexes and TOAST), the rest, and the whole database (pg_database_size). Read when /metrics
 * is collected, at most once a minute: a 15 s scrape must not walk the catalogs and the data
 * directory every time.
 */
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";
import * as logsSchema from "@/db/schema/logs";
import * as metricsSchema from "@/db/schema/metrics";
import { logger } from "@/server/lib/logger";
import { setStorageSource, type StorageSizes } from "@/server/lib/metrics";
import { pgArray } from "@/server/lib/sql-array";

/** How long a reading is served before the next collection reads again. */
export const STORAGE_SIZE_TTL_MS = 60_000;
/** How long a collection waits for a reading before answering with the last one. */
export const STORAGE_SIZE_TIMEOUT_MS = 5_000;

/** Names of the tables a drizzle schema module defines. */
export function tableNames(schema: Record<string, unknown>): string[] {
  return Object.values(schema)
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => getTableName(t))
    .sort();
}

export const LOG_TABLES = tableNames(logsSchema);
export const METRIC_TABLES = tableNames(metricsSchema);

/** The four kinds from the measured parts: `other` is what the logs and metrics tables leave of the total. */
export function storageSizesOf(logs: number, metrics: number, total: number): StorageSizes {
  return { logs, metrics, other: Math.max(0, total - logs - metrics), total };
}

/**
 * Measures the sizes now. Relations of the current schema: ordinary tables and materialized views
 * (a partitioned table has no storage of its own: its partitions are counted under the root's
 * name, which pg_partition_root finds through pg_inherits).
 */
export async function measureStorageSizes(db: DbOrTx): Promise<StorageSizes> {
  const { rows } = await db.execute<{ logs: string; metrics: string; total: string }>(sql`
    with rel as (
      select root.relname as root, pg_total_relation_size(c.oid) as bytes
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_class root on root.oid = coalesce(pg_partition_root(c.oid), c.oid)
      where n.nspname = current_schema() and c.relkind in ('r', 'm')
    )
    select
      coalesce((select sum(bytes) from rel where root = any(${pgArray(LOG_TABLES)}::text[])), 0)::text as logs,
      coalesce((select sum(bytes) from rel where root = any(${pgArray(METRIC_TABLES)}::text[])), 0)::text as metrics,
      pg_database_size(current_database())::text as total
  `);
  const row = rows[0]!;
  return storageSizesOf(Number(row.logs), Number(row.metrics), Number(row.total));
}

/**
 * `load` served from a cache for `ttlMs`: concurrent callers share one load; a failed load keeps
 * the last value (null before the first success) and is tried again on the next call. With
 * `timeoutMs`, a caller waits no longer than that for a load (getting the last value), while the
 * load goes on and its result is kept for the next one.
 */
export function cachedLoader<T>(
  load: () => Promise<T>,
  ttlMs: number,
  opts: { now?: () => number; timeoutMs?: number; onError?: (err: unknown) => void } = {},
): () => Promise<T | null> {
  const now = opts.now ?? Date.now;
  let value: T | null = null;
  let loadedAt = -Infinity;
  let pending: Promise<T | null> | null = null;
  return () => {
    if (now() - loadedAt < ttlMs) return Promise.resolve(value);
    pending ??= load()
      .then(
        (v) => {
          value = v;
          loadedAt = now();
          return v;
        },
        (err: unknown) => {
          opts.onError?.(err);
          return value;
        },
      )
      .finally(() => {
        pending = null;
      });
    if (opts.timeoutMs === undefined) return pending;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<T | null>((resolve) => {
      timer = setTimeout(() => resolve(value), opts.timeoutMs);
    });
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  };
}

let tracked: DbOrTx | null = null;

/**
 * Makes `lookout_storage_bytes` report this database's sizes from now on (the process serving
 * /metrics calls it; workers never do). Calling it again with the same database changes nothing.
 * Returns a function that stops it (the gauge then keeps its last values).
 */
export function trackStorageSize(db: DbOrTx): () => void {
  const stop = () => {
    if (tracked !== db) return;
    tracked = null;
    setStorageSource(null);
  };
  if (tracked === db) return stop;
  tracked = db;
  setStorageSource(
    cachedLoader(() => measureStorageSizes(db), STORAGE_SIZE_TTL_MS, {
      timeoutMs: STORAGE_SIZE_TIMEOUT_MS,
      onError: (err) => logger.debug({ err }, "could not measure the storage size; lookout_storage_bytes keeps its last value"),
    }),
  );
  return stop;
}
