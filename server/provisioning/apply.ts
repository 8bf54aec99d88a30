/**
 * Applies a provisioning plan: scrape jobs and log sources created or updated by name and marked
 * provisioned; those provisioned earlier that left the file are kept but no longer marked (the UI
 * may edit them again). Dashboards are read from their files first (outside the transaction), then
 * upserted by uid; those of files that left the file are removed; a file that cannot be read or
 * converted is reported in `dashboards.problems` and does not stop the rest. Alert rule groups
 * (inline `groups` and `rule_files`, read first as well: server/alerting/provision.ts) are upserted
 * by folder and name, read-only in the console; those of files no longer listed are removed; a
 * rule file that cannot be read or has an error is reported in `rule_groups.problems` (with its
 * line) and its groups are kept as they were. `alertmanager:` replaces the notification
 * configuration (read-only in the console); a file without it hands a provisioned configuration
 * back to the console as it is. Every change is audited as the system actor `provisioning`; a
 * plan that matches the database writes nothing (and audits nothing).
 *
 * All of it is one transaction holding a PostgreSQL advisory lock: processes starting together
 * (several workers) apply one after the other, so the first applies and the rest find everything
 * unchanged; a failure leaves the database as it was (never half-applied). A dry run does the
 * same work and rolls it back, so its summary is exactly what applying would do.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { provisionNotificationConfig, readNotificationConfig } from "@/server/alerting/notifications-service";
import { loadRuleFiles, provisionRuleSources, type RuleGroupsSummary } from "@/server/alerting/provision";
import { loadDashboardFiles, provisionDashboardFiles } from "@/server/dashboards/provision";
import { provisionSources, releaseSources } from "@/server/logs/sources";
import { provisionScrapeJobs, releaseScrapeJobs } from "@/server/metrics/scrape/jobs";
import { SELF_JOB_NAME } from "@/server/metrics/scrape/self";
import { DEMO_JOB_NAME, DEMO_SOURCE_NAMES, HOST_JOB_NAME } from "@/server/demo/config";
import { formatIssues } from "./issues";
import type { ProvisioningPlan } from "./parse";

export interface ProvisioningSummary {
  dryRun: boolean;
  scrape_jobs: { created: string[]; updated: string[]; unchanged: string[]; released: string[]; skipped: string[] };
  sources: { created: string[]; updated: string[]; unchanged: string[]; released: string[] };
  /** Dashboard uids; `problems` and `warnings` as `line N: dashboards[i]: file: message`. */
  dashboards: { created: string[]; updated: string[]; unchanged: string[]; removed: string[]; problems: string[]; warnings: string[] };
  /** Alert rule groups as `Folder/name`; `problems` and `warnings` as `line N: rule_files[i]: file: line M: groups[0]…` or `line N: groups[i]: …`. */
  rule_groups: RuleGroupsSummary;
  /** The notification configuration: `none` when the file has no `alertmanager:` and none was provisioned. */
  alertmanager: AlertmanagerOutcome;
  notices: string[];
}

export type AlertmanagerOutcome = "created" | "updated" | "unchanged" | "released" | "none";

/** One dashboard file problem worded like the file's other problems. */
function dashboardLine(p: { index: number; line?: number; file: string; message: string }): string {
  return formatIssues([{ path: p.index >= 0 ? ["dashboards", p.index] : ["dashboards"], line: p.line, message: `${p.file}: ${p.message}` }]).trim();
}

/** The advisory lock every apply holds (a fixed key: one provisioning at a time per database). */
const LOCK_KEY = sql`hashtext('lookout:provisioning')`;

class DryRunRollback extends Error {
  constructor(readonly summary: ProvisioningSummary) {
    super("dry run");
  }
}

export async function applyProvisioning(db: Db, plan: ProvisioningPlan, opts: { dryRun?: boolean } = {}): Promise<ProvisioningSummary> {
  const dryRun = opts.dryRun ?? false;
  const dashboardFiles = await loadDashboardFiles(plan.dashboards ?? []);
  const ruleFiles = await loadRuleFiles(plan.ruleFiles ?? [], { defaultInterval: plan.evaluationInterval });
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
      const jobs = await provisionScrapeJobs(tx, plan.scrapeConfigs, plan.global);
      // The built-in self-scrape job and the demo's jobs (demo, host) and sources are provisioned by the
      // workers, not by the file (the demo retires its own when LOOKOUT_DEMO=0: server/demo/seed.ts).
      const jobNames = plan.scrapeConfigs.map((c) => String(c.job_name).trim());
      const releasedJobs = await releaseScrapeJobs(tx, [...jobNames, SELF_JOB_NAME, DEMO_JOB_NAME, HOST_JOB_NAME]);
      const sources = await provisionSources(tx, plan.sources);
      const releasedSources = await releaseSources(tx, [...plan.sources.map((s) => s.name), ...DEMO_SOURCE_NAMES]);
      const dash = await provisionDashboardFiles(tx, dashboardFiles);
      const rules = await provisionRuleSources(tx, { file: plan.file, inline: plan.ruleGroups ?? [], files: ruleFiles });
      // Without the section, only a configuration provisioned earlier has something to do (it is released).
      const am: AlertmanagerOutcome = plan.alertmanager || (await readNotificationConfig(tx)).provisioned ? await provisionNotificationConfig(tx, plan.alertmanager ?? null, plan.file) : "none";
      const summary: ProvisioningSummary = {
        dryRun,
        scrape_jobs: { created: jobs.created, updated: jobs.updated, unchanged: jobs.unchanged, released: releasedJobs, skipped: jobs.skipped },
        sources: { ...sources, released: releasedSources },
        dashboards: {
          created: dash.created,
          updated: dash.updated,
          unchanged: dash.unchanged,
          removed: dash.removed,
          problems: dash.problems.map(dashboardLine),
          warnings: dash.warnings.map(dashboardLine),
        },
        rule_groups: rules,
        alertmanager: am,
        notices: plan.notices,
      };
      if (dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.summary;
    throw e;
  }
}

/** Whether applying changed (or, in a dry run, would change) anything. */
export function changedAnything(s: ProvisioningSummary): boolean {
  const j = s.scrape_jobs;
  const src = s.sources;
  const d = s.dashboards;
  const r = s.rule_groups;
  const am = s.alertmanager !== "unchanged" && s.alertmanager !== "none";
  return am || [j.created, j.updated, j.released, src.created, src.updated, src.released, d.created, d.updated, d.removed, r.created, r.updated, r.removed].some((list) => list.length > 0);
}
