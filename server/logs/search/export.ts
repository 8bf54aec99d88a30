import type { Db } from "@/db/client";
import { getField, type CompiledQuery } from "@/server/logs/query/compile";
import type { LogHit } from "./contract";
import { ALL_NEEDS, candidateBlocks, scanOrdered, type BlockMeta, type Position } from "./scan";
import { toHit } from "./service";

export type ExportFormat = "csv" | "ndjson";
export const DEFAULT_EXPORT_COLUMNS = ["timestamp", "level", "service", "host", "message"];
export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 1_000;

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF; formula-leading cells prefixed with ' (spreadsheet injection). */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A column's value of a hit: `timestamp` and the built-ins, else an attribute path. */
export function columnValue(h: LogHit, column: string): unknown {
  if (column === "timestamp" || column === "@timestamp") return h.timestamp;
  if (column === "trace_id") return h.traceId;
  if (column === "span_id") return h.spanId;
  return getField({ ts: h.ts, observedTs: h.ts, source: h.source, service: h.service, host: h.host, level: h.level, message: h.message, traceId: h.traceId, spanId: h.spanId, attributes: h.attributes }, column);
}

export function csvRow(h: LogHit, columns: readonly string[]): string {
  return columns.map((c) => csvCell(columnValue(h, c))).join(",") + "\r\n";
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
          const h = toHit(se);
          text += o.format === "csv" ? csvRow(h, o.columns) : JSON.stringify(h) + "\n";
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
