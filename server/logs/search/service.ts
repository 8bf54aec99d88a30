import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { logBlocks } from "@/db/schema";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { timeQuery } from "@/server/lib/metrics";
import { LOG_LEVELS, type LogEvent } from "@/server/logs/event";
import { stripAttributesPrefix } from "@/server/logs/query/ast";
import { getField, type CompiledQuery } from "@/server/logs/query/compile";
import { decodeBlock } from "@/server/logs/store/block";
import type {
  ContextInput,
  ContextResult,
  FieldsResult,
  HistogramInput,
  HistogramResult,
  LogHit,
  SearchInput,
  SearchResult,
  TermsInput,
  TermsResult,
  ValuesInput,
} from "./contract";
import { readingOnce } from "@/server/archive/object-store";
import { archiveStore } from "@/server/archive/store-from-env";
import { archivedDays, archivedEvent, scanArchive } from "./archive";
import { mergePages, type Page } from "./merge";
import { autoStep, Histogram, levelSlot } from "./histogram";
import { fieldList, planQuery } from "./plan";
import { sourcesWithField } from "@/server/logs/store/fields";
import {
  ALL_NEEDS,
  candidateBlocks,
  compareAsc,
  countMatches,
  decodeCursor,
  encodeCursor,
  eventId,
  forEachBlockMeta,
  forEachMatch,
  parseEventId,
  scanOrdered,
  type Needs,
  type Position,
  type ScanEvent,
} from "./scan";

export function toHit(s: ScanEvent): LogHit {
  const e = s.e;
  return {
    id: eventId(s.day, s.blockId, s.idx),
    timestamp: new Date(e.ts).toISOString(),
    ts: e.ts,
    source: e.source,
    service: e.service,
    host: e.host,
    level: e.level,
    message: e.message,
    traceId: e.traceId,
    spanId: e.spanId,
    attributes: e.attributes,
  };
}

/** Level slots (block level_counts indexes) matching a level-only query, or null. */
function levelSlots(plan: CompiledQuery): number[] | null {
  if (!plan.blockExact) return null;
  return [...plan.blockExact.levels].map((l) => levelSlot(l === "none" ? null : l));
}

/** Fields stored as block meta columns. */
const META_FIELDS = new Set(["service", "host", "level", "source"]);

/** What a query needs plus one field's values (terms). */
function withFieldNeeds(needs: Needs, field: string): Needs {
  if (field === "message") return { ...needs, message: true };
  if (field === "trace_id" || field === "span_id") return { ...needs, ids: true };
  if (META_FIELDS.has(field)) return needs;
  const path = stripAttributesPrefix(field);
  const a = needs.attributes;
  if (a === false) return { ...needs, attributes: { paths: [path] } };
  if (typeof a === "object" && "paths" in a) return { ...needs, attributes: { paths: [...a.paths, path] } };
  return { ...needs, attributes: true };
}

/** One page of matching events, newest first, with the total. Timed as `logs_search` in lookout_query_duration_seconds. */
export function searchLogs(db: Db, principal: Principal, input: z.output<typeof SearchInput>): Promise<SearchResult> {
  return timeQuery("logs_search", () => runSearch(db, principal, input));
}

async function runSearch(db: Db, principal: Principal, input: z.output<typeof SearchInput>): Promise<SearchResult> {
  const t0 = performance.now();
  const plan = await planQuery(db, principal, input.q);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  if (input.cursor && !after) throw new AppError("INVALID_INPUT", { userMessage: "Invalid cursor" });
  let page = await hotPage(db, plan, input, after);
  if (input.includeArchive) {
    const days = (await archivedDays(db, input)).filter((d) => plan.sourcePossible(d.sourceId));
    if (days.length) {
      const cold = await scanArchive(db, archiveStore(), days, { start: input.start, end: input.end, matches: plan.matches, blockMatches: plan.blockMatches, needs: plan.needs, limit: input.limit, after });
      page = mergePages(page, cold, input.limit);
    }
  }
  const last = page.events[page.events.length - 1];
  return {
    total: page.total,
    totalRelation: page.exact ? "eq" : "gte",
    hits: page.events.map(toHit),
    nextCursor: page.more && last ? encodeCursor({ ts: last.e.ts, blockId: last.blockId, idx: last.idx }) : null,
    highlight: plan.highlight,
    tookMs: Math.round(performance.now() - t0),
  };
}

