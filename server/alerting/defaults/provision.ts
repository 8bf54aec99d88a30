/**
 * What alerting Lookout ships, provisioned by the workers at start (after the provisioning file):
 * Lookout's own rules (lookout-rules.ts: the storage watermark), always; the demo's rule group with the demo (LOOKOUT_DEMO=1; source `builtin:demo`, the "Lookout"
 * folder of the demo's dashboards, read-only) and removed without it, and the default
 * notification configuration when there is none.
 */
import type { DbOrTx } from "@/db/client";
import { BUILTIN_DEMO_SOURCE } from "@/server/dashboards/defaults/provision";
import { DEFAULT_DASHBOARDS_FOLDER } from "@/server/dashboards/defaults";
import { provisionRuleGroups, type ProvisionRuleGroupsResult } from "../rules-service";
import { DEMO_RULE_GROUP } from "./demo-rules";
import { BUILTIN_LOOKOUT_SOURCE, LOOKOUT_RULE_GROUP } from "./lookout-rules";
import { ensureDefaultNotificationConfig } from "./notification";

export const DEMO_RULES_FOLDER = DEFAULT_DASHBOARDS_FOLDER;

export interface BuiltinAlertingResult {
  rules: ProvisionRuleGroupsResult;
  notificationConfig: "created" | "exists";
}

export async function provisionBuiltinAlerting(db: DbOrTx, opts: { demo: boolean }): Promise<BuiltinAlertingResult> {
  const entries = [
    { group: LOOKOUT_RULE_GROUP, folderTitle: DEMO_RULES_FOLDER, source: BUILTIN_LOOKOUT_SOURCE },
    ...(opts.demo ? [{ group: DEMO_RULE_GROUP, folderTitle: DEMO_RULES_FOLDER, source: BUILTIN_DEMO_SOURCE }] : []),
  ];
  const rules = await provisionRuleGroups(db, entries, { ownsSource: (s) => s === BUILTIN_DEMO_SOURCE || s === BUILTIN_LOOKOUT_SOURCE });
  const notificationConfig = await ensureDefaultNotificationConfig(db);
  return { rules, notificationConfig };
}
