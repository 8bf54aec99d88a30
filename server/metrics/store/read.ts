/**
 * The PostgreSQL implementation of the engine's `Queryable`: series by label matchers from
 * `metric_series`, samples from compacted chunks plus head blocks, decoded here (fetching compact
 * bytes and decoding in JS beats SQL-side per-sample work by an order of magnitude).
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { decodeChunk } from "@/server/metrics/chunk/chunk";
import { compileMatchers } from "@/server/metrics/promql/engine/matchers";
import type { Labels, Queryable, SelectHints, SeriesData } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { decodeHeadBlock, forEachSeries } from "./head-block";
import { mergePieces, type SamplePiece } from "./samples";
import { HOUR_MS } from "./write";

export interface StoredSeries {
  id: number;
  labels: Labels;
}

/** Above this many selected series a head query skips the GIN `&&` filter and scans the time range. */
const GIN_FILTER_MAX_IDS = 500;

/** Series matching all matchers (SQL narrows by name and equality matchers; the rest in JS). */
export async function findSeries(db: DbOrTx, matchers: LabelMatcher[]): Promise<StoredSeries[]> {
  const nameEq = matchers.find((m) => m.name === "__name__" && m.type === "=");
  const contains: Labels = {};
  let hasContains = false;
  for (const m of matchers) {
    if (m.type === "=" && m.value !== "" && m.name !== "__name__") {
      contains[m.name] = m.value;
      hasContains = true;
    }
  }
  const where = [];
  if (nameEq) where.push(sql`name = ${nameEq.value}`);
  if (hasContains) where.push(sql`labels @> ${JSON.stringify(contains)}::jsonb`);
  const rows = await db.execute<{ id: number; labels: Labels }>(
    sql`select id, labels from metric_series ${where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``}`,
  );
  const test = compileMatchers(matchers);
  const out: StoredSeries[] = [];
  for (const row of rows.rows) if (test(row.labels)) out.push({ id: Number(row.id), labels: row.labels });
  return out;
}

async function findSeriesAny(db: DbOrTx, matcherSets: LabelMatcher[][]): Promise<StoredSeries[]> {
  if (matcherSets.length === 0) {
    const rows = await db.execute<{ id: number; labels: Labels }>(sql`select id, labels from metric_series`);
    return rows.rows.map((r) => ({ id: Number(r.id), labels: r.labels }));
  }
  const byId = new Map<number, StoredSeries>();
  for (const set of matcherSets) for (const s of await findSeries(db, set)) byId.set(s.id, s);
  return [...byId.values()];
}

/** Samples in [start, end] of the given series, stale markers flagged; series without samples left out. */
export async function readSamples(db: DbOrTx, series: StoredSeries[], start: number, end: number): Promise<SeriesData[]> {
  if (series.length === 0) return [];
  const ids = series.map((s) => s.id);
  const pieces = new Map<number, SamplePiece[]>();
  const add = (id: number, piece: SamplePiece) => {
    const list = pieces.get(id);
    if (list) list.push(piece);
    else pieces.set(id, [piece]);
  };

  const chunks = await db.execute<{ series_id: number; data: Buffer }>(sql`
    select series_id, data from metric_chunks
    where series_id = any(${pgArray(ids)}::int4[]) and max_ts >= ${start} and min_ts <= ${end}
    order by series_id, min_ts`);
  for (const row of chunks.rows) {
    const c = decodeChunk(row.data);
    add(Number(row.series_id), { timestamps: c.timestamps, values: c.values, from: 0, to: c.timestamps.length });
  }

  const firstBucket = Math.floor(start / HOUR_MS) * HOUR_MS;
  const seriesFilter = ids.length <= GIN_FILTER_MAX_IDS ? sql`and series_ids && ${pgArray(ids)}::int4[]` : sql``;
  const head = await db.execute<{ payload: Buffer }>(sql`
    select payload from metric_head
    where bucket >= ${firstBucket} and bucket <= ${end} and max_ts >= ${start} and min_ts <= ${end} ${seriesFilter}
    order by id`);
  if (head.rows.length) {
    const wanted = new Set(ids);
    for (const row of head.rows) {
      const block = decodeHeadBlock(row.payload);
      forEachSeries(block, (id, from, to) => {
        if (wanted.has(id)) add(id, { timestamps: block.timestamps, values: block.values, from, to });
      });
    }
  }

  const out: SeriesData[] = [];
  for (const s of series) {
    const list = pieces.get(s.id);
    if (!list) continue;
    const merged = mergePieces(list, start, end);
    if (merged.timestamps.length === 0) continue;
    out.push({ labels: s.labels, ...merged });
  }
  return out;
}

export class PgQueryable implements Queryable {
  constructor(private readonly db: DbOrTx) {}

  async select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
    return readSamples(this.db, await findSeries(this.db, matchers), hints.start, hints.end);
  }

  // The time range is not used to narrow series: every stored series is listed (Prometheus narrows
  // to blocks overlapping the range; our series rows carry no time bounds).
  async series(matcherSets: LabelMatcher[][], _start?: number, _end?: number): Promise<Labels[]> {
    return (await findSeriesAny(this.db, matcherSets)).map((s) => s.labels);
  }

  async labelNames(matcherSets: LabelMatcher[][], _start?: number, _end?: number): Promise<string[]> {
    if (matcherSets.length === 0) {
      const rows = await this.db.execute<{ k: string }>(sql`select distinct jsonb_object_keys(labels) as k from metric_series`);
      return rows.rows.map((r) => r.k).sort();
    }
    const names = new Set<string>();
    for (const s of await findSeriesAny(this.db, matcherSets)) for (const k of Object.keys(s.labels)) names.add(k);
    return [...names].sort();
  }

  async labelValues(name: string, matcherSets: LabelMatcher[][], _start?: number, _end?: number): Promise<string[]> {
    if (matcherSets.length === 0) {
      const rows =
        name === "__name__"
          ? await this.db.execute<{ v: string }>(sql`select distinct name as v from metric_series`)
          : await this.db.execute<{ v: string }>(sql`select distinct labels->>${name} as v from metric_series where labels ? ${name}`);
      // Sorted in JS: byte order as Prometheus, not the database collation.
      return rows.rows.map((r) => r.v).sort();
    }
    const values = new Set<string>();
    for (const s of await findSeriesAny(this.db, matcherSets)) {
      const v = s.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }
}