async function hotPage(db: Db, plan: CompiledQuery, input: z.output<typeof SearchInput>, after: Position | null): Promise<Page> {
  const blocks = await candidateBlocks(db, plan, input.start, input.end);
  // The page needs every part of the events it returns; matching alone would need less.
  const scan = await scanOrdered(db, { blocks, start: input.start, end: input.end, order: "newest", matches: plan.matches, needs: ALL_NEEDS, limit: input.limit, after });
  const cap = input.trackTotalHits === true ? Number.POSITIVE_INFINITY : input.trackTotalHits === false ? 0 : input.trackTotalHits;
  const levels = levelSlots(plan);
  let total: number;
  let exact: boolean;
  if (!after) {
    // The blocks the page read are counted already; the rest of the range is counted up to the cap.
    if (!scan.rest.length || scan.counted >= cap) {
      total = scan.counted;
      exact = !scan.rest.length;
    } else {
      const rest = await countMatches(db, { blocks: scan.rest, start: input.start, end: input.end, matches: plan.matches, needs: plan.needs, cap: cap - scan.counted, levels });
      total = scan.counted + rest.count;
      exact = rest.exact;
    }
  } else {
    const all = await countMatches(db, { blocks, start: input.start, end: input.end, matches: plan.matches, needs: plan.needs, cap, levels });
    total = all.count;
    exact = all.exact;
  }
  // More pages: unread blocks remain, or the read ones held matches beyond this page.
  const more = scan.events.length === input.limit && (scan.rest.length > 0 || scan.counted > scan.events.length);
  return { events: scan.events, total, exact, more };
}

/** Matching events counted per time bucket and level. Timed as `logs_histogram`. */
export function searchHistogram(db: Db, principal: Principal, input: z.output<typeof HistogramInput>): Promise<HistogramResult> {
  return timeQuery("logs_histogram", () => runHistogram(db, principal, input));
}

async function runHistogram(db: Db, principal: Principal, input: z.output<typeof HistogramInput>): Promise<HistogramResult> {
  const t0 = performance.now();
  const plan = await planQuery(db, principal, input.q);
  const step = input.step ?? autoStep(input.start, input.end, input.buckets);
  if ((input.end - input.start) / step > 10_000) throw new AppError("INVALID_INPUT", { userMessage: "Too many buckets: use a larger step (at most 10,000 buckets)" });
  const h = new Histogram(input.start, input.end, step);
  const blocks = await candidateBlocks(db, plan, input.start, input.end);
  const levels = levelSlots(plan);
  let toDecode = blocks;
  if (levels) {
    // Blocks wholly inside one bucket (and the range) count from their level counts.
    toDecode = [];
    for (const b of blocks) {
      if (b.minTs >= input.start && b.maxTs <= input.end && h.bucketOf(b.minTs) === h.bucketOf(b.maxTs)) {
        for (const l of levels) if (b.levelCounts[l]) h.add(b.minTs, l, b.levelCounts[l]);
      } else toDecode.push(b);
    }
  }
  const count = (e: LogEvent) => h.add(e.ts, levelSlot(e.level));
  await forEachMatch(db, { blocks: toDecode, start: input.start, end: input.end, matches: plan.matches, needs: plan.needs }, count);
  if (input.includeArchive) await visitArchive(db, plan, plan.needs, input.start, input.end, count);
  const { total, buckets } = h.buckets();
  return { step, total, buckets, tookMs: Math.round(performance.now() - t0) };
}

/** Visits every match of the archived days of [start, end] (histograms and terms with includeArchive). */
async function visitArchive(db: Db, plan: CompiledQuery, needs: Needs, start: number, end: number, visit: (e: LogEvent) => void): Promise<void> {
  const days = (await archivedDays(db, { start, end })).filter((d) => plan.sourcePossible(d.sourceId));
  if (days.length) await scanArchive(db, archiveStore(), days, { start, end, matches: plan.matches, blockMatches: plan.blockMatches, needs, limit: 0, onMatch: visit });
}

