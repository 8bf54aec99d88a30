/**
 * Start-up provisioning: the workers process applies LOOKOUT_CONFIG before it takes jobs (the
 * web replicas never do; see apply.ts for why several workers applying together is safe). A
 * broken file or a failed apply throws: the process must not run half-configured.
 */
import type { Db } from "@/db/client";
import { applyProvisioning, type ProvisioningSummary } from "./apply";
import { loadProvisioningFile } from "./parse";

type Log = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

export async function applyProvisioningAtStart(db: Db, file: string | undefined, log: Log): Promise<ProvisioningSummary | null> {
  if (!file) return null;
  const plan = await loadProvisioningFile(file);
  for (const notice of plan.notices) log.warn({ file }, notice);
  const s = await applyProvisioning(db, plan);
  const count = (o: Record<string, string[]>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.length]));
  log.info({ file, scrapeJobs: count(s.scrape_jobs), sources: count(s.sources), dashboards: count(s.dashboards), ruleGroups: count({ ...s.rule_groups }), alertmanager: s.alertmanager }, "provisioning file applied");
  for (const problem of s.dashboards.problems) log.warn({ file }, `dashboard not provisioned: ${problem}`);
  for (const problem of s.rule_groups.problems) log.warn({ file }, `alert rules not provisioned: ${problem}`);
  for (const warning of s.rule_groups.warnings) log.warn({ file }, `alert rules provisioned with a note: ${warning}`);
  if (s.alertmanager === "released") log.warn({ file }, "the notification configuration is no longer in the provisioning file: kept, editable in the console again");
  for (const warning of s.dashboards.warnings) log.warn({ file }, `dashboard provisioned with a note: ${warning}`);
  if (s.scrape_jobs.skipped.length) log.warn({ jobs: s.scrape_jobs.skipped }, "scrape jobs of these names were made in the UI; the file's versions are not applied (rename or delete one)");
  if (s.scrape_jobs.released.length) log.warn({ jobs: s.scrape_jobs.released }, "scrape jobs no longer in the provisioning file: kept, no longer marked provisioned");
  if (s.sources.released.length) log.warn({ sources: s.sources.released }, "sources no longer in the provisioning file: kept, no longer marked provisioned");
  return s;
}
