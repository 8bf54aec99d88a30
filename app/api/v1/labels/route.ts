import { labelNames } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Label names, optionally of the series matching `match[]`. */
const handler = promApi("metrics:read", ({ queryable, params }) => labelNames(queryable, params));
export const GET = handler;
export const POST = handler;
