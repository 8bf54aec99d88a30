import { and, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import { pgArray } from "@/server/lib/sql-array";
import {
  blockPrefixLength,
  decodeBlock,
  decodeBlockMeta,
  decodeBlockMetaPrefix,
  decodeBlockPrefix,
  type AttributeSelection,
  type BlockMeta as BlockColumns,
} from "@/server/logs/store/block";
import { dayOf } from "@/server/logs/store/write";

/**
 * Reading events out of blocks in time order. A query lists its candidate blocks once
 * (candidateBlocks), sorts them (newest: max_ts desc, id desc; oldest: min_ts asc, id asc) and
 * reads their payloads a page at a time; an event is emitted only once no unread block can hold
 * one that sorts before it, so the order is exact even when blocks overlap in time. Events sort
 * by (ts, blockId, index) — the same key the cursor carries.
 */
export type Order = "newest" | "oldest";

/** Which parts of events a scan decodes (time, level, service, host and source always). */
export type Needs = { message: boolean; attributes: AttributeSelection; ids: boolean };
export const ALL_NEEDS: Needs = { message: true, attributes: true, ids: true };

export type ScanEvent = { e: LogEvent; day: string; blockId: number; idx: number };

export type BlockMeta = { id: number; day: string; sourceId: string; minTs: number; maxTs: number; count: number; levelCounts: number[] };

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

/** The day partitions that can hold events in [start, end]. */
function dayCondition(start: number, end: number): SQL {
  return and(gte(logBlocks.day, dayOf(start)), lte(logBlocks.day, dayOf(end)))!;
}

/** Blocks that may hold events in [start, end]: partition pruning by day, then time overlap. */
export function rangeCondition(start: number, end: number): SQL {
  return and(dayCondition(start, end), gte(logBlocks.maxTs, new Date(start)), lte(logBlocks.minTs, new Date(end)))!;
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

/** What selects blocks: the query's block condition, and whether the token index can answer it. */
export type BlockQuery = { blockCondition: SQL | null; tokenIndexed: boolean };

/**
 * Metadata of every block that may hold matches in [start, end], in one query. With a token
 * condition the blocks are found through the GIN index alone (time is checked here, on the
 * metadata): PostgreSQL's cost model does not count de-TOASTing each block's token array, and
 * would otherwise scan by time and read every array (measured: 1.9 s vs 37 ms over 7 days).
 */
export async function candidateBlocks(db: DbOrTx, q: BlockQuery, start: number, end: number, extra?: SQL): Promise<BlockMeta[]> {
  let rows: RawMeta[];
  if (q.tokenIndexed && q.blockCondition && end - start > SHORT_RANGE_MS) {
    const where = and(dayCondition(start, end), q.blockCondition, extra)!;
    rows = await runInTransaction(db, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.select(metaColumns).from(logBlocks).where(where);
    });
  } else {
    rows = await db.select(metaColumns).from(logBlocks).where(and(rangeCondition(start, end), q.blockCondition ?? undefined, extra));
  }
  const out: BlockMeta[] = [];
  for (const r of rows) {
    const m = toMeta(r);
    if (m.maxTs >= start && m.minTs <= end) out.push(m);
  }
  return out;
}

/**
 * Up to this range the time index finds few enough blocks that reading their token arrays is
 * cheaper than listing every block of the day partitions that holds the tokens.
 */
const SHORT_RANGE_MS = 3 * 3_600_000;

async function runInTransaction<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return "transaction" in db ? (db as { transaction: (f: (tx: DbOrTx) => Promise<T>) => Promise<T> }).transaction(fn) : fn(db);
}

/** Newest first: max_ts desc, id desc. Oldest first: min_ts asc, id asc (the scans' block order). */
export function sortBlocks(blocks: BlockMeta[], order: Order): BlockMeta[] {
  return order === "newest" ? blocks.sort((a, b) => b.maxTs - a.maxTs || b.id - a.id) : blocks.sort((a, b) => a.minTs - b.minTs || a.id - b.id);
}

/** A block's payload as read: whole, or only its leading part (enough for the sections asked for). */
export type LoadedPayload = { bytes: Buffer; whole: boolean };

/** Bytes read first when a query needs no attributes: the header, meta and usually the ids. */
const HEAD_BYTES = 4096;

