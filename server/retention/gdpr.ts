import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { withRetentionLock } from "./lock";
import type { Db, DbOrTx } from "@/db/client";
import { logArchives, logBlocks, logSources, logSourceStats } from "@/db/schema";
import type { ArchivedBlock } from "@/server/archive/log-archive";
import { deleteArchiveObject, readArchivedBlocks, writeArchiveGeneration, type ArchiveRow } from "@/server/archive/log-archives";
import type { ObjectStore } from "@/server/archive/object-store";
import { writeAudit } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import type { LogEvent } from "@/server/logs/event";
import type { CompiledQuery } from "@/server/logs/query/compile";
import type { LogHit } from "@/server/logs/search/contract";
import { planQuery } from "@/server/logs/search/plan";
import { archivedBlockFilter, hotBlockIds } from "@/server/logs/search/archive";
import { ALL_NEEDS, candidateBlocks, decodedBlocks, forEachBlock, type BlockMeta } from "@/server/logs/search/scan";
import { toHit } from "@/server/logs/search/service";
import { decodeBlock } from "@/server/logs/store/block";
import { checkGdprQuery, rewriteArchivedBlocks, rewriteBlock } from "./gdpr-rewrite";

/**
 * GDPR data requests: every event matching a query, in the hot tier (every day partition) and in
 * the cold tier (every archived day), counted, exported, or deleted. Hot blocks holding matches
 * are rewritten in place (one transaction per source and day); archived days holding matches get
 * a new generation without them, and the replaced object is deleted once the pointer moved.
 */

/** The whole time axis: a data request is about a person, not a period. */
const ALL_TIME = { start: Date.UTC(1970, 0, 1), end: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
/** How often an archived day is read again when a concurrent run replaced it meanwhile. */
const ARCHIVE_ATTEMPTS = 3;

export type GdprTier = "hot" | "archive";
export type GdprCounts = { hot: { events: number; days: number }; archived: { events: number; days: number } };
export type GdprDeleteResult = GdprCounts & { hotBlocksRewritten: number; hotBlocksDeleted: number; generations: { source: string; day: string; generation: number | null }[] };
export type GdprHit = LogHit & { tier: GdprTier };

type ArchivedDayRow = ArchiveRow & { sourceName: string };

async function planGdprQuery(db: DbOrTx, principal: Principal, q: string): Promise<CompiledQuery> {
  return planQuery(db, principal, checkGdprQuery(q));
}

/** Hot blocks that may hold matches, over every day partition. */
function hotCandidates(db: DbOrTx, plan: CompiledQuery): Promise<BlockMeta[]> {
  return candidateBlocks(db, plan, ALL_TIME.start, ALL_TIME.end);
}

function sortedByDay(blocks: BlockMeta[]): BlockMeta[] {
  return blocks.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id - b.id));
}

async function archivedDays(db: DbOrTx): Promise<ArchivedDayRow[]> {
  const rows = await db
    .select({ a: logArchives, sourceName: logSources.name })
    .from(logArchives)
    .innerJoin(logSources, eq(logSources.id, logArchives.sourceId))
    .orderBy(asc(logArchives.day), asc(logSources.name));
  return rows.map((r) => ({ ...r.a, sourceName: r.sourceName }));
}

/** An archived day's blocks (verified) that may hold matches. */
async function archivedCandidates(store: ObjectStore, plan: CompiledQuery, row: ArchiveRow): Promise<ArchivedBlock[]> {
  return (await readArchivedBlocks(store, row)).filter(archivedBlockFilter(plan.blockMatches, row.sourceId));
}

/** Visits the matching events of the hot tier, block by block. */
async function forEachHotMatch(db: DbOrTx, plan: CompiledQuery, visit: (b: BlockMeta, e: LogEvent, idx: number) => void): Promise<void> {
  await forEachBlock(db, sortedByDay(await hotCandidates(db, plan)), ALL_NEEDS, (b, events) => {
    events.forEach((e, i) => {
      if (plan.matches(e)) visit(b, e, i);
    });
  });
}

/** How many events match in each tier (every copy: a restored day counts in both). */
export async function gdprPreview(db: Db, store: ObjectStore, principal: Principal, q: string): Promise<GdprCounts> {
  const plan = await planGdprQuery(db, principal, q);
  const counts: GdprCounts = { hot: { events: 0, days: 0 }, archived: { events: 0, days: 0 } };
  const hotDays = new Set<string>();
  await forEachHotMatch(db, plan, (b) => {
    counts.hot.events++;
    hotDays.add(`${b.sourceId}/${b.day}`);
  });
  counts.hot.days = hotDays.size;
  for (const row of await archivedDays(db)) {
    let n = 0;
    for (const b of await archivedCandidates(store, plan, row)) for (const e of decodeBlock(b.payload)) if (plan.matches(e)) n++;
    if (n) {
      counts.archived.events += n;
      counts.archived.days++;
    }
  }
  return counts;
}

