import { alertmanagerApi, deleteSilenceById, getSilenceById } from "@/server/alerting/alertmanager-api";

export const dynamic = "force-dynamic";

/** Alertmanager API v2: one silence; DELETE expires it. */
export const GET = alertmanagerApi("alerts:read", getSilenceById);
export const DELETE = alertmanagerApi("silences:write", deleteSilenceById);
