/**
 * Scrape jobs (control plane): list with each target's health, create/update/delete/enable,
 * provisioning. A job's config is a Prometheus `scrape_config`, stored as written and validated by
 * `parseScrapeConfig` on every write and read. Provisioned jobs are read-only here.
 *
 * Secrets (basic_auth.password, authorization.credentials, bearer_token) leave the server as
 * `<secret>`, as Prometheus's config page shows them; an update that sends `<secret>` back keeps
 * the stored value.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { scrapeJobs, scrapeTargetHealth } from "@/db/schema";
import { writeAudit, type AuditActor } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { canonicalJson } from "@/server/lib/canonical-json";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import type { Labels } from "@/server/metrics/model";
import { formatDuration, parseScrapeConfig, ScrapeConfigError, targetsOf, type GlobalScrapeDefaults, type ScrapeJobConfig } from "./config";

export type ScrapeJobRow = typeof scrapeJobs.$inferSelect;
type Actor = Principal | AuditActor | null;
type Meta = Pick<RequestMeta, "ip"> | null;

export const SECRET_PLACEHOLDER = "<secret>";

const SECRET_PATHS: readonly (readonly string[])[] = [["basic_auth", "password"], ["authorization", "credentials"], ["bearer_token"]];

function getPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (!next || typeof next !== "object") return;
    cur = next as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

/** A deep copy of `config` with its secrets replaced by `<secret>`. */
export function redactConfig(config: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(config);
  for (const path of SECRET_PATHS) {
    const v = getPath(copy, path);
    if (typeof v === "string" && v !== "") setPath(copy, path, SECRET_PLACEHOLDER);
  }
  return copy;
}

/** `next` with each `<secret>` replaced by the value `previous` holds at the same place. */
export function restoreSecrets(next: Record<string, unknown>, previous: Record<string, unknown> | null): Record<string, unknown> {
  const copy = structuredClone(next);
  for (const path of SECRET_PATHS) {
    if (getPath(copy, path) !== SECRET_PLACEHOLDER) continue;
    const old = getPath(previous, path);
    if (typeof old !== "string") throw new AppError("INVALID_INPUT", { userMessage: `${path.join(".")}: enter the secret (there is no stored value to keep)` });
    setPath(copy, path, old);
  }
  return copy;
}

/** Validates a config for storage; the message names the field, as Prometheus's config loader does. */
export function validateConfig(raw: Record<string, unknown>, global?: GlobalScrapeDefaults): ScrapeJobConfig {
  try {
    return parseScrapeConfig(raw, global);
  } catch (e) {
    if (e instanceof ScrapeConfigError) throw new AppError("INVALID_INPUT", { userMessage: e.message, cause: e });
    throw e;
  }
}

export type TargetHealth = "up" | "down" | "unknown";

export interface ScrapeTargetView {
  url: string;
  labels: Labels;
  health: TargetHealth;
  lastScrapeAt: Date | null;
  lastDurationMs: number | null;
  lastSamples: number | null;
  lastError: string | null;
}

export interface ScrapeJobView {
  id: string;
  name: string;
  enabled: boolean;
  provisioned: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** The stored scrape_config, secrets redacted. */
  config: Record<string, unknown>;
  intervalMs: number | null;
  timeoutMs: number | null;
  targets: ScrapeTargetView[];
  /** Targets relabelling dropped, and targets it made invalid (with why). */
  droppedTargets: number;
  invalidTargets: { address: string; error: string }[];
  /** Set when the stored config no longer validates (e.g. written by an older version). */
  configError: string | null;
}

function toView(job: ScrapeJobRow, health: (typeof scrapeTargetHealth.$inferSelect)[]): ScrapeJobView {
  const base = {
    id: job.id,
    name: job.name,
    enabled: job.enabled,
    provisioned: job.provisioned,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    config: redactConfig(job.config),
  };
  let cfg: ScrapeJobConfig;
  try {
    cfg = parseScrapeConfig(job.config);
  } catch (e) {
    return { ...base, intervalMs: null, timeoutMs: null, targets: [], droppedTargets: 0, invalidTargets: [], configError: (e as Error).message };
  }
  const set = targetsOf(cfg);
  const byUrl = new Map(health.map((h) => [h.url, h]));
  return {
    ...base,
    intervalMs: cfg.intervalMs,
    timeoutMs: cfg.timeoutMs,
    targets: set.targets.map((t) => {
      const h = job.enabled ? byUrl.get(t.url) : undefined;
      return {
        url: t.url,
        labels: { ...t.labels },
        health: (h?.health ?? "unknown") as TargetHealth,
        lastScrapeAt: h?.lastScrapeAt ?? null,
        lastDurationMs: h?.lastDurationMs ?? null,
        lastSamples: h?.lastSamples ?? null,
        lastError: h?.lastError ?? null,
      };
    }),
    droppedTargets: set.dropped.length,
    invalidTargets: set.invalid.map((i) => ({ address: i.labels.__address__ ?? "", error: i.error })),
    configError: null,
  };
}

