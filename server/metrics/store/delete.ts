/**
 * `POST /api/v1/admin/tsdb/delete_series`: removes the samples of matching series in [start, end]
 * from chunks and head blocks (rewritten without them, not tombstoned), so the same series and
 * timestamps can be written again at once. The rollups of every rewritten chunk's hour are
 * rebuilt from the samples kept, in the same transaction. The `metric_series` rows stay: ingest processes cache
 * series ids, and a row removed under them would orphan their next samples.
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { decodeChunk, encodeChunk } from "@/server/metrics/chunk/chunk";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { decodeHeadBlock, encodeHeadBlock, forEachSeries, pickValues } from "./head-block";
import { findSeries } from "./read";
import { writeHourRollups } from "./rollup-store";
import { mergePieces } from "./samples";
import { HOUR_MS } from "./write";

export interface DeleteResult {
  series: number;
  samples: number;
}

export async function deleteSeries(
  db: Db,
  matcherSets: LabelMatcher[][],
  start: number,
  end: number,
): Promise<DeleteResult> {
  const ids = new Set<number>();
  for (const set of matcherSets) for (const s of await findSeries(db, set)) ids.add(s.id);
  if (ids.size === 0) return { series: 0, samples: 0 };
  const idList = [...ids];
  const result = await db.transaction(async (tx) => {
    let samples = 0;
    const chunks = await tx.execute<{ series_id: number; min_ts: string; data: Buffer }>(sql`
      select series_id, min_ts, data from metric_chunks
      where series_id = any(${pgArray(idList)}::int4[]) and max_ts >= ${start} and min_ts <= ${end} for update`);
    for (const row of chunks.rows) {
      const c = decodeChunk(row.data);
      const keep: number[] = [];
      for (let i = 0; i < c.timestamps.length; i++) if (c.timestamps[i]! < start || c.timestamps[i]! > end) keep.push(i);
      samples += c.timestamps.length - keep.length;
      await tx.execute(sql`delete from metric_chunks where series_id = ${row.series_id} and min_ts = ${row.min_ts}`);
      const ts = Float64Array.from(keep, (i) => c.timestamps[i]!);
      const vs = pickValues(c.values, keep);
      if (keep.length) {
        await tx.execute(sql`
          insert into metric_chunks (series_id, min_ts, max_ts, samples, data)
          values (${row.series_id}, ${ts[0]!}, ${ts[ts.length - 1]!}, ${ts.length}, ${Buffer.from(encodeChunk(ts, vs))})`);
      }
      // A chunk holds one hour of one series (compaction merges per hour): rebuild that hour's rollups.
      const hour = Math.floor(Number(row.min_ts) / HOUR_MS) * HOUR_MS;
      const kept = mergePieces([{ timestamps: ts, values: vs, from: 0, to: ts.length }], hour, hour + HOUR_MS - 1);
      await writeHourRollups(tx, hour, [{ id: Number(row.series_id), samples: kept }]);
    }
    const blocks = await tx.execute<{ bucket: string; id: string; payload: Buffer }>(sql`
      select bucket, id, payload from metric_head
      where series_ids && ${pgArray(idList)}::int4[] and max_ts >= ${start} and min_ts <= ${end} for update`);
    for (const row of blocks.rows) {
      const b = decodeHeadBlock(row.payload);
      const seriesIds: number[] = [];
      const counts: number[] = [];
      const keepIdx: number[] = [];
      forEachSeries(b, (id, from, to) => {
        let kept = 0;
        for (let i = from; i < to; i++) {
          const t = b.timestamps[i]!;
          if (ids.has(id) && t >= start && t <= end) samples++;
          else {
            keepIdx.push(i);
            kept++;
          }
        }
        if (kept) {
          seriesIds.push(id);
          counts.push(kept);
        }
      });
      if (keepIdx.length === 0) {
        await tx.execute(sql`delete from metric_head where bucket = ${row.bucket} and id = ${row.id}`);
        continue;
      }
      const ts = Float64Array.from(keepIdx, (i) => b.timestamps[i]!);
      const vs = pickValues(b.values, keepIdx);
      let min = Infinity;
      let max = -Infinity;
      for (const t of ts) {
        if (t < min) min = t;
        if (t > max) max = t;
      }
      await tx.execute(sql`
        update metric_head set series_ids = ${pgArray(seriesIds)}::int4[], samples = ${ts.length}, min_ts = ${min}, max_ts = ${max},
          payload = ${encodeHeadBlock({ seriesIds, counts, timestamps: ts, values: vs })}
        where bucket = ${row.bucket} and id = ${row.id}`);
    }
    return { series: ids.size, samples };
  });
  return result;
}
