import { statfs } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { env } from "@/env";
import { AppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { setWatermarkSource } from "@/server/lib/metrics";
import { formatBytes } from "@/server/lib/units";

/**
 * Disk watermarks: while the file system holding LOOKOUT_DATA_DIR has too little free space, or
 * the database has grown past its limit, ingestion refuses new data (429 with the reason) before
 * accepting any of it, so nothing accepted is ever lost to a full disk; the self metric
 * `lookout_storage_watermark_exceeded{kind}` lets the built-in alert rule fire. Readings are
 * cached for a few seconds: every ingest request asks.
 */

export const WATERMARK_KINDS = ["disk_free_bytes", "disk_free_percent", "database_size"] as const;
export type WatermarkKind = (typeof WATERMARK_KINDS)[number];

/** 0 turns a check off (env.ts). */
export type WatermarkLimits = { minFreeBytes: number; minFreePercent: number; dbMaxBytes: number };
/** What was measured; null when it could not be (that check then passes). */
export type StorageReading = { diskFreeBytes: number | null; diskTotalBytes: number | null; dbBytes: number | null };
export type WatermarkBreach = { kind: WatermarkKind; reason: string };
export type WatermarkState = { checkedAt: string; dataDir: string; limits: WatermarkLimits; reading: StorageReading; breaches: WatermarkBreach[] };

/** How long a reading is used before the next check measures again. */
export const WATERMARK_TTL_MS = 10_000;
/** Retry-After of the 429: space comes back when retention runs or someone frees it, not in a second. */
export const WATERMARK_RETRY_AFTER_S = 60;

function percent(n: number): string {
  return `${Math.round(n * 10) / 10}%`;
}

/** The limits crossed by a reading, each with the reason ingestion gives (pure). */
export function evaluateWatermarks(reading: StorageReading, limits: WatermarkLimits): WatermarkBreach[] {
  const out: WatermarkBreach[] = [];
  const { diskFreeBytes: free, diskTotalBytes: total, dbBytes } = reading;
  if (limits.minFreeBytes > 0 && free !== null && free < limits.minFreeBytes) {
    out.push({ kind: "disk_free_bytes", reason: `storage watermark: free disk space ${formatBytes(free)} is under LOOKOUT_DISK_MIN_FREE_BYTES ${formatBytes(limits.minFreeBytes)}` });
  }
  if (limits.minFreePercent > 0 && free !== null && total) {
    const share = (free / total) * 100;
    if (share < limits.minFreePercent) {
      out.push({ kind: "disk_free_percent", reason: `storage watermark: free disk space ${percent(share)} is under LOOKOUT_DISK_MIN_FREE_PERCENT ${percent(limits.minFreePercent)}` });
    }
  }
  if (limits.dbMaxBytes > 0 && dbBytes !== null && dbBytes > limits.dbMaxBytes) {
    out.push({ kind: "database_size", reason: `storage watermark: database size ${formatBytes(dbBytes)} is over LOOKOUT_DB_MAX_BYTES ${formatBytes(limits.dbMaxBytes)}` });
  }
  return out;
}

/** The 429 ingestion answers while `breaches` is not empty (null when all is well). */
export function watermarkError(breaches: readonly WatermarkBreach[]): AppError | null {
  if (!breaches.length) return null;
  return new AppError("RATE_LIMITED", { userMessage: `${breaches.map((b) => b.reason).join("; ")}; ingestion is paused until space is freed`, retryAfter: WATERMARK_RETRY_AFTER_S });
}

/** Free and total bytes of the file system holding `dir` (its nearest existing ancestor). */
export async function diskSpace(dir: string): Promise<{ free: number; total: number } | null> {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const s = await statfs(at);
      return { free: Number(s.bavail) * Number(s.bsize), total: Number(s.blocks) * Number(s.bsize) };
    } catch (err) {
      const parent = path.dirname(at);
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || parent === at) return null;
      at = parent;
    }
  }
}

export async function databaseSize(db: DbOrTx): Promise<number> {
  const { rows } = await db.execute<{ bytes: string }>(sql`select pg_database_size(current_database())::text as bytes`);
  return Number(rows[0]!.bytes);
}

/** The limits and data directory from the environment. */
export function watermarkConfig(): { limits: WatermarkLimits; dataDir: string } {
  const e = env();
  return {
    limits: { minFreeBytes: e.LOOKOUT_DISK_MIN_FREE_BYTES, minFreePercent: e.LOOKOUT_DISK_MIN_FREE_PERCENT, dbMaxBytes: e.LOOKOUT_DB_MAX_BYTES },
    dataDir: e.LOOKOUT_DATA_DIR,
  };
}

/** Measures now (only what a limit that is on needs). */
export async function measureWatermarks(db: DbOrTx, config = watermarkConfig()): Promise<WatermarkState> {
  const { limits, dataDir } = config;
  const needDisk = limits.minFreeBytes > 0 || limits.minFreePercent > 0;
  const [disk, dbBytes] = await Promise.all([
    needDisk ? diskSpace(dataDir).catch(() => null) : Promise.resolve(null),
    databaseSize(db).catch((err: unknown) => {
      logger.warn({ err }, "could not read the database size for the storage watermark");
      return null;
    }),
  ]);
  const reading: StorageReading = { diskFreeBytes: disk?.free ?? null, diskTotalBytes: disk?.total ?? null, dbBytes };
  return { checkedAt: new Date().toISOString(), dataDir, limits, reading, breaches: evaluateWatermarks(reading, limits) };
}

let cached: { db: DbOrTx; at: number; state: Promise<WatermarkState> } | null = null;

/** The current state, measured at most every WATERMARK_TTL_MS per process (concurrent callers share one). */
export function currentWatermarks(db: DbOrTx, now = Date.now()): Promise<WatermarkState> {
  if (cached && cached.db === db && now - cached.at < WATERMARK_TTL_MS) return cached.state;
  const state = measureWatermarks(db);
  cached = { db, at: now, state };
  state.catch(() => {
    if (cached?.state === state) cached = null;
  });
  return state;
}

/** Test hook (and after the limits changed): measure again on the next check. */
export function forgetWatermarks(): void {
  cached = null;
}

/** The ingestion gate: throws the 429 while a watermark is crossed. */
export async function assertStorageAvailable(db: DbOrTx): Promise<void> {
  const err = watermarkError((await currentWatermarks(db)).breaches);
  if (err) throw err;
}

/** Each watermark that is on (its limit is not 0), with whether it is crossed: the gauge's series. */
export function watermarkSeries(state: WatermarkState): Record<string, boolean> {
  const on: Record<WatermarkKind, boolean> = {
    disk_free_bytes: state.limits.minFreeBytes > 0,
    disk_free_percent: state.limits.minFreePercent > 0,
    database_size: state.limits.dbMaxBytes > 0,
  };
  const crossed = new Set(state.breaches.map((b) => b.kind));
  const out: Record<string, boolean> = {};
  for (const kind of WATERMARK_KINDS) if (on[kind]) out[kind] = crossed.has(kind);
  return out;
}

let tracked: DbOrTx | null = null;

/**
 * Makes `lookout_storage_watermark_exceeded` report this database's watermarks (the process
 * serving /metrics calls it, as trackStorageSize). Calling it again with the same database changes nothing.
 */
export function trackWatermarks(db: DbOrTx): void {
  if (tracked === db) return;
  tracked = db;
  setWatermarkSource(async () => watermarkSeries(await currentWatermarks(db)));
}
