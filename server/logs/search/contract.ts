import { z } from "zod";
import type { LogLevel } from "@/server/logs/event";
import type { FieldInfo } from "@/server/logs/query/ast";

/**
 * What log search answers, shared by the REST endpoints (/api/v1/logs/search|histogram|terms),
 * the tRPC router (`logs.search.*`) and the Discover page. Pure: safe to import in the browser.
 * Times are epoch milliseconds inside the app; the REST layer also accepts RFC 3339 / unix seconds.
 */
export const MAX_QUERY_LENGTH = 16_384;
export const MAX_PAGE_SIZE = 1000;
/** Like Elasticsearch's track_total_hits default: exact counts up to this many, then "gte". */
export const DEFAULT_TRACK_TOTAL_HITS = 10_000;

export const TimeRangeInput = z.object({ start: z.number().int(), end: z.number().int() }).refine((r) => r.end >= r.start, "end must not be before start");

export const SearchInput = z.object({
  q: z.string().max(MAX_QUERY_LENGTH).default(""),
  start: z.number().int(),
  end: z.number().int(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).nullish(),
  /** Count matches exactly up to this many (then `totalRelation: "gte"`); `true` = always exact. */
  trackTotalHits: z.union([z.number().int().min(0), z.boolean()]).default(DEFAULT_TRACK_TOTAL_HITS),
  /** Also read the cold tier for days that left the hot tier (slower: whole archived days are read). */
  includeArchive: z.boolean().optional(),
});
export type SearchInput = z.input<typeof SearchInput>;

export type LogHit = {
  /** Stable id of the event: `{day}.{blockId}.{index}` (surrounding documents, links). */
  id: string;
  timestamp: string;
  /** Epoch ms of `timestamp`. */
  ts: number;
  source: string;
  service: string | null;
  host: string | null;
  level: LogLevel | null;
  message: string;
  traceId: string | null;
  spanId: string | null;
  attributes: Record<string, unknown>;
};

export type SearchResult = {
  total: number;
  totalRelation: "eq" | "gte";
  hits: LogHit[];
  nextCursor: string | null;
  /** What to highlight in the hits (from the query's terms, phrases and wildcards). */
  highlight: HighlightSpec[];
  tookMs: number;
};

/** One thing to highlight: `field` null = in the message and every string field. */
export type HighlightSpec = { field: string | null; kind: "token" | "phrase" | "wildcard"; value: string };

export const HistogramInput = z.object({
  q: z.string().max(MAX_QUERY_LENGTH).default(""),
  start: z.number().int(),
  end: z.number().int(),
  /** Bucket width in ms; omitted = a round interval giving about `buckets` buckets. */
  step: z.number().int().min(1).optional(),
  buckets: z.number().int().min(1).max(1000).default(60),
  includeArchive: z.boolean().optional(),
});
export type HistogramInput = z.input<typeof HistogramInput>;
export type HistogramBucket = { ts: number; count: number; levels: Record<LogLevel | "none", number> };
export type HistogramResult = { step: number; total: number; buckets: HistogramBucket[]; tookMs: number };

export const TermsInput = z.object({
  field: z.string().min(1).max(256),
  q: z.string().max(MAX_QUERY_LENGTH).default(""),
  start: z.number().int(),
  end: z.number().int(),
  size: z.number().int().min(1).max(100).default(10),
  includeArchive: z.boolean().optional(),
});
export type TermsInput = z.input<typeof TermsInput>;
/** `value` is the field's value as text (numbers and booleans printed). `other` = events with other values. */
export type TermsResult = { field: string; buckets: { value: string; count: number }[]; other: number; missing: number; tookMs: number };

export const ContextInput = z.object({ id: z.string().max(200), before: z.number().int().min(0).max(200).default(10), after: z.number().int().min(0).max(200).default(10) });
/** Events just before/after an event from the same source and host, oldest first; `anchor` is the event. */
export type ContextResult = { anchor: LogHit; before: LogHit[]; after: LogHit[] };

/** Known fields for autocompletion and validation (built-in fields first). */
export type FieldsResult = { fields: FieldInfo[] };

export const ValuesInput = z.object({ field: z.string().min(1).max(256), prefix: z.string().max(256).default(""), start: z.number().int(), end: z.number().int() });

export const SavedSearchInput = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(""),
  query: z.string().max(MAX_QUERY_LENGTH),
  columns: z.array(z.string().max(256)).max(50).default([]),
  /** Relative (`now-15m`) or absolute (epoch ms as text) bounds, as the time picker keeps them. */
  timeFrom: z.string().max(64).default("now-15m"),
  timeTo: z.string().max(64).default("now"),
  /** Who may see it besides the owner: everyone with logs:read, or only the owner. */
  shared: z.boolean().default(true),
});
export type SavedSearch = z.output<typeof SavedSearchInput> & { id: string; ownerId: string | null; ownerName: string; createdAt: string; updatedAt: string; canEdit: boolean };

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** One archived day (cold tier) of a source reached by a range; `restoredUntil` set = a restore ran before and expired. */
export type ArchiveDaySummary = { sourceId: string; source: string; day: string; events: number; bytes: number; restoredUntil: string | null };

/** One archived day searched per call, so the console can show progress and cancel between days. */
export const ArchiveScanInput = z.object({
  q: z.string().max(MAX_QUERY_LENGTH).default(""),
  start: z.number().int(),
  end: z.number().int(),
  sourceId: z.uuid(),
  day: z.string().regex(DAY_RE),
  limit: z.number().int().min(0).max(MAX_PAGE_SIZE).default(100),
  /** `nextCursor` of the previous page of this day. */
  cursor: z.string().max(200).nullish(),
  /** Histogram bucket width in ms (the hot histogram's `step`, so buckets add up); omitted = about 60 buckets. */
  step: z.number().int().min(1).optional(),
});
export type ArchiveScanInput = z.input<typeof ArchiveScanInput>;
/** `histogram` holds only non-empty buckets (same shape as HistogramResult's); `found` false = the day is no longer archived-only (restored, or deleted). */
export type ArchiveScanResult = {
  found: boolean;
  hits: LogHit[];
  total: number;
  nextCursor: string | null;
  histogram: { step: number; buckets: HistogramBucket[] };
  eventsScanned: number;
  bytesScanned: number;
};

export const RestoreArchivedDayInput = z.object({ sourceId: z.uuid(), day: z.string().regex(DAY_RE), hours: z.number().int().min(1).max(24 * 30).default(24) });
