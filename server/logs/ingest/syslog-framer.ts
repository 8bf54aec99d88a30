/**
 * Syslog over TCP (RFC 6587): splits a byte stream into messages. Each message picks its framing:
 * octet counting (`<len> <msg>`, when it starts with a non-zero digit run followed by a space) or
 * non-transparent framing (ends at LF or NUL; a CR before the LF is dropped). Chunks may split a
 * message, a length prefix or a CRLF anywhere. Line ends and NULs between messages are skipped.
 *
 * Messages over `maxMessageBytes` become one error frame each and are skipped: an octet-counted
 * one by its declared length, a line up to its next LF/NUL. Memory stays bounded by the limit.
 * Pure state machine (no sockets): the listener feeds `push()` and calls `end()` on close.
 */

export type SyslogFrame = { ok: true; message: Buffer } | { ok: false; error: string };

export type SyslogFramerOptions = {
  /** Largest message accepted (bytes, without its framing). Default 64 KiB. */
  maxMessageBytes?: number;
};

export const DEFAULT_MAX_SYSLOG_MESSAGE_BYTES = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SPACE = 0x20;
/** Longest length prefix read as octet counting (9 digits: < 1 GB); longer digit runs are text. */
const MAX_LENGTH_DIGITS = 9;

type State =
  | { kind: "start" }
  | { kind: "octets"; length: number }
  | { kind: "line"; scanned: number }
  | { kind: "skipOctets"; remaining: number }
  | { kind: "skipLine" };

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = { kind: "start" };
  private readonly max: number;

  constructor(opts: SyslogFramerOptions = {}) {
    this.max = opts.maxMessageBytes ?? DEFAULT_MAX_SYSLOG_MESSAGE_BYTES;
  }

  /** Feeds a chunk; returns the frames it completed (possibly none). */
  push(chunk: Uint8Array): SyslogFrame[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const frames: SyslogFrame[] = [];
    while (this.step(frames));
    return frames;
  }

  /** The connection closed: a last unterminated line is a message; a cut octet-counted frame is an error. */
  end(): SyslogFrame[] {
    const frames: SyslogFrame[] = [];
    const { state, buf } = this;
    if (state.kind === "octets") {
      frames.push({ ok: false, error: `connection closed inside an octet-counted frame (${buf.length} of ${state.length} bytes)` });
    } else if ((state.kind === "line" || state.kind === "start") && buf.length > 0) {
      const message = stripCr(buf);
      if (message.length > 0) frames.push({ ok: true, message: Buffer.from(message) });
    }
    this.buf = Buffer.alloc(0);
    this.state = { kind: "start" };
    return frames;
  }

  /** Advances the state machine once; false when it needs more input. */
  private step(frames: SyslogFrame[]): boolean {
    switch (this.state.kind) {
      case "start":
        return this.startFrame(frames);
      case "octets":
        return this.readOctets(this.state.length, frames);
      case "line":
        return this.readLine(this.state.scanned, frames);
      case "skipOctets":
        return this.skipOctets(this.state.remaining);
      case "skipLine":
        return this.skipLine();
    }
  }

  private startFrame(frames: SyslogFrame[]): boolean {
    let i = 0;
    while (i < this.buf.length && (this.buf[i] === LF || this.buf[i] === CR || this.buf[i] === NUL)) i++;
    this.consume(i);
    if (this.buf.length === 0) return false;
    const prefix = this.lengthPrefix();
    if (prefix === "incomplete") return false;
    if (prefix === null) {
      this.state = { kind: "line", scanned: 0 };
      return true;
    }
    this.consume(prefix.headerBytes);
    if (prefix.length > this.max) {
      frames.push({ ok: false, error: `octet-counted message of ${prefix.length} bytes exceeds the ${this.max}-byte limit` });
      this.state = { kind: "skipOctets", remaining: prefix.length };
    } else {
      this.state = { kind: "octets", length: prefix.length };
    }
    return true;
  }

  /** `<digits> ` at the start of the buffer: octet counting; "incomplete" while the digits may go on. */
  private lengthPrefix(): { length: number; headerBytes: number } | "incomplete" | null {
    const first = this.buf[0];
    if (first < 0x31 || first > 0x39) return null;
    let i = 1;
    while (i < this.buf.length && i <= MAX_LENGTH_DIGITS && this.buf[i] >= 0x30 && this.buf[i] <= 0x39) i++;
    if (i > MAX_LENGTH_DIGITS) return null;
    if (i === this.buf.length) return "incomplete";
    if (this.buf[i] !== SPACE) return null;
    return { length: Number(this.buf.toString("latin1", 0, i)), headerBytes: i + 1 };
  }

  private readOctets(length: number, frames: SyslogFrame[]): boolean {
    if (this.buf.length < length) return false;
    frames.push({ ok: true, message: Buffer.from(this.buf.subarray(0, length)) });
    this.consume(length);
    this.state = { kind: "start" };
    return true;
  }

  private readLine(scanned: number, frames: SyslogFrame[]): boolean {
    const end = findTerminator(this.buf, scanned);
    if (end < 0) {
      if (this.buf.length > this.max + 1) {
        frames.push({ ok: false, error: `message exceeds the ${this.max}-byte limit without a line end` });
        this.buf = Buffer.alloc(0);
        this.state = { kind: "skipLine" };
        return false;
      }
      this.state = { kind: "line", scanned: this.buf.length };
      return false;
    }
    const message = stripCr(this.buf.subarray(0, end));
    if (message.length > this.max) {
      frames.push({ ok: false, error: `message of ${message.length} bytes exceeds the ${this.max}-byte limit` });
    } else if (message.length > 0) {
      frames.push({ ok: true, message: Buffer.from(message) });
    }
    this.consume(end + 1);
    this.state = { kind: "start" };
    return true;
  }

  private skipOctets(remaining: number): boolean {
    const n = Math.min(remaining, this.buf.length);
    this.consume(n);
    this.state = remaining === n ? { kind: "start" } : { kind: "skipOctets", remaining: remaining - n };
    return remaining === n;
  }

  private skipLine(): boolean {
    const end = findTerminator(this.buf, 0);
    if (end < 0) {
      this.buf = Buffer.alloc(0);
      return false;
    }
    this.consume(end + 1);
    this.state = { kind: "start" };
    return true;
  }

  private consume(n: number): void {
    if (n > 0) this.buf = this.buf.subarray(n);
  }
}

/** The first LF or NUL at or after `from`, or -1. */
function findTerminator(buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF, from);
  const nul = buf.indexOf(NUL, from);
  return lf < 0 ? nul : nul < 0 ? lf : Math.min(lf, nul);
}

function stripCr(b: Buffer): Buffer {
  return b.length > 0 && b[b.length - 1] === CR ? b.subarray(0, b.length - 1) : b;
}
