import { prometheusAlerts } from "@/server/alerting/prom-api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Prometheus's alerts API: the pending and firing alerts of our rules. */
const handler = promApi("alerts:read", ({ db, principal }) => prometheusAlerts(db, principal));
export const GET = handler;
export const POST = handler;
