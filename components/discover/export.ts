/**
 * Export of results: the streamed download URL of the export endpoint (all matches, up to its
 * limit) and CSV of the loaded rows (for the clipboard). Both use the table's current columns,
 * after the timestamp. Pure.
 */
import type { LogHit } from "@/server/logs/search/contract";
import { csvQuote } from "@/server/logs/search/csv";
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

/** `@timestamp` then `columns`, a header row, CRLF line ends. */
export function hitsToCsv(hits: readonly LogHit[], columns: readonly string[]): string {
  const cols = ["@timestamp", ...columns.filter((c) => c !== "@timestamp")];
  const lines = [cols.map(csvQuote).join(",")];
  for (const hit of hits) lines.push(cols.map((c) => csvQuote(valueText(fieldValue(hit, c)))).join(","));
  return lines.join("\r\n") + "\r\n";
}
