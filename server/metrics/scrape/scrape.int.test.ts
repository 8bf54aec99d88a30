import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Job } from "bullmq";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/metrics/route";
import { getDb } from "@/db/client";
import { scrapeTargetHealth } from "@/db/schema";
import { env } from "@/env";
import type { LabelMatcher } from "@/server/metrics/promql/ast";
import { PgQueryable } from "@/server/metrics/store/read";
import { SeriesResolver } from "@/server/metrics/store/series-resolver";
import { getQueue } from "@/server/queues/queues";
import { scrapeSchedulers } from "@/server/queues/schedulers";
import { auditRows, callerFor, createTestUser, expectTrpcError, request, uid, type TestUser } from "@/test/helpers";
import { processScrape } from "@/workers/scrape";
import { provisionScrapeJobs } from "./jobs";
import { selfScrapeConfig, selfScrapeToken } from "./self";
import { reconcileScrapeTargets, runScrapeTarget, schedulerId, type SchedulerPort } from "./service";

const eq_ = (name: string, value: string): LabelMatcher => ({ type: "=", name, value });

/** A /metrics endpoint whose body and status the test changes between scrapes. */
async function exporter() {
  const state = { status: 200, body: "" };
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    res.writeHead(state.status, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(state.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { state, address, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function fakeSchedulers(): SchedulerPort & { ids: Map<string, number> } {
  const ids = new Map<string, number>();
  return {
    ids,
    list: async () => [...ids].map(([id, every]) => ({ id, every })),
    upsert: async (id, every) => void ids.set(id, every),
    remove: async (id) => void ids.delete(id),
  };
}

const job = (data: unknown, id: string) => ({ id, data, timestamp: Date.now() }) as unknown as Job;

async function read(name: string, job: string, start: number, end = Date.now() + 1000) {
  return new PgQueryable(getDb()).select([eq_("__name__", name), eq_("job", job)], { start, end });
}

describe("scraping", () => {
  let editor: TestUser;
  let viewer: TestUser;
  let target: Awaited<ReturnType<typeof exporter>>;

  beforeAll(async () => {
    editor = await createTestUser("Editor");
    viewer = await createTestUser("Viewer");
    target = await exporter();
  });
  afterAll(async () => {
    await target.close();
    await getQueue("scrape").obliterate({ force: true });
  });

  it("creates a job, scrapes it twice through the processor, stores samples, health and stale markers", async () => {
    const name = `app-${uid()}`;
    const started = Date.now() - 1;
    const created = await callerFor(editor.principal).scrapeJobs.create({
      config: { job_name: name, scrape_interval: "15s", static_configs: [{ targets: [target.address], labels: { env: "it" } }] },
    });
    expect(created.targets).toEqual([expect.objectContaining({ url: `http://${target.address}/metrics`, health: "unknown", labels: { env: "it", instance: target.address, job: name } })]);
    expect(await auditRows({ action: "scrape_job.create", targetId: created.id })).toHaveLength(1);
    const url = created.targets[0]!.url;

    target.state.body = 'requests_total{code="200"} 5\nrequests_total{code="500"} 1\n';
    const first = await processScrape(job({ kind: "scrape", jobId: created.id, url }, `run-${uid()}`));
    expect(first).toMatchObject({ status: "scraped", up: true, committed: true, samplesPostMetricRelabeling: 2, seriesAdded: 2 });

    const [up] = await read("up", name, started);
    expect([...up!.values]).toEqual([1]);
    expect(up!.labels).toMatchObject({ instance: target.address, env: "it" });
    const [row] = await getDb().select().from(scrapeTargetHealth).where(and(eq(scrapeTargetHealth.jobId, created.id), eq(scrapeTargetHealth.url, url)));
    expect(row).toMatchObject({ health: "up", lastSamples: 2, lastError: null });
    expect(row!.lastSeriesIds).toHaveLength(2 + 5); // two scraped series and the five report series

    // The target stops exposing code="500": that series gets a stale marker on the next scrape.
    await new Promise((r) => setTimeout(r, 5));
    target.state.body = 'requests_total{code="200"} 9\n';
    const runId = `run-${uid()}`;
    const second = await processScrape(job({ kind: "scrape", jobId: created.id, url }, runId));
    expect(second).toMatchObject({ status: "scraped", up: true, staleMarkers: 1, seriesAdded: 0 });
    const series = await read("requests_total", name, started);
    const byCode = Object.fromEntries(series.map((s) => [s.labels.code, s]));
    expect([...byCode["200"]!.values]).toEqual([5, 9]);
    expect(byCode["500"]!.values[0]).toBe(1);
    expect([...byCode["500"]!.stale!]).toEqual([0, 1]);

    // A retried run (same job id, same batch) stores nothing twice.
    const retried = await processScrape(job({ kind: "scrape", jobId: created.id, url }, runId));
    expect(retried).toMatchObject({ status: "scraped", committed: false });
    expect((await read("up", name, started))[0]!.values).toHaveLength(2);

    // The list shows the target up with its last scrape.
    const [listed] = (await callerFor(viewer.principal).scrapeJobs.list()).filter((j) => j.id === created.id);
    expect(listed!.targets[0]).toMatchObject({ health: "up", lastSamples: 1, lastError: null });
    expect(listed!.targets[0]!.lastScrapeAt).toBeInstanceOf(Date);

    // A failing target: up 0, the error kept on the health row, its series stale.
    target.state.status = 500;
    const failed = await processScrape(job({ kind: "scrape", jobId: created.id, url }, `run-${uid()}`));
    expect(failed).toMatchObject({ up: false, error: "server returned HTTP status 500 Internal Server Error" });
    target.state.status = 200;
    const ups = await read("up", name, started);
    expect([...ups[0]!.values]).toEqual([1, 1, 0]);
    const after = await read("requests_total", name, started);
    expect(after.find((s) => s.labels.code === "200")!.stale!.at(-1)).toBe(1);
    const byIdView = await callerFor(viewer.principal).scrapeJobs.byId({ id: created.id });
    expect(byIdView.targets[0]).toMatchObject({ health: "down", lastError: "server returned HTTP status 500 Internal Server Error" });

    // Deleting the job enqueues one stale marker per series of its last scrape (here: the report series).
    await getQueue("scrape").obliterate({ force: true });
    await callerFor(editor.principal).scrapeJobs.delete({ id: created.id });
    const queued = (await getQueue("scrape").getJobs(["waiting", "prioritized"])).filter((j) => j.data.kind === "stale");
    expect(queued).toHaveLength(1);
    expect(await processScrape(job(queued[0]!.data, queued[0]!.id!))).toEqual({ stale: 5 });
    expect(await processScrape(job(queued[0]!.data, queued[0]!.id!))).toEqual({ stale: 0 }); // once
    expect((await read("up", name, started))[0]!.stale!.at(-1)).toBe(1);
  });

  it("keeps schedulers in line with enabled jobs and marks a retired target's series stale once", async () => {
    const name = `rec-${uid()}`;
    const db = getDb();
    const resolver = new SeriesResolver(1000);
    const caller = callerFor(editor.principal);
    const created = await caller.scrapeJobs.create({ config: { job_name: name, scrape_interval: "30s", static_configs: [{ targets: [target.address] }] } });
    const url = created.targets[0]!.url;
    const schedulers = fakeSchedulers();
    schedulers.ids.set("scrape:00000000-0000-4000-8000-000000000000:gone", 15_000);
    schedulers.ids.set("reconcile-scrape-targets", 60_000);

    const r1 = await reconcileScrapeTargets({ db, resolver }, schedulers);
    expect(schedulers.ids.get(schedulerId(created.id, url))).toBe(30_000);
    expect(schedulers.ids.has("scrape:00000000-0000-4000-8000-000000000000:gone")).toBe(false);
    expect(schedulers.ids.has("reconcile-scrape-targets")).toBe(true); // not ours to remove
    expect(r1.removed).toBe(1);
    const again = await reconcileScrapeTargets({ db, resolver }, schedulers);
    expect(again).toMatchObject({ upserted: 0, removed: 0, retired: 0 });

    const started = Date.now() - 1;
    target.state.body = "temperature 20\n";
    const deps = { db, resolver, fetch: (u: string, init: Parameters<typeof fetch>[1]) => fetch(u, init) };
    await runScrapeTarget(deps, { jobId: created.id, url }, `b-${uid()}`);

    // Disabling the job removes its scheduler and marks its series stale, once.
    await caller.scrapeJobs.setEnabled({ id: created.id, enabled: false });
    expect(await auditRows({ action: "scrape_job.disable", targetId: created.id })).toHaveLength(1);
    const r2 = await reconcileScrapeTargets({ db, resolver }, schedulers);
    expect(r2).toMatchObject({ removed: 1, retired: 1 });
    expect(schedulers.ids.has(schedulerId(created.id, url))).toBe(false);
    const [temp] = await read("temperature", name, started);
    expect([...temp!.stale!]).toEqual([0, 1]);
    const [up] = await read("up", name, started);
    expect([...up!.stale!]).toEqual([0, 1]);
    expect(await reconcileScrapeTargets({ db, resolver }, schedulers)).toMatchObject({ retired: 0 });
    // A scheduled run that was already queued does nothing.
    expect(await runScrapeTarget(deps, { jobId: created.id, url }, `b-${uid()}`)).toEqual({ status: "skipped", reason: "job disabled" });

    // Deleting enqueues nothing for a job without series, and is audited.
    await caller.scrapeJobs.delete({ id: created.id });
    expect(await auditRows({ action: "scrape_job.delete", targetId: created.id })).toHaveLength(1);
    await expectTrpcError(caller.scrapeJobs.byId({ id: created.id }), "NOT_FOUND");
  });

  it("sees a job's config change on the next scrape (targets are kept per process while the config is unchanged)", async () => {
    const name = `chg-${uid()}`;
    const db = getDb();
    const deps = { db, resolver: new SeriesResolver(1000), fetch: (u: string, init: Parameters<typeof fetch>[1]) => fetch(u, init) };
    const caller = callerFor(editor.principal);
    const config = { job_name: name, static_configs: [{ targets: [target.address] }] };
    const created = await caller.scrapeJobs.create({ config });
    const url = created.targets[0]!.url;
    const started = Date.now() - 1;
    target.state.body = "temperature 20\n";
    expect(await runScrapeTarget(deps, { jobId: created.id, url }, `b-${uid()}`)).toMatchObject({ status: "scraped", up: true });
    await caller.scrapeJobs.update({ id: created.id, config: { ...config, static_configs: [{ targets: [target.address], labels: { zone: "a" } }] } });
    expect(await runScrapeTarget(deps, { jobId: created.id, url }, `b-${uid()}`)).toMatchObject({ status: "scraped", up: true });
    expect((await read("temperature", name, started)).map((s) => s.labels.zone ?? null).sort()).toEqual(["a", null]);
    await caller.scrapeJobs.update({ id: created.id, config: { ...config, metrics_path: "/other" } });
    expect(await runScrapeTarget(deps, { jobId: created.id, url }, `b-${uid()}`)).toEqual({ status: "skipped", reason: "target no longer in the job's config" });
    await caller.scrapeJobs.delete({ id: created.id });
  });

  it("reconciles against BullMQ's job schedulers (ids with URLs in them round-trip)", async () => {
    const db = getDb();
    const resolver = new SeriesResolver(1000);
    const created = await callerFor(editor.principal).scrapeJobs.create({ config: { job_name: `bull-${uid()}`, scrape_interval: "45s", static_configs: [{ targets: [target.address] }] } });
    const id = schedulerId(created.id, created.targets[0]!.url);
    const first = await reconcileScrapeTargets({ db, resolver }, scrapeSchedulers());
    expect(first.upserted).toBeGreaterThanOrEqual(1);
    expect(await getQueue("scrape").getJobScheduler(id)).toMatchObject({ key: id, every: 45_000, template: { data: { kind: "scrape", jobId: created.id, url: created.targets[0]!.url } } });
    expect(await reconcileScrapeTargets({ db, resolver }, scrapeSchedulers())).toMatchObject({ upserted: 0, removed: 0 });
    await callerFor(editor.principal).scrapeJobs.delete({ id: created.id });
    await reconcileScrapeTargets({ db, resolver }, scrapeSchedulers());
    expect(await getQueue("scrape").getJobScheduler(id)).toBeUndefined();
  });

  it("refuses invalid configs per field, duplicate names, writes without targets:write, and edits of provisioned jobs", async () => {
    const caller = callerFor(editor.principal);
    const bad = await expectTrpcError(
      caller.scrapeJobs.create({ config: { job_name: "x", scrape_interval: "5s", scrape_timeout: "10s", static_configs: [{ targets: ["http://a/metrics"] }] } }),
      "BAD_REQUEST",
    );
    const paths = (bad.cause as { issues?: { path: (string | number)[] }[] } | undefined)?.issues?.map((i) => i.path.join("."));
    expect(paths).toContain("config.static_configs.0.targets.0");

    const name = `dup-${uid()}`;
    await caller.scrapeJobs.create({ config: { job_name: name } });
    await expectTrpcError(caller.scrapeJobs.create({ config: { job_name: name } }), "CONFLICT");

    await expectTrpcError(callerFor(viewer.principal).scrapeJobs.create({ config: { job_name: `v-${uid()}` } }), "FORBIDDEN");
    expect((await auditRows({ action: "permission.denied", actorId: viewer.id })).some((r) => (r.details as { procedure?: string }).procedure === "scrapeJobs.create")).toBe(true);

    const selfJob = selfScrapeConfig({ PORT: 3999 });
    const provisioned = await provisionScrapeJobs(getDb(), [{ ...selfJob, job_name: `prov-${uid()}` }]);
    expect(provisioned.created).toHaveLength(1);
    expect(await provisionScrapeJobs(getDb(), [{ ...selfJob, job_name: provisioned.created[0]! }])).toEqual({ created: [], updated: [], unchanged: [provisioned.created[0]], skipped: [] });
    const row = (await caller.scrapeJobs.list()).find((j) => j.name === provisioned.created[0])!;
    expect(row.provisioned).toBe(true);
    await expectTrpcError(caller.scrapeJobs.update({ id: row.id, config: { job_name: row.name } }), "FORBIDDEN");
    await expectTrpcError(caller.scrapeJobs.delete({ id: row.id }), "FORBIDDEN");
  });

  it("redacts secrets on the way out and keeps them when the form sends <secret> back", async () => {
    const caller = callerFor(editor.principal);
    const created = await caller.scrapeJobs.create({ config: { job_name: `sec-${uid()}`, basic_auth: { username: "u", password: "hunter2" }, static_configs: [{ targets: [target.address] }] } });
    expect(created.config.basic_auth).toEqual({ username: "u", password: "<secret>" });
    await caller.scrapeJobs.update({ id: created.id, config: { ...created.config, scrape_interval: "20s" } });
    let auth: string | undefined;
    const deps = {
      db: getDb(),
      resolver: new SeriesResolver(1000),
      fetch: async (u: string, init: { headers: Record<string, string> }) => {
        auth = init.headers.authorization;
        return new Response("x 1\n", { status: 200 });
      },
    };
    await runScrapeTarget(deps, { jobId: created.id, url: created.targets[0]!.url }, `b-${uid()}`);
    expect(auth).toBe(`Basic ${Buffer.from("u:hunter2").toString("base64")}`);
  });

  it("serves /metrics to the self-scrape token and to nothing else without a key", async () => {
    const token = selfScrapeToken(env().LOOKOUT_SECRET)!;
    const ok = await metricsRoute(request("/metrics", { headers: { authorization: `Bearer ${token}` } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("lookout_jobs_total");
    expect((await metricsRoute(request("/metrics", { headers: { authorization: `Bearer ${token}x` } }))).status).toBe(401);
    expect((await metricsRoute(request("/metrics"))).status).toBe(401);
  });
});
