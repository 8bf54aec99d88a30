import { and, asc, desc, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock } from "@/server/logs/store/block";
import { dayOf } from "@/server/logs/store/write";
import type { AttributeSelection } from "@/server/logs/query/compile";

/**
 * Reading events out of blocks in time order. Blocks are fetched a page at a time by keyset
 * (newest: max_ts desc, id desc; oldest: min_ts asc, id asc) and an event is emitted only once no
 * unread block can hold one that sorts before it, so the order is exact even when blocks overlap
 * in time. Events sort by (ts, blockId, index) — the same key the cursor carries.
 */
export type Order = "newest" | "oldest";

/** Which parts of events a scan decodes (time, level, service, host and source always). */
export type Needs = { message: boolean; attributes: AttributeSelection; ids: boolean };
export const ALL_NEEDS: Needs = { message: true, attributes: true, ids: true };

export type ScanEvent = { e: LogEvent; day: string; blockId: number; idx: number };

export type BlockMeta = { id: number; day: string; sourceId: string; minTs: number; maxTs: number; count: number; levelCounts: number[] };
type BlockRow = BlockMeta & { payload: Buffer };

/** A position in the (ts, blockId, idx) order; scans resume strictly after it. */
export type Position = { ts: number; blockId: number; idx: number };

export function eventId(day: string, blockId: number, idx: number): string {
  return `${day}.${blockId}.${idx}`;
}

export function parseEventId(id: string): { day: string; blockId: number; idx: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2})\.(\d{1,18})\.(\d{1,6})$/.exec(id);
  if (!m) return null;
  const blockId = Number(m[2]);
  const idx = Number(m[3]);
  if (!Number.isSafeInteger(blockId) || Number.isNaN(Date.parse(m[1]!))) return null;
  return { day: m[1]!, blockId, idx };
}

export function encodeCursor(p: Position): string {
  return `${p.ts}.${p.blockId}.${p.idx}`;
}

export function decodeCursor(s: string): Position | null {
  const m = /^(-?\d{1,16})\.(\d{1,18})\.(\d{1,6})$/.exec(s);
  if (!m) return null;
  const p = { ts: Number(m[1]), blockId: Number(m[2]), idx: Number(m[3]) };
  return Number.isSafeInteger(p.ts) && Number.isSafeInteger(p.blockId) ? p : null;
}

/** Compares two events in ascending (ts, blockId, idx) order. */
export function compareAsc(a: ScanEvent, b: ScanEvent): number {
  return a.e.ts - b.e.ts || a.blockId - b.blockId || a.idx - b.idx;
}

function comparePos(a: ScanEvent, p: Position): number {
  return a.e.ts - p.ts || a.blockId - p.blockId || a.idx - p.idx;
}

/** Blocks that may hold events in [start, end]: partition pruning by day, then time overlap. */
export function rangeCondition(start: number, end: number): SQL {
  return and(
    gte(logBlocks.day, dayOf(start)),
    lte(logBlocks.day, dayOf(end)),
    gte(logBlocks.maxTs, new Date(start)),
    lte(logBlocks.minTs, new Date(end)),
  )!;
}

/** A query's block condition, or "every block" when it has none (callers AND it with the time range). */
export function blockFilter(condition: SQL | null, extra?: SQL): SQL {
  const parts = [condition, extra].filter((p): p is SQL => !!p);
  return parts.length ? and(...parts)! : sql`true`;
}

const metaColumns = {
  id: logBlocks.id,
  day: logBlocks.day,
  sourceId: logBlocks.sourceId,
  minTs: logBlocks.minTs,
  maxTs: logBlocks.maxTs,
  count: logBlocks.count,
  levelCounts: logBlocks.levelCounts,
};

type RawMeta = { id: number; day: string; sourceId: string; minTs: Date; maxTs: Date; count: number; levelCounts: number[] };
const toMeta = (r: RawMeta): BlockMeta => ({ ...r, minTs: r.minTs.getTime(), maxTs: r.maxTs.getTime() });

