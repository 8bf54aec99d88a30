/**
 * The provisioning file (LOOKOUT_CONFIG), section by section. Scrape configs are Prometheus's own
 * `scrape_config` (the scrape module's schema); sources use the pipeline step schema the UI uses.
 * `dashboards:` lists paths of dashboard JSON files or directories (server/dashboards/provision.ts).
 * Sections for parts not built yet (alerting rules, Alertmanager) are accepted and ignored with a
 * notice, so a file written for the full console loads today. Anything else is
 * refused: a misspelt section must not be silently ignored.
 */
import { z } from "zod";
import { ArchiveDaysSchema, HotDaysSchema, SourceNameSchema } from "@/server/logs/sources";
import { PipelineSchema } from "@/server/logs/pipeline/steps";
import { DurationSchema, ScrapeConfigSchema } from "@/server/metrics/scrape/config";

/** Prometheus's `global:` (the scrape defaults; `evaluation_interval` waits for alerting rules). */
export const GlobalSchema = z
  .object({
    scrape_interval: DurationSchema.optional(),
    scrape_timeout: DurationSchema.optional(),
    evaluation_interval: DurationSchema.optional(),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.scrape_interval !== undefined && g.scrape_timeout !== undefined && g.scrape_timeout > g.scrape_interval) {
      ctx.addIssue({ code: "custom", path: ["scrape_timeout"], message: "global scrape timeout greater than scrape interval" });
    }
  });

export const DEFAULT_HOT_DAYS = 7;
export const DEFAULT_ARCHIVE_DAYS = 30;

/** A log source as the file states it: the whole source (an omitted field takes its default). */
export const SourceSchema = z
  .object({
    name: SourceNameSchema,
    description: z.string().trim().max(500).default(""),
    pipeline: PipelineSchema.default([]),
    hot_days: HotDaysSchema.default(DEFAULT_HOT_DAYS),
    archive_days: ArchiveDaysSchema.default(DEFAULT_ARCHIVE_DAYS),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.archive_days < s.hot_days) ctx.addIssue({ code: "custom", path: ["archive_days"], message: `${s.archive_days} is less than hot_days (${s.hot_days}); the archive period includes the hot days` });
  });

/** Sections accepted and not applied yet, with what they wait for. */
export const NOT_YET_APPLIED = {
  rule_files: "alerting rules are not built yet",
  groups: "alerting rules are not built yet",
  alertmanager: "alert notifications are not built yet",
} as const;

/**
 * A `dashboards:` entry: a path (a dashboard JSON file, or a directory of them), or
 * `{ path, folder }` to put its dashboards in that folder.
 */
export const DashboardPathSchema = z.union([
  z.string().trim().min(1, "an empty path"),
  z
    .object({
      path: z.string().trim().min(1, "an empty path"),
      folder: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
]);

export const ProvisioningFileSchema = z
  .object({
    global: GlobalSchema.optional(),
    // An empty section (`sources:` with nothing under it) is an empty list.
    scrape_configs: z.array(ScrapeConfigSchema).nullish().transform((v) => v ?? []),
    sources: z.array(SourceSchema).nullish().transform((v) => v ?? []),
    rule_files: z.unknown().optional(),
    groups: z.unknown().optional(),
    alertmanager: z.unknown().optional(),
    dashboards: z.array(DashboardPathSchema).nullish().transform((v) => v ?? []),
  })
  .strict();

export const SECTIONS = Object.keys(ProvisioningFileSchema.shape);