/**
 * Payloads of the given blocks (by partition day and id). When `needs` reads no attributes, only
 * the leading bytes that hold the needed sections are sent (payloads are stored uncompressed in
 * TOAST, so substring reads only those chunks): first HEAD_BYTES, then the exact prefix where the
 * needed sections are longer.
 */
export async function blockPayloads(db: DbOrTx, blocks: readonly Pick<BlockMeta, "id" | "day">[], needs: Needs = ALL_NEEDS): Promise<Map<number, LoadedPayload>> {
  const out = new Map<number, LoadedPayload>();
  if (!blocks.length) return out;
  const where = and(inArray(logBlocks.day, [...new Set(blocks.map((b) => b.day))]), inArray(logBlocks.id, blocks.map((b) => b.id)))!;
  if (needs.attributes !== false) {
    const rows = await db.select({ id: logBlocks.id, payload: logBlocks.payload }).from(logBlocks).where(where);
    for (const r of rows) out.set(r.id, { bytes: r.payload, whole: true });
    return out;
  }
  const heads = await db.execute<{ id: string | number; head: Buffer }>(
    sql`select ${logBlocks.id} as id, substring(${logBlocks.payload} from 1 for ${HEAD_BYTES}) as head from ${logBlocks} where ${where}`,
  );
  const longer: { id: number; len: number | null }[] = [];
  for (const r of heads.rows) {
    const id = Number(r.id);
    const len = blockPrefixLength(r.head, needs);
    if (len !== null && len <= r.head.length) out.set(id, { bytes: r.head.subarray(0, len), whole: false });
    else longer.push({ id, len });
  }
  if (longer.length) {
    const rows = await db.execute<{ id: string | number; bytes: Buffer; whole: boolean }>(sql`
      select b.id, case when x.len is null then b.payload else substring(b.payload from 1 for x.len) end as bytes, x.len is null as whole
      from ${logBlocks} b join unnest(${pgArray(longer.map((l) => l.id))}::int8[], ${pgArray(longer.map((l) => l.len))}::int4[]) as x(id, len) on b.id = x.id
      where b.day = any(${pgArray([...new Set(blocks.map((b) => b.day))])}::date[])`);
    for (const r of rows.rows) out.set(Number(r.id), { bytes: r.bytes, whole: r.whole });
  }
  return out;
}

export function decodeLoaded(p: LoadedPayload, needs: Needs): LogEvent[] {
  return p.whole ? decodeBlock(p.bytes, needs) : decodeBlockPrefix(p.bytes, needs);
}

/** Decodes `blocks` a page at a time (payloads fetched per page), in order; blocks dropped since they were listed are skipped. */
export async function* decodedBlocks(db: DbOrTx, blocks: readonly BlockMeta[], needs: Needs, pageSize = 64): AsyncGenerator<{ b: BlockMeta; events: LogEvent[] }> {
  for (let i = 0; i < blocks.length; i += pageSize) {
    const page = blocks.slice(i, i + pageSize);
    const payloads = await blockPayloads(db, page, needs);
    for (const b of page) {
      const p = payloads.get(b.id);
      if (!p) continue; // dropped by retention since it was listed
      yield { b, events: decodeLoaded(p, needs) };
    }
  }
}

/** decodedBlocks with a callback per block; `visit` returning false stops. */
export async function forEachBlock(
  db: DbOrTx,
  blocks: readonly BlockMeta[],
  needs: Needs,
  visit: (b: BlockMeta, events: LogEvent[]) => boolean | void,
  pageSize = 64,
): Promise<void> {
  for await (const { b, events } of decodedBlocks(db, blocks, needs, pageSize)) {
    if (visit(b, events) === false) return;
  }
}

const META_ONLY: Needs = { message: false, attributes: false, ids: false };

/** Visits the meta columns (time, level, service, host codes) of `blocks`, page by page, without building events. */
export async function forEachBlockMeta(db: DbOrTx, blocks: readonly BlockMeta[], visit: (b: BlockMeta, m: BlockColumns) => void, pageSize = 128): Promise<void> {
  for (let i = 0; i < blocks.length; i += pageSize) {
    const page = blocks.slice(i, i + pageSize);
    const payloads = await blockPayloads(db, page, META_ONLY);
    for (const b of page) {
      const p = payloads.get(b.id);
      if (p) visit(b, p.whole ? decodeBlockMeta(p.bytes) : decodeBlockMetaPrefix(p.bytes));
    }
  }
}