/** Distinct values kept while counting terms; rarer values beyond it are counted as "other". */
const MAX_DISTINCT = 200_000;

function valueTexts(v: unknown, visit: (s: string) => void): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) {
    let any = false;
    for (const x of v) any = valueTexts(x, visit) || any;
    return any;
  }
  if (typeof v === "object") {
    visit(JSON.stringify(v));
    return true;
  }
  visit(String(v));
  return true;
}

async function countTerms(
  db: Db,
  plan: CompiledQuery,
  field: string,
  start: number,
  end: number,
  opts: { prefix?: string; maxBlocks?: number; includeArchive?: boolean } = {},
): Promise<{ counts: Map<string, number>; other: number; missing: number }> {
  const counts = new Map<string, number>();
  let other = 0;
  let missing = 0;
  const prefix = opts.prefix?.toLowerCase() ?? "";
  const add = (s: string, n = 1) => {
    if (prefix && !s.toLowerCase().startsWith(prefix)) return;
    const c = counts.get(s);
    if (c !== undefined) counts.set(s, c + n);
    else if (counts.size < MAX_DISTINCT) counts.set(s, n);
    else other += n;
  };
  const visit = (e: LogEvent) => {
    if (!valueTexts(getField(e, field), (v) => add(v))) missing++;
  };
  if (opts.includeArchive) await visitArchive(db, plan, withFieldNeeds(plan.needs, field), start, end, visit);
  const blocks = await candidateBlocks(db, plan, start, end);
  const levels = levelSlots(plan);
  if (levels && META_FIELDS.has(field) && !opts.maxBlocks) {
    // A level-only query on a block column: count codes from the meta columns, no events built.
    const wanted = new Uint8Array(7);
    for (const l of levels) wanted[l] = 1;
    await forEachBlockMeta(db, blocks, (_b, m) => {
      const perCode = new Map<number, number>();
      for (let i = 0; i < m.count; i++) {
        const ts = m.ts[i]!;
        const lvl = m.levels[i]!;
        if (ts < start || ts > end || !wanted[lvl < 0 ? 6 : lvl]) continue;
        const code = field === "service" ? m.services[i]! : field === "host" ? m.hosts[i]! : field === "level" ? lvl : 0;
        perCode.set(code, (perCode.get(code) ?? 0) + 1);
      }
      for (const [code, n] of perCode) {
        const value = field === "source" ? m.source : field === "level" ? (code < 0 ? null : LOG_LEVELS[code]!) : code < 0 ? null : m.dict[code]!;
        if (value === null) missing += n;
        else add(value, n);
      }
    });
    return { counts, other, missing };
  }
  let toDecode = blocks;
  if (levels && !META_FIELDS.has(field) && !opts.maxBlocks) {
    // Blocks of sources that never had the field only add to "missing": from their level counts.
    const having = await sourcesWithField(db, stripAttributesPrefix(field));
    toDecode = [];
    for (const b of blocks) {
      if (!having.has(b.sourceId) && b.minTs >= start && b.maxTs <= end) for (const l of levels) missing += b.levelCounts[l] ?? 0;
      else toDecode.push(b);
    }
  }
  await forEachMatch(db, { blocks: toDecode, start, end, matches: plan.matches, needs: withFieldNeeds(plan.needs, field), maxBlocks: opts.maxBlocks }, visit);
  return { counts, other, missing };
}

function top(counts: Map<string, number>, size: number): { value: string; count: number }[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([value, count]) => ({ value, count }));
}

/** The most frequent values of a field among matching events. Timed as `logs_terms`. */
export function searchTerms(db: Db, principal: Principal, input: z.output<typeof TermsInput>): Promise<TermsResult> {
  return timeQuery("logs_terms", () => runTerms(db, principal, input));
}

async function runTerms(db: Db, principal: Principal, input: z.output<typeof TermsInput>): Promise<TermsResult> {
  const t0 = performance.now();
  const plan = await planQuery(db, principal, input.q);
  await assertKnownField(db, input.field);
  const { counts, other, missing } = await countTerms(db, plan, input.field, input.start, input.end, { includeArchive: input.includeArchive });
  const buckets = top(counts, input.size);
  let rest = other;
  for (const [, c] of counts) rest += c;
  for (const b of buckets) rest -= b.count;
  return { field: input.field, buckets, other: rest, missing, tookMs: Math.round(performance.now() - t0) };
}

