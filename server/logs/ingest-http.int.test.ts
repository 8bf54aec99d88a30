import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as ndjsonPost } from "@/app/api/v1/logs/route";
import { POST as bulkPost } from "@/app/%5Fbulk/route";
import { POST as indexBulkPost } from "@/app/[index]/%5Fbulk/route";
import { GET as licenseGet } from "@/app/%5Flicense/route";
import { HEAD as templateHead, PUT as templatePut } from "@/app/%5Findex_template/[name]/route";
import { GET as esRoot } from "@/app/api/es/root/route";
import { POST as lokiPost } from "@/app/loki/api/v1/push/route";
import { POST as otlpPost } from "@/app/v1/logs/route";
import { getDb } from "@/db/client";
import { getQueue } from "@/server/queues/queues";
import { createTestKey, request, uid } from "@/test/helpers";
import { processIngestBatch } from "./ingest-worker";
import { createSource, ensureDefaultSource } from "./sources";
import { storedEvents } from "@/test/logs";

let ingestKey: string;
let queryKey: string;

beforeAll(async () => {
  await ensureDefaultSource(getDb());
  ingestKey = (await createTestKey(["ingest"])).key;
  queryKey = (await createTestKey(["query"])).key;
});

const auth = (key = ingestKey) => ({ authorization: `Bearer ${key}` });

/** Runs the batch the endpoint enqueued, as the worker would. */
async function drain(batchId: string) {
  const job = await getQueue("logs-ingest").getJob(batchId);
  expect(job, `job ${batchId} enqueued`).toBeTruthy();
  return processIngestBatch(getDb(), job!.data);
}

async function stored(sourceId: string | undefined, since: number) {
  return storedEvents(getDb(), { start: since, end: Date.now() + 86_400_000, sourceIds: sourceId ? [sourceId] : undefined, limit: 1000 });
}

