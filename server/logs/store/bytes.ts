/** Thrown for a block payload that cannot be decoded (truncated, corrupted, unknown version). */
export class CorruptBlockError extends Error {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`corrupt log block: ${detail}`, options);
    this.name = "CorruptBlockError";
  }
}

/**
 * A growable byte buffer with LEB128 varints (unsigned integers up to 2^53; larger magnitudes
 * are the caller's to avoid). Used to lay out block payload sections.
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint; room must have been ensured (at most 8 bytes for values below 2^53). */
  varintUnchecked(v: number): void {
    const buf = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      // `& 0x7f` keeps the low 7 bits exactly for any integer below 2^53.
      buf[p++] = (v & 0x7f) | 0x80;
      v = v > 0x7fffffff ? Math.floor(v / 128) : v >>> 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  varint(v: number): void {
    this.ensure(8);
    this.varintUnchecked(v);
  }

  /** UTF-8 of a string (well-formed: lone surrogates would not survive). */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  float64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Bounds-checked reader of what ByteWriter wrote; every overrun is a CorruptBlockError. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.end) throw new CorruptBlockError("truncated section");
    return this.buf[this.pos++]!;
  }

  varint(): number {
    const buf = this.buf;
    if (this.pos >= this.end) throw new CorruptBlockError("truncated section");
    let b = buf[this.pos++]!;
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let mul = 128;
    for (;;) {
      if (this.pos >= this.end) throw new CorruptBlockError("truncated varint");
      b = buf[this.pos++]!;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
      if (mul > 2 ** 53) throw new CorruptBlockError("varint too long");
    }
  }

  float64(): number {
    if (this.pos + 8 > this.end) throw new CorruptBlockError("truncated section");
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  utf8(byteLength: number): string {
    if (this.pos + byteLength > this.end) throw new CorruptBlockError("truncated section");
    const s = this.buf.toString("utf8", this.pos, this.pos + byteLength);
    this.pos += byteLength;
    return s;
  }

  /** The rest of the section as UTF-8. */
  restUtf8(): string {
    const s = this.buf.toString("utf8", this.pos, this.end);
    this.pos = this.end;
    return s;
  }
}

export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}
