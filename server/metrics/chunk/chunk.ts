/**
 * Compressed chunk of one metric series: Gorilla-style (Pelkonen et al., "Gorilla: A Fast,
 * Scalable, In-Memory Time Series Database", VLDB 2015) delta-of-delta timestamps with buckets
 * tuned for millisecond timestamps, and values either as decimal integers (mantissa × 10^e with a
 * shared exponent, stored as deltas or delta-of-deltas — the idea behind VictoriaMetrics' value
 * compression) or, when that cannot be exact, Gorilla XOR-encoded floats.
 *
 * Layout, format version 2 (bits, most significant first; see bits.ts; version 3 below):
 *
 *   byte 0            format version (2; versions 1 and 3, see below)
 *   uvarint           sample count n (7 bits per byte, little-endian groups)
 *   -- n ≥ 1 --
 *   1                 value encoding: 0 XOR, 1 decimal (one flag for the whole chunk)
 *   64                first timestamp, ms, two's complement
 *   first value       XOR: 64-bit IEEE-754 pattern; decimal: the decimal header (below)
 *   -- n ≥ 2 --
 *   6 + L             first delta (ms, ≥ 1): its bit length L, then L bits
 *   value             XOR value or decimal code (below)
 *   -- each further sample --
 *   delta-of-delta    d = (t[i] - t[i-1]) - (t[i-1] - t[i-2])
 *                       0                 d = 0
 *                       10    + 4 bits    d ∈ [-8, 7]              ms-level scheduler jitter
 *                       110   + 8 bits    d ∈ [-128, 127]          scrape jitter up to ±64 ms
 *                       1110  + 13 bits   d ∈ [-4096, 4095]
 *                       11110 + 20 bits   d ∈ [-524288, 524287]    ±8.7 min: missed scrapes
 *                       11111 + 64 bits   anything else
 *   value             XOR value or decimal code
 *
 * XOR value           x = bits(v[i]) ^ bits(v[i-1])
 *                       0                 x = 0 (same bit pattern)
 *                       10    + m bits    x fits inside the previous leading/trailing-zero window
 *                       11    + 5 bits leading zeros (≤ 31) + 6 bits m (64 → 0) + m bits
 *
 * Decimal: every value is v[i] = decimalValue(M[i], e) — M[i] / 10^-e for e < 0, M[i] × 10^e
 * otherwise — with integer mantissas. The encoder takes the largest e ∈ [-16, 15] for which every
 * value converts back bit-exactly through that same expression, and uses XOR for the whole chunk
 * when none does, or a value is NaN (staleness markers), ±Inf or -0, or a mantissa, delta or span
 * is not a safe integer. Signed integers S are 1 sign bit + 6-bit length L + L magnitude bits.
 *
 *   decimal header    5 bits e + 16, S first mantissa M[0]; then for n ≥ 2:
 *                       1 bit order k: 0 → stream x[i] = M[i] - M[i-1] for i ≥ 1;
 *                                      1 → S first delta M[1] - M[0], then x[i] = delta-of-delta
 *                                          for i ≥ 2 (the encoder measures both, keeps the smaller)
 *                       S base, 1 bit zigzag, 6 + L step (≥ 1), 3 × 6 bits widths w1 ≤ w2 ≤ w3
 *   decimal code      x[i] = base + step × q, q = u (or zigzag⁻¹(u) if the zigzag bit is set);
 *                     u is written as   w1 = w3: w3 bits
 *                                       w2 = w3: 0 + w1 bits | 1 + w3 bits
 *                                       else:    0 + w1 bits | 10 + w2 bits | 11 + w3 bits
 *                     The encoder sets base = min (unsigned) or median (zigzag, so one restart does
 *                     not widen every code), step = gcd of x - base (4 KiB pages, round numbers),
 *                     and the widths that minimise the chunk's bits. A constant series spends no
 *                     bits on values.
 *
 * Version 3: version 2 with restart points, so that a read starting inside the chunk (the 5-minute
 * lookback before a query's start, which falls in the previous hour's chunk) does not decode
 * every sample before it. Written for chunks of RESTART_MIN_SAMPLES or more (encodeChunk's
 * restartPoints option turns it off); all integers below are uvarints (7 bits per byte):
 *
 *   byte 0            3
 *   uvarint           sample count n
 *   uvarint           stride S: restart points before samples S, 2S, 3S, … (< n)
 *   uvarint           length of the restart table in bytes
 *   restart table     per point k, the decoder's state after sample kS − 1:
 *                       bit position of sample kS in the body; t[kS−1] − t[0]; the last delta
 *                       t[kS−1] − t[kS−2]; then for decimal values a byte of sign bits (bit 0:
 *                       mantissa offset, bit 1: mantissa delta), |M[kS−1] − M[0]| and, for
 *                       delta-of-delta streams, |M[kS−1] − M[kS−2]|; for XOR values the 64-bit
 *                       pattern of v[kS−1] (big-endian) and the current window: leading zeros + 1
 *                       (0: none yet) and trailing zeros, a byte each
 *   body              everything after the sample count of version 2, unchanged
 *
 * A decoder wanting samples from time T decodes the first two samples (they carry the headers),
 * then resumes at the last point whose t[kS−1] is before T.
 *
 * Version 1 (still decoded): no value-encoding bit; every value is XOR-encoded.
 *
 * Values keep their exact bit patterns: NaN payloads (Prometheus's staleness marker
 * 0x7ff0000000000002), ±Inf, -0 and denormals come back identical. Pass values as a Float64Array
 * to be independent of how the JS engine treats NaN payloads in plain arrays. One staleness marker
 * sends its whole chunk to XOR; that is the series' last chunk, so per-value exceptions would not
 * pay for their bits.
 *
 * Contract on timestamps: integer milliseconds within Number.MAX_SAFE_INTEGER, strictly
 * increasing — a chunk is one series in time order, and a repeated timestamp would be two values
 * for the same instant. Callers sort and de-duplicate first; anything else is rejected with
 * INVALID_INPUT rather than silently reordered.
 */
