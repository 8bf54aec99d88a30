/**
 * The PostgreSQL implementation of the engine's `Queryable`: series by label matchers from
 * `metric_series`, samples from compacted chunks plus head blocks, decoded here (fetching compact
 * bytes and decoding in JS beats SQL-side per-sample work by an order of magnitude).
 *
 * Rollups (rollup.ts) are read, per selector, only when the result is provably the raw one (up
 * to float rounding, see below); otherwise the selector reads raw samples:
 * - the selector is on the query's step grid (`hints.grid`: not inside a subquery, no @), and the
 *   grid's start and step (offset applied) are multiples of the resolution: 1 h if that holds,
 *   else 5 m. A range selector's range must be a multiple of the resolution too;
 * - range selectors only as the argument of rate, increase, delta, sum/count/avg/min/max/last/
 *   present_over_time (ROLLUP_RANGE_FUNCS). Exact: count, min, max, last, present, delta, and
 *   rate/increase without a counter reset in the window; rounding only: sum and avg (bucket sums
 *   added), rate/increase across resets (corrections added in another order) — the integration
 *   test holds all to 1e-9 relative. Overflow aside: sums beyond ±1.8e308 may differ from raw.
 *   Always raw: irate, idelta, deriv, predict_linear, changes, resets, stddev/stdvar/quantile/
 * *   mad_over_time, absent_over_time, double_exponential_smoothing and any other
 *   function, and range selectors returned as they are;
 * - instant selectors (bare, or inside any function or aggregation) read each bucket's final
 *   point (newest sample or stale marker, at its own timestamp): exact for any lookback.
 * Per selection, hours that are rolled up (`metric_rollup_hours.complete`) and have no head
 * partition come from rollup rows; the other hours (the head, a late backfill not yet
 * re-compacted, hours compacted before rollups existed) from raw samples aggregated the same way.
 * `PgQueryable({ rollups: false })` (LOOKOUT_METRICS_ROLLUPS=off for the HTTP API) reads raw only.
 */
import { pgArray } from "@/server/lib/sql-array";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { decodeChunkInto, sampleColumns, type SampleColumns } from "@/server/metrics/chunk/chunk";
import { compileMatchers } from "@/server/metrics/promql/engine/matchers";
import { ROLLUP_RANGE_FUNCS, type Labels, type Queryable, type SelectHints, type SeriesData, type SeriesVisitor } from "@/server/metrics/model";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { decodeHeadBlock, forEachSeries } from "./head-block";
import { addSamples, clearSlots, copySlots, emptySlots, finalPoints, rangeBuckets, RES_1H, RES_5M, rollupColumns } from "./rollup";
import { decodeRollupRows, fetchRollupRows, rolledUpHours, rollupRowValues, type RollupRow } from "./rollup-store";
import { cachedSeriesRows, type StoredSeries } from "./series-cache";
import { mergePieces, withStaleMask, type MergedSamples, type SamplePiece } from "./samples";
import { HOUR_MS } from "./write";

export type { StoredSeries };

/**
 * Where a read's time goes, added up over reads when passed to PgQueryable (bench/metrics-query.ts
 * prints it with BENCH_PROFILE=1). `sqlMs` is the wall time of the chunk, head and rollup
 * statements (concurrent ones overlap), `decodeMs` the process CPU time spent decoding rows,
 * `visitMs` the CPU time spent in selectEach's visitor (the engine's work on streamed series).
 */
export interface ReadStats {
  sqlMs: number;
  decodeMs: number;
  visitMs: number;
  rows: number;
  bytes: number;
  /** Samples (or rollup fields) decoded, and samples kept in the selections. */
  decoded: number;
  kept: number;
}

export function emptyReadStats(): ReadStats {
  return { sqlMs: 0, decodeMs: 0, visitMs: 0, rows: 0, bytes: 0, decoded: 0, kept: 0 };
}

