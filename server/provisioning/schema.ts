/**
 * The provisioning file (LOOKOUT_CONFIG), section by section. Scrape configs are Prometheus's own
 * `scrape_config` (the scrape module's schema); sources use the pipeline step schema the UI uses.
 * `dashboards:` lists paths of dashboard JSON files or directories (server/dashboards/provision.ts).
 * Alerting: `rule_files` (paths or globs of Prometheus rule files, read when applied:
 * server/alerting/provision.ts), inline `groups` in the rule-file format (read by the rule-file
 * parser, server/alerting/rule-file.ts, in parse.ts) and `alertmanager:`, an alertmanager.yml
 * (the notification configuration's own schema). Anything else is refused: a misspelt section
 * must not be silently ignored.
 */
import { z } from "zod";
import { AlertmanagerConfigSchema } from "@/server/alerting/model";
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS } from "@/server/alerting/rules-service";
import { ArchiveDaysSchema, HotDaysSchema, SourceNameSchema } from "@/server/logs/sources";
import { PipelineSchema } from "@/server/logs/pipeline/steps";
import { DurationSchema, ScrapeConfigSchema } from "@/server/metrics/scrape/config";

/** Prometheus's `global:`: the scrape defaults, and the interval of rule groups that set none. */
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
    if (g.evaluation_interval !== undefined && (g.evaluation_interval < MIN_INTERVAL_MS || g.evaluation_interval > MAX_INTERVAL_MS)) {
      ctx.addIssue({ code: "custom", path: ["evaluation_interval"], message: "rule groups are evaluated every 1s to 24h" });
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

/**
 * A `rule_files:` entry: a path of a Prometheus rule file, relative to the provisioning file; as in
 * Prometheus, it may be a glob (`rules/*.yml`). `{ path, folder }` puts its groups in
 * that folder (General otherwise).
 */
export const RuleFilePathSchema = z.union([
  z.string().trim().min(1, "an empty path"),
  z
    .object({
      path: z.string().trim().min(1, "an empty path"),
      folder: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
]);

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
    rule_files: z.array(RuleFilePathSchema).nullish().transform((v) => v ?? []),
    // Checked by the rule-file parser (parse.ts), which reports lines inside the rules' expressions.
    groups: z.unknown().optional(),
    // Empty (`alertmanager:` with nothing under it): no configuration provisioned.
    alertmanager: AlertmanagerConfigSchema.nullish().transform((v) => v ?? null),
    dashboards: z.array(DashboardPathSchema).nullish().transform((v) => v ?? []),
  })
  .strict();

export const SECTIONS = Object.keys(ProvisioningFileSchema.shape);
