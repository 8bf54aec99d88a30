import { z } from "zod";

/**
 * Retention's contract: the settings (metrics tiers and audit; log sources carry hot/archive days
 * in log_sources), and what one run did (retention_runs.summary, `bin/lookout retention run`).
 */
export const RETENTION_DEFAULTS = { metricsRawDays: 15, metrics5mDays: 90, metrics1hDays: 365, auditDays: 365 } as const;
/** Audit records are kept at least this long and at most 7 years. */
export const AUDIT_DAYS_MIN = 30;
export const AUDIT_DAYS_MAX = 7 * 366;
/** Partitions created ahead of today. */
export const DAYS_AHEAD = 7;
/** How long a restored day stays in the hot tier unless asked otherwise. */
export const DEFAULT_RESTORE_HOURS = 24;

export const RetentionSettingsInput = z
  .object({
    metricsRawDays: z.number().int().min(1).max(3650),
    metrics5mDays: z.number().int().min(1).max(3650),
    metrics1hDays: z.number().int().min(1).max(36500),
    auditDays: z.number().int().min(AUDIT_DAYS_MIN).max(AUDIT_DAYS_MAX),
  })
  .refine((s) => s.metrics5mDays >= s.metricsRawDays, { message: "5m rollups must be kept at least as long as raw samples", path: ["metrics5mDays"] })
  .refine((s) => s.metrics1hDays >= s.metrics5mDays, { message: "1h rollups must be kept at least as long as 5m rollups", path: ["metrics1hDays"] });
export type RetentionSettings = z.output<typeof RetentionSettingsInput>;

/** One source's day moved to the cold tier (or merged into its archive: late events, a restore ending). */
export type ArchivedDay = { source: string; day: string; events: number; blocks: number; bytes: number; rawBytes: number; generation: number };
export type DroppedPartition = { table: string; partition: string; bytes: number };

export type RunSummary = {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Partitions created ahead (names). */
  created: string[];
  archived: ArchivedDay[];
  /** Hot partitions dropped (log leaves after archiving, metrics days/months, audit months). */
  dropped: DroppedPartition[];
  /** Archived days past archive retention whose objects were deleted. */
  expiredArchives: { source: string; day: string; bytes: number }[];
  /** Hours whose rollups were built before their raw day was dropped. */
  rolledUp: number;
  /** Leftover objects of interrupted runs removed (not referenced by any archived day). */
  orphansRemoved: number;
  /** Per item failures; the run goes on with the next item. */
  errors: { item: string; error: string }[];
  bytesArchived: number;
  bytesDropped: number;
};

/** Size and age of one tier. `oldest`: the oldest day (YYYY-MM-DD) or month (YYYY-MM) held, null when empty. */
export type TierUsage = { bytes: number; partitions: number; oldest: string | null };

/** What Settings → Retention shows (server/retention/overview.ts builds it). */
export type RetentionOverview = {
  settings: RetentionSettings & { updatedAt: string; updatedBy: string | null };
  sources: {
    id: string;
    name: string;
    hotDays: number;
    archiveDays: number;
    provisioned: boolean;
    hot: TierUsage;
    archive: TierUsage & { events: number };
    /** Archived days loaded back into the hot tier, and until when. */
    restored: { day: string; until: string }[];
  }[];
  metrics: { raw: TierUsage; rollups5m: TierUsage; rollups1h: TierUsage };
  audit: TierUsage;
  store: { kind: "local" | "s3"; location: string };
  /** The next scheduled run (ISO), null when no scheduler is registered. */
  nextRunAt: string | null;
  /** Newest first. */
  runs: { id: number; trigger: "schedule" | "manual" | "cli"; actor: string | null; status: "running" | "success" | "failed"; startedAt: string; finishedAt: string | null; summary: RunSummary | null; error: string | null }[];
};

/** A run's summary before it has done anything. */
export function emptySummary(startedAt: number): RunSummary {
  return {
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: "",
    durationMs: 0,
    created: [],
    archived: [],
    dropped: [],
    expiredArchives: [],
    rolledUp: 0,
    orphansRemoved: 0,
    errors: [],
    bytesArchived: 0,
    bytesDropped: 0,
  };
}
