import { alertmanagerApi, getSilences, postSilences } from "@/server/alerting/alertmanager-api";

export const dynamic = "force-dynamic";

/** Alertmanager API v2: list silences, create or update one. */
export const GET = alertmanagerApi("alerts:read", getSilences);
export const POST = alertmanagerApi("silences:write", postSilences);
