import type { ArchivedBlock } from "@/server/archive/log-archive";
import { AppError } from "@/server/lib/errors";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { decodeBlock, encodeBlock } from "@/server/logs/store/block";

/**
 * The pure half of a GDPR delete: a block's events without the matching ones, encoded again.
 * Block ids and batch ids stay, so a restored copy, an archive merge (mergeBlocks by id) and the
 * exactly-once batch records keep lining up after the rewrite.
 */

/** A block's columns as stored (log_blocks row or archive frame), payload aside. */
export type BlockColumns = Omit<ArchivedBlock, "payload" | "id" | "batchId">;

/** What became of one block: untouched (no match), emptied (delete the row/frame) or rewritten. */
export type BlockRewrite =
  | { kind: "unchanged" }
  | { kind: "emptied"; removed: number; before: { rawBytes: number; storedBytes: number } }
  | { kind: "rewritten"; removed: number; columns: BlockColumns; payload: Buffer; before: { rawBytes: number; storedBytes: number }; after: { rawBytes: number; storedBytes: number } };

/** Stored bytes of a block as the ingest transaction counts them (log_source_stats.stored_bytes). */
export function storedBytesOf(payload: Buffer, tokens: readonly number[]): number {
  return payload.length + tokens.length * 4;
}

/** Splits decoded events into those that stay and the number removed. */
export function withoutMatches(events: readonly LogEvent[], matches: (e: LogEvent) => boolean): { kept: LogEvent[]; removed: number } {
  const kept: LogEvent[] = [];
  for (const e of events) if (!matches(e)) kept.push(e);
  return { kept, removed: events.length - kept.length };
}

/**
 * Rewrites one block's payload without the events `matches` selects. The payload is decoded whole
 * (every section), so the events that stay are encoded again exactly as they were read.
 */
export function rewriteBlock(block: { payload: Buffer; rawBytes: number; tokens: readonly number[] }, matches: (e: LogEvent) => boolean): BlockRewrite {
  const events = decodeBlock(block.payload);
  const { kept, removed } = withoutMatches(events, matches);
  if (removed === 0) return { kind: "unchanged" };
  const before = { rawBytes: block.rawBytes, storedBytes: storedBytesOf(block.payload, block.tokens) };
  if (kept.length === 0) return { kind: "emptied", removed, before };
  const enc = encodeBlock(kept);
  const columns: BlockColumns = {
    minTs: enc.minTs,
    maxTs: enc.maxTs,
    count: enc.count,
    rawBytes: enc.rawBytes,
    tokens: enc.tokens,
    services: enc.services,
    hosts: enc.hosts,
    levelCounts: [...LOG_LEVELS.map((l) => enc.levelCounts[l]), enc.levelCounts.none],
  };
  return { kind: "rewritten", removed, columns, payload: enc.payload, before, after: { rawBytes: enc.rawBytes, storedBytes: storedBytesOf(enc.payload, enc.tokens) } };
}

/**
 * An archived day's blocks with the matches removed; `changed` false when nothing matched. A block
 * `mayMatch` rejects (the query's block filter on its stored columns) is kept without decoding.
 */
export function rewriteArchivedBlocks(
  blocks: readonly ArchivedBlock[],
  matches: (e: LogEvent) => boolean,
  mayMatch: (b: ArchivedBlock) => boolean = () => true,
): { blocks: ArchivedBlock[]; removed: number; changed: boolean } {
  const out: ArchivedBlock[] = [];
  let removed = 0;
  for (const b of blocks) {
    const r = mayMatch(b) ? rewriteBlock(b, matches) : ({ kind: "unchanged" } as const);
    if (r.kind === "unchanged") out.push(b);
    else {
      removed += r.removed;
      if (r.kind === "rewritten") out.push({ ...r.columns, id: b.id, batchId: b.batchId, payload: r.payload });
    }
  }
  return { blocks: out, removed, changed: removed > 0 };
}

/** A GDPR query must select something: an empty or match-all query would erase everything. */
export function checkGdprQuery(q: string): string {
  const t = q.trim();
  if (!t || t === "*") throw new AppError("INVALID_INPUT", { userMessage: "Enter a query that selects the person's events, e.g. user_id:12345" });
  return t;
}