import { AppError } from "@/server/lib/errors";
import { BitReader, BitWriter } from "./bits";

export const CHUNK_FORMAT_VERSION = 3;

/**
 * Chunks of at least this many samples get restart points (version 3), every RESTART_MIN_STRIDE
 * or more samples: an hour at 15 s (240 samples) gets three, for ~0.13 B/sample; an hour at 30 s
 * or slower gets none (it decodes quickly anyway).
 */
const RESTART_MIN_SAMPLES = 128;
const RESTART_MIN_STRIDE = 64;

const TWO_32 = 4294967296;
/** Delta-of-delta buckets after the `0` (d = 0) case: payload widths for prefixes
 * 10, 110, 1110, 11110 (chosen on bench/metrics-chunk.ts: jitter 0, ±2 ms, ±50 ms). Re-measured
 * for version 2 over 3/5/8/20, 3/8/13/20, 4/8/17/24, 5/8/13/20 and others at 15 s and 60 s
 * intervals: none gains more than 0.05 B/sample at ±2 ms without losing as much at ±50 ms or on
 * missed scrapes, so both versions share these. */
const DOD_WIDTHS: readonly number[] = [4, 8, 13, 20];

/** Value encodings of a version-2 chunk (one bit after the sample count). */
const VALUES_XOR = 0;
const VALUES_DECIMAL = 1;
/** Decimal exponents e ∈ [EXP_MIN, EXP_MAX], stored as e - EXP_MIN in EXP_BITS bits. */
const EXP_MIN = -16;
const EXP_MAX = 15;
const EXP_BITS = 5;
/** Mantissas must be safe integers; so must their deltas, delta-of-deltas and spans (else XOR). */
const MAX_MANTISSA = Number.MAX_SAFE_INTEGER;
/** 10^0 … 10^16, parsed from literals so each is the exact double (all are representable). */
const POW10 = Array.from({ length: 17 }, (_, k) => Number(`1e${k}`));
/** Bit lengths are written in 6 bits; every integer written is safe, so at most 53. */
const MAX_LEN = 53;

// Float ↔ 32-bit words. Typed arrays use the platform's byte order.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;
const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);

export interface DecodedChunk {
  /** Epoch milliseconds, strictly increasing. */
  timestamps: Float64Array;
  values: Float64Array;
}

export interface EncodeOptions {
  /** Write restart points (version 3) when the chunk is long enough (default true; false: always version 2). */
  restartPoints?: boolean;
}

/** Encodes one series' samples; see the module comment for the layout and the input contract. */
export function encodeChunk(timestampsMs: ArrayLike<number>, values: ArrayLike<number>, opts: EncodeOptions = {}): Uint8Array {
  const n = timestampsMs.length;
  if (values.length !== n) {
    throw invalid(`metrics chunk: ${n} timestamps but ${values.length} values`);
  }
  // Read value bits straight from a Float64Array's memory (exact NaN payloads); copy anything else.
  const f64 = values instanceof Float64Array ? values : Float64Array.from(values);
  const words = new Uint32Array(f64.buffer, f64.byteOffset, n * 2);

  const w = new BitWriter(16 + n * 3);
  // Version 2 header; a chunk with restart points is rewritten as version 3 at the end.
  w.writeBits(2, 8);
  let rest = n;
  let headerBytes = 1;
  do {
    const low7 = rest % 128;
    rest = Math.floor(rest / 128);
    w.writeBits(rest > 0 ? low7 | 0x80 : low7, 8);
    headerBytes++;
  } while (rest > 0);
  if (n === 0) return w.finish();
  const table: number[] = [];

  let t = checkTimestamp(timestampsMs[0], 0);
  const plan = planDecimal(f64, n);
  let stride = opts.restartPoints === false ? 0 : restartStride(n);
  // Restart points store mantissas as offsets from the first: all must be safe integers.
  if (plan !== null) for (let i = stride - 1; stride > 0 && i < n; i += stride) if (!Number.isSafeInteger(plan.mantissas[i] - plan.first)) stride = 0;
  w.writeBit(plan === null ? VALUES_XOR : VALUES_DECIMAL);
  write64Signed(w, t);
  let hi = words[HI];
  let lo = words[LO];
  if (plan === null) w.write64(hi, lo);
  else writeDecimalHeader(w, plan, n);
  if (n === 1) return w.finish();

  // Window of the last explicitly written XOR: leading zeros and trailing zeros (-1: none yet).
  let prevLead = -1;
  let prevTrail = 0;
  let prevT = t;
  let prevDelta = 0;
  const t0 = t;
  for (let i = 1; i < n; i++) {
    if (stride > 0 && i % stride === 0) {
      // The decoder's state before sample i: see writeRestart.
      const m = plan === null ? 0 : plan.mantissas[i - 1];
      const md = plan === null ? 0 : m - plan.mantissas[i - 2];
      const decimal = plan === null ? null : { m: m - plan.first, md: plan.order === 2 ? md : undefined };
      writeRestart(table, w.bitLength - 8 * headerBytes, prevT - t0, prevDelta, decimal, hi, lo, prevLead, prevTrail);
    }
    t = checkTimestamp(timestampsMs[i], i);
    const delta = t - prevT;
    if (!(delta > 0)) {
      throw invalid(
        `metrics chunk: timestamps must be strictly increasing (sample ${i}: ${t} after ${prevT}); sort and de-duplicate first`,
      );
    }
    if (!Number.isSafeInteger(delta)) throw invalid(`metrics chunk: timestamp step too large at sample ${i}`);
    if (i === 1) {
      const len = bitLength(delta);
      w.writeBits(len, 6);
      writeUnsigned(w, delta, len);
    } else {
      writeDod(w, delta - prevDelta, DOD_WIDTHS);
    }
    prevDelta = delta;
    prevT = t;

    if (plan !== null) {
      if (i >= plan.order) writeCode(w, plan.codes[i], plan);
      continue;
    }
    const vhi = words[2 * i + HI];
    const vlo = words[2 * i + LO];
    const xhi = (vhi ^ hi) >>> 0;
    const xlo = (vlo ^ lo) >>> 0;
    hi = vhi;
    lo = vlo;
    if (xhi === 0 && xlo === 0) {
      w.writeBits(0, 1);
      continue;
    }
    let lead = xhi !== 0 ? Math.clz32(xhi) : 32 + Math.clz32(xlo);
    const trail = xlo !== 0 ? ctz32(xlo) : 32 + ctz32(xhi);
    if (lead > 31) lead = 31;
    if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
      w.writeBits(0b10, 2);
      writeWindow(w, xhi, xlo, prevTrail, 64 - prevLead - prevTrail);
    } else {
      const m = 64 - lead - trail;
      // 2-bit control, 5-bit leading count, 6-bit length — 13 bits, one call.
      w.writeBits((0b11 << 11) | (lead << 6) | (m & 63), 13);
      writeWindow(w, xhi, xlo, trail, m);
      prevLead = lead;
      prevTrail = trail;
    }
  }
  const out = w.finish();
  if (table.length === 0) return out;
  // Version 3: the restart table between the header and the (version 2) body.
  const head: number[] = [CHUNK_FORMAT_VERSION];
  writeUvarint(head, n);
  writeUvarint(head, stride);
  writeUvarint(head, table.length);
  const body = out.subarray(headerBytes);
  const chunk = new Uint8Array(head.length + table.length + body.length);
  chunk.set(head, 0);
  chunk.set(table, head.length);
  chunk.set(body, head.length + table.length);
  return chunk;
}

