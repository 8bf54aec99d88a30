import { withApi, type ErrorBody } from "@/server/lib/http";
import { decodeLokiPush } from "@/server/logs/ingest/loki";
import { accept, bodyMeta, maxBodyBytes, readBody, sourceOf } from "@/server/logs/ingest-http";

export const dynamic = "force-dynamic";

/** Loki answers errors as plain text; the JSON envelope below keeps the message readable to Promtail logs. */
const lokiError: ErrorBody = (err) => ({ message: err.userMessage });

/**
 * Loki push API (JSON, or protobuf + snappy). 204 like Loki when entries were accepted; a push
 * whose entries are all invalid is a 400 naming the first problem.
 */
export const POST = withApi(
  "logs:write",
  async ({ principal, request }) => {
    const body = await readBody(request);
    const items = decodeLokiPush(body, bodyMeta(request), { maxBytes: maxBodyBytes() });
    const res = await accept(principal, sourceOf(request), items, body.length);
    if (res.accepted === 0 && res.rejected.length > 0) {
      return new Response(`${res.rejected.length} entries rejected; first: ${res.rejected[0]!.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return new Response(null, { status: 204 });
  },
  { errorBody: lokiError },
);
