/** Log hits for the Discover unit tests. */
import type { LogHit } from "@/server/logs/search/contract";

export function makeHit(over: Partial<LogHit> & { id: string }): LogHit {
  const ts = over.ts ?? Date.UTC(2024, 4, 1, 12, 0, 0);
  return {
    timestamp: new Date(ts).toISOString(),
    ts,
    source: "default",
    service: "payment-api",
    host: "web-1",
    level: "info",
    message: "hello",
    traceId: null,
    spanId: null,
    attributes: {},
    ...over,
  };
}