/**
 * Every matching event, hot tier first, then the archived days (oldest first). An archived block
 * that is also in the hot tier (a restored day) is given once, from the hot tier.
 */
export async function* gdprEvents(db: Db, store: ObjectStore, plan: CompiledQuery): AsyncGenerator<GdprHit> {
  // A block dropped by retention since it was listed is skipped here and read from the archive below.
  for await (const { b, events } of decodedBlocks(db, sortedByDay(await hotCandidates(db, plan)), ALL_NEEDS)) {
    for (let idx = 0; idx < events.length; idx++) {
      const e = events[idx]!;
      if (plan.matches(e)) yield { ...toHit({ e, day: b.day, blockId: b.id, idx }), tier: "hot" };
    }
  }
  for (const row of await archivedDays(db)) {
    const skip = await hotBlockIds(db, row.sourceId, row.day);
    for (const b of await archivedCandidates(store, plan, row)) {
      if (skip.has(b.id)) continue;
      const events = decodeBlock(b.payload);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (plan.matches(e)) yield { ...toHit({ e, day: row.day, blockId: b.id, idx: i }), tier: "archive" };
      }
    }
  }
}

/**
 * The export as NDJSON (one event a line, with `tier`), streamed. Audited when the stream ends,
 * with the number of events sent (or as a failure with the count so far).
 */
export async function gdprExportStream(db: Db, store: ObjectStore, principal: Principal, meta: Pick<RequestMeta, "ip">, q: string): Promise<ReadableStream<Uint8Array>> {
  const plan = await planGdprQuery(db, principal, q);
  const query = q.trim();
  const enc = new TextEncoder();
  const events = gdprEvents(db, store, plan);
  let count = 0;
  const PAGE = 500;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let text = "";
        for (let i = 0; i < PAGE; i++) {
          const next = await events.next();
          if (next.done) {
            if (text) controller.enqueue(enc.encode(text));
            await writeAudit(db, principal, meta, { action: "logs.gdpr.export", result: "success", details: { q: query, count } });
            controller.close();
            return;
          }
          text += JSON.stringify(next.value) + "\n";
          count++;
        }
        controller.enqueue(enc.encode(text));
      } catch (err) {
        logger.error({ err }, "GDPR export failed");
        await writeAudit(db, principal, meta, { action: "logs.gdpr.export", result: "failure", details: { q: query, count, error: (err as Error).message } }).catch(() => {});
        controller.error(err);
      }
    },
    async cancel() {
      await events.return(undefined);
      await writeAudit(db, principal, meta, { action: "logs.gdpr.export", result: "failure", details: { q: query, count, error: "cancelled by the client" } }).catch(() => {});
    },
  });
}

type HotRow = { id: number; rawBytes: number; tokens: number[]; payload: Buffer };

/** Rewrites the hot blocks of one source's day holding matches, in one transaction. */
async function deleteInHotDay(db: Db, plan: CompiledQuery, sourceId: string, day: string, ids: number[]): Promise<{ removed: number; rewritten: number; deleted: number }> {
  return db.transaction(async (tx) => {
    const rows: HotRow[] = await tx
      .select({ id: logBlocks.id, rawBytes: logBlocks.rawBytes, tokens: logBlocks.tokens, payload: logBlocks.payload })
      .from(logBlocks)
      .where(and(eq(logBlocks.day, day), eq(logBlocks.sourceId, sourceId), inArray(logBlocks.id, ids)))
      .for("update");
    let removed = 0;
    let rewritten = 0;
    let deleted = 0;
    let rawDelta = 0;
    let storedDelta = 0;
    for (const row of rows) {
      const r = rewriteBlock(row, plan.matches);
      if (r.kind === "unchanged") continue;
      removed += r.removed;
      const where = and(eq(logBlocks.day, day), eq(logBlocks.sourceId, sourceId), eq(logBlocks.id, row.id));
      if (r.kind === "emptied") {
        await tx.delete(logBlocks).where(where);
        deleted++;
        rawDelta += r.before.rawBytes;
        storedDelta += r.before.storedBytes;
      } else {
        const c = r.columns;
        await tx
          .update(logBlocks)
          .set({ minTs: new Date(c.minTs), maxTs: new Date(c.maxTs), count: c.count, rawBytes: c.rawBytes, tokens: c.tokens, services: c.services, hosts: c.hosts, levelCounts: c.levelCounts, payload: r.payload })
          .where(where);
        rewritten++;
        rawDelta += r.before.rawBytes - r.after.rawBytes;
        storedDelta += r.before.storedBytes - r.after.storedBytes;
      }
    }
    if (removed) {
      await tx
        .update(logSourceStats)
        .set({
          events: sql`greatest(0, ${logSourceStats.events} - ${removed})`,
          rawBytes: sql`greatest(0, ${logSourceStats.rawBytes} - ${rawDelta})`,
          storedBytes: sql`greatest(0, ${logSourceStats.storedBytes} - ${storedDelta})`,
        })
        .where(eq(logSourceStats.sourceId, sourceId));
    }
    return { removed, rewritten, deleted };
  });
}

