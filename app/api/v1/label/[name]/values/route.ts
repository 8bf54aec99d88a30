import { labelValues } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/** Values of one label, optionally over the series matching `match[]`. */
export const GET = promApi("metrics:read", ({ queryable, params, request }) => {
  const name = decodeURIComponent(new URL(request.url).pathname.split("/").at(-2) ?? "");
  return labelValues(queryable, name, params);
});
