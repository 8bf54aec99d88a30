import { describe, expect, it } from "vitest";
import { emptySummary, type RunSummary } from "@/server/retention/model";
import { formatDays, gdprExportUrl, parseSettings, parseSourceDays, runActor, runDuration, runOutcome, settingsDraft } from "./retention-format";

const empty: RunSummary = { ...emptySummary(Date.parse("2026-12-07T10:00:00.000Z")), finishedAt: "2026-12-07T10:00:01.000Z", durationMs: 850 };

describe("formatDays", () => {
  it("says whole years as years", () => {
    expect([1, 15, 90, 365, 730, 400].map(formatDays)).toEqual(["1 d", "15 d", "90 d", "1 y", "2 y", "400 d"]);
  });
});

describe("runs", () => {
  it("duration from the summary, else from the times, else running", () => {
    expect(runDuration({ startedAt: "2026-12-07T10:00:00Z", finishedAt: null, summary: empty })).toBe("850 ms");
    expect(runDuration({ startedAt: "2026-12-07T10:00:00Z", finishedAt: "2026-12-07T10:01:05Z", summary: null })).toBe("1 min 5 s");
    expect(runDuration({ startedAt: "2026-12-07T10:00:00Z", finishedAt: null, summary: null })).toBe("running");
  });

  it("outcome counts what was archived, dropped, expired and created", () => {
    expect(runOutcome(null)).toBe("—");
    expect(runOutcome(empty)).toBe("nothing to do");
    const s: RunSummary = {
      ...empty,
      archived: [{ source: "app", day: "2026-11-01", events: 10, blocks: 1, bytes: 2048, rawBytes: 9000, generation: 1 }],
      dropped: [
        { table: "log_blocks", partition: "a", bytes: 1024 },
        { table: "metric_chunks", partition: "b", bytes: 1024 },
      ],
      expiredArchives: [{ source: "app", day: "2026-01-01", bytes: 5 }],
      bytesArchived: 2048,
      bytesDropped: 2048,
    };
    expect(runOutcome(s)).toBe("1 day archived (2.0 KiB) · 2 partitions dropped (2.0 KiB) · 1 archive expired");
  });

  it("names who started a run", () => {
    expect(runActor({ trigger: "schedule", actor: null })).toBe("schedule");
    expect(runActor({ trigger: "manual", actor: "ann@example.com" })).toBe("ann@example.com");
    expect(runActor({ trigger: "cli", actor: null })).toBe("CLI");
  });
});

describe("parseSourceDays", () => {
  it("accepts whole days with archive ≥ hot", () => {
    expect(parseSourceDays({ hotDays: " 7", archiveDays: "30" })).toEqual({ value: { hotDays: 7, archiveDays: 30 }, errors: {} });
  });

  it("explains each bad field", () => {
    expect(parseSourceDays({ hotDays: "x", archiveDays: "0" }).errors).toEqual({ hotDays: "Hot days: enter a whole number of days", archiveDays: "Archive days: at least 1" });
    expect(parseSourceDays({ hotDays: "10", archiveDays: "5" })).toEqual({ value: null, errors: { archiveDays: "Archive days must be at least the hot days" } });
    expect(parseSourceDays({ hotDays: "4000", archiveDays: "5000" }).errors.hotDays).toBe("Hot days: at most 3,650");
  });
});

describe("parseSettings", () => {
  const ok = { metricsRawDays: 15, metrics5mDays: 90, metrics1hDays: 365, auditDays: 365 };

  it("round-trips the stored settings", () => {
    expect(parseSettings(settingsDraft(ok))).toEqual({ value: ok, errors: {} });
  });

  it("keeps each tier at least as long as the finer one, and the audit log within 30 days..7 years", () => {
    expect(parseSettings(settingsDraft({ ...ok, metrics5mDays: 10 })).errors).toEqual({ metrics5mDays: "5m rollups must be kept at least as long as raw samples" });
    expect(parseSettings(settingsDraft({ ...ok, metrics1hDays: 60 })).errors).toEqual({ metrics1hDays: "1h rollups must be kept at least as long as 5m rollups" });
    expect(parseSettings(settingsDraft({ ...ok, auditDays: 10 })).errors).toEqual({ auditDays: "Audit log: at least 30" });
    expect(parseSettings(settingsDraft({ ...ok, auditDays: 8 * 365 })).errors).toEqual({ auditDays: "Audit log: at most 2,562" });
  });
});

describe("gdprExportUrl", () => {
  it("encodes the query", () => {
    expect(gdprExportUrl(' user_id:"a b" ')).toBe("/api/v1/logs/gdpr/export?q=user_id%3A%22a%20b%22");
  });
});
