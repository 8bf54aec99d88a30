/**
 * What the `scrape` worker does: scrape one target and store the result (samples, stale markers,
 * target health), keep one job scheduler per target in line with the enabled jobs
 * (`reconcileScrapeTargets`), and mark a retired target's series stale once.
 *
 * A target's previous series are kept as ids in `scrape_target_health.last_series_ids`, so
 * staleness survives worker restarts and works whichever worker runs the next scrape; their label
 * sets are cached per process and re-read from `metric_series` when the ids changed elsewhere.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { scrapeJobs, scrapeTargetHealth } from "@/db/schema";
import { pgArray } from "@/server/lib/sql-array";
import type { Labels } from "@/server/metrics/model";
import type { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { upsertMetadata } from "@/server/metrics/store/metadata";
import { appendSamples } from "@/server/metrics/store/write";
import { parseScrapeConfig, targetsOf, type ScrapeTarget } from "./config";
import { scrapeOnce, type FetchLike, type ScrapeResult } from "./scrape";

export interface ScrapeDeps {
  db: Db;
  resolver: SeriesResolver;
  fetch: FetchLike;
  now?: () => number;
  /** Extra headers for a scrape (the self-scrape token); empty for most. */
  headersFor?: (job: { name: string; provisioned: boolean }, url: string) => Record<string, string>;
  /** Samples older than this are refused by storage (raw retention). */
  minTimestamp?: () => number | Promise<number>;
}

/** The payload of a scheduled scrape: which target (by job id and URL). */
export type ScrapeTargetRef = { jobId: string; url: string };

export const SCHEDULER_PREFIX = "scrape:";

/**
 * One job scheduler per target: `scrape:<job id>:<target url, URI-encoded>`. Encoded so the id
 * has no further colons: BullMQ 6 takes ids of 5+ colon-separated parts for legacy repeat keys.
 */
export function schedulerId(jobId: string, url: string): string {
  return `${SCHEDULER_PREFIX}${jobId}:${encodeURIComponent(url)}`;
}

export type ScrapeOutcome =
  | { status: "skipped"; reason: string }
  | (Pick<ScrapeResult, "up" | "error" | "durationMs" | "samplesPostMetricRelabeling" | "staleMarkers" | "seriesAdded"> & {
      status: "scraped";
      job: string;
      committed: boolean;
      stored: number;
    });

/**
 * Scrapes one target of a job now and stores everything under `batchId` (one per job run, so a
 * retried run writes nothing twice). Skips quietly when the job was deleted or disabled, or the
 * target left its config, since the scheduler was last reconciled.
 */
export async function runScrapeTarget(deps: ScrapeDeps, ref: ScrapeTargetRef, batchId: string): Promise<ScrapeOutcome> {
  const { db } = deps;
  const [job] = await db.select().from(scrapeJobs).where(eq(scrapeJobs.id, ref.jobId));
  if (!job) return { status: "skipped", reason: "job deleted" };
  if (!job.enabled) return { status: "skipped", reason: "job disabled" };
  let target;
  try {
    target = jobTargets(job.id, job.config).get(ref.url);
  } catch (e) {
    return { status: "skipped", reason: `invalid config: ${(e as Error).message}` };
  }
  if (!target) return { status: "skipped", reason: "target no longer in the job's config" };

  const [health] = await db
    .select({ ids: scrapeTargetHealth.lastSeriesIds })
    .from(scrapeTargetHealth)
    .where(and(eq(scrapeTargetHealth.jobId, job.id), eq(scrapeTargetHealth.url, ref.url)));
  const previous = await previousSeries(db, `${job.id} ${ref.url}`, health?.ids ?? []);
  const now = (deps.now ?? Date.now)();
  const result = await scrapeOnce(target, deps.fetch, now, { previous, headers: deps.headersFor?.(job, ref.url) ?? {} });

  const appended = await appendSamples(db, { batchId, series: result.series }, { resolver: deps.resolver, minTimestamp: await deps.minTimestamp?.() });
  // Cached by the append just above: no round trip.
  const { ids } = await deps.resolver.resolve(db, result.tracked);
  const tracked: Labels[] = [];
  const trackedIds: number[] = [];
  ids.forEach((id, i) => {
    if (id !== 0) {
      trackedIds.push(id);
      tracked.push(result.tracked[i]!);
    }
  });
  rememberSeries(`${job.id} ${ref.url}`, trackedIds, tracked);

  const row = {
    labels: { ...target.labels },
    health: result.up ? "up" : "down",
    lastScrapeAt: new Date(now),
    lastDurationMs: result.durationMs,
    lastSamples: result.samplesPostMetricRelabeling,
    lastError: result.error,
    lastSeriesIds: trackedIds,
  };
  await db
    .insert(scrapeTargetHealth)
    .values({ jobId: job.id, url: ref.url, ...row })
    .onConflictDoUpdate({ target: [scrapeTargetHealth.jobId, scrapeTargetHealth.url], set: row });
  if (appended.committed && result.metadata.length) await upsertMetadata(db, result.metadata);
  return {
    status: "scraped",
    job: job.name,
    up: result.up,
    error: result.error,
    durationMs: result.durationMs,
    samplesPostMetricRelabeling: result.samplesPostMetricRelabeling,
    staleMarkers: result.staleMarkers,
    seriesAdded: result.seriesAdded,
    committed: appended.committed,
    stored: appended.samples,
  };
}