/**
 * Samples between restart points (0: none): chunks of fewer than RESTART_MIN_SAMPLES have none,
 * others at most 8, at least RESTART_MIN_STRIDE apart.
 */
function restartStride(n: number): number {
  if (n < RESTART_MIN_SAMPLES) return 0;
  return Math.max(RESTART_MIN_STRIDE, Math.ceil(n / 8));
}

/** One restart table entry (see the module comment) appended to `out` as bytes. */
function writeRestart(
  out: number[],
  bitPosition: number,
  timeFromFirst: number,
  delta: number,
  decimal: { m: number; md: number | undefined } | null,
  hi: number,
  lo: number,
  lead: number,
  trail: number,
): void {
  writeUvarint(out, bitPosition);
  writeUvarint(out, timeFromFirst);
  writeUvarint(out, delta);
  if (decimal) {
    const md = decimal.md ?? 0;
    out.push((decimal.m < 0 ? 1 : 0) | (md < 0 ? 2 : 0));
    writeUvarint(out, Math.abs(decimal.m));
    if (decimal.md !== undefined) writeUvarint(out, Math.abs(md));
  } else {
    out.push(hi >>> 24, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255, lo >>> 24, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255, lead + 1, trail);
  }
}

/** A non-negative safe integer, 7 bits per byte, low groups first. */
function writeUvarint(out: number[], v: number): void {
  let rest = v;
  do {
    const low7 = rest % 128;
    rest = Math.floor(rest / 128);
    out.push(rest > 0 ? low7 | 0x80 : low7);
  } while (rest > 0);
}

/** Decodes a whole chunk. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const it = new ChunkIterator(bytes);
  const out = sampleColumns(it.count);
  it.decodeInto(-Infinity, Infinity, out, 0);
  return { timestamps: out.timestamps, values: out.values };
}

/**
 * Preallocated sample columns to decode into; `words` views `values` (two 32-bit words per value,
 * platform order). Decoding sets `nan` when it writes a NaN value (a stale marker, or a NaN
 * sample); callers reset it to tell whether a range of values needs scanning for stale markers.
 */
export interface SampleColumns {
  timestamps: Float64Array;
  values: Float64Array;
  words: Uint32Array;
  nan: boolean;
}

export function sampleColumns(n: number): SampleColumns {
  const values = new Float64Array(n);
  return { timestamps: new Float64Array(n), values, words: new Uint32Array(values.buffer, values.byteOffset, 2 * n), nan: false };
}

/**
 * Decodes the chunk's samples with fromMs ≤ t ≤ toMs into `out` from index `at` and returns how
 * many were written (`out` must have room for the chunk's count). Stops at the first sample after
 * toMs. Values are copied as bit patterns, NaN payloads (stale markers) included.
 */
export function decodeChunkInto(bytes: Uint8Array, fromMs: number, toMs: number, out: SampleColumns, at: number): number {
  return new ChunkIterator(bytes).decodeInto(fromMs, toMs, out, at);
}

/** Sample count from the header alone (for sizing arrays before decodeChunkInto). */
export function chunkCount(bytes: Uint8Array): number {
  return new ChunkIterator(bytes).count;
}

/** Sample count and first timestamp, reading only the header (for picking chunks to decode). */
export function chunkHeader(bytes: Uint8Array): { count: number; firstTimestamp: number | null } {
  const it = new ChunkIterator(bytes);
  return { count: it.count, firstTimestamp: it.next() ? it.timestamp : null };
}

/**
 * Calls `cb` for each sample with fromMs ≤ t ≤ toMs, in time order, and stops decoding at the first
 * sample after `toMs` (or when `cb` returns false). Samples before `fromMs` are decoded but not
 * reported — the format is sequential. Returns the number of samples reported.
 */
export function iterateChunk(
  bytes: Uint8Array,
  fromMs: number,
  toMs: number,
  cb: (timestampMs: number, value: number) => boolean | void,
): number {
  const it = new ChunkIterator(bytes);
  let reported = 0;
  while (it.next()) {
    const t = it.timestamp;
    if (t > toMs) break;
    if (t < fromMs) continue;
    reported++;
    if (cb(t, it.value) === false) break;
  }
  return reported;
}

/** Pull-style decoder: `while (it.next()) use(it.timestamp, it.value)`. */
export class ChunkIterator {
  readonly count: number;
  /** Index of the current sample (-1 before the first next()). */
  index = -1;
  timestamp = 0;
  /** Current value as its high and low 32-bit words (exact bit pattern). */
  valueHi = 0;
  valueLo = 0;

