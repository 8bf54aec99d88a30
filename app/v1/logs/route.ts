import { withApi, type ErrorBody } from "@/server/lib/http";
import { decodeOtlpLogs, encodeOtlpLogsResponse, otlpFormat, otlpLogsResponse } from "@/server/logs/ingest/otlp-logs";
import { accept, bodyMeta, maxBodyBytes, readBody, sourceOf } from "@/server/logs/ingest-http";

export const dynamic = "force-dynamic";

/** OTLP answers errors with a google.rpc.Status; in JSON that is `{ code, message }`. */
const otlpError: ErrorBody = (err) => ({ code: err.httpStatus === 429 ? 8 : err.httpStatus >= 500 ? 14 : 3, message: err.userMessage });

/** OTLP/HTTP logs (JSON or protobuf): 200 with partialSuccess naming rejected records. */
export const POST = withApi(
  "logs:write",
  async ({ principal, request }) => {
    const meta = bodyMeta(request);
    const body = await readBody(request);
    const items = decodeOtlpLogs(body, meta, { maxBytes: maxBodyBytes() });
    await accept(principal, sourceOf(request), items, body.length);
    const out = encodeOtlpLogsResponse(otlpLogsResponse(items), otlpFormat(meta.contentType, body));
    return new Response(new Uint8Array(out.body), { status: 200, headers: { "content-type": out.contentType } });
  },
  { errorBody: otlpError },
);
