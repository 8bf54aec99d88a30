/**
 * Provisions the dashboards Lookout ships (read-only, folder "Lookout"): self-monitoring always;
 * Host and HTTP service (RED) with the demo, whose scrape jobs (`host`, `demo`) feed them. With
 * the demo off, the demo's dashboards are removed again (dashboards hold no data; the demo's
 * jobs and sources are kept, see server/demo/seed.ts).
 */
import type { DbOrTx } from "@/db/client";
import { provisionDashboards, type ProvisionDashboardsResult } from "../service";
import { DEFAULT_DASHBOARDS } from "./index";

export const BUILTIN_SOURCE = "builtin";
export const BUILTIN_DEMO_SOURCE = "builtin:demo";
const DEMO_UIDS = new Set(["lookout-host", "lookout-red"]);

export async function provisionBuiltinDashboards(db: DbOrTx, opts: { demo: boolean }): Promise<ProvisionDashboardsResult> {
  const entries = DEFAULT_DASHBOARDS.filter((d) => opts.demo || !DEMO_UIDS.has(d.uid)).map((d) => ({
    uid: d.uid,
    json: d.dashboard,
    folderTitle: d.folderTitle,
    source: DEMO_UIDS.has(d.uid) ? BUILTIN_DEMO_SOURCE : BUILTIN_SOURCE,
  }));
  return provisionDashboards(db, entries, { ownsSource: (s) => s === BUILTIN_SOURCE || s === BUILTIN_DEMO_SOURCE });
}
