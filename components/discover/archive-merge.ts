import { formatBytes } from "@/server/lib/units";
import type { ArchiveDaySummary, HistogramBucket, HistogramResult, LogHit } from "@/server/logs/search/contract";

/**
 * Discover's view of the cold tier: the banner's summary, archived hits merged into the hot ones
 * in the search order, and archived counts added to the histogram. Pure.
 */
export type ArchiveSummary = { days: number; bytes: number; events: number };

export function summarizeArchive(days: readonly ArchiveDaySummary[]): ArchiveSummary {
  let bytes = 0;
  let events = 0;
  for (const d of days) {
    bytes += d.bytes;
    events += d.events;
  }
  return { days: days.length, bytes, events };
}

/** "2 days in this range are archived (3.1 MiB, 12,000 events)". */
export function archiveBannerText(s: ArchiveSummary): string {
  const what = s.days === 1 ? "1 day in this range is archived" : `${s.days.toLocaleString("en-US")} days in this range are archived`;
  return `${what} (${formatBytes(s.bytes)}, ${s.events.toLocaleString("en-US")} events)`;
}

/** The days in scan order: newest first (by day, then source name), as the browser reads them. */
export function scanOrder(days: readonly ArchiveDaySummary[]): ArchiveDaySummary[] {
  return [...days].sort((a, b) => (a.day === b.day ? a.source.localeCompare(b.source) : a.day < b.day ? 1 : -1));
}

/** The search's sort key of a hit: (ts, blockId, idx) from its id `{day}.{blockId}.{idx}`. */
function sortKey(h: LogHit): [number, number, number] {
  const parts = h.id.split(".");
  return [h.ts, Number(parts[1] ?? 0), Number(parts[2] ?? 0)];
}

/** Newest first in the search order: ts, then block id, then index (descending). */
export function compareNewest(a: LogHit, b: LogHit): number {
  const x = sortKey(a);
  const y = sortKey(b);
  return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
}

/**
 * Hot hits (the pages loaded so far) and archived hits as one list newest first. While more hot
 * pages remain, archived hits older than the last loaded hot hit are held back: unloaded hot hits
 * may come before them.
 */
export function mergeHits(hot: readonly LogHit[], hotHasMore: boolean, archived: readonly LogHit[]): LogHit[] {
  if (!archived.length) return hot as LogHit[];
  const last = hot[hot.length - 1];
  const shown = hotHasMore && last ? archived.filter((h) => compareNewest(h, last) < 0) : archived;
  return [...hot, ...shown].sort(compareNewest);
}

/** Adds archived bucket counts (same step) to the hot histogram, by bucket time. */
export function mergeHistogram(hot: HistogramResult, archived: readonly HistogramBucket[]): HistogramResult {
  if (!archived.length) return hot;
  const extra = new Map<number, HistogramBucket>();
  for (const b of archived) extra.set(b.ts, b);
  let total = 0;
  const buckets = hot.buckets.map((b) => {
    const add = extra.get(b.ts);
    const merged = add ? { ts: b.ts, count: b.count + add.count, levels: addLevels(b.levels, add.levels) } : b;
    total += merged.count;
    return merged;
  });
  return { ...hot, total, buckets };
}

function addLevels(a: HistogramBucket["levels"], b: HistogramBucket["levels"]): HistogramBucket["levels"] {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof HistogramBucket["levels"])[]) out[k] = (out[k] ?? 0) + (b[k] ?? 0);
  return out;
}

/** Archived buckets of several days added together by bucket time. */
export function addBuckets(into: readonly HistogramBucket[], more: readonly HistogramBucket[]): HistogramBucket[] {
  const byTs = new Map<number, HistogramBucket>();
  for (const b of into) byTs.set(b.ts, b);
  for (const b of more) {
    const cur = byTs.get(b.ts);
    byTs.set(b.ts, cur ? { ts: b.ts, count: cur.count + b.count, levels: addLevels(cur.levels, b.levels) } : b);
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** Progress bar figures: days and bytes read of the total, as a 0–1 fraction (by bytes). */
export function progressOf(done: { days: number; bytes: number }, total: ArchiveSummary): { fraction: number; text: string } {
  const fraction = total.bytes > 0 ? Math.min(1, done.bytes / total.bytes) : total.days > 0 ? done.days / total.days : 1;
  return { fraction, text: `${done.days} of ${total.days} days · ${formatBytes(done.bytes)} of ${formatBytes(total.bytes)}` };
}
