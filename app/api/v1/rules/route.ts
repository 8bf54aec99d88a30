import { prometheusRules } from "@/server/alerting/prom-api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Prometheus's rules API over our alert rules (GET or form-encoded POST). */
const handler = promApi("alerts:read", ({ db, principal, params }) => prometheusRules(db, principal, params));
export const GET = handler;
export const POST = handler;
