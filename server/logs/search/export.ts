import type { Db } from "@/db/client";
import { getField, type CompiledQuery } from "@/server/logs/query/compile";
import type { LogEvent } from "@/server/logs/event";
import { csvCell } from "./csv";
import { ALL_NEEDS, candidateBlocks, scanOrdered, type BlockMeta, type Position } from "./scan";
import { toHit } from "./service";

export type ExportFormat = "csv" | "ndjson";
export const DEFAULT_EXPORT_COLUMNS = ["timestamp", "level", "service", "host", "message"];
export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 1_000;

/** A column's value of an event: `timestamp` (ISO 8601), else a field as queries read it. */
export function columnValue(e: LogEvent, column: string): unknown {
  return column === "timestamp" || column === "@timestamp" ? new Date(e.ts).toISOString() : getField(e, column);
}

export function csvRow(e: LogEvent, columns: readonly string[]): string {
  return columns.map((c) => csvCell(columnValue(e, c))).join(",") + "\r\n";
}

/**
 * The matching events newest first, streamed page by page (cursor, no OFFSET) as CSV (header
 * row, the given columns) or NDJSON (every field), at most `limit` rows.
 */
export function exportStream(
  db: Db,
  plan: CompiledQuery,
  o: { start: number; end: number; format: ExportFormat; columns: readonly string[]; limit: number },
  onError: (err: unknown) => void,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let blocks: BlockMeta[] | null = null;
  let after: Position | null = null;
  let sent = 0;
  let headerDone = o.format !== "csv";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerDone) {
          controller.enqueue(enc.encode(o.columns.map(csvCell).join(",") + "\r\n"));
          headerDone = true;
          return;
        }
        const limit = Math.min(PAGE, o.limit - sent);
        if (limit <= 0) return controller.close();
        blocks ??= await candidateBlocks(db, plan, o.start, o.end);
        const page = await scanOrdered(db, { blocks, start: o.start, end: o.end, order: "newest", matches: plan.matches, needs: ALL_NEEDS, limit, after, firstPage: 16 });
        let text = "";
        for (const se of page.events) {
          text += o.format === "csv" ? csvRow(se.e, o.columns) : JSON.stringify(toHit(se)) + "\n";
        }
        if (text) controller.enqueue(enc.encode(text));
        sent += page.events.length;
        const last = page.events[page.events.length - 1];
        if (!last || page.events.length < limit) return controller.close();
        after = { ts: last.e.ts, blockId: last.blockId, idx: last.idx };
      } catch (err) {
        onError(err);
        controller.error(err);
      }
    },
  });
}
