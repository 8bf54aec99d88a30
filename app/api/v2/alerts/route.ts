import { alertmanagerApi, getAlerts, postAlerts } from "@/server/alerting/alertmanager-api";

export const dynamic = "force-dynamic";

/** Alertmanager API v2: receive alerts (an external Prometheus) and list them. */
export const POST = alertmanagerApi("alerts:ingest", postAlerts);
export const GET = alertmanagerApi("alerts:read", getAlerts);
