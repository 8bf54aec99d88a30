/**
 * Assembling one series' samples from pieces (compacted chunks, head blocks) that may overlap:
 * the result is sorted by time with one sample per timestamp, the later piece winning (a head
 * block written after a chunk holds the newer write for the same instant).
 */
import { copyValue, isStaleAt } from "./head-block";

export interface SamplePiece {
  timestamps: Float64Array;
  values: Float64Array;
  /** Index range [from, to) of the piece that belongs to the series. */
  from: number;
  to: number;
}

export interface MergedSamples {
  timestamps: Float64Array;
  values: Float64Array;
  /** 1 where the sample is a stale marker; undefined when none is. */
  stale?: Uint8Array;
}

/** Merges pieces (given in write order) and keeps samples with start ≤ t ≤ end. */
export function mergePieces(pieces: SamplePiece[], start: number, end: number): MergedSamples {
  if (pieces.length === 1) return slicePiece(pieces[0]!, start, end);
  let total = 0;
  let ordered = true;
  let lastTs = -Infinity;
  for (const p of pieces) {
    total += p.to - p.from;
    if (p.to > p.from) {
      if (p.timestamps[p.from]! <= lastTs) ordered = false;
      lastTs = p.timestamps[p.to - 1]!;
    }
  }
  const ts = new Float64Array(total);
  const vs = new Float64Array(total);
  let n = 0;
  if (ordered) {
    for (const p of pieces) {
      for (let i = p.from; i < p.to; i++) {
        const t = p.timestamps[i]!;
        if (t < start || t > end) continue;
        ts[n] = t;
        const v = p.values[i]!;
        if (v === v) vs[n] = v;
        else copyValue(p.values, i, vs, n); // NaN: keep its payload (stale markers)
        n++;
      }
    }
  } else {
    // Pieces overlap in time (backfill or a rewrite): sort (time, piece order) and keep the last.
    const at: { t: number; p: number; i: number }[] = [];
    pieces.forEach((p, pi) => {
      for (let i = p.from; i < p.to; i++) {
        const t = p.timestamps[i]!;
        if (t >= start && t <= end) at.push({ t, p: pi, i });
      }
    });
    at.sort((a, b) => a.t - b.t || a.p - b.p);
    for (let k = 0; k < at.length; k++) {
      const cur = at[k]!;
      if (k + 1 < at.length && at[k + 1]!.t === cur.t) continue;
      const p = pieces[cur.p]!;
      ts[n] = cur.t;
      copyValue(p.values, cur.i, vs, n);
      n++;
    }
  }
  const timestamps = ts.subarray(0, n);
  const values = vs.subarray(0, n);
  let stale: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    if (isStaleAt(values, i)) (stale ??= new Uint8Array(n))[i] = 1;
  }
  return stale ? { timestamps, values, stale } : { timestamps, values };
}

/** The common case (one chunk or one block per series): a view of the piece, no copy. */
function slicePiece(p: SamplePiece, start: number, end: number): MergedSamples {
  let from = p.from;
  let to = p.to;
  while (from < to && p.timestamps[from]! < start) from++;
  while (to > from && p.timestamps[to - 1]! > end) to--;
  return withStaleMask(p.timestamps.subarray(from, to), p.values.subarray(from, to));
}

/** Sorted samples as MergedSamples, with the stale mask when any value is a stale marker. */
export function withStaleMask(timestamps: Float64Array, values: Float64Array): MergedSamples {
  let stale: Uint8Array | undefined;
  for (let i = 0; i < values.length; i++) {
    if (isStaleAt(values, i)) (stale ??= new Uint8Array(values.length))[i] = 1;
  }
  return stale ? { timestamps, values, stale } : { timestamps, values };
}
