/**
 * Rollup rows in PostgreSQL: written with an hour's chunks (compaction, delete_series), read by
 * the query path for hours whose rollups are complete and that have no head partition.
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { chunkCount, decodeChunk, decodeChunkInto, type SampleColumns } from "@/server/metrics/chunk/chunk";
import { ensureMetricPartitions } from "./partitions";
import { encodeSlots, slotsOf, RES_1H, RES_5M, rollupHour, type SlotBlock } from "./rollup";
import { mergePieces, type MergedSamples } from "./samples";
import type { ReadStats } from "./read";
import { HOUR_MS } from "./write";

const BATCH = 5000;

/**
 * Replaces the rollups of `hour` for the given series with those of their merged samples (a
 * series with no samples left loses its rows).
 */
export async function writeHourRollups(tx: DbOrTx, hour: number, series: { id: number; samples: MergedSamples }[]): Promise<void> {
  if (series.length === 0) return;
  const all = series.map((s) => s.id);
  for (let i = 0; i < all.length; i += BATCH) {
    const ids = pgArray(all.slice(i, i + BATCH));
    await tx.execute(sql`delete from metric_rollups_5m where series_id = any(${ids}::int4[]) and bucket = ${hour}`);
    await tx.execute(sql`delete from metric_rollups_1h where series_id = any(${ids}::int4[]) and bucket = ${hour}`);
  }
  const sid: number[] = [];
  const m5: Buffer[] = [];
  const h1: Buffer[] = [];
  for (const s of series) {
    if (s.samples.timestamps.length === 0) continue;
    const r = rollupHour(hour, s.samples.timestamps, s.samples.values, s.samples.stale);
    sid.push(s.id);
    m5.push(encodeSlots(r.m5));
    h1.push(encodeSlots(r.h1));
  }
  for (let i = 0; i < sid.length; i += BATCH) {
    const ids = pgArray(sid.slice(i, i + BATCH));
    await tx.execute(sql`
      insert into metric_rollups_5m (series_id, bucket, data)
      select s, ${hour}, d from unnest(${ids}::int4[], ${pgArray(m5.slice(i, i + BATCH))}::bytea[]) as u(s, d)`);
    await tx.execute(sql`
      insert into metric_rollups_1h (series_id, bucket, data)
      select s, ${hour}, d from unnest(${ids}::int4[], ${pgArray(h1.slice(i, i + BATCH))}::bytea[]) as u(s, d)`);
  }
}

/** Records that `hour` was compacted; it counts as rolled up unless it was compacted before rollups existed. */
export async function markHourCompacted(tx: DbOrTx, hour: number): Promise<void> {
  await tx.execute(sql`insert into metric_rollup_hours (hour, complete) values (${hour}, true) on conflict (hour) do nothing`);
}

/**
 * Hours in [fromHour, toHour] that queries may read from rollups: rolled up completely and with
 * no head partition (a head partition means samples not yet compacted into the hour, e.g. a late
 * backfill, so its rollups may be stale).
 */
export async function rolledUpHours(db: DbOrTx, fromHour: number, toHour: number): Promise<Set<number>> {
  const done = await db.execute<{ hour: string }>(sql`
    select hour from metric_rollup_hours where complete and hour >= ${fromHour} and hour <= ${toHour}`);
  const out = new Set(done.rows.map((r) => Number(r.hour)));
  if (out.size === 0) return out;
  const parts = await db.execute<{ name: string }>(sql`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'metric_head'::regclass`);
  for (const { name } of parts.rows) {
    const m = /^metric_head_(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(name);
    if (m) out.delete(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])));
  }
  return out;
}

/** One stored rollup row: a series' slot block for one hour, still encoded. */
export interface RollupRow {
  bucket: number;
  data: Uint8Array;
}

/** Bytes before each row in a fetched list: int4 series id, int8 bucket, int4 length (big-endian). */
const ROLLUP_HEADER_BYTES = 16;

/**
 * Stored rollup rows of the given series and hours, per series id ascending by bucket. One value
 * for the whole selection (each row's series id, bucket and length as a binary header before its
 * bytes, concatenated, base64): node-pg's per-row parsing cost more than decoding the rows.
 */