/** Value suggestions: the newest blocks of the range only (autocompletion must answer at once). */
export async function searchValues(db: Db, principal: Principal, input: z.output<typeof ValuesInput>): Promise<{ values: { value: string; count: number }[] }> {
  const plan = await planQuery(db, principal, "");
  await assertKnownField(db, input.field);
  const { counts } = await countTerms(db, plan, input.field, input.start, input.end, { prefix: input.prefix, maxBlocks: 40 });
  return { values: top(counts, 20) };
}

async function assertKnownField(db: DbOrTx, field: string): Promise<void> {
  const known = await fieldList(db);
  const path = stripAttributesPrefix(field);
  if (!known.some((f) => f.path === path)) throw new AppError("INVALID_INPUT", { userMessage: `Unknown field "${field}"` });
}

export async function searchFields(db: Db): Promise<FieldsResult> {
  return { fields: await fieldList(db) };
}

/**
 * Events just before and after one event, from the same source and host (role filter applied),
 * from both tiers: the anchor may be hot or archived, and a day either side of it may be either.
 */
export async function searchContext(db: Db, principal: Principal, input: z.output<typeof ContextInput>): Promise<ContextResult> {
  const ref = parseEventId(input.id);
  const notFound = () => new AppError("NOT_FOUND", { userMessage: "No such log event" });
  if (!ref) throw notFound();
  const plan = await planQuery(db, principal, "");
  const store = readingOnce(archiveStore());
  const [block] = await db
    .select({ sourceId: logBlocks.sourceId, payload: logBlocks.payload })
    .from(logBlocks)
    .where(and(eq(logBlocks.day, ref.day), eq(logBlocks.id, ref.blockId)));
  const found = block
    ? { sourceId: block.sourceId, event: decodeBlock(block.payload)[ref.idx] }
    : await archivedEvent(db, store, ref, plan.sourcePossible).then((a) => a && { sourceId: a.day.sourceId, event: a.event });
  const anchorEvent = found?.event;
  if (!found || !anchorEvent || !plan.matches(anchorEvent)) throw notFound();
  const anchor: ScanEvent = { e: anchorEvent, day: ref.day, blockId: ref.blockId, idx: ref.idx };
  const sameHost = (e: LogEvent) => e.host === anchorEvent.host && plan.matches(e);
  const pos = { ts: anchorEvent.ts, blockId: ref.blockId, idx: ref.idx };
  // Surrounding documents are looked for within a day either side.
  const windowMs = 86_400_000;
  const sameSource = eq(logBlocks.sourceId, found.sourceId);
  const archived = await archivedDays(db, { start: pos.ts - windowMs, end: pos.ts + windowMs, sourceIds: [found.sourceId] });
  const side = async (order: "newest" | "oldest", limit: number): Promise<ScanEvent[]> => {
    if (!limit) return [];
    const [start, end] = order === "newest" ? [pos.ts - windowMs, pos.ts] : [pos.ts, pos.ts + windowMs];
    const hot = await scanOrdered(db, { blocks: await candidateBlocks(db, plan, start, end, sameSource), start, end, order, matches: sameHost, needs: ALL_NEEDS, limit, after: pos });
    const days = archived.filter((d) => d.maxTs >= start && d.minTs <= end);
    if (!days.length) return hot.events;
    const cold = await scanArchive(db, store, days, { start, end, order, matches: sameHost, blockMatches: plan.blockMatches, needs: ALL_NEEDS, limit, after: pos });
    const sign = order === "newest" ? -1 : 1;
    return [...hot.events, ...cold.events].sort((a, b) => sign * compareAsc(a, b)).slice(0, limit);
  };
  const [before, after] = await Promise.all([side("newest", input.before), side("oldest", input.after)]);
  return {
    anchor: toHit(anchor),
    before: before.reverse().map(toHit),
    after: after.map(toHit),
  };
}
