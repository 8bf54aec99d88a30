import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as queryGet, POST as queryPost } from "@/app/api/v1/query/route";
import { GET as rangeGet } from "@/app/api/v1/query_range/route";
import { GET as seriesGet } from "@/app/api/v1/series/route";
import { GET as labelsGet } from "@/app/api/v1/labels/route";
import { GET as labelValuesGet } from "@/app/api/v1/label/[name]/values/route";
import { GET as metadataGet } from "@/app/api/v1/metadata/route";
import { GET as buildinfoGet } from "@/app/api/v1/status/buildinfo/route";
import { POST as deleteSeriesPost } from "@/app/api/v1/admin/tsdb/delete_series/route";
import { getDb } from "@/db/client";
import type { Principal } from "@/server/auth/principal";
import { upsertMetadata } from "@/server/metrics/store/metadata";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { appendSamples } from "@/server/metrics/store/write";
import { createTestKey, uid } from "@/test/helpers";
import { instantQuery } from "./api";
import { queryableFor } from "./http";

const resolver = new SeriesResolver(10_000);
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;

/** 3 counter series of `name` (job a/b, 2 instances of a) at 15 s for 30 minutes: +1/s, +2/s, +3/s. */
async function seed(name: string) {
  const series = [
    { job: "a", instance: "i1", team: "pay" },
    { job: "a", instance: "i2", team: "pay" },
    { job: "b", instance: "i1", team: "web" },
  ].map((l, k) => ({
    labels: { __name__: name, ...l },
    samples: Array.from({ length: 121 }, (_, i) => ({ timestampMs: T0 + i * 15_000, value: i * 15 * (k + 1) })),
  }));
  await appendSamples(getDb(), { batchId: randomUUID(), series }, { resolver });
  await upsertMetadata(getDb(), [{ name, type: "counter", help: "Requests.", unit: "" }]);
}

async function get(handler: (r: Request) => Promise<Response>, path: string, key: string) {
  const res = await handler(new Request(`http://localhost:3000${path}`, { headers: { host: "localhost:3000", authorization: `Bearer ${key}` } }));
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as { status: string; data: unknown; errorType?: string; error?: string }) };
}

const q = (p: Record<string, string>) => new URLSearchParams(p).toString();