export async function fetchRollupRows(db: DbOrTx, res: number, ids: number[], hours: number[], stats?: ReadStats): Promise<Map<number, RollupRow[]>> {
  const out = new Map<number, RollupRow[]>();
  if (ids.length === 0 || hours.length === 0) return out;
  const table = res === RES_1H ? sql`metric_rollups_1h` : res === RES_5M ? sql`metric_rollups_5m` : undefined;
  if (!table) throw new Error(`no rollups at resolution ${res}`);
  const t0 = performance.now();
  const res_ = await db.execute<{ data: string | null }>(sql`
    select encode(string_agg(int4send(series_id) || int8send(bucket) || int4send(length(data)) || data, ''::bytea), 'base64') as data from ${table}
    where series_id = any(${pgArray(ids)}::int4[]) and bucket >= ${Math.min(...hours)} and bucket <= ${Math.max(...hours)}`);
  if (stats) stats.sqlMs += performance.now() - t0;
  const packed = res_.rows[0]?.data;
  if (!packed) return out;
  const c0 = process.cpuUsage();
  const wanted = new Set(hours);
  const bytes = Buffer.from(packed, "base64");
  for (let at = 0; at < bytes.length; ) {
    if (at + ROLLUP_HEADER_BYTES > bytes.length) throw new Error("metric rollups: truncated row list");
    const id = bytes.readInt32BE(at);
    const bucket = Number(bytes.readBigInt64BE(at + 4));
    const len = bytes.readUInt32BE(at + 12);
    const from = at + ROLLUP_HEADER_BYTES;
    at = from + len;
    if (!wanted.has(bucket)) continue;
    const row = { bucket, data: bytes.subarray(from, from + len) };
    if (stats) {
      stats.rows++;
      stats.bytes += len;
    }
    const list = out.get(id);
    if (!list) out.set(id, [row]);
    else {
      list.push(row);
      if (list[list.length - 2]!.bucket > bucket) list.sort((x, y) => x.bucket - y.bucket);
    }
  }
  if (stats) {
    const c = process.cpuUsage(c0);
    stats.decodeMs += (c.user + c.system) / 1000;
  }
  return out;
}

/** Fields stored per rollup row: how many values decoding `rows` writes (to size columns for decodeRollupRows). */
export function rollupRowValues(rows: readonly RollupRow[]): number {
  let n = 0;
  for (const r of rows) n += chunkCount(r.data);
  return n;
}

/** Decodes rows into `cols` from index `at` (room for rollupRowValues) and returns their slot blocks (views of cols). */
export function decodeRollupRows(rows: readonly RollupRow[], res: number, cols: SampleColumns, at: number): SlotBlock[] {
  const out: SlotBlock[] = [];
  let used = at;
  for (const row of rows) {
    const n = decodeChunkInto(row.data, -Infinity, Infinity, cols, used);
    out.push(slotsOf(cols.values.subarray(used, used + n), row.bucket, res));
    used += n;
  }
  return out;
}

/**
 * Builds the rollups of an hour that is already compacted (hours compacted before rollups existed,
 * data written as chunks directly) from its chunks, and marks the hour rolled up. Locks the
 * hour's chunks, so a concurrent re-compaction of the hour waits for it.
 */
export async function rebuildHourRollups(db: Db, hour: number): Promise<number> {
  await ensureMetricPartitions(db, hour);
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ series_id: number; data: Buffer }>(sql`
      select series_id, data from metric_chunks where min_ts >= ${hour} and min_ts < ${hour + HOUR_MS} for update`);
    const series = rows.rows.map((row) => {
      const c = decodeChunk(row.data);
      return { id: Number(row.series_id), samples: mergePieces([{ timestamps: c.timestamps, values: c.values, from: 0, to: c.timestamps.length }], hour, hour + HOUR_MS - 1) };
    });
    await writeHourRollups(tx, hour, series);
    await tx.execute(sql`insert into metric_rollup_hours (hour, complete) values (${hour}, true) on conflict (hour) do update set complete = true`);
    return series.length;
  });
}
