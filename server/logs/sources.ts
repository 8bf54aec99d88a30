import { and, asc, count, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db, DbOrTx } from "@/db/client";
import { apiKeys, logDeadLetters, logSources, logSourceStats, serviceAccounts } from "@/db/schema";
import { writeAudit, type AuditActor } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { canonicalJson } from "@/server/lib/canonical-json";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import type { IncomingEvent } from "@/server/logs/event";
import { sourceActivity, type SourceActivity } from "@/server/logs/source-activity";
import { z } from "zod";
import { PipelineSchema, type Pipeline, type PipelineStep } from "@/server/logs/pipeline/steps";

export const DEFAULT_SOURCE = "default";

/** A source's name, as forms and the provisioning file accept it. */
export const SourceNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "Use lower-case letters, digits, dot, dash and underscore");
export const HotDaysSchema = z.number().int().min(1).max(3650);
export const ArchiveDaysSchema = z.number().int().min(1).max(36500);

export type LogSource = typeof logSources.$inferSelect;
export type SourceInput = { name: string; description?: string; pipeline: unknown[]; hotDays: number; archiveDays: number };
type Actor = Principal | AuditActor | null;

/** Creates the named source with an empty pipeline if it does not exist; returns it either way. */
export async function ensureSource(db: DbOrTx, name: string, description: string): Promise<LogSource> {
  await db.insert(logSources).values({ name, description }).onConflictDoNothing();
  const source = await findSourceByName(db, name);
  if (!source) throw new Error(`source ${name} missing right after it was ensured`);
  return source;
}

/** The source events land in when the sender names none. Created at start (idempotent). */
export async function ensureDefaultSource(db: DbOrTx): Promise<void> {
  await ensureSource(db, DEFAULT_SOURCE, "Events sent without a source name");
}

/** Sources with their stored totals, live rates and the API keys sending to them. */
export async function listSourcesWithActivity(db: DbOrTx, redis: Redis) {
  const sources = await listSources(db);
  const activity = await sourceActivity(redis, sources.map((s) => s.id)).catch(() => new Map<string, SourceActivity>());
  const keyIds = [...new Set([...activity.values()].flatMap((a) => a.apiKeyIds))];
  const keys = keyIds.length
    ? await db
        .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, serviceAccount: serviceAccounts.name })
        .from(apiKeys)
        .innerJoin(serviceAccounts, eq(serviceAccounts.id, apiKeys.serviceAccountId))
        .where(inArray(apiKeys.id, keyIds))
    : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  return sources.map((s) => {
    const a = activity.get(s.id);
    return {
      ...s,
      live: { eventsPerSecond: a?.eventsPerSecond ?? 0, bytesPerSecond: a?.bytesPerSecond ?? 0 },
      senders: (a?.apiKeyIds ?? []).map((id) => byId.get(id)).filter((k): k is NonNullable<typeof k> => !!k),
    };
  });
}

export async function listSources(db: DbOrTx) {
  const rows = await db
    .select({ source: logSources, stats: logSourceStats })
    .from(logSources)
    .leftJoin(logSourceStats, eq(logSourceStats.sourceId, logSources.id))
    .orderBy(asc(logSources.name));
  // Dead letters not replayed yet (the partial index on unreplayed rows serves this count).
  const waiting = await db
    .select({ sourceId: logDeadLetters.sourceId, n: count() })
    .from(logDeadLetters)
    .where(isNull(logDeadLetters.replayedAt))
    .groupBy(logDeadLetters.sourceId);
  const waitingBy = new Map(waiting.map((w) => [w.sourceId, Number(w.n)]));
  return rows.map(({ source, stats }) => ({
    ...source,
    stats: {
      events: stats?.events ?? 0,
      rawBytes: stats?.rawBytes ?? 0,
      storedBytes: stats?.storedBytes ?? 0,
      /** Every dead letter ever recorded (replays do not reduce it). */
      deadLetters: stats?.deadLetters ?? 0,
      /** Dead letters waiting for a replay. */
      deadLettersWaiting: waitingBy.get(source.id) ?? 0,
      lastEventAt: stats?.lastEventAt ?? null,
    },
  }));
}

export async function findSourceByName(db: DbOrTx, name: string): Promise<LogSource | null> {
  const [s] = await db.select().from(logSources).where(eq(logSources.name, name));
  return s ?? null;
}

export async function findSourceById(db: DbOrTx, id: string): Promise<LogSource | null> {
  const [s] = await db.select().from(logSources).where(eq(logSources.id, id));
  return s ?? null;
}

