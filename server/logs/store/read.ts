import { and, desc, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import type { LogEvent } from "@/server/logs/event";
import { decodeBlock } from "./block";
import { dayOf } from "./write";

export type BlockFilter = {
  start: number;
  end: number;
  sourceIds?: string[];
  /** Every hash must be in a block's token set (AND of terms / field=value keys). */
  allTokens?: number[];
};

/** SQL for the blocks that may hold matching events: time overlap (with partition pruning), source, tokens. */
export function blockConditions(f: BlockFilter): SQL {
  const conds: SQL[] = [
    gte(logBlocks.day, dayOf(f.start)),
    lte(logBlocks.day, dayOf(f.end)),
    gte(logBlocks.maxTs, new Date(f.start)),
    lte(logBlocks.minTs, new Date(f.end)),
  ];
  if (f.sourceIds?.length) conds.push(inArray(logBlocks.sourceId, f.sourceIds));
  if (f.allTokens?.length) {
    // One parameter holding a PostgreSQL array literal (the hashes are integers, checked here).
    if (!f.allTokens.every(Number.isInteger)) throw new Error("token hashes must be integers");
    const literal = `{${f.allTokens.join(",")}}`;
    conds.push(sql`${logBlocks.tokens} @> ${literal}::int4[]`);
  }
  return and(...conds)!;
}

/**
 * Newest-first events in [start, end] matching `predicate`, reading candidate blocks in order of
 * their newest event. An event is emitted only once no unread block can hold a newer one, so the
 * order is exact even when blocks overlap in time.
 */
export async function scanEvents(
  db: DbOrTx,
  f: BlockFilter & { predicate?: (e: LogEvent) => boolean; limit: number; blockBatch?: number },
): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  const pending: LogEvent[] = [];
  const batchSize = f.blockBatch ?? 16;
  let cursor: Date | null = null;
  let cursorId: number | null = null;
  for (;;) {
    const where: SQL[] = [blockConditions(f)];
    if (cursor && cursorId !== null) where.push(sql`(${logBlocks.maxTs}, ${logBlocks.id}) < (${cursor}, ${cursorId})`);
    const blocks = await db
      .select({ id: logBlocks.id, maxTs: logBlocks.maxTs, payload: logBlocks.payload })
      .from(logBlocks)
      .where(and(...where))
      .orderBy(desc(logBlocks.maxTs), desc(logBlocks.id))
      .limit(batchSize);
    for (const b of blocks) {
      for (const e of decodeBlock(b.payload)) {
        if (e.ts >= f.start && e.ts <= f.end && (!f.predicate || f.predicate(e))) pending.push(e);
      }
    }
    const done = blocks.length < batchSize;
    const horizon = done ? -Infinity : blocks[blocks.length - 1]!.maxTs.getTime();
    pending.sort((a, b) => b.ts - a.ts);
    while (pending.length && pending[0]!.ts >= horizon && out.length < f.limit) out.push(pending.shift()!);
    if (out.length >= f.limit || done) return out;
    const last = blocks[blocks.length - 1]!;
    cursor = last.maxTs;
    cursorId = last.id;
  }
}
