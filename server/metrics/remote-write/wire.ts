/**
 * A hand-written reader of the `prometheus.WriteRequest` wire format (prompb/remote.proto,
 * types.proto), decoding straight into columns: one Float64Array of timestamps and one of values
 * for the whole request, each series a [start, end) range into them. No object per sample, no
 * reflection. Same decisions as decode.ts (which builds its per-sample view on top of this):
 * exemplars (field 3) and histograms (4) are counted, not parsed; unknown fields are skipped by
 * wire type; truncated or malformed bytes throw WireError.
 */

export class WireError extends Error {}

/** One TimeSeries of the request, labels as sent (empty values kept for validation). */
export interface WireSeries {
  /**
   * The label fields' bytes as a latin1 string, when they come first and together (as senders
   * write them): equal bytes mean equal labels, so callers can cache per `raw`.
   */
  raw: string | null;
  /** Label names and values, in wire order; left empty when `known(raw)` said the caller has them. */
  names: string[];
  values: string[];
  /** Range of this series' samples in the request's columns. */
  start: number;
  end: number;
  /** A timestamp outside ±(2^53-1) ms: its raw decimal text (the series is then invalid). */
  badTimestamp: string | null;
  exemplars: number;
  histograms: number;
}

export interface WireMetadata {
  type: number;
  metricFamilyName: string;
  help: string;
  unit: string;
}

export interface WireRequest {
  series: WireSeries[];
  /** Sample columns (length ≥ samples; only [0, samples) is meaningful). */
  timestamps: Float64Array;
  values: Float64Array;
  /** Indexes (into the columns) of Prometheus stale markers (NaN with payload 2, quiet bit ignored). */
  stale: number[];
  samples: number;
  metadata: WireMetadata[];
}

const TWO_32 = 4294967296;
/** hi word above this (positive) means |v| > 2^53-1. */
const SAFE_HI = 0x1fffff;

/**
 * `known(raw)`: true when the caller already has the labels of that byte string (then they are
 * not decoded again; `names`/`values` stay empty).
 */
export function readWriteRequest(buf: Buffer, known?: (raw: string) => boolean): WireRequest {
  // A sample costs at least 12 bytes on the wire (tag+len, tag+8 bytes, tag+1-byte varint),
  // so this bounds the columns without a counting pass.
  const capacity = Math.floor(buf.length / 12) + 1;
  const r = new Reader(buf);
  const out: WireRequest = {
    series: [],
    timestamps: new Float64Array(capacity),
    values: new Float64Array(capacity),
    stale: [],
    samples: 0,
    metadata: [],
  };
  const valueBytes = new Uint8Array(out.values.buffer);
  while (r.pos < r.end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const len = r.varint32();
      const end = r.limit(len);
      readSeries(r, end, out, valueBytes, known);
      r.pos = end;
    } else if (field === 3 && wire === 2) {
      const len = r.varint32();
      const end = r.limit(len);
      out.metadata.push(readMetadata(r, end));
      r.pos = end;
    } else r.skip(wire);
  }
  return out;
}

function readSeries(r: Reader, end: number, out: WireRequest, valueBytes: Uint8Array, known: ((raw: string) => boolean) | undefined): void {
  const s: WireSeries = { raw: null, names: [], values: [], start: out.samples, end: out.samples, badTimestamp: null, exemplars: 0, histograms: 0 };
  const buf = r.buf;
  let labelsSeen = false;
  let skipped: [number, number] | null = null;
  while (r.pos < end) {
    const tagAt = r.pos;
    const tag = r.varint32();
    if (tag === 0x0a && !labelsSeen) {
      // The first run of label fields: its bytes are the cache key.
      labelsSeen = true;
      r.pos = tagAt;
      while (r.pos < end && buf[r.pos] === 0x0a) {
        r.pos++;
        const len = r.varint32();
        r.pos = r.limit(len, end);
      }
      const spanEnd = r.pos;
      s.raw = r.buf.toString("latin1", tagAt, spanEnd);
      if (known?.(s.raw)) skipped = [tagAt, spanEnd];
      else {
        r.pos = tagAt;
        while (r.pos < spanEnd) {
          r.pos++;
          const len = r.varint32();
          const e = r.pos + len;
          readLabel(r, e, s);
          r.pos = e;
        }
      }
      continue;
    }
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    const len = r.varint32();
    const fieldEnd = r.limit(len, end);
    if (field === 1) {
      // Labels after other fields: no byte key for this series; decode any skipped run first.
      s.raw = null;
      if (skipped) {
        const at = r.pos;
        r.pos = skipped[0];
        while (r.pos < skipped[1]) {
          r.pos++;
          const l = r.varint32();
          const e = r.pos + l;
          readLabel(r, e, s);
          r.pos = e;
        }
        skipped = null;
        r.pos = at;
      }
      readLabel(r, fieldEnd, s);
    } else if (field === 2) {
      let staleBits = false;
      let ts = 0;
      const i = out.samples;
      if (i >= out.timestamps.length) throw new WireError("sample count exceeds the body size");
      // Defaults (proto3): value 0, timestamp 0.
      out.values[i] = 0;
      while (r.pos < fieldEnd) {
        const t = r.varint32();
        const f = t >>> 3;
        const w = t & 7;
        if (f === 1 && w === 1) {
          if (r.pos + 8 > fieldEnd) throw new WireError("truncated double");
          const p = r.pos;
          // Raw bytes, so NaN payloads survive; little-endian on the wire and in Float64Array (x86/ARM LE).
          const o = 8 * i;
          valueBytes[o] = buf[p]!;
          valueBytes[o + 1] = buf[p + 1]!;
          valueBytes[o + 2] = buf[p + 2]!;
          valueBytes[o + 3] = buf[p + 3]!;
          valueBytes[o + 4] = buf[p + 4]!;
          valueBytes[o + 5] = buf[p + 5]!;
          valueBytes[o + 6] = buf[p + 6]!;
          valueBytes[o + 7] = buf[p + 7]!;
          // Stale marker: 0x7ff0000000000002, quiet bit (0x0008… in the high word) ignored.
          staleBits = buf[p] === 2 && buf[p + 1] === 0 && buf[p + 2] === 0 && buf[p + 3] === 0 && buf[p + 4] === 0 && buf[p + 5] === 0 && (buf[p + 6]! & 0xf7) === 0xf0 && buf[p + 7] === 0x7f;
          r.pos = p + 8;
        } else if (f === 2 && w === 0) {
          ts = r.int64(s);
        } else r.skip(w);
      }
      out.timestamps[i] = ts;
      if (staleBits) out.stale.push(i);
      out.samples = i + 1;
    } else if (field === 3) s.exemplars++;
    else if (field === 4) s.histograms++;
    r.pos = fieldEnd;
  }
  s.end = out.samples;
  out.series.push(s);
}

