import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * The cold tier's format for one source's day of logs: the day's blocks exactly as stored hot
 * (server/logs/store/block.ts payloads, already compressed per column section) framed one after
 * the other, each with its block row's columns (time bounds, counts, token hashes, services,
 * hosts) as deflated JSON. So an archived day is searched with the same block filter and decoder
 * as a hot one, restored into the hot tier as the same rows, and never re-compressed on the way.
 *
 *   object   = MAGIC "LKAR" · u8 version · frame*
 *   frame    = u32be metaLength · meta · u32be tokensLength · tokens · u32be payloadLength · payload
 *   meta     = deflate-raw JSON of ArchivedBlockMeta without `tokens`
 *   tokens   = the block's sorted token hashes: the first zigzag-varint, then the gaps as varints
 *              (about half the size of the hashes as deflated JSON, and ten times faster to read)
 *
 * Beside each object a manifest (`<key>.manifest.json`, LogArchiveManifest) holds the day's time
 * range, block and event counts and the object's SHA-256. Block ids are the hot rows' ids: unique
 * across the store, which makes merging an archive with late or restored rows idempotent.
 */
export const ARCHIVE_MAGIC = Buffer.from("LKAR");
export const ARCHIVE_SCHEMA_VERSION = 1;

export type ArchivedBlockMeta = {
  id: number;
  minTs: number;
  maxTs: number;
  count: number;
  rawBytes: number;
  tokens: number[];
  services: string[];
  hosts: string[];
  /** Counts per level in LOG_LEVELS order, then events without a level (as log_blocks.level_counts). */
  levelCounts: number[];
  batchId: string;
};
export type ArchivedBlock = ArchivedBlockMeta & { payload: Buffer };

export type LogArchiveManifest = {
  kind: "lookout.logs.day";
  schemaVersion: number;
  key: string;
  generation: number;
  sourceId: string;
  sourceName: string;
  day: string;
  /** ISO times of the first and last event. */
  minTs: string;
  maxTs: string;
  blocks: number;
  events: number;
  /** Bytes of the events before compression (the blocks' raw section sizes). */
  rawBytes: number;
  /** Size of the object. */
  bytes: number;
  sha256: string;
  createdAt: string;
};

export class CorruptArchiveError extends Error {}

export function sha256(buf: Buffer): string {
  return createHash("sha256").update(buf).digest("hex");
}

/** `logs/<source id>/<day>/g<generation>.lka`: a rewrite gets a new generation, never overwrites. */
export function archiveKey(sourceId: string, day: string, generation: number): string {
  return `logs/${sourceId}/${day}/g${generation}.lka`;
}

export function manifestKey(key: string): string {
  return `${key}.manifest.json`;
}

/** Parses `logs/<source>/<day>/g<N>.lka` (orphan clean-up lists keys). */
export function parseArchiveKey(key: string): { sourceId: string; day: string; generation: number } | null {
  const m = /^logs\/([0-9a-f-]{36})\/(\d{4}-\d{2}-\d{2})\/g(\d{1,9})\.lka$/.exec(key);
  return m ? { sourceId: m[1]!, day: m[2]!, generation: Number(m[3]) } : null;
}

/** Blocks sorted by id (the object's order), so the same blocks always give the same bytes. */
export function encodeArchive(blocks: readonly ArchivedBlock[]): Buffer {
  const sorted = [...blocks].sort((a, b) => a.id - b.id);
  const parts: Buffer[] = [ARCHIVE_MAGIC, Buffer.from([ARCHIVE_SCHEMA_VERSION])];
  const u32 = (n: number) => {
    const h = Buffer.allocUnsafe(4);
    h.writeUInt32BE(n);
    return h;
  };
  for (const b of sorted) {
    const { payload, tokens, ...meta } = b;
    const m = deflateRawSync(Buffer.from(JSON.stringify(meta)));
    const t = encodeTokens(tokens);
    parts.push(u32(m.length), m, u32(t.length), t, u32(payload.length), payload);
  }
  return Buffer.concat(parts);
}