export function decodeEvents(payload: Buffer, needs: Needs): LogEvent[] {
  // The block decoder reads only the sections asked for (v2 payloads).
  return decodeBlock(payload, { message: needs.message, ids: needs.ids, attributes: needs.attributes !== false });
}

/** One page of blocks after `after` (keyset), with payloads. */
async function blockPage(db: DbOrTx, where: SQL, order: Order, after: { t: number; id: number } | null, size: number): Promise<BlockRow[]> {
  const conds = [where];
  if (after) {
    conds.push(
      order === "newest"
        ? sql`(${logBlocks.maxTs}, ${logBlocks.id}) < (${new Date(after.t)}, ${after.id})`
        : sql`(${logBlocks.minTs}, ${logBlocks.id}) > (${new Date(after.t)}, ${after.id})`,
    );
  }
  const rows = await db
    .select({ ...metaColumns, payload: logBlocks.payload })
    .from(logBlocks)
    .where(and(...conds))
    .orderBy(...(order === "newest" ? [desc(logBlocks.maxTs), desc(logBlocks.id)] : [asc(logBlocks.minTs), asc(logBlocks.id)]))
    .limit(size);
  return rows.map((r) => ({ ...toMeta(r), payload: r.payload }));
}

/** Metadata of every candidate block (no payloads): histograms and counts from level counts. */
export async function blockMetas(db: DbOrTx, where: SQL): Promise<BlockMeta[]> {
  const rows = await db.select(metaColumns).from(logBlocks).where(where);
  return rows.map(toMeta);
}

/** Payloads of the given blocks (by partition day and id). */
export async function blockPayloads(db: DbOrTx, blocks: readonly Pick<BlockMeta, "id" | "day">[]): Promise<Map<number, Buffer>> {
  const out = new Map<number, Buffer>();
  if (!blocks.length) return out;
  const days = [...new Set(blocks.map((b) => b.day))];
  const rows = await db
    .select({ id: logBlocks.id, payload: logBlocks.payload })
    .from(logBlocks)
    .where(and(inArray(logBlocks.day, days), inArray(logBlocks.id, blocks.map((b) => b.id))));
  for (const r of rows) out.set(r.id, r.payload);
  return out;
}

export type ScanOptions = {
  where: SQL;
  start: number;
  end: number;
  order: Order;
  matches: (e: LogEvent) => boolean;
  needs: Needs;
  limit: number;
  /** Resume strictly after this position (cursor pagination, surrounding documents). */
  after?: Position | null;
  /** Blocks per page: the first page is small so the first hits come fast. */
  firstPage?: number;
  page?: number;
};

export type ScanResult = {
  events: ScanEvent[];
  /** Matches counted in the blocks that were decoded (all of them in range, emitted or not). */
  counted: number;
  /** Where the block scan stopped (keyset of the last block read), null when every block was read. */
  resumeAfter: { t: number; id: number } | null;
};

/**
 * Up to `limit` matching events in [start, end] in the given order (after `after`), reading
 * candidate blocks page by page.
 */
export async function scanOrdered(db: DbOrTx, o: ScanOptions): Promise<ScanResult> {
  const newest = o.order === "newest";
  const sign = newest ? -1 : 1;
  let start = o.start;
  let end = o.end;
  if (o.after) {
    if (newest) end = Math.min(end, o.after.ts);
    else start = Math.max(start, o.after.ts);
  }
  const out: ScanEvent[] = [];
  let pending: ScanEvent[] = [];
  let counted = 0;
  if (end < start) return { events: out, counted, resumeAfter: null };
  const where = and(o.where, rangeCondition(start, end))!;
  let keyset: { t: number; id: number } | null = null;
  let size = o.firstPage ?? 8;
  for (;;) {
    const blocks = await blockPage(db, where, o.order, keyset, size);
    for (const b of blocks) {
      const events = decodeEvents(b.payload, o.needs);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.ts < start || e.ts > end || !o.matches(e)) continue;
        const se: ScanEvent = { e, day: b.day, blockId: b.id, idx: i };
        if (o.after && sign * comparePos(se, o.after) <= 0) continue;
        counted++;
        pending.push(se);
      }
    }
    const done = blocks.length < size;
    if (blocks.length) {
      const last = blocks[blocks.length - 1]!;
      keyset = { t: newest ? last.maxTs : last.minTs, id: last.id };
    }
    // Unread blocks hold only events at or beyond the horizon (ties sort by block id, which the keyset also orders).
    pending.sort((a, b) => sign * compareAsc(a, b));
    let take = 0;
    while (take < pending.length && out.length < o.limit && (done || (newest ? pending[take]!.e.ts >= keyset!.t : pending[take]!.e.ts <= keyset!.t))) {
      out.push(pending[take]!);
      take++;
    }
    pending = take ? pending.slice(take) : pending;
    if (done) return { events: out, counted, resumeAfter: null };
    if (out.length >= o.limit) return { events: out, counted, resumeAfter: keyset };
    size = Math.min(o.page ?? 64, size * 2);
  }
}

