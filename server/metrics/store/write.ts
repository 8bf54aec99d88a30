/**
 * Appending samples: resolve series ids, cut the batch into one head block per hour, and commit
 * the blocks together with the batch id in one transaction (a retried batch writes nothing).
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { SeriesSamplesInput } from "@/server/metrics/model";
import { encodeHeadBlock, writeStale } from "./head-block";
import type { SeriesResolver } from "./series-resolver";

export const HOUR_MS = 3_600_000;

export interface AppendBatch {
  batchId: string;
  series: SeriesSamplesInput[];
}

export interface AppendResult {
  committed: boolean;
  samples: number;
  /** Samples refused: their series would exceed the per-metric series limit. */
  rejectedSeriesLimit: number;
  /** Samples refused: older than raw retention. */
  rejectedTooOld: number;
  blocks: number;
  bytes: number;
}

export interface AppendOptions {
  resolver: SeriesResolver;
  /** Samples with timestamps before this (ms) are refused. */
  minTimestamp?: number;
}

interface HourPlan {
  bucket: number;
  /** Flat arrays, grouped later. */
  sid: number[];
  ts: number[];
  val: number[];
  stale: number[];
}

export async function appendSamples(db: Db, batch: AppendBatch, opts: AppendOptions): Promise<AppendResult> {
  const { ids } = await opts.resolver.resolve(db, batch.series.map((s) => s.labels));
  let rejectedSeriesLimit = 0;
  let rejectedTooOld = 0;
  const minTs = opts.minTimestamp ?? -Infinity;
  const hours = new Map<number, HourPlan>();
  let samples = 0;
  for (let i = 0; i < batch.series.length; i++) {
    const input = batch.series[i]!;
    const id = ids[i]!;
    if (id === 0) {
      rejectedSeriesLimit += input.samples.length;
      continue;
    }
    for (const s of input.samples) {
      if (s.timestampMs < minTs) {
        rejectedTooOld++;
        continue;
      }
      const bucket = Math.floor(s.timestampMs / HOUR_MS) * HOUR_MS;
      let plan = hours.get(bucket);
      if (!plan) hours.set(bucket, (plan = { bucket, sid: [], ts: [], val: [], stale: [] }));
      plan.sid.push(id);
      plan.ts.push(s.timestampMs);
      plan.val.push(s.value);
      if (s.stale) plan.stale.push(plan.ts.length - 1);
      samples++;
    }
  }

  const blocks = [...hours.values()].map(buildBlock);
  let bytes = 0;
  const write = () => db.transaction(async (tx) => {
    bytes = 0;
    const inserted = await tx.execute(sql`
      insert into metric_ingest_batches (batch_id, samples) values (${batch.batchId}, ${samples})
      on conflict do nothing returning batch_id`);
    if (inserted.rows.length === 0) return false;
    for (const b of blocks) {
      bytes += b.payload.length;
      await tx.execute(sql`
        insert into metric_head (bucket, min_ts, max_ts, samples, series_ids, payload)
        values (${b.bucket}, ${b.minTs}, ${b.maxTs}, ${b.samples}, ${pgArray(b.seriesIds)}::int4[], ${b.payload})`);
    }
    return true;
  });
  await ensureHeadPartitions(db, blocks.map((b) => b.bucket));
  let committed: boolean;
  try {
    committed = await write();
  } catch (err) {
    // Another process's compactor dropped an hour this process had cached as present.
    if (!isMissingPartition(err)) throw err;
    forgetHeadPartition();
    await ensureHeadPartitions(db, blocks.map((b) => b.bucket));
    committed = await write();
  }
  if (!committed) return { committed, samples: 0, rejectedSeriesLimit: 0, rejectedTooOld: 0, blocks: 0, bytes: 0 };
  return { committed, samples, rejectedSeriesLimit, rejectedTooOld, blocks: blocks.length, bytes };
}

export interface BuiltBlock {
  bucket: number;
  minTs: number;
  maxTs: number;
  samples: number;
  seriesIds: number[];
  payload: Buffer;
}

/** Sorts an hour's samples by (series, time), keeps the last value per (series, time), encodes. */
function buildBlock(plan: HourPlan): BuiltBlock {
  const n = plan.ts.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const { sid, ts } = plan;
  // Stable on ties (same series and timestamp): the later sample wins below.
  order.sort((a, b) => sid[a]! - sid[b]! || ts[a]! - ts[b]! || a - b);
  const staleSet = plan.stale.length ? new Set(plan.stale) : null;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const seriesIds: number[] = [];
  const counts: number[] = [];
  let m = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const id = sid[i]!;
    const t = ts[i]!;
    const sameSeries = seriesIds.length > 0 && seriesIds[seriesIds.length - 1] === id;
    if (sameSeries && timestamps[m - 1] === t) m--; // duplicate timestamp: overwrite with the later sample
    else if (sameSeries) counts[counts.length - 1]!++;
    else {
      seriesIds.push(id);
      counts.push(1);
    }
    timestamps[m] = t;
    if (staleSet?.has(i)) writeStale(values, m);
    else values[m] = plan.val[i]!;
    if (t < minTs) minTs = t;
    if (t > maxTs) maxTs = t;
    m++;
  }
  const payload = encodeHeadBlock({
    seriesIds,
    counts,
    timestamps: timestamps.subarray(0, m),
    values: values.subarray(0, m),
  });
  return { bucket: plan.bucket, minTs, maxTs, samples: m, seriesIds, payload };
}

/** "no partition of relation found for row" or a partition dropped while we waited for it. */
function isMissingPartition(err: unknown): boolean {
  for (let cur = err; cur; cur = (cur as { cause?: unknown }).cause) {
    const code = (cur as { code?: unknown }).code;
    if (code === "23514" || code === "42P01" || code === "XX000") return true;
  }
  return false;
}

const knownPartitions = new Set<number>();

/** Creates the hourly head partitions a batch needs (outside its transaction; cached per process). */
export async function ensureHeadPartitions(db: Db, buckets: Iterable<number>): Promise<void> {
  for (const bucket of buckets) {
    if (knownPartitions.has(bucket)) continue;
    await db.execute(sql`select lookout_ensure_metric_head_partition(${bucket}::bigint)`);
    knownPartitions.add(bucket);
  }
}

/** Forgets cached partitions (the compactor dropped one, or a test dropped the database). */
export function forgetHeadPartition(bucket?: number): void {
  if (bucket === undefined) knownPartitions.clear();
  else knownPartitions.delete(bucket);
}
