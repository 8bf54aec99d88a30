/**
 * Stored log events for integration tests, read the way log search reads them (candidate blocks,
 * then events in exact newest-first order). Import only from `*.int.test.ts`.
 */
import { and, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import { pgArray } from "@/server/lib/sql-array";
import type { LogEvent } from "@/server/logs/event";
import { ALL_NEEDS, candidateBlocks, scanOrdered } from "@/server/logs/search/scan";

export async function storedEvents(
  db: DbOrTx,
  o: {
    start: number;
    end: number;
    sourceIds?: string[];
    /** Token hashes every candidate block must hold (as the query compiler requires them). */
    allTokens?: number[];
    predicate?: (e: LogEvent) => boolean;
    limit: number;
    /** Blocks read per page (1 exercises the ordering across overlapping blocks). */
    pageBlocks?: number;
  },
): Promise<LogEvent[]> {
  const conds: SQL[] = [];
  if (o.sourceIds?.length) conds.push(inArray(logBlocks.sourceId, o.sourceIds));
  if (o.allTokens?.length) conds.push(sql`${logBlocks.tokens} @> ${pgArray(o.allTokens)}::int4[]`);
  const blocks = await candidateBlocks(db, { blockCondition: conds.length ? and(...conds)! : null, tokenIndexed: false }, o.start, o.end);
  const scan = await scanOrdered(db, {
    blocks,
    start: o.start,
    end: o.end,
    order: "newest",
    matches: o.predicate ?? (() => true),
    needs: ALL_NEEDS,
    limit: o.limit,
    firstPage: o.pageBlocks,
    page: o.pageBlocks,
  });
  return scan.events.map((s) => s.e);
}
