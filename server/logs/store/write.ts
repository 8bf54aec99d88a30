import { and, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { logBlocks, logDeadLetters, logIngestBatches, logSourceStats } from "@/db/schema";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { isMissingPartition } from "@/server/lib/partition-errors";
import { encodeBlock } from "./block";
import { mergeFieldTypes, type FieldTypes } from "./field-types";
import { recordFields } from "./fields";

export const BLOCK_SIZE = 1000;
const DAY_MS = 86_400_000;

export type DeadLetter = { step: number; stepType: string; error: string; event: Record<string, unknown> };

export type IngestBatch = {
  batchId: string;
  sourceId: string;
  receivedAt: Date;
  events: LogEvent[];
  deadLetters: DeadLetter[];
  dropped: number;
  /** Dead letters this batch replays: marked replayed in the same transaction. */
  replayOf?: number[];
};

/** UTC day (YYYY-MM-DD) of an epoch-ms time: the partition key. */
export function dayOf(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

/** Groups events by day and cuts each day into blocks of at most `size` (time-ordered). */
export function planBlocks(events: LogEvent[], size = BLOCK_SIZE): { day: string; events: LogEvent[] }[] {
  // Grouped by the UTC day number; the date string is formatted once per day, not per event.
  const byDay = new Map<number, LogEvent[]>();
  for (const e of events) {
    const d = Math.floor(e.ts / DAY_MS);
    let list = byDay.get(d);
    if (!list) byDay.set(d, (list = []));
    list.push(e);
  }
  const out: { day: string; events: LogEvent[] }[] = [];
  for (const [dayNumber, list] of [...byDay.entries()].sort(([a], [b]) => a - b)) {
    const day = dayOf(dayNumber * DAY_MS);
    list.sort((a, b) => a.ts - b.ts);
    for (let i = 0; i < list.length; i += size) out.push({ day, events: list.slice(i, i + size) });
  }
  return out;
}

const knownPartitions = new Set<string>();

/**
 * Creates the partitions (one leaf per source and day, migration 0011) a batch needs, outside the
 * batch transaction; cached per process. A leaf dropped by retention since is found missing by the
 * insert, which forgets the cache and retries (commitBatch).
 */
export async function ensurePartitions(db: Db, sourceId: string, days: Iterable<string>): Promise<void> {
  for (const day of days) {
    const key = `${day}/${sourceId}`;
    if (knownPartitions.has(key)) continue;
    await db.execute(sql`select lookout_ensure_log_partition(${day}::date, ${sourceId}::uuid)`);
    knownPartitions.add(key);
  }
}

/** Test hook: forget cached partitions (after a database was dropped). */
export function forgetPartitions(): void {
  knownPartitions.clear();
}

/**
 * Commits a processed batch exactly once: in one transaction it records the batch id, inserts the
 * blocks and dead letters and updates the source's totals. A batch id already recorded means an
 * earlier attempt committed: nothing is written again and `committed` is false.
 */
export async function commitBatch(db: Db, batch: IngestBatch): Promise<{ committed: boolean; blocks: number; storedBytes: number; rawBytes: number }> {
  const plan = planBlocks(batch.events);
  await ensurePartitions(db, batch.sourceId, new Set(plan.map((p) => p.day)));
  const encoded = plan.map((p) => ({ day: p.day, block: encodeBlock(p.events) }));
  // The field catalog's input comes from the column encoder, which has walked the attributes anyway.
  const fields: FieldTypes = new Map();
  for (const { block } of encoded) mergeFieldTypes(fields, block.fields);
  const noteFields: { done?: () => void } = {};
  const write = () => db.transaction(async (tx) => {
    const inserted = await tx
      .insert(logIngestBatches)
      .values({
        batchId: batch.batchId,
        sourceId: batch.sourceId,
        events: batch.events.length,
        deadLetters: batch.deadLetters.length,
        dropped: batch.dropped,
        receivedAt: batch.receivedAt,
      })
      .onConflictDoNothing()
      .returning({ batchId: logIngestBatches.batchId });
    if (inserted.length === 0) return { committed: false, blocks: 0, storedBytes: 0, rawBytes: 0 };

    let storedBytes = 0;
    let rawBytes = 0;
    let lastEventAt = 0;
    if (encoded.length) {
      await tx.insert(logBlocks).values(
        encoded.map(({ day, block }) => {
          storedBytes += block.payload.length + block.tokens.length * 4;
          rawBytes += block.rawBytes;
          lastEventAt = Math.max(lastEventAt, block.maxTs);
          return {
            day,
            sourceId: batch.sourceId,
            minTs: new Date(block.minTs),
            maxTs: new Date(block.maxTs),
            count: block.count,
            rawBytes: block.rawBytes,
            tokens: block.tokens,
            services: block.services,
            hosts: block.hosts,
            levelCounts: [...LOG_LEVELS.map((l) => block.levelCounts[l]), block.levelCounts.none],
            payload: block.payload,
            batchId: batch.batchId,
          };
        }),
      );
    }
    if (batch.deadLetters.length) {
      await tx.insert(logDeadLetters).values(
        batch.deadLetters.map((d) => ({
          sourceId: batch.sourceId,
          batchId: batch.batchId,
          receivedAt: batch.receivedAt,
          step: d.step,
          stepType: d.stepType,
          error: d.error,
          event: d.event,
        })),
      );
    }
    noteFields.done = await recordFields(tx, batch.sourceId, fields);
    const now = new Date();
    if (batch.replayOf?.length) {
      await tx
        .update(logDeadLetters)
        .set({ replayedAt: now })
        .where(and(inArray(logDeadLetters.id, batch.replayOf), isNull(logDeadLetters.replayedAt)));
    }
    const last = lastEventAt ? new Date(lastEventAt) : null;
    await tx
      .insert(logSourceStats)
      .values({
        sourceId: batch.sourceId,
        events: batch.events.length,
        rawBytes,
        storedBytes,
        deadLetters: batch.deadLetters.length,
        lastEventAt: last,
        lastBatchAt: now,
      })
      .onConflictDoUpdate({
        target: logSourceStats.sourceId,
        set: {
          events: sql`${logSourceStats.events} + ${batch.events.length}`,
          rawBytes: sql`${logSourceStats.rawBytes} + ${rawBytes}`,
          storedBytes: sql`${logSourceStats.storedBytes} + ${storedBytes}`,
          deadLetters: sql`${logSourceStats.deadLetters} + ${batch.deadLetters.length}`,
          lastEventAt: last ? sql`greatest(${logSourceStats.lastEventAt}, ${last})` : sql`${logSourceStats.lastEventAt}`,
          lastBatchAt: now,
        },
      });
    return { committed: true, blocks: encoded.length, storedBytes, rawBytes };
  });
  let result: Awaited<ReturnType<typeof write>>;
  try {
    result = await write();
  } catch (err) {
    // Retention dropped a leaf this process had cached (a late event for an archived day).
    if (!isMissingPartition(err)) throw err;
    forgetPartitions();
    await ensurePartitions(db, batch.sourceId, new Set(plan.map((p) => p.day)));
    result = await write();
  }
  noteFields.done?.();
  return result;
}