describe("POST /api/v1/logs (NDJSON)", () => {
  it("accepts good lines, reports bad ones by line number, and stores the good ones", async () => {
    const src = await createSource(getDb(), null, null, { name: `app-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
    const since = Date.now() - 1000;
    const body = [
      JSON.stringify({ "@timestamp": new Date().toISOString(), message: "payment declined", level: "ERROR", service: "checkout", host: "web-1", order: 42 }),
      "[1,2,3]",
      "plain text line",
      "",
      JSON.stringify({ msg: "second", level: "info" }),
    ].join("\n");
    const res = await ndjsonPost(request(`/api/v1/logs?source=${src.name}`, { method: "POST", headers: { ...auth(), "content-type": "application/x-ndjson" }, body }));
    expect(res.status).toBe(202);
    const json = (await res.json()) as { batchId: string; accepted: number; rejected: { line: number; error: string }[] };
    expect(json.accepted).toBe(3);
    expect(json.rejected).toEqual([{ line: 2, error: expect.stringContaining("expected a JSON object") }]);
    const outcome = await drain(json.batchId);
    expect(outcome).toMatchObject({ committed: true, events: 3 });
    const events = await stored(src.id, since);
    expect(events.map((e) => e.message).sort()).toEqual(["payment declined", "plain text line", "second"]);
    const declined = events.find((e) => e.message === "payment declined")!;
    expect(declined).toMatchObject({ level: "error", service: "checkout", host: "web-1", source: src.name, attributes: { order: 42 } });
  });

  it("takes gzip bodies; refuses unknown sources, empty bodies, missing and wrong-scope keys", async () => {
    const gz = gzipSync(Buffer.from(JSON.stringify({ message: "zipped" }) + "\n"));
    const ok = await ndjsonPost(new Request("http://localhost:3000/api/v1/logs", { method: "POST", headers: { ...auth(), "content-encoding": "gzip" }, body: gz }));
    expect(ok.status).toBe(202);

    const unknown = await ndjsonPost(request("/api/v1/logs?source=nope-nope", { method: "POST", headers: auth(), body: "x" }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ message: expect.stringContaining('Unknown source "nope-nope"') });

    expect((await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: auth(), body: "" }))).status).toBe(400);
    expect((await ndjsonPost(request("/api/v1/logs", { method: "POST", body: "x" }))).status).toBe(401);
    const wrongScope = await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: auth(queryKey), body: "x" }));
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.json()).toMatchObject({ message: expect.stringContaining('"ingest" scope') });

    const badGzip = await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: { ...auth(), "content-encoding": "gzip" }, body: "not gzip" }));
    expect(badGzip.status).toBe(400);
  });

  it("refuses an oversize body with 413 before reading it all", async () => {
    const res = await ndjsonPost(request("/api/v1/logs", { method: "POST", headers: { ...auth(), "content-length": String(1024 * 1024 * 1024) }, body: "x" }));
    expect(res.status).toBe(413);
  });
});

describe("Elasticsearch compatibility", () => {
  it("answers the shipper handshake with the Elasticsearch product header", async () => {
    const root = await esRoot(request("/", { headers: auth() }));
    expect(root.status).toBe(200);
    expect(root.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect(await root.json()).toMatchObject({ version: { number: expect.stringMatching(/^8\./) }, tagline: "You Know, for Search" });
    const lic = await licenseGet(request("/_license", { headers: auth() }));
    expect(await lic.json()).toMatchObject({ license: { status: "active" } });

    const name = `filebeat-${uid()}`;
    expect((await templateHead(request(`/_index_template/${name}`, { method: "HEAD", headers: auth() }))).status).toBe(404);
    const put = await templatePut(request(`/_index_template/${name}`, { method: "PUT", headers: auth(), body: JSON.stringify({ index_patterns: ["filebeat-*"] }) }));
    expect(await put.json()).toEqual({ acknowledged: true });
    expect((await templateHead(request(`/_index_template/${name}`, { method: "HEAD", headers: auth() }))).status).toBe(200);

    const denied = await esRoot(request("/", {}));
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: { type: "security_exception" }, status: 401 });
  });

  it("_bulk answers per item; bad items never fail the good ones; the index picks the source", async () => {
    const src = await createSource(getDb(), null, null, { name: `nginx-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
    const since = Date.now() - 1000;
    const body =
      [
        JSON.stringify({ index: { _index: src.name } }),
        JSON.stringify({ "@timestamp": new Date().toISOString(), message: "GET /health 200", "log.level": "info", host: { name: "edge-1" } }),
        JSON.stringify({ delete: { _index: src.name, _id: "x" } }),
        JSON.stringify({ create: {} }),
        "{not json",
        JSON.stringify({ index: {} }),
        JSON.stringify({ message: "second doc", service: { name: "edge" } }),
      ].join("\n") + "\n";
    const res = await indexBulkPost(request(`/${src.name}/_bulk`, { method: "POST", headers: { ...auth(), "content-type": "application/x-ndjson" }, body }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-elastic-product")).toBe("Elasticsearch");
    const json = (await res.json()) as { errors: boolean; items: Record<string, { status: number }>[] };
    expect(json.errors).toBe(true);
    expect(json.items.map((i) => Object.values(i)[0]!.status)).toEqual([201, 400, 400, 201]);

    const jobs = await getQueue("logs-ingest").getJobs(["waiting"], 0, 200);
    const job = jobs.find((j) => j.data.sourceId === src.id);
    expect(job).toBeTruthy();
    await processIngestBatch(getDb(), job!.data);
    const events = await stored(src.id, since);
    expect(events.map((e) => e.message).sort()).toEqual(["GET /health 200", "second doc"]);
    expect(events.find((e) => e.message === "second doc")!.service).toBe("edge");
  });

  it("_bulk to an index that is not a source lands in the default source", async () => {
    const body = `${JSON.stringify({ index: { _index: `logs-${uid()}` } })}\n${JSON.stringify({ message: "to default" })}\n`;
    const res = await bulkPost(request("/_bulk", { method: "POST", headers: auth(), body }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { errors: boolean }).errors).toBe(false);
  });
});

describe("POST /loki/api/v1/push", () => {
  it("accepts JSON pushes with 204 and maps labels", async () => {
    const src = await createSource(getDb(), null, null, { name: `promtail-${uid()}`, pipeline: [], hotDays: 7, archiveDays: 30 });
    const since = Date.now() - 1000;
    const ns = `${Date.now()}000000`;
    const body = JSON.stringify({ streams: [{ stream: { job: "api", host: "h-9", level: "warn" }, values: [[ns, "slow query 1200ms"]] }] });
    const res = await lokiPost(request(`/loki/api/v1/push?source=${src.name}`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body }));
    expect(res.status).toBe(204);
    const jobs = await getQueue("logs-ingest").getJobs(["waiting"], 0, 200);
    await processIngestBatch(getDb(), jobs.find((j) => j.data.sourceId === src.id)!.data);
    const [e] = await stored(src.id, since);
    expect(e).toMatchObject({ message: "slow query 1200ms", service: "api", host: "h-9", level: "warn" });

    const bad = await lokiPost(request("/loki/api/v1/push", { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: "{nope" }));
    expect(bad.status).toBe(400);
  });
});

describe("POST /v1/logs (OTLP) error paths", () => {
  it("refuses a body that is neither OTLP JSON nor protobuf with a 400 naming the problem", async () => {
    for (const [contentType, body] of [
      ["text/plain", "hello"],
      ["application/json", "{not json"],
      ["application/x-protobuf", "\u00ff\u00ff\u00ff not protobuf"],
    ] as const) {
      const res = await otlpPost(request("/v1/logs", { method: "POST", headers: { ...auth(), "content-type": contentType }, body }));
      expect(res.status, contentType).toBe(400);
      expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(5);
    }
  });
});
