import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { retentionSettings } from "@/db/schema";
import { env } from "@/env";
import { writeAudit } from "@/server/auth/audit";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { RETENTION_DEFAULTS, RetentionSettingsInput, type RetentionSettings } from "./model";
import { DAY_MS } from "./partitions";

/**
 * Retention of the metrics tiers and the audit log: the single retention_settings row (id 1).
 * The migration seeds it; a missing row is created with the defaults (metrics raw days from
 * LOOKOUT_METRICS_RAW_RETENTION_DAYS, which stays the seed default).
 */
export type StoredRetentionSettings = RetentionSettings & { updatedAt: Date; updatedBy: string | null };

function toSettings(row: typeof retentionSettings.$inferSelect): StoredRetentionSettings {
  return {
    metricsRawDays: row.metricsRawDays,
    metrics5mDays: row.metrics5mDays,
    metrics1hDays: row.metrics1hDays,
    auditDays: row.auditDays,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

function seedDefaults(): RetentionSettings {
  const raw = env().LOOKOUT_METRICS_RAW_RETENTION_DAYS;
  return {
    ...RETENTION_DEFAULTS,
    metricsRawDays: raw,
    metrics5mDays: Math.max(RETENTION_DEFAULTS.metrics5mDays, raw),
    metrics1hDays: Math.max(RETENTION_DEFAULTS.metrics1hDays, raw),
  };
}

export async function getRetentionSettings(db: DbOrTx): Promise<StoredRetentionSettings> {
  const [row] = await db.select().from(retentionSettings).where(eq(retentionSettings.id, 1));
  if (row) return toSettings(row);
  await db.insert(retentionSettings).values({ id: 1, ...seedDefaults() }).onConflictDoNothing();
  const [created] = await db.select().from(retentionSettings).where(eq(retentionSettings.id, 1));
  return toSettings(created!);
}

/** Validates, stores and audits (in one transaction) the new settings; the next run applies them. */
export async function updateRetentionSettings(db: Db, principal: Principal, input: RetentionSettings, meta: RequestMeta | null): Promise<StoredRetentionSettings> {
  const parsed = RetentionSettingsInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", { userMessage: parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`).join("; "), cause: parsed.error });
  }
  const next = parsed.data;
  const saved = await db.transaction(async (tx) => {
    const before = await getRetentionSettings(tx);
    const [row] = await tx
      .update(retentionSettings)
      .set({ ...next, updatedAt: new Date(), updatedBy: principal.type === "user" ? principal.email : principal.name })
      .where(eq(retentionSettings.id, 1))
      .returning();
    const { updatedAt: _a, updatedBy: _b, ...old } = before;
    await writeAudit(tx, principal, meta, {
      action: "retention.settings.update",
      result: "success",
      target: { type: "retention_settings", id: "1", name: "retention" },
      details: { before: old, after: next },
    });
    return toSettings(row!);
  });
  rawRetentionCache = { at: Date.now(), ms: saved.metricsRawDays * DAY_MS };
  return saved;
}

let rawRetentionCache: { at: number; ms: number } | null = null;
const CACHE_MS = 60_000;

/**
 * Raw metric samples older than this (ms before now) are refused at ingest: the settings' raw
 * retention, read at most once a minute per process (env LOOKOUT_METRICS_RAW_RETENTION_DAYS when
 * the database cannot be read).
 */
export async function metricsRawRetentionMs(db: DbOrTx): Promise<number> {
  const now = Date.now();
  if (rawRetentionCache && now - rawRetentionCache.at < CACHE_MS) return rawRetentionCache.ms;
  try {
    const s = await getRetentionSettings(db);
    rawRetentionCache = { at: now, ms: s.metricsRawDays * DAY_MS };
  } catch {
    return rawRetentionCache?.ms ?? env().LOOKOUT_METRICS_RAW_RETENTION_DAYS * DAY_MS;
  }
  return rawRetentionCache.ms;
}

/** Test hook: forget the cached raw retention. */
export function forgetRawRetention(): void {
  rawRetentionCache = null;
}
