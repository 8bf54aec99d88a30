import type { z } from "zod";
import type { Db } from "@/db/client";
import { archiveRow } from "@/server/archive/log-archives";
import { archiveStore } from "@/server/archive/store-from-env";
import { writeAudit } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { timeQuery } from "@/server/lib/metrics";
import { archivedDays, scanArchive } from "./archive";
import type { ArchiveDaySummary, ArchiveScanInput, ArchiveScanResult, RestoreArchivedDayInput } from "./contract";
import { autoStep, Histogram, levelSlot } from "./histogram";
import { planQuery } from "./plan";
import { decodeCursor, encodeCursor } from "./scan";
import { toHit } from "./service";

/**
 * The console's archive search: which archived days a range reaches, one archived day searched
 * per call (the browser shows progress between calls and can stop), and the restore request.
 */
export async function listArchiveDays(db: Db, principal: Principal, input: { start: number; end: number }): Promise<ArchiveDaySummary[]> {
  // A role whose data filter rules a source out does not see that source's archived days either.
  const plan = await planQuery(db, principal, "");
  const days = (await archivedDays(db, input)).filter((d) => plan.sourcePossible(d.sourceId));
  return days.map((d) => ({ sourceId: d.sourceId, source: d.source, day: d.day, events: d.events, bytes: d.bytes, restoredUntil: d.restoredUntil }));
}

/** One archived day of a source: a page of hits newest first, its total and histogram. Timed as `logs_archive_scan`. */
export function searchArchiveDay(db: Db, principal: Principal, input: z.output<typeof ArchiveScanInput>): Promise<ArchiveScanResult> {
  return timeQuery("logs_archive_scan", () => runArchiveDay(db, principal, input));
}

async function runArchiveDay(db: Db, principal: Principal, input: z.output<typeof ArchiveScanInput>): Promise<ArchiveScanResult> {
  const plan = await planQuery(db, principal, input.q);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  if (input.cursor && !after) throw new AppError("INVALID_INPUT", { userMessage: "Invalid cursor" });
  const step = input.step ?? autoStep(input.start, input.end, 60);
  if ((input.end - input.start) / step > 10_000) throw new AppError("INVALID_INPUT", { userMessage: "Too many buckets: use a larger step (at most 10,000 buckets)" });
  const days = (await archivedDays(db, { start: input.start, end: input.end, sourceIds: [input.sourceId] })).filter((d) => d.day === input.day);
  const h = new Histogram(input.start, input.end, step);
  if (!days.length) return { found: false, hits: [], total: 0, nextCursor: null, histogram: { step, buckets: [] }, eventsScanned: 0, bytesScanned: 0 };
  // A source the query (or the role's filter) rules out: nothing to read.
  const res = await scanArchive(db, archiveStore(), days.filter((d) => plan.sourcePossible(d.sourceId)), {
    start: input.start,
    end: input.end,
    matches: plan.matches,
    blockMatches: plan.blockMatches,
    needs: plan.needs,
    limit: input.limit,
    after,
    onMatch: (e) => h.add(e.ts, levelSlot(e.level)),
  });
  const last = res.events[res.events.length - 1];
  const more = res.events.length > 0 && res.countedAfter > res.events.length;
  return {
    found: true,
    hits: res.events.map(toHit),
    total: res.counted,
    nextCursor: more && last ? encodeCursor({ ts: last.e.ts, blockId: last.blockId, idx: last.idx }) : null,
    histogram: { step, buckets: h.buckets().buckets.filter((b) => b.count > 0) },
    eventsScanned: res.eventsScanned,
    bytesScanned: res.bytesScanned,
  };
}

/** The retention queue's restore job (server/queues/registry.ts), enqueued by the caller. */
export type RestoreJob = { kind: "restore"; sourceId: string; day: string; hours: number; actor: string | null };

/**
 * Asks the retention worker to load an archived day back into the hot tier for `hours`; the
 * request is audited (the worker records what it did). `enqueue` is passed in so this stays free
 * of the queue library.
 */
export async function requestRestore(
  db: Db,
  principal: Principal,
  meta: RequestMeta,
  input: z.output<typeof RestoreArchivedDayInput>,
  enqueue: (job: RestoreJob) => Promise<{ id?: string | null }>,
): Promise<{ jobId: string | null }> {
  const row = await archiveRow(db, input.sourceId, input.day);
  if (!row) throw new AppError("NOT_FOUND", { userMessage: `No archived day ${input.day} for this source` });
  const job = await enqueue({ kind: "restore", sourceId: input.sourceId, day: input.day, hours: input.hours, actor: principal.name });
  const jobId = job.id ?? null;
  await writeAudit(db, principal, meta, {
    action: "retention.restore.request",
    result: "success",
    target: { type: "log_archive", id: `${input.sourceId}/${input.day}`, name: input.day },
    details: { sourceId: input.sourceId, day: input.day, hours: input.hours, jobId },
  });
  return { jobId };
}