async function timedSql<T>(stats: ReadStats | undefined, run: () => Promise<T>): Promise<T> {
  if (!stats) return run();
  const t = performance.now();
  try {
    return await run();
  } finally {
    stats.sqlMs += performance.now() - t;
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Above this many selected series a head query skips the GIN `&&` filter and scans the time range. */
const GIN_FILTER_MAX_IDS = 500;

/**
 * Series matching all matchers: SQL narrows by name and equality matchers (rows cached per
 * process, see series-cache.ts), the rest is tested in JS (memoised with the cached rows).
 */
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
  const key = JSON.stringify([nameEq?.value ?? null, hasContains ? Object.entries(contains).sort() : null]);
  const cached = await cachedSeriesRows(db, key, where.length ? sql.join(where, sql` and `) : sql`true`);
  const matcherKey = JSON.stringify(matchers.map((m) => [m.name, m.type, m.value]));
  const hit = cached.narrowed.get(matcherKey);
  if (hit) return hit;
  const test = compileMatchers(matchers);
  const out: StoredSeries[] = [];
  for (const row of cached.rows) if (test(row.labels)) out.push(row);
  if (cached.narrowed.size >= 64) cached.narrowed.clear();
  cached.narrowed.set(matcherKey, out);
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
export async function readSamples(db: DbOrTx, series: StoredSeries[], start: number, end: number, stats?: ReadStats): Promise<SeriesData[]> {
  if (series.length === 0) return [];
  const merged = await readMerged(db, series.map((s) => s.id), start, end, stats);
  const out: SeriesData[] = [];
  for (const s of series) {
    const m = merged.get(s.id);
    if (m) out.push({ labels: s.labels, ...m });
  }
  return out;
}

/**
 * What readSamples returns, handed to `visit` one series at a time in the same order, decoded
 * into buffers reused from one series to the next (the arrays are valid during the call only):
 * memory for one series' samples instead of all of them, and the samples are still in cache when
 * the visitor reads them.
 */
export async function visitSamples(db: DbOrTx, series: StoredSeries[], start: number, end: number, visit: (s: SeriesData) => void, stats?: ReadStats): Promise<void> {
  if (series.length === 0) return;
  const ids = series.map((s) => s.id);
  const hours = Math.floor(end / HOUR_MS) - Math.floor(start / HOUR_MS) + 1;
  const parts = orderedParts(ids, hours, (part) => fetchChunkPart(db, part, start, end, stats));
  const head = await readHeadPieces(db, ids, start, end, stats);
  let cols = sampleColumns(1024);
  for (let p = 0; p < parts.count; p++) {
    const { from, to, value: part } = await parts.next();
    const c0 = stats ? cpuMs() : 0;
    let visitMs = 0;
    for (let i = from; i < to; i++) {
      const s = series[i]!;
      const chunks = part.bySeries.get(s.id);
      const headPieces = head.get(s.id);
      if (!chunks && !headPieces) continue;
      let need = 0;
      if (chunks) for (const c of chunks) need += c.samples;
      if (cols.timestamps.length < need) cols = sampleColumns(Math.max(need, 2 * cols.timestamps.length));
      const merged = assembleSeries(chunks, headPieces, start, end, cols, 0).merged;
      if (stats) stats.kept += merged.timestamps.length;
      if (merged.timestamps.length === 0) continue;
      // Wall time (cheaper than a CPU-time syscall per series): the visit is synchronous.
      const v0 = stats ? performance.now() : 0;
      visit({ labels: s.labels, ...merged });
      if (stats) visitMs += performance.now() - v0;
    }
    if (stats) {
      stats.decodeMs += cpuMs() - c0 - visitMs;
      stats.visitMs += visitMs;
    }
  }
}

/**
 * Fetches per consecutive part of `ids`, handing results over in order (next()): parts in
 * series order, the first ones small so that decoding starts early, then doubling up to
 * CHUNK_QUERY_IDS, or fewer so that a part holds about STREAM_PART_ROWS rows (`rowsPerId`: one
 * per hour); at most STREAM_PARTS_IN_FLIGHT asked for at a time, so PostgreSQL answers them in
 * order while the parts before are decoded (asked all at once, its backends would share the CPU
 * and all finish late).
 */
function orderedParts<T>(ids: number[], rowsPerId: number, fetch: (ids: number[]) => Promise<T>): { count: number; next(): Promise<{ from: number; to: number; value: T }> } {
  const maxIds = Math.max(STREAM_MIN_PART_IDS, Math.min(CHUNK_QUERY_IDS, Math.floor(STREAM_PART_ROWS / Math.max(1, rowsPerId))));
  const bounds: number[] = [0];
  for (let size = Math.min(STREAM_FIRST_PART_IDS, maxIds); bounds[bounds.length - 1]! < ids.length; size = Math.min(2 * size, maxIds)) {
    bounds.push(Math.min(ids.length, bounds[bounds.length - 1]! + size));
  }
  const pending: Promise<T>[] = [];
  const ask = (p: number) => {
    if (p + 1 >= bounds.length) return;
    const part = fetch(ids.slice(bounds[p], bounds[p + 1]));
    // Handled now, so that a part failing while an earlier one is awaited is no unhandled
    // rejection (awaiting it in next() still throws).
    part.catch(() => {});
    pending.push(part);
  };
  for (let p = 0; p < STREAM_PARTS_IN_FLIGHT; p++) ask(p);
  let at = 0;
  return {
    count: bounds.length - 1,
    async next() {
      const p = at++;
      const value = await pending[p]!;
      ask(p + STREAM_PARTS_IN_FLIGHT);
      return { from: bounds[p]!, to: bounds[p + 1]!, value };
    },
  };
}

/** Streamed reads (orderedParts): series in the first query, rows aimed at per query, fewest series per query, queries at a time. */
const STREAM_FIRST_PART_IDS = 500;
const STREAM_PART_ROWS = 20_000;
const STREAM_MIN_PART_IDS = 50;
const STREAM_PARTS_IN_FLIGHT = 2;

/** Series per chunk query: the queries of one read run concurrently, and each part is decoded as it arrives. */
const CHUNK_QUERY_IDS = 2500;

type ChunkRow = {
  series_id: number;
  min_ts: number;
  max_ts: number;
  samples: number;
  data: Buffer;
};

/** Bytes before each chunk in a fetched part: int4 series id, int8 min_ts, int8 max_ts, int4 samples, int4 length. */
const CHUNK_HEADER_BYTES = 28;

/** Chunk rows of some series, per series id ascending by min_ts; `samples`: their sample count. */
interface ChunkPart {
  bySeries: Map<number, ChunkRow[]>;
  samples: number;
}

/** The chunks of `ids` holding samples in [start, end]. */
async function fetchChunkPart(db: DbOrTx, ids: number[] | Int32Array, start: number, end: number, stats?: ReadStats): Promise<ChunkPart> {
  // A chunk holds samples of one hour (compaction writes one per series and head hour, delete
  // rewrites within it), so a chunk reaching `start` begins at or after start's hour: that bound
  // makes the (series_id, min_ts) primary key an index range per series instead of a table scan.
  const firstHour = Math.floor(start / HOUR_MS) * HOUR_MS;
  // One value for the whole part: per chunk a fixed header (series id, min_ts, max_ts, sample
  // count, byte length; big-endian) and its bytes, concatenated, in base64 (a third of hex's
  // overhead to parse). Parsing a row per chunk cost more than decoding the chunks.
  const res = await timedSql(stats, () =>
    db.execute<{ data: string | null }>(sql`
      select encode(string_agg(int4send(series_id) || int8send(min_ts) || int8send(max_ts) || int4send(samples) || int4send(length(data)) || data, ''::bytea), 'base64') as data
      from metric_chunks
      where series_id = any(${pgArray([...ids])}::int4[]) and min_ts >= ${firstHour} and min_ts <= ${end} and max_ts >= ${start}`),
  );
  const rows: ChunkRow[] = [];
  const packed = res.rows[0]?.data;
  if (packed) {
    const bytes = Buffer.from(packed, "base64");
    for (let at = 0; at < bytes.length; ) {
      if (at + CHUNK_HEADER_BYTES > bytes.length) throw new Error("metric chunks: truncated chunk list");
      const len = bytes.readUInt32BE(at + 24);
      const from = at + CHUNK_HEADER_BYTES;
      rows.push({
        series_id: bytes.readInt32BE(at),
        min_ts: Number(bytes.readBigInt64BE(at + 4)),
        max_ts: Number(bytes.readBigInt64BE(at + 12)),
        samples: bytes.readInt32BE(at + 20),
        data: bytes.subarray(from, from + len),
      });
      at = from + len;
    }
  }
  // Rows arrive in heap order: group them per series, ascending by min_ts.
  const bySeries = new Map<number, ChunkRow[]>();
  let samples = 0;
  for (const row of rows) {
    samples += row.samples;
    if (stats) {
      stats.rows++;
      stats.bytes += row.data.length;
      stats.decoded += row.samples;
    }
    const list = bySeries.get(row.series_id);
    if (!list) bySeries.set(row.series_id, [row]);
    else {
      list.push(row);
      if (list[list.length - 2]!.min_ts > row.min_ts) list.sort((x, y) => x.min_ts - y.min_ts);
    }
  }
  return { bySeries, samples };
}

/** Samples in [start, end] per series id, from chunks and head; ids without samples left out. */
async function readMerged(db: DbOrTx, ids: number[], start: number, end: number, stats?: ReadStats): Promise<Map<number, MergedSamples>> {
  const out = new Map<number, MergedSamples>();
  if (ids.length === 0) return out;
  // Head and chunk parts asked for at once; each part is finished as it arrives.
  const headRead = readHeadPieces(db, ids, start, end, stats);
  const sorted = Int32Array.from(ids).sort();
  const parts: Int32Array[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK_QUERY_IDS) parts.push(sorted.subarray(i, i + CHUNK_QUERY_IDS));
  const [head] = await Promise.all([
    headRead,
    ...parts.map(async (ids) => {
      const [headPieces, part] = await Promise.all([headRead, fetchChunkPart(db, ids, start, end, stats)]);
      const c0 = stats ? cpuMs() : 0;
      // One allocation for the whole part (series get views of it): far fewer backing stores than one per series.
      const cols = sampleColumns(part.samples);
      let used = 0;
      for (const [id, chunks] of part.bySeries) {
        const r = assembleSeries(chunks, headPieces.get(id), start, end, cols, used);
        used = r.used;
        if (stats) stats.kept += r.merged.timestamps.length;
        if (r.merged.timestamps.length > 0) out.set(id, r.merged);
      }
      if (stats) stats.decodeMs += cpuMs() - c0;
    }),
  ]);
  // Series with head samples only.
  for (const [id, pieces] of head) {
    if (out.has(id)) continue;
    const merged = mergePieces(pieces, start, end);
    if (merged.timestamps.length > 0) out.set(id, merged);
  }
  return out;
}

/**
 * One series' samples in [start, end] from its chunk rows (ascending by min_ts) and head pieces.
 * Chunks that do not overlap in time, without head pieces, are decoded straight into `cols` from
 * index `at` and the result views it; otherwise the clipped chunks (decoded into `cols`) and the
 * head pieces go through mergePieces (chunks first: older writes), which copies. `cols` must
 * have room for every sample of the chunks; `used` is the index after them.
 */
function assembleSeries(
  chunks: ChunkRow[] | undefined,
  headPieces: SamplePiece[] | undefined,
  start: number,
  end: number,
  cols: SampleColumns,
  at: number,
): { merged: MergedSamples; used: number } {
  let used = at;
  if (!chunks) return { merged: mergePieces(headPieces ?? [], start, end), used };
  let disjoint = true;
  for (let k = 1; k < chunks.length; k++) if (chunks[k]!.min_ts <= chunks[k - 1]!.max_ts) disjoint = false;
  if (disjoint && !headPieces) {
    cols.nan = false;
    for (const c of chunks) used += decodeChunkInto(c.data, start, end, cols, used);
    const timestamps = cols.timestamps.subarray(at, used);
    const values = cols.values.subarray(at, used);
    // Only a NaN can be a stale marker: without one there is nothing to scan for.
    return { merged: cols.nan ? withStaleMask(timestamps, values) : { timestamps, values }, used };
  }
  const pieces: SamplePiece[] = [];
  for (const c of chunks) {
    const n = decodeChunkInto(c.data, start, end, cols, used);
    pieces.push({ timestamps: cols.timestamps, values: cols.values, from: used, to: used + n });
    used += n;
  }
  if (headPieces) pieces.push(...headPieces);
  return { merged: mergePieces(pieces, start, end), used };
}

async function readHeadPieces(db: DbOrTx, ids: number[], start: number, end: number, stats?: ReadStats): Promise<Map<number, SamplePiece[]>> {
  const pieces = new Map<number, SamplePiece[]>();
  const firstBucket = Math.floor(start / HOUR_MS) * HOUR_MS;
  const seriesFilter = ids.length <= GIN_FILTER_MAX_IDS ? sql`and series_ids && ${pgArray(ids)}::int4[]` : sql``;
  const head = await timedSql(stats, () =>
    db.execute<{ payload: Buffer }>(sql`
      select payload from metric_head
      where bucket >= ${firstBucket} and bucket <= ${end} and max_ts >= ${start} and min_ts <= ${end} ${seriesFilter}
      order by id`),
  );
  if (head.rows.length === 0) return pieces;
  const wanted = new Set(ids);
  for (const row of head.rows) {
    const block = decodeHeadBlock(row.payload);
    forEachSeries(block, (id, from, to) => {
      if (!wanted.has(id)) return;
      const piece = { timestamps: block.timestamps, values: block.values, from, to };
      const list = pieces.get(id);
      if (list) list.push(piece);
      else pieces.set(id, [piece]);
    });
  }
  return pieces;
}

/** The coarsest rollup resolution whose buckets give exactly the windows the engine reads, if any. */
export function rollupResolution(hints: SelectHints): number | undefined {
  const grid = hints.grid;
  if (!grid) return undefined;
  if (hints.range !== undefined && !(hints.func && ROLLUP_RANGE_FUNCS.has(hints.func))) return undefined;
  for (const res of [RES_1H, RES_5M]) {
    if (grid.first % res !== 0 || grid.step % res !== 0) continue;
    if (hints.range !== undefined && (hints.range < res || hints.range % res !== 0)) continue;
    return res;
  }
  return undefined;
}

/**
 * Selection per query bucket of `res` (see the file comment); raw samples where no rollups apply.
 * With `visit`, the series are handed to it one by one instead (in the same order, as
 * visitSamples does), built in buffers reused from one series to the next.
 */
export async function readWithRollups(
  db: DbOrTx,
  series: StoredSeries[],
  hints: SelectHints,
  res: number,
  stats?: ReadStats,
  visit?: (s: SeriesData) => void,
): Promise<SeriesData[]> {
  const { start, end } = hints;
  if (series.length === 0) return [];
  // Slots from the one holding start − 1 (a range window's open left edge) to the one holding end.
  const s0 = Math.floor((start - 1) / res) * res;
  const sLast = Math.floor(end / res) * res;
  const h0 = Math.floor(s0 / HOUR_MS) * HOUR_MS;
  const h1 = Math.floor(sLast / HOUR_MS) * HOUR_MS;
  const rolled = await timedSql(stats, () => rolledUpHours(db, h0, h1));
  if (rolled.size === 0) {
    if (!visit) return readSamples(db, series, start, end, stats);
    await visitSamples(db, series, start, end, visit, stats);
    return [];
  }

  const ids = series.map((s) => s.id);
  // Raw samples for the hours not rolled up, one read per run of consecutive such hours.
  const raw: Map<number, MergedSamples>[] = [];
  for (let h = h0; h <= h1; h += HOUR_MS) {
    if (rolled.has(h)) continue;
    let last = h;
    while (last + HOUR_MS <= h1 && !rolled.has(last + HOUR_MS)) last += HOUR_MS;
    const a = Math.max(start, h);
    const b = Math.min(end, last + HOUR_MS - 1);
    if (a <= b) raw.push(await readMerged(db, ids, a, b, stats));
    h = last;
  }
  const hours = [...rolled];
  // Visiting: rollup rows in parts as raw chunks are (orderedParts); otherwise all at once.
  const parts = visit
    ? orderedParts(ids, hours.length, (part) => fetchRollupRows(db, res, part, hours, stats))
    : { count: 1, next: async () => ({ from: 0, to: series.length, value: await fetchRollupRows(db, res, ids, hours, stats) }) };
  let visitMs = 0;
  let decodeStart = 0;

  const isRange = hints.range !== undefined;
  const slots = (sLast - s0) / res + 1;
  // Reused from series to series: results are copied out of them (rangeBuckets, finalPoints),
  // into fresh arrays unless visiting.
  let cols = sampleColumns(4096);
  const block = emptySlots(s0, res, slots);
  const buckets = visit ? rollupColumns(res, slots) : undefined;
  const out: SeriesData[] = [];
  let rows = new Map<number, RollupRow[]>();
  let partEnd = 0;
  for (let i = 0; i < series.length; i++) {
    if (i === partEnd) {
      if (stats && i > 0) stats.decodeMs += cpuMs() - decodeStart;
      const part = await parts.next();
      rows = part.value;
      partEnd = part.to;
      if (stats) decodeStart = cpuMs();
    }
    const s = series[i]!;
    const stored = rows.get(s.id);
    if (!stored && !raw.some((m) => m.has(s.id))) continue;
    if (stored) {
      const n = rollupRowValues(stored);
      if (stats) stats.decoded += n;
      if (cols.values.length < n) cols = sampleColumns(Math.max(n, 2 * cols.values.length));
      clearSlots(block);
      for (const b of decodeRollupRows(stored, res, cols, 0)) copySlots(b, block);
    } else clearSlots(block);
    for (const m of raw) {
      const r = m.get(s.id);
      if (r) addSamples(block, r.timestamps, r.values, r.stale, 0, r.timestamps.length);
    }
    let selected: SeriesData | undefined;
    if (isRange) {
      const rollup = rangeBuckets(block, start, end, buckets);
      if (rollup.end.length) selected = { labels: s.labels, timestamps: rollup.lastTs, values: rollup.last, rollup };
    } else {
      const points = finalPoints(block, start, end);
      if (points.timestamps.length) selected = { labels: s.labels, ...points };
    }
    if (!selected) continue;
    if (!visit) {
      out.push(selected);
      continue;
    }
    const v0 = stats ? performance.now() : 0;
    visit(selected);
    if (stats) visitMs += performance.now() - v0;
  }
  if (stats) {
    stats.decodeMs += cpuMs() - decodeStart - visitMs;
    stats.visitMs += visitMs;
  }
  return out;
}

export interface PgQueryableOptions {
  /** Answer from rollups where exact (default true; false: always raw samples). */
  rollups?: boolean;
  /** Adds up where read time goes (profiling). */
  stats?: ReadStats;
}

export class PgQueryable implements Queryable {
  private readonly rollups: boolean;
  private readonly stats: ReadStats | undefined;

  constructor(
    private readonly db: DbOrTx,
    opts: PgQueryableOptions = {},
  ) {
    this.rollups = opts.rollups ?? true;
    this.stats = opts.stats;
  }

  async select(matchers: LabelMatcher[], hints: SelectHints): Promise<SeriesData[]> {
    const series = await findSeries(this.db, matchers);
    const res = this.rollups ? rollupResolution(hints) : undefined;
    if (res !== undefined) return readWithRollups(this.db, series, hints, res, this.stats);
    return readSamples(this.db, series, hints.start, hints.end, this.stats);
  }

  async selectEach(matchers: LabelMatcher[], hints: SelectHints, visitor: SeriesVisitor): Promise<void> {
    const series = await findSeries(this.db, matchers);
    visitor.begin?.(series.map((s) => s.labels));
    const res = this.rollups ? rollupResolution(hints) : undefined;
    if (res !== undefined) {
      await readWithRollups(this.db, series, hints, res, this.stats, (s) => visitor.visit(s));
      return;
    }
    await visitSamples(this.db, series, hints.start, hints.end, (s) => visitor.visit(s), this.stats);
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