  private readonly r: BitReader;
  private readonly bytes: Uint8Array;
  private readonly decimal: boolean;
  /** Version 3: samples between restart points, and the restart table's bytes [tableAt, bodyAt). */
  private readonly stride: number = 0;
  private readonly tableAt: number = 0;
  private readonly bodyAt: number = 0;
  private firstTimestamp = 0;
  private firstMantissa = 0;
  private delta = 0;
  // XOR state.
  private lead = -1;
  private trail = 0;
  // Decimal state: see the module comment.
  private exponent = 0;
  private mantissa = 0;
  private mantissaDelta = 0;
  private order = 1;
  private base = 0;
  private step = 1;
  private signed = false;
  private w1 = 0;
  private w2 = 0;
  private w3 = 0;

  constructor(bytes: Uint8Array) {
    const version = bytes.length > 0 ? bytes[0] : -1;
    if (bytes.length < 2 || (version !== 1 && version !== 2 && version !== 3)) {
      throw new AppError("INTERNAL", {
        userMessage: `metrics chunk: unknown format version ${bytes.length > 0 ? bytes[0] : "(empty)"}`,
      });
    }
    let count = 0;
    let scale = 1;
    let p = 1;
    for (;;) {
      if (p >= bytes.length || p > 5) throw corrupt();
      const b = bytes[p++];
      count += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    this.count = count;
    this.bytes = bytes;
    if (version === 3) {
      cursor = p;
      this.stride = readUvarint(bytes);
      const tableBytes = readUvarint(bytes);
      this.tableAt = cursor;
      p = cursor + tableBytes;
      if (this.stride < 2 || p > bytes.length) throw corrupt();
    }
    this.bodyAt = p;
    this.r = new BitReader(bytes, p * 8);
    // Reject impossible counts before callers allocate arrays for them. Version 1: 128 bits for the
    // first sample, ≥ 2 for each further one. Version 2: ≥ 1 + 64 + 12 bits, then ≥ 1 (a constant
    // decimal series spends no value bits).
    const minBits = version === 1 ? (count - 1) * 2 + 128 : count - 1 + 77;
    if (count > 0 && minBits > this.r.bitsLeft) throw corrupt();
    this.decimal = version >= 2 && count > 0 && this.r.readBit() === VALUES_DECIMAL;
  }

  /**
   * The current value as a number. V8 keeps NaN payloads through this in practice, but the
   * language allows canonicalising them: valueHi/valueLo are the guaranteed-exact form.
   */
  get value(): number {
    scratchU32[HI] = this.valueHi;
    scratchU32[LO] = this.valueLo;
    return scratchF64[0];
  }

  /** Advances to the next sample; false at the end of the chunk. */
  next(): boolean {
    const i = this.index + 1;
    if (i >= this.count) return false;
    this.index = i;
    const r = this.r;
    if (i === 0) {
      this.timestamp = read64Signed(r);
      this.firstTimestamp = this.timestamp;
      if (this.decimal) {
        this.readDecimalHeader();
        this.firstMantissa = this.mantissa;
        this.setDecimalValue();
      } else {
        this.valueHi = r.readBits(32);
        this.valueLo = r.readBits(32);
      }
      return true;
    }
    if (i === 1) {
      const len = r.readBits(6);
      if (len === 0 || len > 53) throw corrupt();
      this.delta = readUnsigned(r, len);
    } else {
      this.delta += readDod(r, DOD_WIDTHS);
    }
    this.timestamp += this.delta;

    if (this.decimal) {
      if (this.order === 1) this.mantissaDelta = this.readCode();
      else if (i >= 2) this.mantissaDelta += this.readCode();
      this.mantissa += this.mantissaDelta;
      this.setDecimalValue();
      return true;
    }

    if (r.readBit() === 0) return true;
    let m: number;
    if (r.readBit() === 0) {
      if (this.lead < 0) throw corrupt();
      m = 64 - this.lead - this.trail;
    } else {
      const header = r.readBits(11);
      this.lead = header >>> 6;
      m = header & 63 || 64;
      this.trail = 64 - this.lead - m;
      if (this.trail < 0) throw corrupt();
    }
    const trail = this.trail;
    let xhi: number;
    let xlo: number;
    if (m > 32) {
      const top = r.readBits(m - 32);
      const bottom = r.readBits(32);
      // m > 32 implies trail < 32.
      if (trail === 0) {
        xhi = top;
        xlo = bottom;
      } else {
        xhi = (top << trail) | (bottom >>> (32 - trail));
        xlo = bottom << trail;
      }
    } else {
      const bits = r.readBits(m);
      if (trail >= 32) {
        xhi = bits << (trail - 32);
        xlo = 0;
      } else if (trail === 0) {
        xhi = 0;
        xlo = bits;
      } else {
        xhi = bits >>> (32 - trail);
        xlo = bits << trail;
      }
    }
    this.valueHi = (this.valueHi ^ xhi) >>> 0;
    this.valueLo = (this.valueLo ^ xlo) >>> 0;
    return true;
  }

  /**
   * Decodes the remaining samples with fromMs ≤ t ≤ toMs into `out` from index `at`; returns how
   * many were written. The same steps as next() on local state (the hot loop of the query path);
   * afterwards the iterator is spent.
   */
  decodeInto(fromMs: number, toMs: number, out: SampleColumns, at: number): number {
    const tsOut = out.timestamps;
    const words = out.words;
    let n = at;
    // The first two samples carry the headers: through next().
    while (this.index < 1) {
      if (!this.next()) return n - at;
      const t = this.timestamp;
      if (t > toMs) return n - at;
      if (t >= fromMs) {
        tsOut[n] = t;
        words[2 * n + HI] = this.valueHi;
        words[2 * n + LO] = this.valueLo;
        if (isNaNWords(this.valueHi, this.valueLo)) out.nan = true;
        n++;
      }
    }
    // Samples before fromMs: start from the last restart point before it instead of decoding them.
    if (this.stride > 0 && fromMs > this.timestamp) this.restartBefore(fromMs);
    // Bits are read through peekWord on a local position (past the end it reads zeros; the
    // position is checked against the end once per sample).
    const buf = this.bytes;
    const endBits = buf.length * 8;
    const ws = wordsOf(buf);
    let pos = this.r.bitPosition;
    const count = this.count;
    let i = this.index + 1;
    let t = this.timestamp;
    let delta = this.delta;
    const [dw1, dw2, dw3, dw4] = DOD_WIDTHS as [number, number, number, number];
    const escapeOnes = DOD_WIDTHS.length + 1;
    if (this.decimal) {
      const valuesOut = out.values;
      const { order, exponent, base, step, signed, w1, w2, w3 } = this;
      const scale = exponent < 0 ? POW10[-exponent] : POW10[exponent];
      let mantissa = this.mantissa;
      let mantissaDelta = this.mantissaDelta;
      for (; i < count; i++) {
        // Delta-of-delta (readDod) and the decimal code (readCode), taken from one 32-bit word
        // `w` (of which `used` bits are read) as far as it holds them.
        let w = peekWord(ws, pos);
        let used = 1;
        if (w >>> 31 !== 0) {
          const ones = Math.clz32(~w);
          if (ones >= escapeOnes) {
            pos += escapeOnes;
            const dhi = peekWord(ws, pos) | 0;
            const dlo = peekWord(ws, pos + 32);
            pos += 64;
            const d = dhi * TWO_32 + dlo;
            if (!Number.isSafeInteger(d)) throw corrupt();
            delta += d;
            w = peekWord(ws, pos);
            used = 0;
          } else {
            // Prefix and payload fit in the word (at most 5 + 20 bits).
            const width = ones === 1 ? dw1 : ones === 2 ? dw2 : ones === 3 ? dw3 : dw4;
            const raw = (w << (ones + 1)) >>> (32 - width);
            used = ones + 1 + width;
            delta += raw >= 1 << (width - 1) ? raw - (1 << width) : raw;
          }
        }
        t += delta;
        // The code's width prefix (at most 2 bits: still in the word).
        let width = w3;
        if (w1 !== w3) {
          const next = w << used;
          if (next >>> 31 === 0) {
            width = w1;
            used++;
          } else if (w2 !== w3) {
            width = (next >>> 30) & 1 ? w3 : w2;
            used += 2;
          } else used++;
        }
        let u: number;
        if (width === 0) u = 0;
        else if (used + width <= 32) u = (w << used) >>> (32 - width);
        else {
          pos += used;
          used = 0;
          u = width > 32 ? (peekWord(ws, pos) >>> (64 - width)) * TWO_32 + peekWord(ws, pos + width - 32) : peekWord(ws, pos) >>> (32 - width);
        }
        pos += used + width;
        if (pos > endBits) throw corrupt();
        const code = base + step * (signed ? (u % 2 === 0 ? u / 2 : -(u + 1) / 2) : u);
        if (order === 1) mantissaDelta = code;
        else mantissaDelta += code;
        mantissa += mantissaDelta;
        if (t > toMs) break;
        if (t < fromMs) continue;
        tsOut[n] = t;
        // decimalValue(mantissa, exponent); decimal values are finite, so no payload to keep.
        valuesOut[n] = exponent < 0 ? mantissa / scale : mantissa * scale;
        n++;
      }
    } else {
      let hi = this.valueHi;
      let lo = this.valueLo;
      let nan = false;
      let lead = this.lead;
      let trail = this.trail;
      for (; i < count; i++) {
        // Delta-of-delta and the XOR control bits come from one 32-bit word `w` (of which `used`
        // bits are read) as far as it holds them, as in the decimal loop.
        let w = peekWord(ws, pos);
        let used = 1;
        if (w >>> 31 !== 0) {
          const ones = Math.clz32(~w);
          if (ones >= escapeOnes) {
            pos += escapeOnes;
            const dhi = peekWord(ws, pos) | 0;
            const dlo = peekWord(ws, pos + 32);
            pos += 64;
            const d = dhi * TWO_32 + dlo;
            if (!Number.isSafeInteger(d)) throw corrupt();
            delta += d;
            w = peekWord(ws, pos);
            used = 0;
          } else {
            const width = ones === 1 ? dw1 : ones === 2 ? dw2 : ones === 3 ? dw3 : dw4;
            const raw = (w << (ones + 1)) >>> (32 - width);
            used = ones + 1 + width;
            delta += raw >= 1 << (width - 1) ? raw - (1 << width) : raw;
          }
        }
        t += delta;
        // Control bits: at most 2 + 11; a fresh word when they may not all be in this one.
        if (used > 19) {
          pos += used;
          w = peekWord(ws, pos);
          used = 0;
        }
        const next = w << used;
        if (next >>> 31 === 0) pos += used + 1;
        else {
          let m: number;
          if (((next >>> 30) & 1) === 0) {
            pos += used + 2;
            if (lead < 0) throw corrupt();
            m = 64 - lead - trail;
          } else {
            const header = (next >>> 19) & 0x7ff;
            pos += used + 13;
            lead = header >>> 6;
            m = header & 63 || 64;
            trail = 64 - lead - m;
            if (trail < 0) throw corrupt();
          }
          let xhi: number;
          let xlo: number;
          if (m > 32) {
            const top = peekWord(ws, pos) >>> (64 - m);
            const bottom = peekWord(ws, pos + m - 32);
            if (trail === 0) {
              xhi = top;
              xlo = bottom;
            } else {
              xhi = (top << trail) | (bottom >>> (32 - trail));
              xlo = bottom << trail;
            }
          } else {
            const bits = peekWord(ws, pos) >>> (32 - m);
            if (trail >= 32) {
              xhi = bits << (trail - 32);
              xlo = 0;
            } else if (trail === 0) {
              xhi = 0;
              xlo = bits;
            } else {
              xhi = bits >>> (32 - trail);
              xlo = bits << trail;
            }
          }
          pos += m;
          hi = (hi ^ xhi) >>> 0;
          lo = (lo ^ xlo) >>> 0;
        }
        if (pos > endBits) throw corrupt();
        if (t > toMs) break;
        if (t < fromMs) continue;
        tsOut[n] = t;
        words[2 * n + HI] = hi;
        words[2 * n + LO] = lo;
        if (isNaNWords(hi, lo)) nan = true;
        n++;
      }
      if (nan) out.nan = true;
    }
    this.index = this.count;
    return n - at;
  }

  /**
   * Jumps to the last restart point whose previous sample is before `fromMs`, if that is ahead:
   * the state after sample k·stride − 1 is restored from the table, and reading goes on at
   * sample k·stride.
   */
  private restartBefore(fromMs: number): void {
    const b = this.bytes;
    const end = this.bodyAt;
    const bodyBits = (b.length - this.bodyAt) * 8;
    cursor = this.tableAt;
    let k = 0;
    let best = 0;
    let bit = 0, t = 0, delta = 0, m = 0, md = 0, hi = 0, lo = 0, lead = -1, trail = 0;
    while (cursor < end) {
      k++;
      const eBit = readUvarint(b);
      const eT = this.firstTimestamp + readUvarint(b);
      const eDelta = readUvarint(b);
      let eM = 0, eMd = 0, eHi = 0, eLo = 0, eLead = -1, eTrail = 0;
      if (this.decimal) {
        const signs = b[cursor++];
        eM = readUvarint(b);
        if (signs & 1) eM = -eM;
        if (this.order === 2) {
          eMd = readUvarint(b);
          if (signs & 2) eMd = -eMd;
        }
      } else {
        if (cursor + 10 > end) throw corrupt();
        eHi = ((b[cursor] << 24) | (b[cursor + 1] << 16) | (b[cursor + 2] << 8) | b[cursor + 3]) >>> 0;
        eLo = ((b[cursor + 4] << 24) | (b[cursor + 5] << 16) | (b[cursor + 6] << 8) | b[cursor + 7]) >>> 0;
        eLead = b[cursor + 8] - 1;
        eTrail = b[cursor + 9];
        cursor += 10;
      }
      if (cursor > end || eBit > bodyBits || k * this.stride >= this.count) throw corrupt();
      if (eT >= fromMs) break;
      best = k;
      bit = eBit;
      t = eT;
      delta = eDelta;
      m = eM;
      md = eMd;
      hi = eHi;
      lo = eLo;
      lead = eLead;
      trail = eTrail;
    }
    const index = best * this.stride - 1;
    if (best === 0 || index <= this.index) return;
    this.index = index;
    this.timestamp = t;
    this.delta = delta;
    if (this.decimal) {
      this.mantissa = this.firstMantissa + m;
      this.mantissaDelta = md;
      this.setDecimalValue();
    } else {
      this.valueHi = hi;
      this.valueLo = lo;
      this.lead = lead;
      this.trail = trail;
    }
    this.r.seek(this.bodyAt * 8 + bit);
  }

  private readDecimalHeader(): void {
    const r = this.r;
    this.exponent = r.readBits(EXP_BITS) + EXP_MIN;
    this.mantissa = readSigned(r);
    if (this.count < 2) return;
    this.order = r.readBit() + 1;
    if (this.order === 2) {
      if (this.count < 3) throw corrupt();
      this.mantissaDelta = readSigned(r);
    }
    this.base = readSigned(r);
    this.signed = r.readBit() === 1;
    const stepLen = r.readBits(6);
    if (stepLen === 0 || stepLen > MAX_LEN) throw corrupt();
    this.step = readUnsigned(r, stepLen);
    const widths = r.readBits(18);
    this.w1 = widths >>> 12;
    this.w2 = (widths >>> 6) & 63;
    this.w3 = widths & 63;
    if (this.w1 > this.w2 || this.w2 > this.w3 || this.w3 > MAX_LEN) throw corrupt();
  }

  /** One stream entry: base + step × (a code in one of three widths, zigzag if signed). */
  private readCode(): number {
    const r = this.r;
    let width = this.w3;
    if (this.w1 !== this.w3) {
      const first = r.readBit();
      if (first === 0) width = this.w1;
      else if (this.w2 !== this.w3 && r.readBit() === 0) width = this.w2;
    }
    const u = readUnsigned(r, width);
    return this.base + this.step * (this.signed ? (u % 2 === 0 ? u / 2 : -(u + 1) / 2) : u);
  }

  private setDecimalValue(): void {
    scratchF64[0] = decimalValue(this.mantissa, this.exponent);
    this.valueHi = scratchU32[HI];
    this.valueLo = scratchU32[LO];
  }
}

/** What the decimal value encoding stores; codes[i] is the stream entry of sample i ≥ order. */
interface DecimalPlan {
  /** Every value's mantissa at `exponent` (restart points store one). */
  mantissas: Float64Array;
  exponent: number;
  first: number;
  /** 1: the stream is mantissa deltas; 2: delta-of-deltas after an explicit first delta. */
  order: 1 | 2;
  firstDelta: number;
  base: number;
  step: number;
  signed: boolean;
  w1: number;
  w2: number;
  w3: number;
  codes: Float64Array;
}

interface StreamPlan {
  base: number;
  step: number;
  /** Codes are zigzag-encoded ((x - base) / step can be negative). */
  signed: boolean;
  w1: number;
  w2: number;
  w3: number;
  codes: Float64Array;
  bits: number;
}

/** The one conversion the decoder applies; the encoder accepts an exponent only if it inverts. */
function decimalValue(mantissa: number, exponent: number): number {
  return exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
}

/**
 * The decimal encoding of `values`, or null when XOR must be used: a value that is not finite or
 * is -0, no shared exponent that gives every value back bit-exactly, or deltas outside the safe
 * integers. Takes the largest exponent that works (the shortest mantissas), and of deltas and
 * delta-of-deltas whichever writes fewer bits.
 */
function planDecimal(values: Float64Array, n: number): DecimalPlan | null {
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (v === 0 && 1 / v < 0)) return null;
  }
  const m = new Float64Array(n);
  let exponent = EXP_MAX;
  while (!fillMantissas(values, n, exponent, m)) {
    if (--exponent < EXP_MIN) return null;
  }
  const plan: DecimalPlan = { exponent, first: m[0], order: 1, firstDelta: 0, base: 0, step: 1, signed: false, w1: 0, w2: 0, w3: 0, codes: m, mantissas: m };
  if (n === 1) return plan;

  const deltas = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const d = m[i] - m[i - 1];
    if (!Number.isSafeInteger(d)) return null;
    deltas[i] = d;
  }
  let best = planStream(deltas, 1, n);
  if (best === null) return null;
  if (n >= 3) {
    const dods = deltas.slice();
    let safe = true;
    for (let i = 2; i < n && safe; i++) {
      dods[i] = deltas[i] - deltas[i - 1];
      safe = Number.isSafeInteger(dods[i]);
    }
    const second = safe ? planStream(dods, 2, n) : null;
    if (second !== null && second.bits + signedBits(deltas[1]) < best.bits) {
      best = second;
      plan.order = 2;
      plan.firstDelta = deltas[1];
    }
  }
  plan.base = best.base;
  plan.step = best.step;
  plan.signed = best.signed;
  plan.w1 = best.w1;
  plan.w2 = best.w2;
  plan.w3 = best.w3;
  plan.codes = best.codes;
  return plan;
}