describe("Prometheus HTTP API", () => {
  it("answers instant and range queries in Prometheus's shapes (GET and form POST)", async () => {
    const name = `req_${uid()}_total`;
    await seed(name);
    const { key } = await createTestKey(["query"]);
    const at = (T0 + 30 * 60_000) / 1000;
    const inst = await get(queryGet, `/api/v1/query?${q({ query: `sum by (job) (rate(${name}[5m]))`, time: String(at) })}`, key);
    expect(inst.status).toBe(200);
    const data = inst.body!.data as { resultType: string; result: { metric: object; value: [number, string] }[] };
    expect(inst.body!.status).toBe("success");
    expect(data.resultType).toBe("vector");
    expect(data.result.map((r) => r.metric)).toEqual([{ job: "a" }, { job: "b" }]);
    for (const r of data.result) {
      expect(r.value[0]).toBe(at);
      expect(Number(r.value[1])).toBeCloseTo(3, 9); // (1 + 2)/s for job a, 3/s for job b
    }

    const form = await queryPost(
      new Request("http://localhost:3000/api/v1/query", {
        method: "POST",
        headers: { host: "localhost:3000", authorization: `Bearer ${key}`, "content-type": "application/x-www-form-urlencoded" },
        body: q({ query: `count(${name})`, time: String(at) }),
      }),
    );
    expect(((await form.json()) as { data: { result: { value: [number, string] }[] } }).data.result[0]!.value).toEqual([at, "3"]);

    const range = await get(rangeGet, `/api/v1/query_range?${q({ query: `${name}{job="b"}`, start: String(T0 / 1000), end: String(T0 / 1000 + 60), step: "30s" })}`, key);
    expect(range.body).toEqual({
      status: "success",
      data: {
        resultType: "matrix",
        result: [{ metric: { __name__: name, instance: "i1", job: "b", team: "web" }, values: [[T0 / 1000, "0"], [T0 / 1000 + 30, "90"], [T0 / 1000 + 60, "180"]] }],
      },
    });
  });

  it("lists series, label names, label values and metadata; reports buildinfo", async () => {
    const name = `req_${uid()}_total`;
    await seed(name);
    const { key } = await createTestKey(["query"]);
    const s = await get(seriesGet, `/api/v1/series?${q({ "match[]": `${name}{job="a"}` })}`, key);
    expect((s.body!.data as { instance: string }[]).map((x) => x.instance).sort()).toEqual(["i1", "i2"]);
    const l = await get(labelsGet, `/api/v1/labels?${q({ "match[]": name })}`, key);
    expect(l.body!.data).toEqual(["__name__", "instance", "job", "team"]);
    const v = await get(labelValuesGet, `/api/v1/label/job/values?${q({ "match[]": name })}`, key);
    expect(v.body!.data).toEqual(["a", "b"]);
    const names = await get(labelValuesGet, `/api/v1/label/__name__/values`, key);
    expect(names.body!.data).toContain(name);
    const m = await get(metadataGet, `/api/v1/metadata?${q({ metric: name })}`, key);
    expect(m.body!.data).toEqual({ [name]: [{ type: "counter", help: "Requests.", unit: "" }] });
    const b = await get(buildinfoGet, "/api/v1/status/buildinfo", key);
    expect((b.body!.data as { version: string }).version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("uses Prometheus's error envelope: bad_data 400 with the parse position, 401 without a key, 403 without the scope", async () => {
    const { key } = await createTestKey(["query"]);
    const bad = await get(queryGet, `/api/v1/query?${q({ query: "sum(rate(x[5m])" })}`, key);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: "error", errorType: "bad_data" });
    expect(bad.body!.error).toMatch(/parse error/);
    const range = await get(rangeGet, `/api/v1/query_range?${q({ query: "up", start: "0", end: "100000", step: "1" })}`, key);
    expect(range.body!.error).toContain("exceeded maximum resolution of 11,000 points per timeseries");
    const anon = await queryGet(new Request("http://localhost:3000/api/v1/query?query=up", { headers: { host: "localhost:3000" } }));
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ status: "error" });
    const ingestOnly = (await createTestKey(["ingest"])).key;
    expect((await get(queryGet, "/api/v1/query?query=up", ingestOnly)).status).toBe(403);
  });

  it("applies a role's label-matcher data filter to every query", async () => {
    const name = `req_${uid()}_total`;
    await seed(name);
    const principal = { type: "user", dataFilter: { labelMatchers: ['team="web"'] } } as unknown as Principal;
    const r = await instantQuery(queryableFor(getDb(), principal), new URLSearchParams({ query: `count by (team) (${name})`, time: String(T0 / 1000 + 60) }), Date.now());
    expect(r.data).toEqual({ resultType: "vector", result: [{ metric: { team: "web" }, value: [T0 / 1000 + 60, "1"] }] });
  });

  it("delete_series removes samples for good (admin scope only) and the same timestamps can be written again", async () => {
    const name = `req_${uid()}_total`;
    await seed(name);
    const query = (await createTestKey(["query"])).key;
    const admin = (await createTestKey(["admin"])).key;
    const path = `/api/v1/admin/tsdb/delete_series?${q({ "match[]": `${name}{job="b"}` })}`;
    const post = (key: string) => deleteSeriesPost(new Request(`http://localhost:3000${path}`, { method: "POST", headers: { host: "localhost:3000", authorization: `Bearer ${key}` } }));
    expect((await post(query)).status).toBe(403);
    expect((await post(admin)).status).toBe(204);
    const at = String(T0 / 1000 + 600);
    const after = await get(queryGet, `/api/v1/query?${q({ query: `count(${name})`, time: at })}`, query);
    expect((after.body!.data as { result: { value: [number, string] }[] }).result[0]!.value[1]).toBe("2");
    await appendSamples(getDb(), { batchId: randomUUID(), series: [{ labels: { __name__: name, job: "b", instance: "i1", team: "web" }, samples: [{ timestampMs: T0 + 600_000, value: 5 }] }] }, { resolver });
    const again = await get(queryGet, `/api/v1/query?${q({ query: `${name}{job="b"}`, time: at })}`, query);
    expect((again.body!.data as { result: { value: [number, string] }[] }).result[0]!.value[1]).toBe("5");
  });
});
