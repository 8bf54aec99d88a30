/**
 * Request bodies before decoding: undo the HTTP `Content-Encoding` (gzip, deflate, br, snappy,
 * identity) with a hard limit on the inflated size, so a small zip bomb cannot grow into gigabytes.
 * Pure (no I/O): buffers in, buffers out.
 */
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from "node:zlib";
import { uncompressSync } from "snappy";
import { AppError } from "@/server/lib/errors";
import { formatBytes } from "@/server/lib/units";

/** What a decoder needs to know about the HTTP request besides the body. */
export type BodyMeta = { contentType?: string | null; contentEncoding?: string | null };

/** Limits applied while decoding. `maxBytes`: the largest body accepted once decompressed. */
export type BodyLimits = { maxBytes: number };

type Inflate = (buf: Buffer, opts: ZlibOptions) => Buffer;

const INFLATERS: Record<string, (buf: Buffer, maxBytes: number) => Buffer> = {
  gzip: (buf, max) => inflateWith(gunzipSync, buf, max, "gzip"),
  "x-gzip": (buf, max) => inflateWith(gunzipSync, buf, max, "gzip"),
  // "deflate" is meant to be zlib-wrapped (RFC 9110), but some clients send raw deflate.
  deflate: (buf, max) => inflateWith(looksLikeZlib(buf) ? inflateSync : inflateRawSync, buf, max, "deflate"),
  br: (buf, max) => inflateWith(brotliDecompressSync, buf, max, "brotli"),
  snappy: (buf, max) => uncompressSnappyBlock(buf, max),
};

/**
 * Undoes `Content-Encoding` (a comma-separated list, applied in order, so undone in reverse).
 * Throws AppError PAYLOAD_TOO_LARGE when the body (compressed or not) exceeds `maxBytes`,
 * INVALID_INPUT for an unknown encoding or corrupt compressed data.
 */
export function decodeBody(buf: Buffer, contentEncoding: string | null | undefined, maxBytes: number): Buffer {
  if (buf.length > maxBytes) throw tooLarge(maxBytes);
  const encodings = (contentEncoding ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== "" && e !== "identity");
  let out = buf;
  for (const encoding of encodings.reverse()) {
    const inflate = INFLATERS[encoding];
    if (!inflate) {
      throw new AppError("INVALID_INPUT", {
        userMessage: `Unsupported Content-Encoding "${encoding}" (accepted: gzip, deflate, br, snappy, identity)`,
      });
    }
    out = inflate(out, maxBytes);
  }
  return out;
}

/**
 * Snappy block format (not the framed/stream format), as used by Loki push and Prometheus
 * remote_write. The uncompressed length is read from the header before any allocation.
 */
export function uncompressSnappyBlock(buf: Buffer, maxBytes: number): Buffer {
  const declared = snappyDeclaredLength(buf);
  if (declared === null) throw corrupt("snappy", undefined);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  try {
    const out = uncompressSync(buf, { asBuffer: true });
    return Buffer.isBuffer(out) ? out : Buffer.from(out);
  } catch (err) {
    throw corrupt("snappy", err);
  }
}

/** The uncompressed length a snappy block declares (a little-endian base-128 varint), or null when unreadable. */
export function snappyDeclaredLength(buf: Buffer): number | null {
  let value = 0;
  for (let i = 0; i < Math.min(buf.length, 5); i++) {
    const byte = buf[i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return value;
  }
  return null;
}

function inflateWith(inflate: Inflate, buf: Buffer, maxBytes: number, kind: string): Buffer {
  try {
    return inflate(buf, { maxOutputLength: maxBytes });
  } catch (err) {
    if (isBufferTooLarge(err)) throw tooLarge(maxBytes, err);
    throw corrupt(kind, err);
  }
}

/** RFC 1950 header: compression method 8 and a header checksum divisible by 31. */
function looksLikeZlib(buf: Buffer): boolean {
  return buf.length >= 2 && (buf[0] & 0x0f) === 8 && ((buf[0] << 8) | buf[1]) % 31 === 0;
}

function isBufferTooLarge(err: unknown): boolean {
  return err instanceof RangeError && (err as RangeError & { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
}

function tooLarge(maxBytes: number, cause?: unknown): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", {
    userMessage: `Request body is larger than ${formatBytes(maxBytes)} once decompressed`,
    cause,
  });
}

function corrupt(kind: string, cause: unknown): AppError {
  return new AppError("INVALID_INPUT", { userMessage: `Request body is not valid ${kind} data`, cause });
}

/** The media type of a Content-Type header, lower-cased, without parameters (`application/json`). */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}
