import { series } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Series matching `match[]` (GET or form-encoded POST). */
const handler = promApi("metrics:read", ({ queryable, params }) => series(queryable, params));
export const GET = handler;
export const POST = handler;
