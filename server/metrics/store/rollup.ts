/**
 * Rollups: per series, aggregates of the samples of each 5-minute and 1-hour slot, kept for
 * compacted hours so long-range queries read a few aggregates instead of every sample.
 *
 * PromQL windows are left-open, (t − range, t], so a query bucket is (e − res, e]. A stored slot
 * [b, b + res) keeps its interior (b, b + res) and its edge (the point at exactly b) apart: the
 * query bucket (e − res, e] is then the interior of slot e − res with the edge of slot e appended.
 * Every slot lies inside one hour, so an hour's rollups depend on that hour's samples alone and
 * compaction writes them exactly once per (re)compaction of the hour.
 *
 * Per slot (all float64): interior aggregates over samples (stale markers are not samples):
 * count, sum, min, max (NaN only when every sample is NaN, as max_over_time), first/last sample
 * and their offsets from b, `corr` (the counter correction: the sum of the values just before
 * each drop, so the reset-adjusted increase first → last is last − first + corr, Prometheus's own
 * formula, and a counter's running total without resets is value + corrections so far); the
 * offset of the final point when it is a stale marker (−1 otherwise), for instant selectors; and
 * the edge: kind (0 none, 1 sample, 2 stale marker) and value.
 *
 * Stored encoding: one chunk (server/metrics/chunk) of the slot fields, field-major, with
 * timestamps 0, 1, 2, … (a few bits) so the chunk's value codecs compress the aggregates.
 */
import { decodeChunk, encodeChunk } from "@/server/metrics/chunk/chunk";
import type { RollupColumns } from "@/server/metrics/model";

export const RES_5M = 300_000;
export const RES_1H = 3_600_000;

const FIELDS = 12;
const COUNT = 0, SUM = 1, MIN = 2, MAX = 3, FIRST_OFF = 4, FIRST = 5, LAST_OFF = 6, LAST = 7, CORR = 8, STALE_OFF = 9, EDGE_KIND = 10, EDGE = 11;
const EDGE_NONE = 0, EDGE_SAMPLE = 1, EDGE_STALE = 2;

/** Consecutive slots [start + k·res, start + (k+1)·res), k < slots; `f[field·slots + k]`. */
export interface SlotBlock {
  start: number;
  res: number;
  slots: number;
  f: Float64Array;
}

export function emptySlots(start: number, res: number, slots: number): SlotBlock {
  const f = new Float64Array(FIELDS * slots);
  f.fill(-1, STALE_OFF * slots, (STALE_OFF + 1) * slots);
  return { start, res, slots, f };
}

/** Empties every slot of `block` (as emptySlots leaves them), to reuse it. */
export function clearSlots(block: SlotBlock): void {
  const { slots, f } = block;
  f.fill(0);
  f.fill(-1, STALE_OFF * slots, (STALE_OFF + 1) * slots);
}

/** RollupColumns with room for `n` buckets (to pass to rangeBuckets as `into`). */
export function rollupColumns(res: number, n: number): RollupColumns {
  const col = () => new Float64Array(n);
  return { res, end: col(), count: col(), sum: col(), min: col(), max: col(), firstTs: col(), first: col(), lastTs: col(), last: col(), corr: col() };
}

/**
 * Adds samples [from, to) (ascending, one per timestamp; `stale[i]` = 1 for stale markers) to the
 * slots they fall in; samples outside the block are skipped. Samples must arrive in time order
 * across calls for the same slot.
 */
export function addSamples(block: SlotBlock, ts: ArrayLike<number>, vs: ArrayLike<number>, stale: Uint8Array | undefined, from: number, to: number): void {
  const { start, res, slots, f } = block;
  for (let i = from; i < to; i++) {
    const off = ts[i]! - start;
    const k = Math.floor(off / res);
    if (k < 0 || k >= slots) continue;
    const local = off - k * res;
    const isStale = stale !== undefined && stale[i] === 1;
    if (local === 0) {
      f[EDGE_KIND * slots + k] = isStale ? EDGE_STALE : EDGE_SAMPLE;
      f[EDGE * slots + k] = isStale ? 0 : vs[i]!;
      continue;
    }
    if (isStale) {
      f[STALE_OFF * slots + k] = local;
      continue;
    }
    const v = vs[i]!;
    f[STALE_OFF * slots + k] = -1;
    appendSample(f, slots, k, v, local);
  }
}

