import { rangeQuery } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Prometheus range query (GET or form-encoded POST). */
const handler = promApi("metrics:read", ({ queryable, params }) => rangeQuery(queryable, params));
export const GET = handler;
export const POST = handler;
