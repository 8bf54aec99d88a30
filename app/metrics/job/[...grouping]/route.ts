import { withApi } from "@/server/lib/http";
import { metrics } from "@/server/lib/metrics";
import { readBody } from "@/server/logs/ingest-http";
import { getDb } from "@/db/client";
import { acceptSeries } from "@/server/metrics/ingest-service";
import { metricsIngestDeps } from "@/server/metrics/ingest-http";
import { applyPush } from "@/server/metrics/pushgateway/groups";
import { parseGroupingPath, type PushMethod } from "@/server/metrics/pushgateway/pushgateway";

export const dynamic = "force-dynamic";

/** Pushgateway-compatible `PUT|POST|DELETE /metrics/job/<job>{/<label>/<value>}` (plain-text errors, as the Pushgateway). */
function handler(method: PushMethod) {
  return withApi(
    "metrics:write",
    async ({ principal, request }) => {
      const path = new URL(request.url).pathname.replace(/^\/metrics/, "");
      const grouping = parseGroupingPath(path);
      const body = method === "DELETE" ? "" : (await readBody(request)).toString("utf8");
      const deps = metricsIngestDeps();
      // Before the group is stored: a push refused by a storage watermark must not be re-sampled later.
      await deps.storageGate();
      const outcome = await applyPush(getDb(), method, grouping, body, request.headers.get("content-type"), Date.now());
      const res = await acceptSeries(deps, principal, outcome.series, outcome.metadata);
      if (res.samples) metrics().metricsSamplesAccepted.inc({ path: "pushgateway" }, res.samples);
      return new Response(null, { status: method === "DELETE" ? 202 : 200 });
    },
    { errorBody: (err) => err.userMessage },
  );
}

export const PUT = handler("PUT");
export const POST = handler("POST");
export const DELETE = handler("DELETE");