/** Validates a pipeline (from a form, the provisioning file or a stored row); bad steps → 400 with the step and field. */
export function parsePipeline(steps: unknown): Pipeline {
  const parsed = PipelineSchema.safeParse(steps);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", { userMessage: `Invalid pipeline: ${z.prettifyError(parsed.error)}`, cause: parsed.error });
  }
  return parsed.data;
}

function validated(input: SourceInput): { steps: PipelineStep[] } {
  if (input.archiveDays < input.hotDays) {
    throw new AppError("INVALID_INPUT", { userMessage: "archive days must be at least the hot days" });
  }
  return { steps: parsePipeline(input.pipeline) };
}

export async function createSource(db: Db, actor: Actor, meta: Pick<RequestMeta, "ip"> | null, input: SourceInput) {
  const { steps } = validated(input);
  try {
    return await db.transaction(async (tx) => {
      const [s] = await tx
        .insert(logSources)
        .values({ name: input.name, description: input.description ?? "", pipeline: steps, hotDays: input.hotDays, archiveDays: input.archiveDays })
        .returning();
      await writeAudit(tx, actor, meta, {
        action: "source.create",
        result: "success",
        target: { type: "log_source", id: s!.id, name: s!.name },
        details: { steps: steps.map((st) => st.type), hotDays: input.hotDays, archiveDays: input.archiveDays },
      });
      return s!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A source named "${input.name}" already exists` });
    throw e;
  }
}

export async function updateSource(db: Db, actor: Actor, meta: Pick<RequestMeta, "ip"> | null, id: string, input: SourceInput) {
  const { steps } = validated(input);
  try {
    return await db.transaction(async (tx) => {
      const before = await findSourceById(tx, id);
      if (!before) throw new AppError("NOT_FOUND", { userMessage: "Source not found" });
      if (before.provisioned) {
        throw new AppError("FORBIDDEN", { userMessage: `Source "${before.name}" is managed by the provisioning file: change it there` });
      }
      if (before.name === DEFAULT_SOURCE && input.name !== DEFAULT_SOURCE) {
        throw new AppError("INVALID_INPUT", { userMessage: `The "${DEFAULT_SOURCE}" source cannot be renamed` });
      }
      const [s] = await tx
        .update(logSources)
        .set({ name: input.name, description: input.description ?? "", pipeline: steps, hotDays: input.hotDays, archiveDays: input.archiveDays })
        .where(eq(logSources.id, id))
        .returning();
      await writeAudit(tx, actor, meta, {
        action: "source.update",
        result: "success",
        target: { type: "log_source", id, name: s!.name },
        details: { steps: steps.map((st) => st.type), hotDays: input.hotDays, archiveDays: input.archiveDays },
      });
      return s!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A source named "${input.name}" already exists` });
    throw e;
  }
}

/** Newest dead letters of a source that have not been replayed yet. */
export async function listDeadLetters(db: DbOrTx, sourceId: string, limit: number) {
  return db
    .select()
    .from(logDeadLetters)
    .where(and(eq(logDeadLetters.sourceId, sourceId), isNull(logDeadLetters.replayedAt)))
    .orderBy(desc(logDeadLetters.receivedAt))
    .limit(limit);
}

export const REPLAY_LIMIT = 10_000;

/**
 * Sends a source's dead letters through its (fixed) pipeline again: one new batch holding the
 * stored events; the worker marks them replayed in the transaction that commits the batch, and
 * events that still fail become new dead letters with the new reason.
 */
export async function replayDeadLetters(
  db: Db,
  actor: Actor,
  meta: Pick<RequestMeta, "ip"> | null,
  sourceId: string,
  enqueue: (job: { batchId: string; sourceId: string; receivedAt: number; apiKeyId: null; events: IncomingEvent[]; replayOf: number[] }) => Promise<void>,
): Promise<{ batchId: string | null; events: number }> {
  const source = await findSourceById(db, sourceId);
  if (!source) throw new AppError("NOT_FOUND", { userMessage: "Source not found" });
  const letters = await db
    .select({ id: logDeadLetters.id, event: logDeadLetters.event })
    .from(logDeadLetters)
    .where(and(eq(logDeadLetters.sourceId, sourceId), isNull(logDeadLetters.replayedAt)))
    .orderBy(asc(logDeadLetters.id))
    .limit(REPLAY_LIMIT);
  if (letters.length === 0) return { batchId: null, events: 0 };
  const batchId = `replay-${sourceId}-${letters[letters.length - 1]!.id}`;
  await enqueue({
    batchId,
    sourceId,
    receivedAt: Date.now(),
    apiKeyId: null,
    events: letters.map((l) => l.event as unknown as IncomingEvent),
    replayOf: letters.map((l) => l.id),
  });
  await writeAudit(db, actor, meta, {
    action: "source.dead_letters.replay",
    result: "success",
    target: { type: "log_source", id: sourceId, name: source.name },
    details: { events: letters.length, batchId },
  });
  return { batchId, events: letters.length };
}

