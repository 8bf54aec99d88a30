import { instantQuery } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Prometheus instant query (GET or form-encoded POST). */
const handler = promApi("metrics:read", ({ queryable, params }) => instantQuery(queryable, params, Date.now()));
export const GET = handler;
export const POST = handler;