/** Mantissas of every value at `exponent` into `out`; false if one does not convert back exactly. */
function fillMantissas(values: Float64Array, n: number, exponent: number, out: Float64Array): boolean {
  const scale = exponent < 0 ? POW10[-exponent] : POW10[exponent];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const m = Math.round(exponent < 0 ? v * scale : v / scale);
    if (!(Math.abs(m) <= MAX_MANTISSA) || decimalValue(m, exponent) !== v) return false;
    out[i] = m;
  }
  return true;
}

/**
 * Frame of reference for x[from..n): codes = (x - base) / step with step the gcd of the offsets,
 * either unsigned from base = min or zigzag around base = median (a restart's one huge negative
 * delta would otherwise widen every code); whichever writes fewer bits, with the three code widths
 * (w1 ≤ w2 ≤ w3 = widest code) that minimise them.
 */
function planStream(x: Float64Array, from: number, n: number): StreamPlan | null {
  const sorted = x.slice(from, n).sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (!Number.isSafeInteger(max - min)) return null;
  let step = 0;
  for (let i = from; i < n && step !== 1; i++) step = gcd(step, x[i] - min);
  if (step === 0) step = 1;
  const unsigned = planCodes(x, from, n, min, step, false);
  const median = sorted[sorted.length >> 1];
  // Zigzag doubles the largest offset: it must stay a safe integer.
  if (median === min || !Number.isSafeInteger((2 * Math.max(max - median, median - min)) / step + 1)) return unsigned;
  const signed = planCodes(x, from, n, median, step, true);
  return signed.bits < unsigned.bits ? signed : unsigned;
}