// ---------------------------------------------------------------------------------------------
// Provisioning (the provisioning file's `sources:`)

const PROVISIONING: AuditActor = { actorType: "system", actorId: null, actorName: "provisioning" };

/** A source as the provisioning file states it (pipeline already validated). */
export type ProvisionedSourceInput = { name: string; description: string; pipeline: Pipeline; hotDays: number; archiveDays: number };
export type ProvisionedSources = { created: string[]; updated: string[]; unchanged: string[] };


function sameAsProvisioned(row: LogSource, s: ProvisionedSourceInput): boolean {
  return (
    row.provisioned &&
    row.description === s.description &&
    row.hotDays === s.hotDays &&
    row.archiveDays === s.archiveDays &&
    canonicalJson(row.pipeline) === canonicalJson(s.pipeline)
  );
}

/**
 * Creates or updates each named source as the file states it, marked provisioned. A source of
 * the same name made in the UI (or by the console, like `default` and `syslog`) is taken over.
 * Idempotent: a source already as stated is not written (and not audited). `db` may be a
 * transaction (each source then gets a savepoint).
 */
export async function provisionSources(db: DbOrTx, sources: readonly ProvisionedSourceInput[]): Promise<ProvisionedSources> {
  const out: ProvisionedSources = { created: [], updated: [], unchanged: [] };
  for (const s of sources) {
    if (s.archiveDays < s.hotDays) throw new AppError("INVALID_INPUT", { userMessage: `source "${s.name}": archive days must be at least the hot days` });
    const values = { description: s.description, pipeline: s.pipeline, hotDays: s.hotDays, archiveDays: s.archiveDays, provisioned: true };
    const details = { provisioned: true, steps: s.pipeline.map((st) => st.type), hotDays: s.hotDays, archiveDays: s.archiveDays };
    await db.transaction(async (tx) => {
      const existing = await findSourceByName(tx, s.name);
      if (existing && sameAsProvisioned(existing, s)) {
        out.unchanged.push(s.name);
        return;
      }
      if (existing) {
        await tx.update(logSources).set(values).where(eq(logSources.id, existing.id));
        await writeAudit(tx, PROVISIONING, null, { action: "source.update", result: "success", target: { type: "log_source", id: existing.id, name: s.name }, details: { ...details, tookOver: !existing.provisioned || undefined } });
        out.updated.push(s.name);
        return;
      }
      const [row] = await tx.insert(logSources).values({ name: s.name, ...values }).onConflictDoNothing().returning();
      if (!row) {
        // Another process provisioned it at the same moment.
        out.unchanged.push(s.name);
        return;
      }
      await writeAudit(tx, PROVISIONING, null, { action: "source.create", result: "success", target: { type: "log_source", id: row.id, name: s.name }, details });
      out.created.push(s.name);
    });
  }
  return out;
}

/**
 * Provisioned sources whose names are not in `keep` (they left the provisioning file): kept with
 * their events, pipeline and retention, but no longer marked provisioned (editable in the UI
 * again). Audited. Returns their names.
 */
export async function releaseSources(db: DbOrTx, keep: readonly string[]): Promise<string[]> {
  const kept = new Set(keep);
  return releaseWhere(db, (name) => !kept.has(name), PROVISIONING, "no longer in the provisioning file");
}

/** The named sources, when provisioned, no longer marked so (e.g. the demo's when the demo is off). Audited as `actor`. */
export async function releaseNamedSources(db: DbOrTx, names: readonly string[], actor: AuditActor, reason: string): Promise<string[]> {
  const named = new Set(names);
  return releaseWhere(db, (name) => named.has(name), actor, reason);
}

async function releaseWhere(db: DbOrTx, release: (name: string) => boolean, actor: AuditActor, reason: string): Promise<string[]> {
  const rows = await db.select({ id: logSources.id, name: logSources.name }).from(logSources).where(eq(logSources.provisioned, true));
  const released: string[] = [];
  for (const row of rows) {
    if (!release(row.name)) continue;
    await db.update(logSources).set({ provisioned: false }).where(eq(logSources.id, row.id));
    await writeAudit(db, actor, null, { action: "source.update", result: "success", target: { type: "log_source", id: row.id, name: row.name }, details: { provisioned: false, reason } });
    released.push(row.name);
  }
  return released;
}
