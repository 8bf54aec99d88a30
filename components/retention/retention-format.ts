import type { RetentionOverview, RetentionSettings, RunSummary } from "@/server/retention/model";
import { AUDIT_DAYS_MAX, AUDIT_DAYS_MIN } from "@/server/retention/model";
import { formatBytes, formatCount } from "@/server/lib/units";

/** Pure helpers of Settings → Retention: day counts, run summaries, form checks. */

export type RunRow = RetentionOverview["runs"][number];

/** Days as people say them: 365 → "1 y", 730 → "2 y", 90 → "90 d", 1 → "1 d". */
export function formatDays(days: number): string {
  if (days >= 365 && days % 365 === 0) return `${days / 365} y`;
  return `${days} d`;
}

/** A run's duration: 850 → "850 ms", 65_000 → "1 min 5 s", still running → "running". */
export function runDuration(run: Pick<RunRow, "startedAt" | "finishedAt" | "summary">): string {
  const ms = run.summary?.durationMs ?? (run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null);
  if (ms === null) return "running";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** One line of what a run did: "3 days archived (12 MiB) · 5 partitions dropped (40 MiB) · 1 archive expired". */
export function runOutcome(summary: RunSummary | null): string {
  if (!summary) return "—";
  const parts: string[] = [];
  if (summary.archived.length) parts.push(`${plural(summary.archived.length, "day")} archived (${formatBytes(summary.bytesArchived)})`);
  if (summary.dropped.length) parts.push(`${plural(summary.dropped.length, "partition")} dropped (${formatBytes(summary.bytesDropped)})`);
  if (summary.expiredArchives.length) parts.push(`${plural(summary.expiredArchives.length, "archive")} expired`);
  if (summary.created.length) parts.push(`${plural(summary.created.length, "partition")} created`);
  return parts.length ? parts.join(" · ") : "nothing to do";
}

export function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** Who started a run: the user, "schedule" or "CLI". */
export function runActor(run: Pick<RunRow, "trigger" | "actor">): string {
  if (run.trigger === "schedule") return "schedule";
  if (run.trigger === "cli") return run.actor ? `CLI (${run.actor})` : "CLI";
  return run.actor ?? "console";
}

export type DaysDraft = { hotDays: string; archiveDays: string };
export type DaysErrors = Partial<Record<keyof DaysDraft, string>>;

function wholeDays(text: string, min: number, max: number, what: string): { value: number | null; error?: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { value: null, error: `${what}: enter a whole number of days` };
  const n = Number(t);
  if (n < min) return { value: null, error: `${what}: at least ${min}` };
  if (n > max) return { value: null, error: `${what}: at most ${formatCount(max)}` };
  return { value: n };
}

/** A source's days as typed: the numbers, or a message per field (the server checks the same). */
export function parseSourceDays(d: DaysDraft): { value: { hotDays: number; archiveDays: number } | null; errors: DaysErrors } {
  const hot = wholeDays(d.hotDays, 1, 3650, "Hot days");
  const archive = wholeDays(d.archiveDays, 1, 36500, "Archive days");
  const errors: DaysErrors = {};
  if (hot.error) errors.hotDays = hot.error;
  if (archive.error) errors.archiveDays = archive.error;
  if (hot.value !== null && archive.value !== null && archive.value < hot.value) errors.archiveDays = "Archive days must be at least the hot days";
  return hot.value !== null && archive.value !== null && !errors.archiveDays ? { value: { hotDays: hot.value, archiveDays: archive.value }, errors } : { value: null, errors };
}

export type SettingsDraft = Record<keyof RetentionSettings, string>;
export type SettingsErrors = Partial<Record<keyof RetentionSettings, string>>;

export function settingsDraft(s: RetentionSettings): SettingsDraft {
  return { metricsRawDays: String(s.metricsRawDays), metrics5mDays: String(s.metrics5mDays), metrics1hDays: String(s.metrics1hDays), auditDays: String(s.auditDays) };
}

/** The metrics and audit form as typed: numbers in range, each tier at least as long as the finer one. */
export function parseSettings(d: SettingsDraft): { value: RetentionSettings | null; errors: SettingsErrors } {
  const fields = {
    metricsRawDays: wholeDays(d.metricsRawDays, 1, 3650, "Raw samples"),
    metrics5mDays: wholeDays(d.metrics5mDays, 1, 3650, "5m rollups"),
    metrics1hDays: wholeDays(d.metrics1hDays, 1, 36500, "1h rollups"),
    auditDays: wholeDays(d.auditDays, AUDIT_DAYS_MIN, AUDIT_DAYS_MAX, "Audit log"),
  };
  const errors: SettingsErrors = {};
  for (const [k, r] of Object.entries(fields)) if (r.error) errors[k as keyof RetentionSettings] = r.error;
  const v = { metricsRawDays: fields.metricsRawDays.value, metrics5mDays: fields.metrics5mDays.value, metrics1hDays: fields.metrics1hDays.value, auditDays: fields.auditDays.value };
  if (v.metricsRawDays !== null && v.metrics5mDays !== null && v.metrics5mDays < v.metricsRawDays) errors.metrics5mDays = "5m rollups must be kept at least as long as raw samples";
  if (v.metrics5mDays !== null && v.metrics1hDays !== null && v.metrics1hDays < v.metrics5mDays) errors.metrics1hDays = "1h rollups must be kept at least as long as 5m rollups";
  if (Object.keys(errors).length) return { value: null, errors };
  return { value: v as RetentionSettings, errors };
}

/** The GDPR export's URL for a query. */
export function gdprExportUrl(q: string): string {
  return `/api/v1/logs/gdpr/export?q=${encodeURIComponent(q.trim())}`;
}
