/**
 * The logs panel's lines, pure: events of every log result in the chosen order, the fields shown
 * before each message, and the "Open in Discover" link for the panel's queries and range.
 */
import { DEFAULT_COLUMNS } from "@/components/discover/columns";
import { fieldValue, valueText } from "@/components/discover/hit-fields";
import { discoverHref } from "@/components/discover/url-state";
import type { LogsOptions, Target } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";
import type { LogHit } from "@/server/logs/search/contract";

/** The events of all log results, newest or oldest first (stable for equal times). */
export function logLines(data: PanelData | undefined, order: LogsOptions["order"]): LogHit[] {
  const hits: LogHit[] = [];
  for (const r of data?.results ?? []) if (r.kind === "logs") hits.push(...r.hits);
  const sign = order === "newest" ? -1 : 1;
  return hits
    .map((h, i) => ({ h, i }))
    .sort((a, b) => sign * (a.h.ts - b.h.ts) || a.i - b.i)
    .map((x) => x.h);
}

/**
 * The chosen fields of an event as `field=value` pieces: built-ins (`service`, `host`, `source`,
 * `trace_id`, …) or attribute paths; fields the event lacks are left out.
 */
export function lineFields(hit: LogHit, fields: readonly string[]): { field: string; text: string }[] {
  const out: { field: string; text: string }[] = [];
  for (const field of fields) {
    const v = fieldValue(hit, field);
    if (v === undefined) continue;
    out.push({ field, text: valueText(v) });
  }
  return out;
}

/**
 * Discover's URL for the panel: the queries of its visible log targets (several joined with OR;
 * the interpolated query when the result carries one), the shown fields as columns, the range as
 * absolute epoch-ms bounds.
 */
export function discoverLink(targets: readonly Target[], data: PanelData | undefined, fields: readonly string[] = []): string {
  const interpolated = new Map<string, string>();
  for (const r of data?.results ?? []) if (r.kind === "logs" && "query" in r && typeof r.query === "string") interpolated.set(r.refId, r.query);
  const queries = targets.filter((t) => t.kind === "logs" && !t.hide).map((t) => (interpolated.get(t.refId) ?? (t.kind === "logs" ? t.query : "")).trim());
  const query = queries.length === 0 || queries.some((q) => q === "") ? "" : queries.length === 1 ? queries[0]! : queries.map((q) => `(${q})`).join(" OR ");
  const columns = fields.length > 0 ? ["level", ...fields.filter((f) => f !== "level" && f !== "message"), "message"] : [...DEFAULT_COLUMNS];
  const range = data ? { from: String(data.range.start), to: String(data.range.end) } : undefined;
  return discoverHref({ query, columns, savedId: null }, range);
}

/** "service, http.status" → ["service", "http.status"] (at most 20, no duplicates). */
export function parseFieldList(text: string): string[] {
  return [...new Set(text.split(",").map((s) => s.trim()).filter(Boolean))].slice(0, 20);
}