// A job's targets by URL, per process, while its stored config is unchanged: without it every
// scrape would parse the whole config and relabel all of the job's targets to find its own.
const MAX_CACHED_JOBS = 1_000;
const jobTargetCache = new Map<string, { config: string; targets: Map<string, ScrapeTarget> }>();

function jobTargets(jobId: string, config: Record<string, unknown>): Map<string, ScrapeTarget> {
  const text = JSON.stringify(config);
  const cached = jobTargetCache.get(jobId);
  if (cached && cached.config === text) return cached.targets;
  const targets = new Map<string, ScrapeTarget>();
  for (const t of targetsOf(parseScrapeConfig(config)).targets) targets.set(t.url, t);
  if (jobTargetCache.size >= MAX_CACHED_JOBS && !cached) jobTargetCache.clear();
  jobTargetCache.set(jobId, { config: text, targets });
  return targets;
}

/** Writes a stale marker at `atMs` for each series id (once per `batchId`). */
export async function markSeriesStale(db: Db, resolver: SeriesResolver, seriesIds: readonly number[], atMs: number, batchId: string): Promise<number> {
  if (seriesIds.length === 0) return 0;
  const labels = await labelsOf(db, seriesIds);
  const result = await appendSamples(
    db,
    { batchId, series: labels.map((l) => ({ labels: l, samples: [{ timestampMs: atMs, value: Number.NaN, stale: true }] })) },
    { resolver },
  );
  return result.samples;
}

/** Operations on the scrape queue's job schedulers (BullMQ in the worker, a fake in tests). */
export interface SchedulerPort {
  list(): Promise<{ id: string; every: number | null }[]>;
  upsert(id: string, everyMs: number, data: { kind: "scrape" } & ScrapeTargetRef): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface ReconcileResult {
  targets: number;
  upserted: number;
  removed: number;
  /** Targets no longer scraped whose series were marked stale (and health rows removed). */
  retired: number;
}

/**
 * Makes the job schedulers match the enabled jobs' targets (one per target, `every` = its
 * interval; unchanged ones are left alone so their rhythm is kept), and retires the targets no
 * longer scraped: their last series get one stale marker and their health row goes.
 * Idempotent; safe to run concurrently (stale markers are written once per target and scrape).
 */
export async function reconcileScrapeTargets(deps: Pick<ScrapeDeps, "db" | "resolver" | "now">, schedulers: SchedulerPort): Promise<ReconcileResult> {
  const { db } = deps;
  const jobs = await db.select().from(scrapeJobs);
  const desired = new Map<string, { every: number; data: { kind: "scrape" } & ScrapeTargetRef }>();
  for (const job of jobs) {
    if (!job.enabled) continue;
    let set;
    try {
      set = targetsOf(parseScrapeConfig(job.config));
    } catch {
      continue; // an invalid stored config scrapes nothing (the list shows why)
    }
    for (const t of set.targets) desired.set(schedulerId(job.id, t.url), { every: t.intervalMs, data: { kind: "scrape", jobId: job.id, url: t.url } });
  }

  const existing = (await schedulers.list()).filter((s) => s.id.startsWith(SCHEDULER_PREFIX));
  const existingIds = new Map(existing.map((s) => [s.id, s.every]));
  let removed = 0;
  for (const s of existing) {
    if (desired.has(s.id)) continue;
    await schedulers.remove(s.id);
    removed++;
  }
  let upserted = 0;
  for (const [id, d] of desired) {
    if (existingIds.get(id) === d.every) continue;
    await schedulers.upsert(id, d.every, d.data);
    upserted++;
  }

  const now = (deps.now ?? Date.now)();
  let retired = 0;
  const rows = await db.select().from(scrapeTargetHealth);
  for (const row of rows) {
    if (desired.has(schedulerId(row.jobId, row.url))) continue;
    await markSeriesStale(db, deps.resolver, row.lastSeriesIds, now, retireBatchId(row.jobId, row.url, row.lastScrapeAt));
    await db.delete(scrapeTargetHealth).where(and(eq(scrapeTargetHealth.jobId, row.jobId), eq(scrapeTargetHealth.url, row.url)));
    retired++;
  }
  return { targets: desired.size, upserted, removed, retired };
}

/** The batch id of a retired target's stale markers: one per target and last scrape. */
export function retireBatchId(jobId: string, url: string, lastScrapeAt: Date | null): string {
  return `scrape-retire:${jobId}:${url}:${lastScrapeAt?.getTime() ?? 0}`;
}

// ---------------------------------------------------------------------------------------------
// Previous series of a target: ids in PostgreSQL, label sets cached here.

const MAX_CACHED_TARGETS = 10_000;
const lastSeries = new Map<string, { ids: number[]; labels: Labels[] }>();

function rememberSeries(key: string, ids: number[], labels: Labels[]): void {
  if (lastSeries.size >= MAX_CACHED_TARGETS && !lastSeries.has(key)) lastSeries.clear();
  lastSeries.set(key, { ids, labels });
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function previousSeries(db: DbOrTx, key: string, ids: readonly number[]): Promise<Labels[]> {
  const cached = lastSeries.get(key);
  if (cached && sameIds(cached.ids, ids)) return cached.labels;
  const labels = await labelsOf(db, ids);
  rememberSeries(key, [...ids], labels);
  return labels;
}

async function labelsOf(db: DbOrTx, ids: readonly number[]): Promise<Labels[]> {
  if (ids.length === 0) return [];
  const rows = await db.execute<{ labels: Labels }>(sql`select labels from metric_series where id = any(${pgArray([...ids])}::int4[])`);
  return rows.rows.map((r) => r.labels);
}

