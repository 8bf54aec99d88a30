import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { logArchives, logSources } from "@/db/schema";
import { mergeBlocks, parseArchiveKey } from "@/server/archive/log-archive";
import { deleteArchiveObject, hotBlocksOf, readArchivedBlocks, writeArchiveGeneration } from "@/server/archive/log-archives";
import type { ObjectStore } from "@/server/archive/object-store";
import type { RunSummary } from "./model";
import { addDays, dropPartition, leafName, listLogPartitions, withLockTimeout, type LogLeaf } from "./partitions";

/**
 * The log tiers of one run: a source's day stays hot for `hotDays` days (today included), then
 * its leaf is archived (merged by block id with what the archive already holds: late events,
 * a restore ending, a rerun after a kill) and dropped in the same transaction; `archiveDays`
 * later the archive goes too. Every item is isolated: its error lands in the summary.
 */
export type LogSourcePolicy = { id: string; name: string; hotDays: number; archiveDays: number };

/** What one archive step did, handed to hooks.afterArchive before the leaf is dropped. */
export type ArchiveItem = { sourceId: string; source: string; day: string; leaf: string; key: string; generation: number };

export type LogTierDeps = {
  db: Db;
  store: ObjectStore;
  now: number;
  summary: RunSummary;
  hooks?: { afterArchive?: (item: ArchiveItem) => Promise<void> };
};

/** Objects of a killed run are left this long before they count as orphans (a writer may be mid-way). */
export const ORPHAN_MIN_AGE_MS = 60 * 60_000;

export async function logPolicies(db: Db): Promise<Map<string, LogSourcePolicy>> {
  const rows = await db.select({ id: logSources.id, name: logSources.name, hotDays: logSources.hotDays, archiveDays: logSources.archiveDays }).from(logSources);
  return new Map(rows.map((r) => [r.id, r]));
}

/** First day still hot for a policy: days after `today − hotDays` (hotDays days, today included). */
export function firstHotDay(today: string, p: Pick<LogSourcePolicy, "hotDays">): string {
  return addDays(today, -p.hotDays + 1);
}

/** Days on or before this are past the archive too (dropped, never archived). */
export function lastExpiredDay(today: string, p: Pick<LogSourcePolicy, "hotDays" | "archiveDays">): string {
  return addDays(today, -p.hotDays - p.archiveDays);
}

/** An item's failure: recorded, and the run goes on. */
export function recordError(summary: RunSummary, item: string, err: unknown): void {
  summary.errors.push({ item, error: err instanceof Error ? err.message : String(err) });
}

/** Leaves of today..today+daysAhead for every source (created ahead, so ingest never waits on DDL). */
export async function createLogLeavesAhead(db: Db, policies: Map<string, LogSourcePolicy>, today: string, daysAhead: number, summary: RunSummary): Promise<void> {
  const existing = new Set((await listLogPartitions(db)).leaves.map((l) => l.name));
  for (const p of policies.values()) {
    for (let i = 0; i <= daysAhead; i++) {
      const day = addDays(today, i);
      try {
        const res = await db.execute<{ name: string }>(sql`select lookout_ensure_log_partition(${day}::date, ${p.id}::uuid) as name`);
        const name = res.rows[0]!.name;
        if (!existing.has(name)) summary.created.push(name);
      } catch (err) {
        recordError(summary, `create log partition ${p.name} ${day}`, err);
      }
    }
  }
}

/**
 * Archives a leaf past hot and drops it in ONE transaction: the day parent is locked in SHARE
 * mode first (writers of the day wait, and no writer holds the parent while waiting on the leaf,
 * which would deadlock against the DROP), the hot blocks merged with the archive's by id, a new
 * generation written and verified when anything is new, then the leaf dropped. The replaced
 * object is deleted only after commit: a kill at any point leaves either the old generation
 * (rerun redoes the work) or the new one (the stale object is an orphan, removed later).
 */
async function archiveLeaf(deps: LogTierDeps, leaf: LogLeaf, policy: LogSourcePolicy): Promise<void> {
  const { db, store, summary } = deps;
  const done = await withLockTimeout(db, async (tx) => {
    await tx.execute(sql`lock table ${sql.identifier(leaf.parent)} in share mode`);
    const exists = await tx.execute<{ ok: boolean }>(sql`select to_regclass(${leaf.name}) is not null as ok`);
    if (!exists.rows[0]?.ok) return null;
    const [previous] = await tx
      .select()
      .from(logArchives)
      .where(and(eq(logArchives.sourceId, leaf.sourceId), eq(logArchives.day, leaf.day)))
      .for("update");
    if (previous?.restoredUntil && previous.restoredUntil.getTime() > deps.now) return null;
    const hot = await hotBlocksOf(tx, leaf.sourceId, leaf.day);
    const archived = previous ? await readArchivedBlocks(store, previous) : [];
    const known = new Set(archived.map((b) => b.id));
    const fresh = hot.filter((b) => !known.has(b.id));
    let archivedDay: RunSummary["archived"][number] | null = null;
    let replacedKey: string | null = null;
    if (fresh.length > 0) {
      const blocks = mergeBlocks(archived, hot);
      const written = await writeArchiveGeneration(tx, store, { sourceId: leaf.sourceId, sourceName: policy.name, day: leaf.day, blocks, previous: previous ?? null, now: new Date(deps.now) });
      const row = written.row!;
      replacedKey = written.replacedKey;
      archivedDay = { source: policy.name, day: leaf.day, events: row.events, blocks: row.blocks, bytes: row.bytes, rawBytes: row.rawBytes, generation: row.generation };
      await deps.hooks?.afterArchive?.({ sourceId: leaf.sourceId, source: policy.name, day: leaf.day, leaf: leaf.name, key: row.key, generation: row.generation });
    }
    // A restore that ended is over once its leaf is gone (the archive holds every block).
    if (previous?.restoredUntil) await tx.update(logArchives).set({ restoredUntil: null }).where(eq(logArchives.id, previous.id));
    const bytes = await dropPartition(tx, leaf.name);
    return { archivedDay, replacedKey, bytes };
  });
  if (!done) return;
  if (done.archivedDay) {
    summary.archived.push(done.archivedDay);
    summary.bytesArchived += done.archivedDay.bytes;
  }
  summary.dropped.push({ table: "log_blocks", partition: leaf.name, bytes: done.bytes });
  summary.bytesDropped += done.bytes;
  if (done.replacedKey) await deleteArchiveObject(store, done.replacedKey);
}