/** Sorted int32 token hashes: first zigzag-varint, then the (non-negative) gaps as varints. */
export function encodeTokens(tokens: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(tokens.length * 5 + 5);
  let at = 0;
  const varint = (v: number) => {
    while (v >= 0x80) {
      out[at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    out[at++] = v;
  };
  let prev = 0;
  for (let i = 0; i < tokens.length; i++) {
    const v = tokens[i]!;
    if (i === 0) varint(v >= 0 ? v * 2 : -v * 2 - 1);
    else {
      if (v < prev) throw new Error("token hashes must be sorted ascending");
      varint(v - prev);
    }
    prev = v;
  }
  return Buffer.from(out.subarray(0, at));
}

export function decodeTokens(buf: Buffer): number[] {
  const out: number[] = [];
  let at = 0;
  let prev = 0;
  while (at < buf.length) {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (at >= buf.length) throw new CorruptArchiveError("truncated token list");
      const byte = buf[at++]!;
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) break;
      mul *= 0x80;
      if (mul > 2 ** 35) throw new CorruptArchiveError("corrupt token list");
    }
    if (out.length === 0) prev = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    else prev += v;
    out.push(prev);
  }
  return out;
}

/** Frames of an archive object in order; payloads are views into `buf` (not copied). */
export function* archiveBlocks(buf: Buffer): Generator<ArchivedBlock> {
  if (buf.length < 5 || !buf.subarray(0, 4).equals(ARCHIVE_MAGIC)) throw new CorruptArchiveError("not a Lookout log archive (bad magic)");
  if (buf[4] !== ARCHIVE_SCHEMA_VERSION) throw new CorruptArchiveError(`unsupported log archive version ${buf[4]}`);
  let at = 5;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new CorruptArchiveError("truncated log archive (frame header)");
    const ml = buf.readUInt32BE(at);
    at += 4;
    if (at + ml + 4 > buf.length) throw new CorruptArchiveError("truncated log archive (block meta)");
    let meta: Omit<ArchivedBlockMeta, "tokens">;
    try {
      meta = JSON.parse(inflateRawSync(buf.subarray(at, at + ml)).toString("utf8")) as Omit<ArchivedBlockMeta, "tokens">;
    } catch (err) {
      throw new CorruptArchiveError(`corrupt block meta at byte ${at}: ${(err as Error).message}`);
    }
    at += ml;
    const tl = buf.readUInt32BE(at);
    at += 4;
    if (at + tl + 4 > buf.length) throw new CorruptArchiveError("truncated log archive (block tokens)");
    const tokens = decodeTokens(buf.subarray(at, at + tl));
    at += tl;
    const pl = buf.readUInt32BE(at);
    at += 4;
    if (at + pl > buf.length) throw new CorruptArchiveError("truncated log archive (block payload)");
    yield { ...meta, tokens, payload: buf.subarray(at, at + pl) };
    at += pl;
  }
}

/** What a verification recomputes from an object's bytes: checksum, blocks, events. */
export function summarizeArchive(buf: Buffer): { sha256: string; blocks: number; events: number; ids: Set<number> } {
  let blocks = 0;
  let events = 0;
  const ids = new Set<number>();
  for (const b of archiveBlocks(buf)) {
    blocks++;
    events += b.count;
    ids.add(b.id);
  }
  return { sha256: sha256(buf), blocks, events, ids };
}

/** Union by block id (the archive's blocks first; a block present in both is the same rows). */
export function mergeBlocks(archived: Iterable<ArchivedBlock>, hot: Iterable<ArchivedBlock>): ArchivedBlock[] {
  const byId = new Map<number, ArchivedBlock>();
  for (const b of archived) byId.set(b.id, b);
  for (const b of hot) if (!byId.has(b.id)) byId.set(b.id, b);
  return [...byId.values()];
}
