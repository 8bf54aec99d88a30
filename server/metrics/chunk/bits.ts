/**
 * Bit-level writer and reader over a byte buffer, most significant bit first — the substrate of
 * the metrics chunk codec (chunk.ts). Everything runs on 32-bit integer ops: a call moves at most
 * 32 bits, and 64-bit quantities (float bit patterns, full timestamps) travel as two 32-bit words,
 * so no BigInt is ever needed.
 */
import { AppError } from "@/server/lib/errors";

/** Appends bits to a growable Uint8Array. Bytes past the last written bit stay zero. */
export class BitWriter {
  private buf: Uint8Array;
  /** Bits written so far. */
  private pos = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(Math.max(8, initialBytes));
  }

  get bitLength(): number {
    return this.pos;
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 32) of `value`, most significant first. */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    const needBytes = (this.pos + n + 7) >>> 3;
    if (needBytes > this.buf.length) this.grow(needBytes);
    const buf = this.buf;
    let pos = this.pos;
    let left = n;
    while (left > 0) {
      const free = 8 - (pos & 7);
      const take = free < left ? free : left;
      // take ≤ 8, so the shifts and masks below stay inside 32-bit range.
      const bits = (value >>> (left - take)) & ((1 << take) - 1);
      buf[pos >>> 3] |= bits << (free - take);
      pos += take;
      left -= take;
    }
    this.pos = pos;
  }

  writeBit(bit: number): void {
    this.writeBits(bit, 1);
  }

  /** Writes a 64-bit quantity given as its high and low 32-bit words. */
  write64(hi: number, lo: number): void {
    this.writeBits(hi, 32);
    this.writeBits(lo, 32);
  }

  /** A right-sized copy of the written bytes (the last byte zero-padded). */
  finish(): Uint8Array {
    return this.buf.slice(0, (this.pos + 7) >>> 3);
  }

  private grow(minBytes: number): void {
    let size = this.buf.length * 2;
    while (size < minBytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf);
    this.buf = next;
  }
}

/** Reads bits written by BitWriter. Reading past the end throws (a truncated or corrupt chunk). */
export class BitReader {
  private readonly buf: Uint8Array;
  private readonly end: number;
  private pos: number;

  constructor(buf: Uint8Array, startBit = 0) {
    this.buf = buf;
    this.end = buf.length * 8;
    this.pos = startBit;
  }

  get bitPosition(): number {
    return this.pos;
  }

  get bitsLeft(): number {
    return this.end - this.pos;
  }

  /** Moves to bit `bit` (0 ≤ bit ≤ the end). */
  seek(bit: number): void {
    if (!(bit >= 0 && bit <= this.end)) throw truncated();
    this.pos = bit;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  readBits(n: number): number {
    const pos = this.pos;
    if (pos + n > this.end) throw truncated();
    if (n === 0) return 0;
    const buf = this.buf;
    const byte = pos >>> 3;
    if (byte + 4 < buf.length) {
      // Fast path: the 32 bits from `pos` come from five whole bytes.
      const off = pos & 7;
      const word = (((buf[byte] << 24) | (buf[byte + 1] << 16) | (buf[byte + 2] << 8) | buf[byte + 3]) << off) | (buf[byte + 4] >>> (8 - off));
      this.pos = pos + n;
      return word >>> (32 - n);
    }
    let at = pos;
    let left = n;
    let out = 0;
    while (left > 0) {
      const avail = 8 - (at & 7);
      const take = avail < left ? avail : left;
      const bits = (buf[at >>> 3] >>> (avail - take)) & ((1 << take) - 1);
      out = (out << take) | bits;
      at += take;
      left -= take;
    }
    this.pos = at;
    return out >>> 0;
  }

  readBit(): number {
    if (this.pos >= this.end) throw truncated();
    const pos = this.pos++;
    return (this.buf[pos >>> 3] >>> (7 - (pos & 7))) & 1;
  }

  /**
   * Counts consecutive 1 bits, consuming them and the terminating 0, stopping after `max` ones
   * (then no 0 is consumed). This reads the unary bucket prefixes of the chunk format.
   */
  readUnary(max: number): number {
    let ones = 0;
    while (ones < max && this.readBit() === 1) ones++;
    return ones;
  }
}

function truncated(): AppError {
  return new AppError("INTERNAL", { userMessage: "metrics chunk is truncated or corrupt" });
}
