/**
 * Appending samples: resolve series ids, cut the batch into one head block per hour, and commit
 * the blocks together with the batch id in one transaction (a retried batch writes nothing).
 */
import { pgArray } from "@/server/lib/sql-array";
import { isMissingPartition } from "@/server/lib/partition-errors";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Labels, SeriesSamplesInput } from "@/server/metrics/model";
import { copyValue, encodeHeadBlock, writeStale } from "./head-block";
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

/** Samples in columns: each series a [start, end) range of `timestamps` / `values`. */
export interface AppendColumns {
  batchId: string;
  series: { labels: Labels; /** seriesKey(labels), when the caller has it already. */ key?: string; start: number; end: number }[];
  timestamps: Float64Array;
  values: Float64Array;
  /** Indexes of stale markers (their value is written as the stale NaN). */
  stale: readonly number[];
}

interface HourPlan {
  bucket: number;
  n: number;
  sid: Uint32Array;
  ts: Float64Array;
  /** Values bit-exact (stale markers already written as the stale NaN). */
  val: Float64Array;
}

/** Object-per-sample input (Pushgateway, OTLP, scrapes): flattened into columns. */
export async function appendSamples(db: Db, batch: AppendBatch, opts: AppendOptions): Promise<AppendResult> {
  let n = 0;
  for (const s of batch.series) n += s.samples.length;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const stale: number[] = [];
  const series: AppendColumns["series"] = [];
  let at = 0;
  for (const s of batch.series) {
    const start = at;
    for (const p of s.samples) {
      timestamps[at] = p.timestampMs;
      values[at] = p.value;
      if (p.stale) stale.push(at);
      at++;
    }
    series.push({ labels: s.labels, start, end: at });
  }
  return appendColumns(db, { batchId: batch.batchId, series, timestamps, values, stale }, opts);
}

/**
 * Appends a columnar batch: series ids from the resolver's cache (keys reused when given), one
 * head block per hour, written with the batch id in one transaction (a retried batch writes nothing).
 */
export async function appendColumns(db: Db, batch: AppendColumns, opts: AppendOptions): Promise<AppendResult> {
  const keys = batch.series.every((s) => s.key !== undefined) ? batch.series.map((s) => s.key!) : undefined;
  const { ids } = await opts.resolver.resolve(
    db,
    batch.series.map((s) => s.labels),
    keys,
  );
  const { timestamps, values } = batch;
  let staleFlags: Uint8Array | null = null;
  if (batch.stale.length) {
    staleFlags = new Uint8Array(timestamps.length);
    for (const i of batch.stale) staleFlags[i] = 1;
  }
  let rejectedSeriesLimit = 0;
  let rejectedTooOld = 0;
  const minTs = opts.minTimestamp ?? -Infinity;
  // Series in id order, so that each hour's samples come out sorted (series, then time) without a sort
  // in the usual case (distinct series per batch, samples ascending).
  const order = Array.from(batch.series.keys()).sort((a, b) => ids[a]! - ids[b]!);

  // Pass 1: samples per hour.
  const counts = new Map<number, number>();
  let lastBucket = NaN;
  let lastCount = 0;
  for (const k of order) {
    const s = batch.series[k]!;
    if (ids[k] === 0) {
      rejectedSeriesLimit += s.end - s.start;
      continue;
    }
    for (let i = s.start; i < s.end; i++) {
      const t = timestamps[i]!;
      if (t < minTs) {
        rejectedTooOld++;
        continue;
      }
      const bucket = Math.floor(t / HOUR_MS) * HOUR_MS;
      if (bucket !== lastBucket) {
        if (lastBucket === lastBucket) counts.set(lastBucket, lastCount);
        lastBucket = bucket;
        lastCount = counts.get(bucket) ?? 0;
      }
      lastCount++;
    }
  }
  if (lastBucket === lastBucket) counts.set(lastBucket, lastCount);

  // Pass 2: fill each hour's columns.
  const hours = new Map<number, HourPlan>();
  for (const [bucket, c] of counts) hours.set(bucket, { bucket, n: 0, sid: new Uint32Array(c), ts: new Float64Array(c), val: new Float64Array(c) });
  let samples = 0;
  let plan: HourPlan | undefined;
  for (const k of order) {
    const id = ids[k]!;
    if (id === 0) continue;
    const s = batch.series[k]!;
    for (let i = s.start; i < s.end; i++) {
      const t = timestamps[i]!;
      if (t < minTs) continue;
      const bucket = Math.floor(t / HOUR_MS) * HOUR_MS;
      if (plan?.bucket !== bucket) plan = hours.get(bucket)!;
      const j = plan.n++;
      plan.sid[j] = id;
      plan.ts[j] = t;
      if (staleFlags?.[i]) writeStale(plan.val, j);
      else plan.val[j] = values[i]!;
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

/** Sorts an hour's samples by (series, time) when needed, keeps the last value per (series, time), encodes. */
function buildBlock(plan: HourPlan): BuiltBlock {
  const { sid, ts, val } = plan;
  const n = plan.n;
  let sorted = true;
  for (let k = 1; k < n; k++) {
    if (sid[k]! < sid[k - 1]! || (sid[k] === sid[k - 1] && ts[k]! <= ts[k - 1]!)) {
      sorted = false;
      break;
    }
  }
  let timestamps = ts;
  let values = val;
  let m = n;
  if (!sorted) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Stable on ties (same series and timestamp): the later sample wins below.
    order.sort((a, b) => sid[a]! - sid[b]! || ts[a]! - ts[b]! || a - b);
    const outSid = new Uint32Array(n);
    timestamps = new Float64Array(n);
    values = new Float64Array(n);
    m = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (m > 0 && outSid[m - 1] === sid[i] && timestamps[m - 1] === ts[i]) m--; // duplicate timestamp: the later sample wins
      outSid[m] = sid[i]!;
      timestamps[m] = ts[i]!;
      copyValue(val, i, values, m);
      m++;
    }
    plan = { ...plan, sid: outSid };
  }
  const ids = plan.sid;
  const seriesIds: number[] = [];
  const counts: number[] = [];
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let k = 0; k < m; k++) {
    if (k === 0 || ids[k] !== ids[k - 1]) {
      seriesIds.push(ids[k]!);
      counts.push(1);
    } else counts[counts.length - 1]!++;
    const t = timestamps[k]!;
    if (t < minTs) minTs = t;
    if (t > maxTs) maxTs = t;
  }
  const payload = encodeHeadBlock({
    seriesIds,
    counts,
    timestamps: timestamps.subarray(0, m),
    values: values.subarray(0, m),
  });
  return { bucket: plan.bucket, minTs, maxTs, samples: m, seriesIds, payload };
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
