import { env } from "@/env";
import { getDb } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import type { ErrorBody } from "@/server/lib/http";
import { metrics } from "@/server/lib/metrics";
import { getRedis } from "@/server/lib/redis";
import { enqueue, waitingCount } from "@/server/queues/queues";
import { assertStorageAvailable } from "@/server/retention/watermarks";
import type { DecodedItem } from "./event";
import type { BodyMeta } from "./ingest/decode-body";
import { acceptBatch, type AcceptResult, type IngestDeps } from "./ingest-service";

/** HTTP glue shared by the ingest endpoints: body reading with a limit, limits, enqueueing. */

function deps(): IngestDeps {
  const e = env();
  return {
    db: getDb(),
    redis: getRedis(),
    limits: { maxEvents: e.LOOKOUT_INGEST_MAX_EVENTS, ratePerKey: e.LOOKOUT_INGEST_RATE_PER_KEY, highWater: e.LOOKOUT_INGEST_HIGH_WATER },
    backlog: () => waitingCount("logs-ingest"),
    storageGate: () => assertStorageAvailable(getDb()),
    enqueue: async (payload) => {
      await enqueue("logs-ingest", payload, { jobId: payload.batchId });
    },
  };
}

export function maxBodyBytes(): number {
  return env().LOOKOUT_INGEST_MAX_BODY_BYTES;
}

/** Reads the request body, refusing (413) more than `maxBytes` without buffering it all first. */
export async function readBody(request: Request, maxBytes = maxBodyBytes()): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", { userMessage: `Request body larger than the ${maxBytes}-byte limit; send smaller batches` });
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/**
 * Enqueues the decoded items and counts them; `bodyBytes` is the request body's size as received
 * (compressed or not), counted as ingest bytes when the request had events accepted.
 */
export async function accept(principal: Principal, source: string | null, items: DecodedItem[], bodyBytes: number): Promise<AcceptResult> {
  const res = await acceptBatch(deps(), principal, source, items);
  const m = metrics();
  m.logsAccepted.inc({ source: res.source }, res.accepted);
  if (res.accepted > 0) m.logsIngestBytes.inc({ source: res.source }, bodyBytes);
  if (res.rejected.length) m.logsRejected.inc({ source: res.source }, res.rejected.length);
  return res;
}

/** What the decoders need to know about a request body. */
export function bodyMeta(request: Request): BodyMeta {
  return { contentType: request.headers.get("content-type"), contentEncoding: request.headers.get("content-encoding") };
}

/** `?source=` or the `X-Lookout-Source` header. */
export function sourceOf(request: Request): string | null {
  return new URL(request.url).searchParams.get("source") ?? request.headers.get("x-lookout-source");
}

export const ES_HEADERS = { "x-elastic-product": "Elasticsearch", "content-type": "application/json; charset=UTF-8" } as const;

const ES_ERROR_TYPES: Record<string, string> = {
  UNAUTHENTICATED: "security_exception",
  FORBIDDEN: "security_exception",
  PAYLOAD_TOO_LARGE: "illegal_argument_exception",
  RATE_LIMITED: "es_rejected_execution_exception",
  INVALID_INPUT: "illegal_argument_exception",
  NOT_FOUND: "resource_not_found_exception",
};

/** Elasticsearch's error envelope. */
export const esErrorBody: ErrorBody = (err) => {
  const type = ES_ERROR_TYPES[err.code] ?? "exception";
  return { error: { root_cause: [{ type, reason: err.userMessage }], type, reason: err.userMessage }, status: err.httpStatus };
};