/** One Label message in [r.pos, end). */
function readLabel(r: Reader, end: number, s: WireSeries): void {
  let name = "";
  let value = "";
  while (r.pos < end) {
    const t = r.varint32();
    if ((t & 7) !== 2) {
      r.skip(t & 7);
      continue;
    }
    const l = r.varint32();
    const e = r.limit(l, end);
    const text = r.string(r.pos, e);
    if (t >>> 3 === 1) name = text;
    else if (t >>> 3 === 2) value = text;
    r.pos = e;
  }
  s.names.push(name);
  s.values.push(value);
}

function readMetadata(r: Reader, end: number): WireMetadata {
  const m: WireMetadata = { type: 0, metricFamilyName: "", help: "", unit: "" };
  while (r.pos < end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === 0) m.type = r.varint32() | 0;
    else if (wire === 2 && (field === 2 || field === 4 || field === 5)) {
      const len = r.varint32();
      const e = r.limit(len, end);
      const text = r.string(r.pos, e);
      r.pos = e;
      if (field === 2) m.metricFamilyName = text;
      else if (field === 4) m.help = text;
      else m.unit = text;
    } else r.skip(wire);
  }
  return m;
}

class Reader {
  pos = 0;
  readonly end: number;
  constructor(readonly buf: Buffer) {
    this.end = buf.length;
  }

  /** End offset of a length-delimited field of `len` bytes starting here, checked against `outer`. */
  limit(len: number, outer = this.end): number {
    const e = this.pos + len;
    if (e > outer) throw new WireError("length-delimited field runs past its message");
    return e;
  }

  string(from: number, to: number): string {
    return this.buf.toString("utf8", from, to);
  }

  /** A varint's low 32 bits (the rest is read and dropped, as protobuf does for int32/uint32). */
  varint32(): number {
    const b = this.buf;
    let p = this.pos;
    let v = 0;
    let shift = 0;
    for (;;) {
      if (p >= this.end) throw new WireError("truncated varint");
      const c = b[p++]!;
      if (shift < 32) v |= (c & 0x7f) << shift;
      if (c < 0x80) break;
      shift += 7;
      if (shift >= 70) throw new WireError("varint too long");
    }
    this.pos = p;
    return v >>> 0;
  }

  /** An int64 varint as a number; out of ±(2^53-1): records it on the series and returns 0. */
  int64(s: WireSeries): number {
    const b = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let i = 0;
    for (;;) {
      if (p >= this.end) throw new WireError("truncated varint");
      const c = b[p++]!;
      if (i < 4) lo |= (c & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (c & 0x0f) << 28;
        hi |= (c & 0x7f) >> 4;
      } else hi |= (c & 0x7f) << (7 * i - 32);
      if (c < 0x80) break;
      if (++i >= 10) throw new WireError("varint too long");
    }
    this.pos = p;
    lo >>>= 0;
    if (hi >= 0) {
      if (hi <= SAFE_HI) return hi * TWO_32 + lo;
    } else {
      // Two's complement negative: -(~value + 1).
      const nhi = ~hi >>> 0;
      const nlo = ~lo >>> 0;
      const mag = nhi * TWO_32 + nlo + 1;
      if (mag <= Number.MAX_SAFE_INTEGER) return -mag;
    }
    s.badTimestamp ??= BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo)).toString();
    return 0;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint32();
        return;
      case 1:
        this.pos = this.limit(8);
        return;
      case 2: {
        const len = this.varint32();
        this.pos = this.limit(len);
        return;
      }
      case 5:
        this.pos = this.limit(4);
        return;
      case 3: {
        // A group: skip fields up to its end tag.
        for (;;) {
          const t = this.varint32();
          if ((t & 7) === 4) return;
          this.skip(t & 7);
        }
      }
      default:
        throw new WireError(`invalid wire type ${wire}`);
    }
  }
}