function appendSample(f: Float64Array, slots: number, k: number, v: number, off: number): void {
  const c = f[COUNT * slots + k]!;
  if (c === 0) {
    f[SUM * slots + k] = v;
    f[MIN * slots + k] = v;
    f[MAX * slots + k] = v;
    f[FIRST * slots + k] = v;
    f[FIRST_OFF * slots + k] = off;
    f[CORR * slots + k] = 0;
  } else {
    f[SUM * slots + k] += v;
    const min = f[MIN * slots + k]!;
    if (v < min || Number.isNaN(min)) f[MIN * slots + k] = v;
    const max = f[MAX * slots + k]!;
    if (v > max || Number.isNaN(max)) f[MAX * slots + k] = v;
    const last = f[LAST * slots + k]!;
    if (v < last) f[CORR * slots + k] += last;
  }
  f[LAST * slots + k] = v;
  f[LAST_OFF * slots + k] = off;
  f[COUNT * slots + k] = c + 1;
}

/** True when no slot holds a sample, a stale marker or an edge. */
export function isEmptyBlock(block: SlotBlock): boolean {
  const { slots, f } = block;
  for (let k = 0; k < slots; k++) {
    if (f[COUNT * slots + k] !== 0 || f[STALE_OFF * slots + k] !== -1 || f[EDGE_KIND * slots + k] !== EDGE_NONE) return false;
  }
  return true;
}

/** Copies `src`'s slots into `dst` where they overlap (same resolution and alignment). */
export function copySlots(src: SlotBlock, dst: SlotBlock): void {
  const shift = (src.start - dst.start) / src.res;
  for (let k = 0; k < src.slots; k++) {
    const j = shift + k;
    if (j < 0 || j >= dst.slots) continue;
    for (let field = 0; field < FIELDS; field++) dst.f[field * dst.slots + j] = src.f[field * src.slots + k]!;
  }
}

export function encodeSlots(block: SlotBlock): Buffer {
  const n = FIELDS * block.slots;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = i;
  // Always decoded whole: no restart points.
  return Buffer.from(encodeChunk(ts, block.f, { restartPoints: false }));
}

export function decodeSlots(bytes: Uint8Array, start: number, res: number): SlotBlock {
  return slotsOf(decodeChunk(bytes).values, start, res);
}

/** A slot block over decoded values (FIELDS per slot). */
export function slotsOf(values: Float64Array, start: number, res: number): SlotBlock {
  return { start, res, slots: values.length / FIELDS, f: values };
}

/** Slots of one hour of merged samples: 12 of 5 minutes and one of an hour. */
export function rollupHour(hour: number, ts: ArrayLike<number>, vs: ArrayLike<number>, stale: Uint8Array | undefined): { m5: SlotBlock; h1: SlotBlock } {
  const m5 = emptySlots(hour, RES_5M, RES_1H / RES_5M);
  const h1 = emptySlots(hour, RES_1H, 1);
  addSamples(m5, ts, vs, stale, 0, ts.length);
  addSamples(h1, ts, vs, stale, 0, ts.length);
  return { m5, h1 };
}

/** Query buckets (e − res, e] for slot-aligned e with from < e − res + 1… i.e. e − res ≥ from − 1, e ≤ to. */
function bucketRange(block: SlotBlock, from: number, to: number): [number, number] {
  // Bucket j ends at start + (j+1)·res: interior of slot j plus edge of slot j + 1.
  let j0 = Math.ceil((from - 1 - block.start) / block.res);
  if (j0 < 0) j0 = 0;
  let j1 = Math.floor((to - block.start) / block.res) - 1; // inclusive
  if (j1 > block.slots - 2) j1 = block.slots - 2;
  return [j0, j1];
}

/**
 * The query buckets (e − res, e] lying inside [from − 1, to] with at least one sample, as the
 * engine's RollupColumns (the last sample of each also as a plain sample).
 */
