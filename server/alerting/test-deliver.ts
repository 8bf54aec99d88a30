/**
 * Test stand-ins for delivery: a local HTTP receiver that records what it is sent (and answers
 * with the statuses a test queues up), and a `Deliver` that POSTs the notification's JSON to an
 * integration's `url` (what an Alertmanager webhook receiver gets), with the notification's dedup
 * key in an `Idempotency-Key` header. Import only from tests.
 */
import { serveRoutes } from "@/test/http-server";
import type { Deliver, NotificationData } from "./notify-types";

export interface ReceivedRequest {
  path: string;
  body: NotificationData;
  idempotencyKey: string | null;
  at: number;
  /** The status the receiver answered. */
  status: number;
}

export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** The next answers, in order (then 200). */
  answer(...statuses: number[]): void;
  /** Resolves once `n` requests (matching `filter`) have arrived. */
  waitFor(n: number, filter?: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const queued: number[] = [];
  const server = await serveRoutes({
    "/": async (request) => {
      const status = queued.shift() ?? 200;
      requests.push({ path: new URL(request.url).pathname, body: (await request.json()) as NotificationData, idempotencyKey: request.headers.get("idempotency-key"), at: Date.now(), status });
      return new Response(status < 300 ? "ok" : "failing", { status });
    },
  });
  return {
    url: server.url,
    requests,
    answer: (...statuses) => void queued.push(...statuses),
    async waitFor(n, filter = () => true, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const got = requests.filter(filter);
        if (got.length >= n) return got;
        if (Date.now() > until) throw new Error(`receiver: ${got.length} of ${n} requests after ${timeoutMs} ms (${requests.length} in all)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: server.close,
  };
}

/** POSTs the notification as JSON to `config.url`: 2xx ok, 429/5xx and network errors retryable. */
export const postJsonDeliver: Deliver = async (integration, data, ctx) => {
  const url = String(integration.config.url ?? "");
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": ctx.dedupKey }, body: JSON.stringify(data), signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, retryable: !ok && (res.status === 429 || res.status >= 500), error: ok ? undefined : `HTTP ${res.status}`, requestSummary: `POST ${url}` };
  } catch (err) {
    return { ok: false, retryable: true, error: (err as Error).message, requestSummary: `POST ${url}` };
  }
};
