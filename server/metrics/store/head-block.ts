/**
 * Head block: the samples of one ingest batch that fall in one head hour, columnar and
 * uncompressed so that writing is a few typed-array copies. Sorted by (series id, timestamp),
 * one value per series and timestamp.
 *
 * Layout (little-endian), all sections 4-byte aligned and the values 8-byte aligned:
 *   u32 version (1) · u32 series count S · u32 sample count N · u32 reserved
 *   f64 base timestamp (ms; the block's min_ts)
 *   u32[S] series ids · u32[S] sample counts per series
 *   u32[N] timestamp offsets from the base (ms; a block spans under an hour)
 *   (pad to 8) f64[N] values, bit-exact (stale markers keep their NaN payload)
 */
import { AppError } from "@/server/lib/errors";

const VERSION = 1;
const HEADER_BYTES = 24;

/** Hi/lo 32-bit words of Prometheus's stale marker NaN (0x7ff0000000000002). */
export const STALE_HI = 0x7ff00000;
export const STALE_LO = 0x00000002;

export interface HeadBlockInput {
  seriesIds: Uint32Array | number[];
  counts: Uint32Array | number[];
  /** Absolute timestamps (ms), grouped by series in `seriesIds` order, ascending within a series. */
  timestamps: Float64Array;
  /** Values bit-exact, stale markers as the stale NaN (see writeStale). */
  values: Float64Array;
}

export interface HeadBlock {
  seriesIds: Uint32Array;
  counts: Uint32Array;
  timestamps: Float64Array;
  values: Float64Array;
  minTs: number;
  maxTs: number;
}

export function encodeHeadBlock(input: HeadBlockInput): Buffer {
  const s = input.seriesIds.length;
  const n = input.timestamps.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = input.timestamps[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  if (n === 0) min = max = 0;
  if (max - min >= 2 ** 32) throw new AppError("INVALID_INPUT", { userMessage: "a head block cannot span more than 49 days" });
  const offsetsAt = HEADER_BYTES + 8 * s;
  const valuesAt = align8(offsetsAt + 4 * n);
  const buf = new ArrayBuffer(valuesAt + 8 * n);
  const head = new Uint32Array(buf, 0, 4);
  head[0] = VERSION;
  head[1] = s;
  head[2] = n;
  new Float64Array(buf, 16, 1)[0] = min;
  new Uint32Array(buf, HEADER_BYTES, s).set(input.seriesIds);
  new Uint32Array(buf, HEADER_BYTES + 4 * s, s).set(input.counts);
  const offsets = new Uint32Array(buf, offsetsAt, n);
  for (let i = 0; i < n; i++) offsets[i] = input.timestamps[i]! - min;
  // Copy values as raw bytes so NaN payloads (stale markers) survive.
  new Uint8Array(buf, valuesAt, 8 * n).set(new Uint8Array(input.values.buffer, input.values.byteOffset, 8 * n));
  return Buffer.from(buf);
}

export function decodeHeadBlock(bytes: Uint8Array): HeadBlock {
  // Copy to an aligned buffer of our own (pg hands out slices of a shared buffer).
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  if (bytes.length < HEADER_BYTES) throw corrupt();
  const head = new Uint32Array(buf, 0, 4);
  if (head[0] !== VERSION) throw corrupt();
  const s = head[1]!;
  const n = head[2]!;
  const base = new Float64Array(buf, 16, 1)[0]!;
  const offsetsAt = HEADER_BYTES + 8 * s;
  const valuesAt = align8(offsetsAt + 4 * n);
  if (buf.byteLength !== valuesAt + 8 * n) throw corrupt();
  const offsets = new Uint32Array(buf, offsetsAt, n);
  const timestamps = new Float64Array(n);
  let maxTs = base;
  for (let i = 0; i < n; i++) {
    const t = base + offsets[i]!;
    timestamps[i] = t;
    if (t > maxTs) maxTs = t;
  }
  return {
    seriesIds: new Uint32Array(buf, HEADER_BYTES, s),
    counts: new Uint32Array(buf, HEADER_BYTES + 4 * s, s),
    timestamps,
    values: new Float64Array(buf, valuesAt, n),
    minTs: n ? base : 0,
    maxTs: n ? maxTs : 0,
  };
}

/** Writes Prometheus's stale marker into values[i] bit-exactly. */
export function writeStale(values: Float64Array, i: number): void {
  const words = new Uint32Array(values.buffer, values.byteOffset + 8 * i, 2);
  words[0] = STALE_LO;
  words[1] = STALE_HI;
}

/** True when values[i] holds the stale marker's bits. */
export function isStaleAt(values: Float64Array, i: number): boolean {
  if (values[i] === values[i]) return false; // not NaN: the common case, no view needed
  const words = new Uint32Array(values.buffer, values.byteOffset + 8 * i, 2);
  return words[0] === STALE_LO && words[1] === STALE_HI;
}

/** Calls `fn(seriesId, from, to)` for each series' index range [from, to) in the block, in block order. */
export function forEachSeries(block: Pick<HeadBlock, "seriesIds" | "counts">, fn: (seriesId: number, from: number, to: number) => void): void {
  let at = 0;
  for (let k = 0; k < block.seriesIds.length; k++) {
    const count = block.counts[k]!;
    fn(block.seriesIds[k]!, at, at + count);
    at += count;
  }
}

/** Copies `from[i]` to `to[j]` bit-exactly (NaN payloads, i.e. stale markers, included). */
export function copyValue(from: Float64Array, i: number, to: Float64Array, j: number): void {
  new Uint8Array(to.buffer, to.byteOffset + 8 * j, 8).set(new Uint8Array(from.buffer, from.byteOffset + 8 * i, 8));
}

/** The values at `indexes`, bit-exact. */
export function pickValues(values: Float64Array, indexes: readonly number[]): Float64Array {
  const out = new Float64Array(indexes.length);
  indexes.forEach((i, j) => copyValue(values, i, out, j));
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function corrupt(): AppError {
  return new AppError("INTERNAL", { userMessage: "corrupt metric head block" });
}
