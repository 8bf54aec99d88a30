import { writeAudit } from "@/server/auth/audit";
import { requestMeta } from "@/server/auth/request-meta";
import { deleteSeriesApi } from "@/server/metrics/prom-api/api";
import { promApi } from "@/server/metrics/prom-api/http";

export const dynamic = "force-dynamic";

/**
 * Prometheus's admin API: deletes the samples of the series matching `match[]` in [start, end]
 * (default: all time), for good. 204 as Prometheus; audited. Needs the `admin` API key scope.
 */
const handler = promApi("settings:manage", async ({ db, principal, params, request }) => {
  const r = await deleteSeriesApi(db, params);
  await writeAudit(db, principal, requestMeta(request.headers), {
    action: "metrics.delete_series",
    result: "success",
    details: { match: params.getAll("match[]"), start: params.get("start"), end: params.get("end"), series: r.series, samples: r.samples },
  });
  return new Response(null, { status: 204 });
});
export const POST = handler;
export const PUT = handler;