export function rangeBuckets(block: SlotBlock, from: number, to: number, into?: RollupColumns): RollupColumns {
  const { start, res, slots, f } = block;
  const [j0, j1] = bucketRange(block, from, to);
  const cap = Math.max(0, j1 - j0 + 1);
  // `into` (reused by streaming reads) when it has room; the result is then views of it.
  const r: RollupColumns = into && into.end.length >= cap ? into : rollupColumns(res, cap);
  let n = 0;
  for (let j = j0; j <= j1; j++) {
    const b = start + j * res;
    const e = b + res;
    let count = f[COUNT * slots + j]!;
    const edge = f[EDGE_KIND * slots + j + 1] === EDGE_SAMPLE;
    if (count === 0 && !edge) continue;
    r.end[n] = e;
    if (count > 0) {
      r.sum[n] = f[SUM * slots + j]!;
      r.min[n] = f[MIN * slots + j]!;
      r.max[n] = f[MAX * slots + j]!;
      r.first[n] = f[FIRST * slots + j]!;
      r.firstTs[n] = b + f[FIRST_OFF * slots + j]!;
      r.last[n] = f[LAST * slots + j]!;
      r.lastTs[n] = b + f[LAST_OFF * slots + j]!;
      r.corr[n] = f[CORR * slots + j]!;
    }
    if (edge) {
      // The point at exactly e is the bucket's newest sample: append it.
      const v = f[EDGE * slots + j + 1]!;
      if (count === 0) {
        r.sum[n] = r.min[n] = r.max[n] = r.first[n] = v;
        r.firstTs[n] = e;
        r.corr[n] = 0;
      } else {
        r.sum[n] += v;
        if (v < r.min[n]! || Number.isNaN(r.min[n]!)) r.min[n] = v;
        if (v > r.max[n]! || Number.isNaN(r.max[n]!)) r.max[n] = v;
        if (v < r.last[n]!) r.corr[n] += r.last[n]!;
      }
      r.last[n] = v;
      r.lastTs[n] = e;
      count++;
    }
    r.count[n] = count;
    n++;
  }
  if (n === r.end.length) return r;
  const cut = (a: Float64Array) => a.subarray(0, n);
  return {
    res,
    end: cut(r.end),
    count: cut(r.count),
    sum: cut(r.sum),
    min: cut(r.min),
    max: cut(r.max),
    firstTs: cut(r.firstTs),
    first: cut(r.first),
    lastTs: cut(r.lastTs),
    last: cut(r.last),
    corr: cut(r.corr),
  };
}

/**
 * The final point (newest sample or stale marker) of each query bucket (e − res, e] ending in
 * [from, to], at its own timestamp. For an evaluation time t on a bucket end, the newest point at
 * or before t is the final point of the newest non-empty bucket ending at or before t, so an
 * instant selector (any lookback) reads the same point as from raw samples.
 */
export function finalPoints(block: SlotBlock, from: number, to: number): { timestamps: Float64Array; values: Float64Array; stale?: Uint8Array } {
  const { start, res, slots, f } = block;
  let j0 = Math.ceil((from - start) / res) - 1;
  if (j0 < 0) j0 = 0;
  let j1 = Math.floor((to - start) / res) - 1;
  if (j1 > slots - 2) j1 = slots - 2;
  const cap = Math.max(0, j1 - j0 + 1);
  const timestamps = new Float64Array(cap);
  const values = new Float64Array(cap);
  let stale: Uint8Array | undefined;
  let n = 0;
  for (let j = j0; j <= j1; j++) {
    const b = start + j * res;
    const edgeKind = f[EDGE_KIND * slots + j + 1]!;
    let t: number;
    let v = 0;
    let isStale = false;
    if (edgeKind !== EDGE_NONE) {
      t = b + res;
      isStale = edgeKind === EDGE_STALE;
      v = f[EDGE * slots + j + 1]!;
    } else if (f[STALE_OFF * slots + j]! >= 0) {
      t = b + f[STALE_OFF * slots + j]!;
      isStale = true;
    } else if (f[COUNT * slots + j]! > 0) {
      t = b + f[LAST_OFF * slots + j]!;
      v = f[LAST * slots + j]!;
    } else continue;
    if (t < from) continue;
    timestamps[n] = t;
    values[n] = isStale ? NaN : v;
    if (isStale) (stale ??= new Uint8Array(cap))[n] = 1;
    n++;
  }
  const out = { timestamps: timestamps.subarray(0, n), values: values.subarray(0, n) };
  return stale ? { ...out, stale: stale.subarray(0, n) } : out;
}
