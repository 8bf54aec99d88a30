/**
 * Compressed chunk of one metric series: Gorilla-style (Pelkonen et al., "Gorilla: A Fast,
 * Scalable, In-Memory Time Series Database", VLDB 2015) delta-of-delta timestamps and XOR-encoded
 * float values, with buckets tuned for millisecond timestamps.
 *
 * Layout (bits, most significant first; see bits.ts):
 *
 *   byte 0            format version (1)
 *   uvarint           sample count n (7 bits per byte, little-endian groups)
 *   -- n ≥ 1 --
 *   64                first timestamp, ms, two's complement
 *   64                first value, IEEE-754 bit pattern
 *   -- n ≥ 2 --
 *   6 + L             first delta (ms, ≥ 1): its bit length L, then L bits
 *   XOR value         (below)
 *   -- each further sample --
 *   delta-of-delta    d = (t[i] - t[i-1]) - (t[i-1] - t[i-2])
 *                       0                 d = 0
 *                       10    + 4 bits    d ∈ [-8, 7]              ms-level scheduler jitter
 *                       110   + 8 bits    d ∈ [-128, 127]          scrape jitter up to ±64 ms
 *                       1110  + 13 bits   d ∈ [-4096, 4095]
 *                       11110 + 20 bits   d ∈ [-524288, 524287]    ±8.7 min: missed scrapes
 *                       11111 + 64 bits   anything else
 *   XOR value         x = bits(v[i]) ^ bits(v[i-1])
 *                       0                 x = 0 (same bit pattern)
 *                       10    + m bits    x fits inside the previous leading/trailing-zero window
 *                       11    + 5 bits leading zeros (≤ 31) + 6 bits m (64 → 0) + m bits
 *
 * Values keep their exact bit patterns: NaN payloads (Prometheus's staleness marker
 * 0x7ff0000000000002), ±Inf, -0 and denormals come back identical. Pass values as a Float64Array
 * to be independent of how the JS engine treats NaN payloads in plain arrays.
 *
 * Contract on timestamps: integer milliseconds within Number.MAX_SAFE_INTEGER, strictly
 * increasing — a chunk is one series in time order, and a repeated timestamp would be two values
 * for the same instant. Callers sort and de-duplicate first; anything else is rejected with
 * INVALID_INPUT rather than silently reordered.
 */
import { AppError } from "@/server/lib/errors";
import { BitReader, BitWriter } from "./bits";

export const CHUNK_FORMAT_VERSION = 1;

const TWO_32 = 4294967296;
/** Delta-of-delta buckets after the `0` (d = 0) case: payload widths for prefixes
 * 10, 110, 1110, 11110 (chosen on bench/metrics-chunk.ts: jitter 0, ±2 ms, ±50 ms). */
const DOD_WIDTHS = [4, 8, 13, 20] as const;
const DOD_ESCAPE_ONES = DOD_WIDTHS.length + 1;

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

/** Encodes one series' samples; see the module comment for the layout and the input contract. */
export function encodeChunk(timestampsMs: ArrayLike<number>, values: ArrayLike<number>): Uint8Array {
  const n = timestampsMs.length;
  if (values.length !== n) {
    throw invalid(`metrics chunk: ${n} timestamps but ${values.length} values`);
  }
  // Read value bits straight from a Float64Array's memory (exact NaN payloads); copy anything else.
  const f64 = values instanceof Float64Array ? values : Float64Array.from(values);
  const words = new Uint32Array(f64.buffer, f64.byteOffset, n * 2);

  const w = new BitWriter(16 + n * 3);
  w.writeBits(CHUNK_FORMAT_VERSION, 8);
  let rest = n;
  do {
    const low7 = rest % 128;
    rest = Math.floor(rest / 128);
    w.writeBits(rest > 0 ? low7 | 0x80 : low7, 8);
  } while (rest > 0);
  if (n === 0) return w.finish();

  let t = checkTimestamp(timestampsMs[0], 0);
  write64Signed(w, t);
  let hi = words[HI];
  let lo = words[LO];
  w.write64(hi, lo);
  if (n === 1) return w.finish();

  // Window of the last explicitly written XOR: leading zeros and trailing zeros (-1: none yet).
  let prevLead = -1;
  let prevTrail = 0;
  let prevT = t;
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
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
      writeDod(w, delta - prevDelta);
    }
    prevDelta = delta;
    prevT = t;

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
  return w.finish();
}

/** Decodes a whole chunk. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const it = new ChunkIterator(bytes);
  const n = it.count;
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const words = new Uint32Array(values.buffer);
  for (let i = 0; it.next(); i++) {
    timestamps[i] = it.timestamp;
    words[2 * i + HI] = it.valueHi;
    words[2 * i + LO] = it.valueLo;
  }
  return { timestamps, values };
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
  private delta = 0;
  private lead = -1;
  private trail = 0;

  constructor(bytes: Uint8Array) {
    if (bytes.length < 2 || bytes[0] !== CHUNK_FORMAT_VERSION) {
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
    this.r = new BitReader(bytes, p * 8);
    // Every sample after the first takes at least 2 bits: reject impossible counts before callers
    // allocate arrays for them.
    if (count > 0 && (count - 1) * 2 + 128 > this.r.bitsLeft) throw corrupt();
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
      this.valueHi = r.readBits(32);
      this.valueLo = r.readBits(32);
      return true;
    }
    if (i === 1) {
      const len = r.readBits(6);
      if (len === 0 || len > 53) throw corrupt();
      this.delta = readUnsigned(r, len);
    } else {
      this.delta += readDod(r);
    }
    this.timestamp += this.delta;

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

function writeDod(w: BitWriter, d: number): void {
  if (d === 0) {
    w.writeBits(0, 1);
    return;
  }
  for (let k = 0; k < DOD_WIDTHS.length; k++) {
    const width = DOD_WIDTHS[k];
    const half = 1 << (width - 1);
    if (d >= -half && d < half) {
      // Prefix: k+1 ones then a zero; payload: width-bit two's complement.
      w.writeBits(((1 << (k + 1)) - 1) << 1, k + 2);
      w.writeBits(d & ((1 << width) - 1), width);
      return;
    }
  }
  w.writeBits((1 << DOD_ESCAPE_ONES) - 1, DOD_ESCAPE_ONES);
  write64Signed(w, d);
}

function readDod(r: BitReader): number {
  const ones = r.readUnary(DOD_ESCAPE_ONES);
  if (ones === 0) return 0;
  if (ones === DOD_ESCAPE_ONES) return read64Signed(r);
  const width = DOD_WIDTHS[ones - 1];
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
