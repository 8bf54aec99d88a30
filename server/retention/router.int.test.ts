import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { logSources } from "@/db/schema";
import { GET as gdprExportGet } from "@/app/api/v1/logs/gdpr/export/route";
import { createSource, findSourceById } from "@/server/logs/sources";
import { getQueue } from "@/server/queues/queues";
import { auditRows, callerFor, createTestKey, createTestUser, expectTrpcError, request, uid, type TestUser } from "@/test/helpers";
import { RETENTION_DEFAULTS } from "./model";

describe("retention router", () => {
  let admin: TestUser;
  let viewer: TestUser;
  let editor: TestUser;
  const jobs: string[] = [];

  beforeAll(async () => {
    admin = await createTestUser("Admin");
    viewer = await createTestUser("Viewer");
    editor = await createTestUser("Editor");
  });

  afterAll(async () => {
    // Queued runs are not for the other tests' workers.
    for (const id of jobs) await (await getQueue("retention").getJob(id))?.remove().catch(() => {});
  });

  it("shows the overview to anyone with status:read and the watermarks; hides it from others", async () => {
    const source = await createSource(getDb(), null, null, { name: `ret-${uid()}`, pipeline: [], hotDays: 3, archiveDays: 90 });
    const overview = await callerFor(viewer.principal).retention.overview();
    expect(overview.sources.find((s) => s.id === source.id)).toMatchObject({ name: source.name, hotDays: 3, archiveDays: 90, provisioned: false });
    expect(overview.settings).toMatchObject({ metrics5mDays: expect.any(Number), auditDays: expect.any(Number) });
    const marks = await callerFor(viewer.principal).retention.watermarks();
    expect(marks.reading.dbBytes).toBeGreaterThan(0);
    await expectTrpcError(callerFor({ ...viewer.principal, permissions: new Set(["logs:read"] as const) }).retention.overview(), "FORBIDDEN");
    await expectTrpcError(callerFor(null).retention.overview(), "UNAUTHORIZED");
  });

  it("lets only settings:manage change the settings; validates and audits", async () => {
    const next = { metricsRawDays: 20, metrics5mDays: 120, metrics1hDays: 400, auditDays: 730 };
    for (const who of [viewer, editor]) {
      await expectTrpcError(callerFor(who.principal).retention.updateSettings(next), "FORBIDDEN");
      const [denied] = await auditRows({ action: "permission.denied", actorId: who.id });
      expect(denied?.details).toMatchObject({ permission: "settings:manage", procedure: "retention.updateSettings" });
    }
    await expectTrpcError(callerFor(admin.principal).retention.updateSettings({ ...next, metrics5mDays: 10 }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).retention.updateSettings({ ...next, auditDays: 8 * 366 }), "BAD_REQUEST");

    const saved = await callerFor(admin.principal).retention.updateSettings(next);
    expect(saved).toMatchObject(next);
    expect((await callerFor(viewer.principal).retention.overview()).settings).toMatchObject(next);
    const [audit] = await auditRows({ action: "retention.settings.update", actorId: admin.id });
    expect(audit).toMatchObject({ result: "success", details: { after: next } });
    // Leave the defaults for the other tests.
    await callerFor(admin.principal).retention.updateSettings({ ...RETENTION_DEFAULTS });
  });

  it("queues a manual run for settings:manage only, audited", async () => {
    await expectTrpcError(callerFor(viewer.principal).retention.runNow(), "FORBIDDEN");
    const { jobId } = await callerFor(admin.principal).retention.runNow();
    expect(jobId).toBeTruthy();
    jobs.push(jobId!);
    const job = await getQueue("retention").getJob(jobId!);
    expect(job?.data).toEqual({ kind: "run", trigger: "manual", actor: admin.email });
    const [audit] = await auditRows({ action: "retention.run.request", actorId: admin.id });
    expect(audit).toMatchObject({ result: "success", details: { jobId } });
  });

  it("changes a source's hot and archive days through the source service; provisioned sources stay read-only", async () => {
    const source = await createSource(getDb(), null, null, { name: `ret-${uid()}`, pipeline: [{ type: "json", field: "message" }], hotDays: 7, archiveDays: 30 });
    await expectTrpcError(callerFor(viewer.principal).retention.updateSource({ id: source.id, hotDays: 2, archiveDays: 60 }), "FORBIDDEN");
    await expectTrpcError(callerFor(admin.principal).retention.updateSource({ id: source.id, hotDays: 10, archiveDays: 5 }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).retention.updateSource({ id: source.id, hotDays: 0, archiveDays: 5 }), "BAD_REQUEST");

    expect(await callerFor(admin.principal).retention.updateSource({ id: source.id, hotDays: 2, archiveDays: 60 })).toMatchObject({ hotDays: 2, archiveDays: 60 });
    const after = await findSourceById(getDb(), source.id);
    expect(after).toMatchObject({ name: source.name, hotDays: 2, archiveDays: 60, pipeline: source.pipeline, description: source.description });
    const [audit] = await auditRows({ action: "source.update", targetId: source.id });
    expect(audit).toMatchObject({ actorId: admin.id, details: { hotDays: 2, archiveDays: 60 } });

    await getDb().update(logSources).set({ provisioned: true }).where(eq(logSources.id, source.id));
    const err = await expectTrpcError(callerFor(admin.principal).retention.updateSource({ id: source.id, hotDays: 3, archiveDays: 60 }), "FORBIDDEN");
    expect(err.message).toContain("provisioning file");
    await expectTrpcError(callerFor(admin.principal).retention.updateSource({ id: "00000000-0000-4000-8000-000000000000", hotDays: 3, archiveDays: 60 }), "NOT_FOUND");
  });

  it("GET /api/v1/logs/gdpr/export: admin scope or logs:gdpr; a query is required", async () => {
    const adminKey = (await createTestKey(["admin"])).key;
    const queryKey = (await createTestKey(["query"])).key;
    const get = (q: string, auth?: string) => gdprExportGet(request(`/api/v1/logs/gdpr/export?q=${encodeURIComponent(q)}`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} }));
    expect((await get("user_id:1")).status).toBe(401);
    const wrong = await get("user_id:1", queryKey);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ message: expect.stringContaining('"admin" scope') });
    const empty = await get(" ", adminKey);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ message: expect.stringContaining("user_id:12345") });
  });
});
