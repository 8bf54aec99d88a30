/**
 * Lookout's own alert rules, over its self-scraped metrics (the provisioned `lookout` job, every
 * 15 s), provisioned always (source `builtin:lookout`, folder "Lookout", read-only):
 *
 * - "Lookout storage watermark": a disk or database watermark is crossed
 *   (`lookout_storage_watermark_exceeded{kind}` is 1, server/retention/watermarks.ts), so every
 *   ingest endpoint answers 429 until space is freed (critical: data is being refused). No data
 *   is all clear: the gauge has no series while every watermark is off.
 */
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { RuleGroupSchema, type RuleGroup } from "../model";

export const BUILTIN_LOOKOUT_SOURCE = "builtin:lookout";

export const STORAGE_WATERMARK_EXPR = `max by (kind) (lookout_storage_watermark_exceeded{job="${SELF_JOB_NAME}"})`;

export const LOOKOUT_RULE_GROUP: RuleGroup = RuleGroupSchema.parse({
  name: "Lookout",
  interval: "30s",
  rules: [
    {
      uid: "lookout-storage-watermark",
      title: "Lookout storage watermark",
      query: { kind: "promql", expr: STORAGE_WATERMARK_EXPR, condition: { op: ">", threshold: 0 } },
      for: "0s",
      labels: { severity: "critical", team: "lookout" },
      annotations: {
        summary: "Ingestion is paused: the {{ $labels.kind }} storage watermark is crossed",
        description:
          "Lookout answers 429 to every log and metric ingest request while free disk space is under LOOKOUT_DISK_MIN_FREE_BYTES / LOOKOUT_DISK_MIN_FREE_PERCENT or the database is larger than LOOKOUT_DB_MAX_BYTES. Free space, lower retention (Settings → Retention, then Run now) or raise the limit.",
      },
      noDataState: "OK",
      execErrState: "Error",
    },
  ],
});