function planCodes(x: Float64Array, from: number, n: number, base: number, step: number, signed: boolean): StreamPlan {
  const codes = new Float64Array(n);
  const atMost = new Int32Array(MAX_LEN + 1);
  let w3 = 0;
  for (let i = from; i < n; i++) {
    const q = (x[i] - base) / step;
    const u = signed ? (q < 0 ? -2 * q - 1 : 2 * q) : q;
    codes[i] = u;
    const len = bitLength(u);
    atMost[len]++;
    if (len > w3) w3 = len;
  }
  for (let len = 1; len <= w3; len++) atMost[len] += atMost[len - 1];
  const total = n - from;
  let bestBits = total * w3;
  let w1 = w3;
  let w2 = w3;
  for (let a = 0; a < w3; a++) {
    for (let b = a; b <= w3; b++) {
      const bits =
        b === w3
          ? atMost[a] * (1 + a) + (total - atMost[a]) * (1 + w3)
          : atMost[a] * (1 + a) + (atMost[b] - atMost[a]) * (2 + b) + (total - atMost[b]) * (2 + w3);
      if (bits < bestBits) {
        bestBits = bits;
        w1 = a;
        w2 = b;
      }
    }
  }
  const header = signedBits(base) + 1 + 6 + bitLength(step) + 18;
  return { base, step, signed, w1, w2, w3, codes, bits: bestBits + header };
}

