import type { ArchiveScanResult } from "./archive";
import { compareAsc, type ScanEvent } from "./scan";

/** A page of events newest first, the range's total, and whether matches remain after the page. */
export type Page = { events: ScanEvent[]; total: number; exact: boolean; more: boolean };

/**
 * The hot page and the archive's page as one page in the (ts, blockId, idx) order: the first
 * `limit` of both, totals added; more remain when either side has events the page did not take.
 */
export function mergePages(hot: Page, cold: ArchiveScanResult, limit: number): Page {
  const fromCold = new Set(cold.events);
  const events = [...hot.events, ...cold.events].sort((a, b) => compareAsc(b, a)).slice(0, limit);
  let coldUsed = 0;
  for (const e of events) if (fromCold.has(e)) coldUsed++;
  const hotUsed = events.length - coldUsed;
  const more = events.length === limit && (hot.more || hot.events.length > hotUsed || cold.countedAfter > coldUsed);
  return { events, total: hot.total + cold.counted, exact: hot.exact, more };
}