/** Every job with its targets (from the config) and their last scrape, by name. */
export async function listScrapeJobs(db: DbOrTx): Promise<ScrapeJobView[]> {
  const jobs = await db.select().from(scrapeJobs).orderBy(asc(scrapeJobs.name));
  const health = await db.select().from(scrapeTargetHealth);
  const byJob = new Map<string, (typeof health)[number][]>();
  for (const h of health) {
    const list = byJob.get(h.jobId);
    if (list) list.push(h);
    else byJob.set(h.jobId, [h]);
  }
  return jobs.map((j) => toView(j, byJob.get(j.id) ?? []));
}

export async function getScrapeJob(db: DbOrTx, id: string): Promise<ScrapeJobView> {
  const [job] = await db.select().from(scrapeJobs).where(eq(scrapeJobs.id, id));
  if (!job) throw new AppError("NOT_FOUND", { userMessage: "Scrape job not found" });
  const health = await db.select().from(scrapeTargetHealth).where(eq(scrapeTargetHealth.jobId, id));
  return toView(job, health);
}

async function findJob(db: DbOrTx, id: string): Promise<ScrapeJobRow> {
  const [job] = await db.select().from(scrapeJobs).where(eq(scrapeJobs.id, id));
  if (!job) throw new AppError("NOT_FOUND", { userMessage: "Scrape job not found" });
  return job;
}

function assertEditable(job: ScrapeJobRow): void {
  if (job.provisioned) {
    throw new AppError("FORBIDDEN", { userMessage: `Scrape job "${job.name}" is provisioned: change it in the provisioning file` });
  }
}

function auditDetails(cfg: ScrapeJobConfig) {
  return { intervalMs: cfg.intervalMs, targets: targetsOf(cfg).targets.map((t) => t.url) };
}

function conflict(name: string) {
  return new AppError("CONFLICT", { userMessage: `A scrape job named "${name}" already exists` });
}

export async function createScrapeJob(db: Db, actor: Actor, meta: Meta, input: { config: Record<string, unknown>; enabled?: boolean }): Promise<ScrapeJobView> {
  const config = restoreSecrets(input.config, null);
  const cfg = validateConfig(config);
  try {
    const job = await db.transaction(async (tx) => {
      const [row] = await tx.insert(scrapeJobs).values({ name: cfg.jobName, config, enabled: input.enabled ?? true }).returning();
      await writeAudit(tx, actor, meta, { action: "scrape_job.create", result: "success", target: { type: "scrape_job", id: row!.id, name: row!.name }, details: auditDetails(cfg) });
      return row!;
    });
    return toView(job, []);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(cfg.jobName);
    throw e;
  }
}

export async function updateScrapeJob(db: Db, actor: Actor, meta: Meta, id: string, input: { config: Record<string, unknown> }): Promise<ScrapeJobView> {
  try {
    const job = await db.transaction(async (tx) => {
      const before = await findJob(tx, id);
      assertEditable(before);
      const config = restoreSecrets(input.config, before.config);
      const cfg = validateConfig(config);
      const [row] = await tx.update(scrapeJobs).set({ name: cfg.jobName, config }).where(eq(scrapeJobs.id, id)).returning();
      await writeAudit(tx, actor, meta, { action: "scrape_job.update", result: "success", target: { type: "scrape_job", id, name: row!.name }, details: { ...auditDetails(cfg), renamedFrom: before.name !== row!.name ? before.name : undefined } });
      return row!;
    });
    return getScrapeJob(db, job.id);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(String(input.config.job_name ?? ""));
    throw e;
  }
}

export async function setScrapeJobEnabled(db: Db, actor: Actor, meta: Meta, id: string, enabled: boolean): Promise<ScrapeJobView> {
  await db.transaction(async (tx) => {
    const before = await findJob(tx, id);
    assertEditable(before);
    await tx.update(scrapeJobs).set({ enabled }).where(eq(scrapeJobs.id, id));
    await writeAudit(tx, actor, meta, { action: enabled ? "scrape_job.enable" : "scrape_job.disable", result: "success", target: { type: "scrape_job", id, name: before.name } });
  });
  return getScrapeJob(db, id);
}

/** A target of a deleted job: its last series, to be marked stale once. */
export type RetiredTarget = { jobId: string; url: string; seriesIds: number[]; lastScrapeAt: Date | null };