function writeDecimalHeader(w: BitWriter, plan: DecimalPlan, n: number): void {
  w.writeBits(plan.exponent - EXP_MIN, EXP_BITS);
  writeSigned(w, plan.first);
  if (n < 2) return;
  w.writeBit(plan.order - 1);
  if (plan.order === 2) writeSigned(w, plan.firstDelta);
  writeSigned(w, plan.base);
  w.writeBit(plan.signed ? 1 : 0);
  const stepLen = bitLength(plan.step);
  w.writeBits(stepLen, 6);
  writeUnsigned(w, plan.step, stepLen);
  w.writeBits((plan.w1 << 12) | (plan.w2 << 6) | plan.w3, 18);
}

/** Mirrors ChunkIterator.readCode: no prefix if one width; `0`/`1` if two; `0`/`10`/`11` if three. */
function writeCode(w: BitWriter, u: number, plan: DecimalPlan): void {
  const { w1, w2, w3 } = plan;
  let width = w3;
  if (w1 !== w3) {
    if (u < 2 ** w1) {
      w.writeBit(0);
      width = w1;
    } else if (w2 === w3) {
      w.writeBit(1);
    } else if (u < 2 ** w2) {
      w.writeBits(0b10, 2);
      width = w2;
    } else {
      w.writeBits(0b11, 2);
    }
  }
  writeUnsigned(w, u, width);
}

/** A safe integer as sign bit, 6-bit magnitude length L, L magnitude bits. */
function writeSigned(w: BitWriter, v: number): void {
  const mag = Math.abs(v);
  const len = bitLength(mag);
  w.writeBits(v < 0 ? 0x40 | len : len, 7);
  writeUnsigned(w, mag, len);
}