export type ScanOptions = {
  /** Candidate blocks (candidateBlocks), any order. */
  blocks: BlockMeta[];
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
  /** Candidate blocks not read (count the rest of the range from these). */
  rest: BlockMeta[];
};

/**
 * Up to `limit` matching events in [start, end] in the given order (after `after`), reading the
 * candidate blocks page by page in block order.
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
  if (end < start) return { events: out, counted, rest: [] };
  const blocks = sortBlocks(
    o.blocks.filter((b) => b.maxTs >= start && b.minTs <= end),
    o.order,
  );
  let size = o.firstPage ?? 8;
  let next = 0;
  while (next < blocks.length) {
    const page = blocks.slice(next, next + size);
    next += page.length;
    const payloads = await blockPayloads(db, page, o.needs);
    for (const b of page) {
      const p = payloads.get(b.id);
      if (!p) continue;
      const events = decodeLoaded(p, o.needs);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.ts < start || e.ts > end || !o.matches(e)) continue;
        const se: ScanEvent = { e, day: b.day, blockId: b.id, idx: i };
        if (o.after && sign * comparePos(se, o.after) <= 0) continue;
        counted++;
        pending.push(se);
      }
    }
    const done = next >= blocks.length;
    const last = page[page.length - 1]!;
    // Unread blocks hold only events at or beyond the horizon (ties sort by block id, as the blocks do).
    const horizon = newest ? last.maxTs : last.minTs;
    pending.sort((a, b) => sign * compareAsc(a, b));
    let take = 0;
    while (take < pending.length && out.length < o.limit && (done || (newest ? pending[take]!.e.ts >= horizon : pending[take]!.e.ts <= horizon))) {
      out.push(pending[take]!);
      take++;
    }
    pending = take ? pending.slice(take) : pending;
    if (out.length >= o.limit || done) return { events: out, counted, rest: blocks.slice(next) };
    size = Math.min(o.page ?? 64, size * 2);
  }
  return { events: out, counted, rest: [] };
}

/**
 * Matching events in [start, end] of `blocks` counted, stopping once `cap` is reached. With
 * `levels` (the query depends only on level), blocks wholly inside the range are counted from
 * their level counts without decoding.
 */
export async function countMatches(
  db: DbOrTx,
  o: { blocks: BlockMeta[]; start: number; end: number; matches: (e: LogEvent) => boolean; needs: Needs; cap: number; levels: readonly number[] | null },
): Promise<{ count: number; exact: boolean }> {
  let count = 0;
  let toDecode = o.blocks;
  if (o.levels) {
    toDecode = [];
    for (const b of o.blocks) {
      if (b.minTs >= o.start && b.maxTs <= o.end) for (const l of o.levels) count += b.levelCounts[l] ?? 0;
      else toDecode.push(b);
    }
  }
  let exact = true;
  await forEachBlock(db, sortBlocks([...toDecode], "newest"), o.needs, (_b, events) => {
    for (const e of events) if (e.ts >= o.start && e.ts <= o.end && o.matches(e)) count++;
    if (!o.levels && count >= o.cap) {
      exact = false;
      return false;
    }
  });
  return { count, exact: exact || count < o.cap };
}

/** Visits every matching event in [start, end] of `blocks` (newest blocks first): histograms and terms. */
export async function forEachMatch(
  db: DbOrTx,
  o: { blocks: BlockMeta[]; start: number; end: number; matches: (e: LogEvent) => boolean; needs: Needs; maxBlocks?: number },
  visit: (e: LogEvent) => void,
): Promise<{ blocks: number; truncated: boolean }> {
  const sorted = sortBlocks([...o.blocks], "newest");
  const list = o.maxBlocks ? sorted.slice(0, o.maxBlocks) : sorted;
  await forEachBlock(db, list, o.needs, (_b, events) => {
    for (const e of events) if (e.ts >= o.start && e.ts <= o.end && o.matches(e)) visit(e);
  });
  return { blocks: list.length, truncated: list.length < sorted.length };
}