/**
 * Matching events in [start, end] counted, stopping once `cap` is reached; `after` continues a
 * newest-first scan (keyset) instead of starting over. With `levels` (the query depends only on
 * level), blocks wholly inside the range are counted from their level counts without decoding.
 */
export async function countMatches(
  db: DbOrTx,
  o: {
    where: SQL;
    start: number;
    end: number;
    matches: (e: LogEvent) => boolean;
    needs: Needs;
    cap: number;
    levels: readonly number[] | null;
    after?: { t: number; id: number } | null;
  },
): Promise<{ count: number; exact: boolean }> {
  const where = and(o.where, rangeCondition(o.start, o.end), o.after ? sql`(${logBlocks.maxTs}, ${logBlocks.id}) < (${new Date(o.after.t)}, ${o.after.id})` : undefined)!;
  if (o.levels) {
    const metas = await blockMetas(db, where);
    let count = 0;
    const partial: BlockMeta[] = [];
    for (const b of metas) {
      if (b.minTs >= o.start && b.maxTs <= o.end) for (const l of o.levels) count += b.levelCounts[l] ?? 0;
      else partial.push(b);
    }
    const payloads = await blockPayloads(db, partial);
    for (const b of partial) {
      const p = payloads.get(b.id);
      if (!p) continue;
      for (const e of decodeEvents(p, o.needs)) if (e.ts >= o.start && e.ts <= o.end && o.matches(e)) count++;
    }
    return { count, exact: true };
  }
  let count = 0;
  let keyset: { t: number; id: number } | null = null;
  for (;;) {
    const blocks = await blockPage(db, where, "newest", keyset, 64);
    for (const b of blocks) {
      for (const e of decodeEvents(b.payload, o.needs)) if (e.ts >= o.start && e.ts <= o.end && o.matches(e)) count++;
    }
    if (count >= o.cap) return { count, exact: false };
    if (blocks.length < 64) return { count, exact: true };
    const last = blocks[blocks.length - 1]!;
    keyset = { t: last.maxTs, id: last.id };
  }
}

/** Visits every matching event in [start, end] (any order), page by page: histograms and terms. */
export async function forEachMatch(
  db: DbOrTx,
  o: { where: SQL; start: number; end: number; matches: (e: LogEvent) => boolean; needs: Needs; maxBlocks?: number },
  visit: (e: LogEvent) => void,
): Promise<{ blocks: number; truncated: boolean }> {
  const where = and(o.where, rangeCondition(o.start, o.end))!;
  let keyset: { t: number; id: number } | null = null;
  let blocksRead = 0;
  for (;;) {
    const size = o.maxBlocks ? Math.min(64, o.maxBlocks - blocksRead) : 64;
    if (size <= 0) return { blocks: blocksRead, truncated: true };
    const blocks = await blockPage(db, where, "newest", keyset, size);
    for (const b of blocks) {
      for (const e of decodeEvents(b.payload, o.needs)) if (e.ts >= o.start && e.ts <= o.end && o.matches(e)) visit(e);
    }
    blocksRead += blocks.length;
    if (blocks.length < size) return { blocks: blocksRead, truncated: false };
    const last = blocks[blocks.length - 1]!;
    keyset = { t: last.maxTs, id: last.id };
  }
}
