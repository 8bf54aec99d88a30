import { grafanaApi, postDashboard } from "@/server/dashboards/grafana-http";

export const dynamic = "force-dynamic";

/** Grafana's "create / update dashboard": `{ dashboard, folderUid, overwrite, message }`. */
export const POST = grafanaApi("dashboards:write", postDashboard);
