import { and, asc, desc, eq, gte, inArray, isNull, lte, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logArchives, logBlocks, logSources } from "@/db/schema";
import { CorruptArchiveError, type ArchivedBlock } from "@/server/archive/log-archive";
import { readArchivedBlocks } from "@/server/archive/log-archives";
import type { ObjectStore } from "@/server/archive/object-store";
import { AppError } from "@/server/lib/errors";
import type { LogEvent } from "@/server/logs/event";
import type { BlockColumns } from "@/server/logs/query/compile";
import { CorruptBlockError, decodeBlock } from "@/server/logs/store/block";
import { dayOf } from "@/server/logs/store/write";
import { ALL_NEEDS, compareAsc, type Needs, type Position, type ScanEvent } from "./scan";

/**
 * Searching the cold tier: the archived days (log_archives) a range reaches, and a scan of their
 * objects with the same block filter, decoder and predicate as the hot tier. Archived blocks keep
 * their hot ids, so archived events sort and page in the same (ts, blockId, idx) order.
 */
export type ArchivedDay = {
  sourceId: string;
  source: string;
  day: string;
  key: string;
  sha256: string;
  events: number;
  blocks: number;
  bytes: number;
  minTs: number;
  maxTs: number;
  restoredUntil: string | null;
};

/**
 * Archived days of [start, end] that are read from the cold tier: a day restored to the hot tier
 * (restored_until in the future) is searched hot, so it is left out here. Newest first.
 */
export async function archivedDays(db: DbOrTx, o: { start: number; end: number; sourceIds?: readonly string[]; now?: number }): Promise<ArchivedDay[]> {
  const now = new Date(o.now ?? Date.now());
  const rows = await db
    .select({
      sourceId: logArchives.sourceId,
      source: logSources.name,
      day: logArchives.day,
      key: logArchives.key,
      sha256: logArchives.sha256,
      events: logArchives.events,
      blocks: logArchives.blocks,
      bytes: logArchives.bytes,
      minTs: logArchives.minTs,
      maxTs: logArchives.maxTs,
      restoredUntil: logArchives.restoredUntil,
    })
    .from(logArchives)
    .innerJoin(logSources, eq(logSources.id, logArchives.sourceId))
    .where(
      and(
        gte(logArchives.day, dayOf(o.start)),
        lte(logArchives.day, dayOf(o.end)),
        gte(logArchives.maxTs, new Date(o.start)),
        lte(logArchives.minTs, new Date(o.end)),
        or(isNull(logArchives.restoredUntil), lt(logArchives.restoredUntil, now)),
        o.sourceIds ? (o.sourceIds.length ? inArray(logArchives.sourceId, [...o.sourceIds]) : sql`false`) : undefined,
      ),
    )
    .orderBy(desc(logArchives.maxTs), asc(logSources.name));
  return rows.map((r) => ({ ...r, minTs: r.minTs.getTime(), maxTs: r.maxTs.getTime(), restoredUntil: r.restoredUntil?.toISOString() ?? null }));
}

/**
 * Ids of the blocks of a source's day that are in the hot tier now (a restore in progress or one
 * that expired but whose rows are not dropped yet): the scan skips them so no event counts twice.
 */
export async function hotBlockIds(db: DbOrTx, sourceId: string, day: string): Promise<Set<number>> {
  const rows = await db
    .select({ id: logBlocks.id })
    .from(logBlocks)
    .where(and(eq(logBlocks.day, day), eq(logBlocks.sourceId, sourceId)));
  return new Set(rows.map((r) => r.id));
}

/**
 * The query's block filter (CompiledQuery.blockMatches) applied to a source's archived blocks, on
 * the columns the archive keeps for each block; every block may match when there is none.
 */
export function archivedBlockFilter(blockMatches: ((b: BlockColumns) => boolean) | null, sourceId: string): (b: ArchivedBlock) => boolean {
  return blockMatches ? (b) => blockMatches({ tokens: b.tokens, sourceId, levelCounts: b.levelCounts }) : () => true;
}

export type ArchiveProgress = { day: ArchivedDay; daysDone: number; eventsScanned: number; bytesScanned: number };

export type ArchiveScanOptions = {
  start: number;
  end: number;
  matches: (e: LogEvent) => boolean;
  /** The query's block filter (CompiledQuery.blockMatches); null reads every block. */
  blockMatches: ((b: BlockColumns) => boolean) | null;
  /** What matching needs decoded; hits are decoded whole. */
  needs: Needs;
  /** Events to return (0: only count, and visit with `onMatch`). */
  limit: number;
  /** Resume strictly after this position in the scan's order (newest first: older than it). */
  after?: Position | null;
  /** Which end of the range the page is taken from; newest first unless "oldest". */
  order?: "newest" | "oldest";
  /** Every match in the range, cursor or not (histograms, terms). */
  onMatch?: (e: LogEvent) => void;
  onProgress?: (p: ArchiveProgress) => void;
};