function readSigned(r: BitReader): number {
  const head = r.readBits(7);
  const len = head & 63;
  if (len > MAX_LEN) throw corrupt();
  const mag = readUnsigned(r, len);
  return head & 0x40 ? -mag : mag;
}

function signedBits(v: number): number {
  return 7 + bitLength(Math.abs(v));
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function checkTimestamp(t: number, i: number): number {
  if (!Number.isSafeInteger(t)) {
    throw invalid(`metrics chunk: timestamp at sample ${i} is not an integer number of milliseconds (${t})`);
  }
  return t;
}

/** Writes bits [trail, trail + m) of the 64-bit word pair. */
function writeWindow(w: BitWriter, xhi: number, xlo: number, trail: number, m: number): void {
  if (trail >= 32) {
    w.writeBits(xhi >>> (trail - 32), m);
  } else if (trail === 0) {
    // The leading count is clamped to 31, so here m ≥ 33.
    w.writeBits(xhi, m - 32);
    w.writeBits(xlo, 32);
  } else {
    const shiftedLo = (xlo >>> trail) | (xhi << (32 - trail));
    if (m > 32) {
      w.writeBits(xhi >>> trail, m - 32);
      w.writeBits(shiftedLo, 32);
    } else {
      w.writeBits(shiftedLo, m);
    }
  }
}

function writeDod(w: BitWriter, d: number, widths: readonly number[]): void {
  if (d === 0) {
    w.writeBits(0, 1);
    return;
  }
  for (let k = 0; k < widths.length; k++) {
    const width = widths[k];
    const half = 1 << (width - 1);
    if (d >= -half && d < half) {
      // Prefix: k+1 ones then a zero; payload: width-bit two's complement.
      w.writeBits(((1 << (k + 1)) - 1) << 1, k + 2);
      w.writeBits(d & ((1 << width) - 1), width);
      return;
    }
  }
  const escapeOnes = widths.length + 1;
  w.writeBits((1 << escapeOnes) - 1, escapeOnes);
  write64Signed(w, d);
}

function readDod(r: BitReader, widths: readonly number[]): number {
  const escapeOnes = widths.length + 1;
  const ones = r.readUnary(escapeOnes);
  if (ones === 0) return 0;
  if (ones === escapeOnes) return read64Signed(r);
  const width = widths[ones - 1];
  const raw = r.readBits(width);
  return raw >= 1 << (width - 1) ? raw - (1 << width) : raw;
}

/** A safe integer as 64-bit two's complement (high word, low word). */
function write64Signed(w: BitWriter, v: number): void {
  const hi = Math.floor(v / TWO_32);
  w.write64(hi >>> 0, (v - hi * TWO_32) >>> 0);
}

function read64Signed(r: BitReader): number {
  const hi = r.readBits(32) | 0;
  const lo = r.readBits(32);
  const v = hi * TWO_32 + lo;
  if (!Number.isSafeInteger(v)) throw corrupt();
  return v;
}

function writeUnsigned(w: BitWriter, v: number, len: number): void {
  if (len > 32) {
    const hi = Math.floor(v / TWO_32);
    w.writeBits(hi, len - 32);
    w.writeBits((v - hi * TWO_32) >>> 0, 32);
  } else {
    w.writeBits(v, len);
  }
}

function readUnsigned(r: BitReader, len: number): number {
  if (len > 32) {
    const hi = r.readBits(len - 32);
    return hi * TWO_32 + r.readBits(32);
  }
  return r.readBits(len);
}

function bitLength(v: number): number {
  return v < TWO_32 ? 32 - Math.clz32(v) : 32 + (32 - Math.clz32(Math.floor(v / TWO_32)));
}

/** Read position of readUvarint (decoding is synchronous: one shared cursor). */
let cursor = 0;

/** A uvarint at `cursor` (advanced past it); at most 8 bytes (safe integers). */
function readUvarint(b: Uint8Array): number {
  let v = 0;
  let scale = 1;
  for (let k = 0; k < 8; k++) {
    if (cursor >= b.length) throw corrupt();
    const byte = b[cursor++];
    v += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return v;
    scale *= 128;
  }
  throw corrupt();
}

/** True when the 64-bit pattern (high, low word) is a NaN (any payload). */
function isNaNWords(hi: number, lo: number): boolean {
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) | lo) !== 0;
}

/**
 * Scratch big-endian words of the chunk being decoded, zero-padded past the end by more than one
 * sample's widest read (an escape delta and a 64-bit XOR, ~150 bits), so a read that runs past
 * the end only sees zeros before the per-sample end check rejects it.
 */
const PAD_WORDS = 8;
let scratchWords = new Int32Array(1024);

/** `buf` as big-endian 32-bit words in a shared scratch array, zero-padded (valid until the next call). */
function wordsOf(buf: Uint8Array): Int32Array {
  const len = buf.length;
  const full = len >>> 2;
  const need = full + 1 + PAD_WORDS;
  if (scratchWords.length < need) scratchWords = new Int32Array(Math.max(need, scratchWords.length * 2));
  const ws = scratchWords;
  let b = 0;
  for (let k = 0; k < full; k++, b += 4) ws[k] = (buf[b] << 24) | (buf[b + 1] << 16) | (buf[b + 2] << 8) | buf[b + 3];
  let tail = 0;
  for (let k = 0; k < 4; k++) tail = (tail << 8) | (b + k < len ? buf[b + k] : 0);
  ws[full] = tail;
  ws.fill(0, full + 1, full + 1 + PAD_WORDS);
  return ws;
}

/** The 32 bits from bit `pos` of words from wordsOf (zeros past the end). */
function peekWord(ws: Int32Array, pos: number): number {
  const k = pos >>> 5;
  const off = pos & 31;
  return ((ws[k] << off) | ((ws[k + 1] >>> 1) >>> (31 - off))) >>> 0;
}

/** Trailing zero count of a non-zero 32-bit word. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function invalid(message: string): AppError {
  return new AppError("INVALID_INPUT", { userMessage: message });
}

function corrupt(): AppError {
  return new AppError("INTERNAL", { userMessage: "metrics chunk is truncated or corrupt" });
}
