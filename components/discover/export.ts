/**
 * Export of results: the streamed download URL of the export endpoint (all matches, up to its
 * limit) and CSV of the loaded rows (for the clipboard). Both use the table's current columns,
 * after the timestamp. Pure.
 */
import type { LogHit } from "@/server/logs/search/contract";
import { fieldValue, valueText } from "./hit-fields";

export type ExportFormat = "csv" | "ndjson";

export function exportHref(input: { query: string; startMs: number; endMs: number; format: ExportFormat; columns: readonly string[] }): string {
  const p = new URLSearchParams();
  p.set("q", input.query);
  p.set("start", new Date(input.startMs).toISOString());
  p.set("end", new Date(input.endMs).toISOString());
  p.set("format", input.format);
  p.set("columns", input.columns.join(","));
  return `/api/v1/logs/export?${p.toString()}`;
}

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `@timestamp` then `columns`, a header row, CRLF line ends. */
export function hitsToCsv(hits: readonly LogHit[], columns: readonly string[]): string {
  const cols = ["@timestamp", ...columns.filter((c) => c !== "@timestamp")];
  const lines = [cols.map(csvCell).join(",")];
  for (const hit of hits) lines.push(cols.map((c) => csvCell(valueText(fieldValue(hit, c)))).join(","));
  return lines.join("\r\n") + "\r\n";
}
