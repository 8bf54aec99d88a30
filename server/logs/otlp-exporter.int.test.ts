import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as otlpPost } from "@/app/v1/logs/route";
import { getDb } from "@/db/client";
import { getQueue } from "@/server/queues/queues";
import { serveRoutes } from "@/test/http-server";
import { createTestKey, uid } from "@/test/helpers";
import { processIngestBatch } from "./ingest-worker";
import { createSource } from "./sources";
import { storedEvents } from "@/test/logs";

/** The official OpenTelemetry JS OTLP/HTTP log exporter sending to our /v1/logs. */
let server: Awaited<ReturnType<typeof serveRoutes>>;
beforeAll(async () => {
  server = await serveRoutes({ "/v1/logs": otlpPost });
});
afterAll(() => server.close());

describe("OTLP/HTTP logs from the OpenTelemetry SDK", () => {
  it("stores records with service, severity, body, attributes and trace context", async () => {
    const src = await createSource(getDb(), null, null, { name: `otel-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
    const { key } = await createTestKey(["ingest"]);
    const exporter = new OTLPLogExporter({ url: `${server.url}/v1/logs?source=${src.name}`, headers: { authorization: `Bearer ${key}` } });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "checkout", "host.name": "pod-7" }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const since = Date.now() - 1000;
    provider.getLogger("payments").emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: "ERROR",
      body: "card declined",
      attributes: { "order.id": 42, retry: false },
      timestamp: Date.now(),
    });
    await provider.forceFlush();
    await provider.shutdown();

    const jobs = await getQueue("logs-ingest").getJobs(["waiting"], 0, 500);
    const job = jobs.find((j) => j.data.sourceId === src.id);
    expect(job, "the exporter's request was accepted and enqueued").toBeTruthy();
    await processIngestBatch(getDb(), job!.data);
    const [e] = await storedEvents(getDb(), { start: since, end: Date.now() + 60_000, sourceIds: [src.id], limit: 10 });
    expect(e).toMatchObject({ message: "card declined", service: "checkout", host: "pod-7", level: "error" });
    expect(JSON.stringify(e!.attributes)).toContain("42");
  });

  it("answers a missing key with 401 so the exporter reports it", async () => {
    const res = await fetch(`${server.url}/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
  });
});