/**
 * Rewrites one archived day without the matches: a new generation, written and verified, the
 * row moved to it in a transaction that first checks no one replaced the day meanwhile; the old
 * object is deleted after the commit. Returns null when the day holds no match.
 */
async function deleteInArchivedDay(db: Db, store: ObjectStore, plan: CompiledQuery, day: ArchivedDayRow): Promise<{ removed: number; generation: number | null } | null> {
  let current: ArchiveRow = day;
  for (let attempt = 1; ; attempt++) {
    const rewrite = rewriteArchivedBlocks(await readArchivedBlocks(store, current), plan.matches, archivedBlockFilter(plan.blockMatches, day.sourceId));
    if (!rewrite.changed) return null;
    const outcome = await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(logArchives).where(eq(logArchives.id, current.id)).for("update");
      if (!locked || locked.key !== current.key) return { kind: "stale" as const, row: locked ?? null };
      const written = await writeArchiveGeneration(tx, store, { sourceId: day.sourceId, sourceName: day.sourceName, day: day.day, blocks: rewrite.blocks, previous: locked });
      return { kind: "written" as const, written };
    });
    if (outcome.kind === "written") {
      if (outcome.written.replacedKey) await deleteArchiveObject(store, outcome.written.replacedKey);
      return { removed: rewrite.removed, generation: outcome.written.row?.generation ?? null };
    }
    // Gone (expired meanwhile): nothing left to delete. Replaced (retention merged late events,
    // another request rewrote it): read the new generation.
    if (!outcome.row) return null;
    if (attempt >= ARCHIVE_ATTEMPTS) throw new Error(`archived day ${day.sourceName}/${day.day} kept changing during the GDPR delete; try again`);
    current = outcome.row;
  }
}

/**
 * Deletes every matching event from both tiers, while no retention run is going on; audited with
 * the query and the counts.
 */
export async function gdprDelete(db: Db, store: ObjectStore, principal: Principal, meta: Pick<RequestMeta, "ip">, q: string): Promise<GdprDeleteResult> {
  const plan = await planGdprQuery(db, principal, q);
  const res = await withRetentionLock(db, () => deleteLocked(db, store, principal, meta, q, plan));
  if (!res.locked) throw new AppError("CONFLICT", { userMessage: "A retention run is in progress; delete again when it has finished (see the run history)" });
  return res.value;
}

async function deleteLocked(db: Db, store: ObjectStore, principal: Principal, meta: Pick<RequestMeta, "ip">, q: string, plan: CompiledQuery): Promise<GdprDeleteResult> {
  const result: GdprDeleteResult = { hot: { events: 0, days: 0 }, archived: { events: 0, days: 0 }, hotBlocksRewritten: 0, hotBlocksDeleted: 0, generations: [] };
  try {
    const byDay = new Map<string, { sourceId: string; day: string; ids: number[] }>();
    for (const b of await hotCandidates(db, plan)) {
      const k = `${b.sourceId}/${b.day}`;
      let g = byDay.get(k);
      if (!g) byDay.set(k, (g = { sourceId: b.sourceId, day: b.day, ids: [] }));
      g.ids.push(b.id);
    }
    for (const g of byDay.values()) {
      const r = await deleteInHotDay(db, plan, g.sourceId, g.day, g.ids);
      if (!r.removed) continue;
      result.hot.events += r.removed;
      result.hot.days++;
      result.hotBlocksRewritten += r.rewritten;
      result.hotBlocksDeleted += r.deleted;
    }
    for (const day of await archivedDays(db)) {
      const r = await deleteInArchivedDay(db, store, plan, day);
      if (!r) continue;
      result.archived.events += r.removed;
      result.archived.days++;
      result.generations.push({ source: day.sourceName, day: day.day, generation: r.generation });
    }
  } catch (err) {
    await writeAudit(db, principal, meta, { action: "logs.gdpr.delete", result: "failure", details: { q: q.trim(), ...result, error: (err as Error).message } });
    throw err;
  }
  await writeAudit(db, principal, meta, { action: "logs.gdpr.delete", result: "success", details: { q: q.trim(), ...result } });
  return result;
}