export type ArchiveScanResult = {
  /** Up to `limit` matches after `after`, in the scan's order. */
  events: ScanEvent[];
  /** Matches in [start, end] (the whole range, for totals). */
  counted: number;
  /** Matches after `after` (more than `events.length`: there is another page). */
  countedAfter: number;
  eventsScanned: number;
  bytesScanned: number;
};

/** The day an archived day's object could not be read: a clear 503, not a crash. */
function unreadable(d: ArchivedDay, err: unknown): AppError {
  return new AppError("UNAVAILABLE", {
    userMessage: `The archive of ${d.source} for ${d.day} cannot be read (${(err as Error).message}); ask an admin to check the cold tier`,
    cause: err,
  });
}

/** An archived day's blocks, verified; a damaged object is the day's clear error. */
async function readDay(store: ObjectStore, d: ArchivedDay) {
  try {
    return await readArchivedBlocks(store, d);
  } catch (err) {
    if (err instanceof CorruptArchiveError) throw unreadable(d, err);
    throw err;
  }
}

/** A block of an archived day decoded with `needs`; a damaged block is the day's clear error. */
function decodeDayBlock(d: ArchivedDay, payload: Buffer, needs: Needs): LogEvent[] {
  try {
    return decodeBlock(payload, needs);
  } catch (err) {
    if (err instanceof CorruptBlockError) throw unreadable(d, err);
    throw err;
  }
}

/**
 * Matching events of archived `days`, newest first (or oldest first), reading one day's object at
 * a time (verified against its checksum). Blocks outside the range or rejected by the block filter
 * are not decoded; a block is first decoded with what matching needs, and whole only when it holds
 * an event that can still make the page.
 */
export async function scanArchive(db: DbOrTx, store: ObjectStore, days: readonly ArchivedDay[], o: ArchiveScanOptions): Promise<ArchiveScanResult> {
  const limit = o.limit;
  const after = o.after ?? null;
  // `ahead(x, y) > 0`: x comes before y in the scan's order.
  const sign = o.order === "oldest" ? -1 : 1;
  const ahead = (x: ScanEvent, y: ScanEvent) => sign * compareAsc(x, y);
  let page: ScanEvent[] = [];
  /** Once `page` holds `limit` events, the last of them in order: anything after it cannot make the page. */
  let worst: ScanEvent | null = null;
  let counted = 0;
  let countedAfter = 0;
  let eventsScanned = 0;
  let bytesScanned = 0;
  const sorted = [...days].sort((a, b) => b.maxTs - a.maxTs || (a.sourceId < b.sourceId ? -1 : 1));
  let daysDone = 0;
  for (const d of sorted) {
    const hot = await hotBlockIds(db, d.sourceId, d.day);
    const blocks = await readDay(store, d);
    const mayMatch = archivedBlockFilter(o.blockMatches, d.sourceId);
    bytesScanned += d.bytes;
    for (const b of blocks) {
      if (b.maxTs < o.start || b.minTs > o.end || hot.has(b.id)) continue;
      if (!mayMatch(b)) continue;
      const events = decodeDayBlock(d, b.payload, o.needs);
      let full: LogEvent[] | null = o.needs === ALL_NEEDS ? events : null;
      eventsScanned += events.length;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.ts < o.start || e.ts > o.end || !o.matches(e)) continue;
        counted++;
        o.onMatch?.(e);
        const se: ScanEvent = { e, day: d.day, blockId: b.id, idx: i };
        if (after && sign * (e.ts - after.ts || b.id - after.blockId || i - after.idx) >= 0) continue;
        countedAfter++;
        if (limit === 0 || (worst && ahead(se, worst) <= 0)) continue;
        full ??= decodeDayBlock(d, b.payload, ALL_NEEDS);
        page.push({ ...se, e: full[i]! });
        if (page.length >= 2 * limit) {
          page = page.sort((x, y) => ahead(y, x)).slice(0, limit);
          worst = page[limit - 1]!;
        }
      }
    }
    daysDone++;
    o.onProgress?.({ day: d, daysDone, eventsScanned, bytesScanned });
  }
  page = page.sort((x, y) => ahead(y, x)).slice(0, limit);
  return { events: page, counted, countedAfter, eventsScanned, bytesScanned };
}

/**
 * An archived event by its id (day, block, index), with its day: the archived days of that date
 * that `sourcePossible` allows are read until one holds the block (block ids are unique across
 * sources). Null when no archive holds it.
 */
export async function archivedEvent(
  db: DbOrTx,
  store: ObjectStore,
  ref: { day: string; blockId: number; idx: number },
  sourcePossible: (sourceId: string) => boolean,
): Promise<{ day: ArchivedDay; event: LogEvent } | null> {
  const start = Date.parse(`${ref.day}T00:00:00Z`);
  if (Number.isNaN(start)) return null;
  const days = (await archivedDays(db, { start, end: start + 86_400_000 - 1 })).filter((d) => d.day === ref.day && sourcePossible(d.sourceId));
  for (const d of days) {
    const b = (await readDay(store, d)).find((x) => x.id === ref.blockId);
    if (!b) continue;
    const event = decodeDayBlock(d, b.payload, ALL_NEEDS)[ref.idx];
    return event ? { day: d, event } : null;
  }
  return null;
}
