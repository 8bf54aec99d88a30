import { withApi, type ErrorBody } from "@/server/lib/http";
import { metrics } from "@/server/lib/metrics";
import { otlpFormat } from "@/server/logs/ingest/otlp-logs";
import { maxBodyBytes, readBody } from "@/server/logs/ingest-http";
import { acceptSeries } from "@/server/metrics/ingest-service";
import { metricsIngestDeps } from "@/server/metrics/ingest-http";
import { decodeOtlpMetrics, encodeOtlpMetricsResponse, otlpMetricsResponse } from "@/server/metrics/otlp/decode";

export const dynamic = "force-dynamic";

/** OTLP answers errors with a google.rpc.Status; in JSON that is `{ code, message }`. */
const otlpError: ErrorBody = (err) => ({ code: err.httpStatus === 429 ? 8 : err.httpStatus >= 500 ? 14 : 3, message: err.userMessage });

/** OTLP/HTTP metrics (JSON or protobuf): 200 with partialSuccess naming rejected data points. */
export const POST = withApi(
  "metrics:write",
  async ({ principal, request }) => {
    const contentType = request.headers.get("content-type");
    const body = await readBody(request);
    const decoded = decodeOtlpMetrics(body, contentType, { maxBytes: maxBodyBytes(), contentEncoding: request.headers.get("content-encoding") });
    const res = await acceptSeries(metricsIngestDeps(), principal, decoded.series, decoded.metadata);
    const m = metrics();
    if (res.samples) m.metricsSamplesAccepted.inc({ path: "otlp" }, res.samples);
    const rejected = decoded.rejected.reduce((n, r) => n + r.count, 0);
    if (rejected) m.metricsSamplesRejected.inc({ reason: "invalid" }, rejected);
    const out = encodeOtlpMetricsResponse(otlpMetricsResponse(decoded.rejected), otlpFormat(contentType, body));
    return new Response(new Uint8Array(out.body), { status: 200, headers: { "content-type": out.contentType } });
  },
  { errorBody: otlpError },
);