/** Archives (or, past the archive too, drops) every leaf past hot, then drops empty past day parents. */
export async function ageLogLeaves(deps: LogTierDeps, policies: Map<string, LogSourcePolicy>, today: string): Promise<void> {
  const { db, summary } = deps;
  const { parents, leaves } = await listLogPartitions(db);
  for (const leaf of leaves) {
    const policy = policies.get(leaf.sourceId);
    const item = `log_blocks ${leaf.name}`;
    if (!policy) {
      recordError(summary, item, new Error(`leaf of unknown source ${leaf.sourceId}: left in place`));
      continue;
    }
    if (leaf.day >= firstHotDay(today, policy)) continue;
    try {
      if (leaf.day <= lastExpiredDay(today, policy)) {
        const bytes = await withLockTimeout(db, (tx) => dropPartition(tx, leaf.name));
        summary.dropped.push({ table: "log_blocks", partition: leaf.name, bytes });
        summary.bytesDropped += bytes;
      } else {
        await archiveLeaf(deps, leaf, policy);
      }
    } catch (err) {
      recordError(summary, item, err);
    }
  }
  // Day parents before today with no leaf left (a late event recreates one on demand); only
  // those that look empty are locked, and checked again under the lock.
  const withLeaves = new Set((await listLogPartitions(db)).leaves.map((l) => l.parent));
  for (const parent of parents) {
    if (parent.day >= today || withLeaves.has(parent.name)) continue;
    try {
      await withLockTimeout(db, async (tx) => {
        await tx.execute(sql`lock table ${sql.identifier(parent.name)} in access exclusive mode`);
        const kids = await tx.execute<{ n: number }>(sql`select count(*)::int as n from pg_inherits where inhparent = to_regclass(${parent.name})`);
        if (kids.rows[0]!.n === 0) await tx.execute(sql`drop table ${sql.identifier(parent.name)}`);
      });
    } catch (err) {
      recordError(summary, `log_blocks ${parent.name}`, err);
    }
  }
}

/** Archived days past their source's archive retention: the row goes (its own transaction), then the object. */
export async function expireArchives(deps: LogTierDeps, policies: Map<string, LogSourcePolicy>, today: string): Promise<void> {
  const { db, store, summary } = deps;
  for (const policy of policies.values()) {
    const last = lastExpiredDay(today, policy);
    const rows = await db
      .select()
      .from(logArchives)
      .where(and(eq(logArchives.sourceId, policy.id), lte(logArchives.day, last)));
    for (const row of rows) {
      try {
        const deleted = await withLockTimeout(db, async (tx) => {
          // A restored copy of an expired day goes with it.
          const leaf = leafName(row.sourceId, row.day);
          const exists = await tx.execute<{ ok: boolean }>(sql`select to_regclass(${leaf}) is not null as ok`);
          if (exists.rows[0]?.ok) {
            const bytes = await dropPartition(tx, leaf);
            summary.dropped.push({ table: "log_blocks", partition: leaf, bytes });
            summary.bytesDropped += bytes;
          }
          return tx.delete(logArchives).where(eq(logArchives.id, row.id)).returning({ id: logArchives.id });
        });
        if (deleted.length) {
          await deleteArchiveObject(store, row.key);
          summary.expiredArchives.push({ source: policy.name, day: row.day, bytes: row.bytes });
        }
      } catch (err) {
        recordError(summary, `archive ${policy.name} ${row.day}`, err);
      }
    }
  }
}

/**
 * Objects under `logs/` no archived day points to (what a killed run, or a rewrite killed before
 * its commit, leaves) and older than ORPHAN_MIN_AGE_MS, with their manifests.
 */
export async function removeOrphans(deps: LogTierDeps): Promise<void> {
  const { db, store, summary } = deps;
  try {
    const rows = await db.select({ key: logArchives.key }).from(logArchives);
    const referenced = new Set(rows.map((r) => r.key));
    const cutoff = deps.now - ORPHAN_MIN_AGE_MS;
    const doomed: string[] = [];
    for await (const obj of store.list("logs/")) {
      const base = obj.key.endsWith(".manifest.json") ? obj.key.slice(0, -".manifest.json".length) : obj.key;
      if (!parseArchiveKey(base) || referenced.has(base) || obj.modified.getTime() > cutoff) continue;
      doomed.push(obj.key);
    }
    for (const key of doomed) {
      try {
        await store.delete(key);
        if (!key.endsWith(".manifest.json")) summary.orphansRemoved++;
      } catch (err) {
        recordError(summary, `orphan ${key}`, err);
      }
    }
  } catch (err) {
    recordError(summary, "orphan archive objects", err);
  }
}

