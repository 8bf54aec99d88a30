/**
 * Compaction: a head hour that has left the head window becomes one chunk per series (merged with
 * any chunk already stored for that series and hour, e.g. after a late backfill) plus that
 * series' 5m and 1h rollups of the hour (rollup.ts), then its head partition is dropped. Chunks,
 * rollups and the drop commit in one transaction: a crash leaves either the head hour or its
 * chunks and rollups, never both or neither, and a re-compaction rewrites the hour's rollups.
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeChunk, encodeChunk } from "@/server/metrics/chunk/chunk";
import { decodeHeadBlock, forEachSeries } from "./head-block";
import { ensureMetricPartitions } from "./partitions";
import { markHourCompacted, writeHourRollups } from "./rollup-store";
import { mergePieces, type MergedSamples, type SamplePiece } from "./samples";
import { forgetHeadPartition, HOUR_MS } from "./write";

export interface CompactionResult {
  hours: number;
  series: number;
  samples: number;
  chunkBytes: number;
}

/** Head partitions (bucket starts) whose hour ended before `before`. */
export async function closedHeadBuckets(db: Db, before: number): Promise<number[]> {
  const rows = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'metric_head'::regclass`);
  const buckets: number[] = [];
  for (const { name } of rows.rows) {
    const m = /^metric_head_(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(name);
    if (!m) continue;
    const bucket = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
    if (bucket + HOUR_MS <= before) buckets.push(bucket);
  }
  return buckets.sort((a, b) => a - b);
}

/** Compacts every head hour that ended more than `headWindowMs` before `nowMs`. */
export async function compactHead(db: Db, nowMs: number, headWindowMs: number): Promise<CompactionResult> {
  const total: CompactionResult = { hours: 0, series: 0, samples: 0, chunkBytes: 0 };
  for (const bucket of await closedHeadBuckets(db, nowMs - headWindowMs)) {
    const r = await compactHour(db, bucket);
    total.hours++;
    total.series += r.series;
    total.samples += r.samples;
    total.chunkBytes += r.chunkBytes;
  }
  return total;
}

export async function compactHour(db: Db, bucket: number): Promise<Omit<CompactionResult, "hours">> {
  const end = bucket + HOUR_MS - 1;
  await ensureMetricPartitions(db, bucket);
  const result = await db.transaction(async (tx) => {
    const part = await tx.execute<{ name: string }>(sql`select lookout_ensure_metric_head_partition(${bucket}::bigint) as name`);
    const partition = part.rows[0]!.name;
    // Writers to this hour wait until we commit (and then find the partition gone and recreate it).
    await tx.execute(sql`lock table ${sql.identifier(partition)} in share row exclusive mode`);
    const blocks = await tx.execute<{ payload: Buffer }>(sql`select payload from ${sql.identifier(partition)} order by id`);
    const pieces = new Map<number, SamplePiece[]>();
    for (const row of blocks.rows) {
      const b = decodeHeadBlock(row.payload);
      forEachSeries(b, (id, from, to) => {
        const piece = { timestamps: b.timestamps, values: b.values, from, to };
        const list = pieces.get(id);
        if (list) list.push(piece);
        else pieces.set(id, [piece]);
      });
    }
    const ids = [...pieces.keys()].sort((a, b) => a - b);
    if (ids.length) {
      // Chunks already stored for this hour (a previous compaction before a late backfill) go first: older writes.
      const existing = await tx.execute<{ series_id: number; data: Buffer }>(sql`
        delete from metric_chunks where series_id = any(${pgArray(ids)}::int4[]) and min_ts >= ${bucket} and min_ts <= ${end}
        returning series_id, data`);
      for (const row of existing.rows) {
        const c = decodeChunk(row.data);
        pieces.get(Number(row.series_id))!.unshift({ timestamps: c.timestamps, values: c.values, from: 0, to: c.timestamps.length });
      }
    }
    const sid: number[] = [];
    const mins: number[] = [];
    const maxs: number[] = [];
    const counts: number[] = [];
    const datas: Buffer[] = [];
    const rolled: { id: number; samples: MergedSamples }[] = [];
    let samples = 0;
    let chunkBytes = 0;
    for (const id of ids) {
      const merged = mergePieces(pieces.get(id)!, bucket, end);
      const n = merged.timestamps.length;
      rolled.push({ id, samples: merged });
      if (n === 0) continue;
      const data = Buffer.from(encodeChunk(merged.timestamps, merged.values));
      sid.push(id);
      mins.push(merged.timestamps[0]!);
      maxs.push(merged.timestamps[n - 1]!);
      counts.push(n);
      datas.push(data);
      samples += n;
      chunkBytes += data.length;
    }
    for (let i = 0; i < sid.length; i += 5000) {
      const j = i + 5000;
      await tx.execute(sql`
        insert into metric_chunks (series_id, min_ts, max_ts, samples, data)
        select * from unnest(${pgArray(sid.slice(i, j))}::int4[], ${pgArray(mins.slice(i, j))}::int8[], ${pgArray(maxs.slice(i, j))}::int8[], ${pgArray(counts.slice(i, j))}::int4[], ${pgArray(datas.slice(i, j))}::bytea[])`);
    }
    await writeHourRollups(tx, bucket, rolled);
    await markHourCompacted(tx, bucket);
    await tx.execute(sql`drop table ${sql.identifier(partition)}`);
    return { series: sid.length, samples, chunkBytes };
  });
  forgetHeadPartition(bucket);
  return result;
}
