import { getFolders, grafanaApi, postFolder } from "@/server/dashboards/grafana-http";

export const dynamic = "force-dynamic";

/** Grafana's folder API: list folders, create one (`{ uid?, title }`). */
export const GET = grafanaApi("dashboards:read", getFolders);
export const POST = grafanaApi("dashboards:write", postFolder);
