import { deleteDashboardByUid, getDashboardByUid, grafanaApi } from "@/server/dashboards/grafana-http";

export const dynamic = "force-dynamic";

/** Grafana's "get dashboard by uid": `{ dashboard, meta }`. */
export const GET = grafanaApi("dashboards:read", getDashboardByUid);
/** Grafana's "delete dashboard by uid". */
export const DELETE = grafanaApi("dashboards:write", deleteDashboardByUid);