/** Deletes the job (its health rows go with it); returns its targets' last series for stale markers. */
export async function deleteScrapeJob(db: Db, actor: Actor, meta: Meta, id: string): Promise<{ retired: RetiredTarget[] }> {
  return db.transaction(async (tx) => {
    const before = await findJob(tx, id);
    assertEditable(before);
    const rows = await tx.select().from(scrapeTargetHealth).where(eq(scrapeTargetHealth.jobId, id));
    await tx.delete(scrapeJobs).where(eq(scrapeJobs.id, id));
    await writeAudit(tx, actor, meta, { action: "scrape_job.delete", result: "success", target: { type: "scrape_job", id, name: before.name } });
    return { retired: rows.filter((r) => r.lastSeriesIds.length > 0).map((r) => ({ jobId: id, url: r.url, seriesIds: r.lastSeriesIds, lastScrapeAt: r.lastScrapeAt })) };
  });
}

const SYSTEM: AuditActor = { actorType: "system", actorId: null, actorName: "provisioning" };

export type ProvisionedScrapeJobs = { created: string[]; updated: string[]; unchanged: string[]; skipped: string[] };

/**
 * Applies provisioned scrape configs (the provisioning file's `scrape_configs`, and the built-in
 * self-scrape job): creates or updates each by job name, marked provisioned. A job of the same
 * name created in the UI is left alone (reported in `skipped`). Idempotent: unchanged jobs are not
 * written (and not audited). `db` may be a transaction (each job then gets a savepoint).
 */
export async function provisionScrapeJobs(db: DbOrTx, configs: Record<string, unknown>[], global?: GlobalScrapeDefaults): Promise<ProvisionedScrapeJobs> {
  const out: ProvisionedScrapeJobs = { created: [], updated: [], unchanged: [], skipped: [] };
  for (const raw of configs) {
    const cfg = validateConfig(raw, global);
    // The file's global defaults are written into the job, so the stored config stands alone.
    const config = { ...raw };
    if (config.scrape_interval === undefined) config.scrape_interval = formatDuration(cfg.intervalMs);
    if (config.scrape_timeout === undefined) config.scrape_timeout = formatDuration(cfg.timeoutMs);
    await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(scrapeJobs).where(eq(scrapeJobs.name, cfg.jobName));
      if (existing && !existing.provisioned) {
        out.skipped.push(cfg.jobName);
        return;
      }
      if (existing && canonicalJson(existing.config) === canonicalJson(config)) {
        out.unchanged.push(cfg.jobName);
        return;
      }
      if (existing) {
        await tx.update(scrapeJobs).set({ config }).where(and(eq(scrapeJobs.id, existing.id), eq(scrapeJobs.provisioned, true)));
        out.updated.push(cfg.jobName);
      } else {
        const [row] = await tx.insert(scrapeJobs).values({ name: cfg.jobName, config, provisioned: true }).onConflictDoNothing().returning();
        if (!row) {
          // Another process provisioned it at the same moment.
          out.unchanged.push(cfg.jobName);
          return;
        }
        out.created.push(cfg.jobName);
      }
      await writeAudit(tx, SYSTEM, null, { action: existing ? "scrape_job.update" : "scrape_job.create", result: "success", target: { type: "scrape_job", name: cfg.jobName }, details: { provisioned: true, ...auditDetails(cfg) } });
    });
  }
  return out;
}

/**
 * Provisioned jobs whose names are not in `keep` (they left the provisioning file): no longer
 * marked provisioned, so the UI may edit or delete them; they keep running as they are. Audited.
 * Returns their names.
 */
export async function releaseScrapeJobs(db: DbOrTx, keep: readonly string[]): Promise<string[]> {
  const rows = await db.select({ id: scrapeJobs.id, name: scrapeJobs.name }).from(scrapeJobs).where(eq(scrapeJobs.provisioned, true));
  const kept = new Set(keep);
  const released: string[] = [];
  for (const row of rows) {
    if (kept.has(row.name)) continue;
    await db.update(scrapeJobs).set({ provisioned: false }).where(eq(scrapeJobs.id, row.id));
    await writeAudit(db, SYSTEM, null, { action: "scrape_job.update", result: "success", target: { type: "scrape_job", id: row.id, name: row.name }, details: { provisioned: false, reason: "no longer in the provisioning file" } });
    released.push(row.name);
  }
  return released;
}

/**
 * Retires a job the console provisioned for itself (the demo's when the demo is turned off): no
 * longer provisioned, so the UI may edit or delete it, and disabled, so its target does not show
 * as down. Audited as `actor`. Returns whether it did anything.
 */
export async function retireProvisionedScrapeJob(db: Db, name: string, actor: AuditActor, reason: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(scrapeJobs)
      .set({ provisioned: false, enabled: false })
      .where(and(eq(scrapeJobs.name, name), eq(scrapeJobs.provisioned, true)))
      .returning({ id: scrapeJobs.id });
    if (!row) return false;
    await writeAudit(tx, actor, null, { action: "scrape_job.disable", result: "success", target: { type: "scrape_job", id: row.id, name }, details: { provisioned: false, reason } });
    return true;
  });
}
