import { AppError } from "@/server/lib/errors";
import { withApi } from "@/server/lib/http";
import { metrics } from "@/server/lib/metrics";
import { readBody } from "@/server/logs/ingest-http";
import { acceptRemoteWrite } from "@/server/metrics/ingest-service";
import { metricsIngestDeps } from "@/server/metrics/ingest-http";

export const dynamic = "force-dynamic";

/** Plain-text errors, as Prometheus's own remote-write receiver answers (senders log the body). */
const textError = (err: AppError) => err.userMessage;

/**
 * Prometheus remote_write 1.0. 204 once the batch is queued (durable in Redis); 400 when any series
 * or sample was refused (the valid rest is stored, as the spec allows; senders do not retry 4xx).
 */
export const POST = withApi(
  "metrics:write",
  async ({ principal, request }) => {
    const body = await readBody(request);
    const res = await acceptRemoteWrite(metricsIngestDeps(), principal, body);
    const m = metrics();
    if (res.samples) m.metricsSamplesAccepted.inc({ path: "remote_write" }, res.samples);
    if (res.refused.length) {
      const refusedSamples = res.refused.reduce((n, r) => n + r.samples, 0);
      m.metricsSamplesRejected.inc({ reason: "invalid" }, refusedSamples);
      const shown = res.refused.slice(0, 5).map((r) => r.reason);
      const more = res.refused.length > 5 ? `; and ${res.refused.length - 5} more` : "";
      throw new AppError("INVALID_INPUT", { userMessage: `${refusedSamples} samples refused (${res.samples} accepted): ${shown.join("; ")}${more}` });
    }
    return new Response(null, { status: 204 });
  },
  { errorBody: textError },
);
