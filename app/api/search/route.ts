import { grafanaApi, search } from "@/server/dashboards/grafana-http";

export const dynamic = "force-dynamic";

/** Grafana's search: `?query=&type=dash-db|dash-folder&tag=&starred=&folderUIDs=&dashboardUIDs=&limit=&page=`. */
export const GET = grafanaApi("dashboards:read", search);
