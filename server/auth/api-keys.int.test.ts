import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as whoami } from "@/app/api/v1/whoami/route";
import { GET as metricsRoute } from "@/app/metrics/route";
import { getDb } from "@/db/client";
import { apiKeys, serviceAccounts } from "@/db/schema";
import { auditRows, basicAuth, callerFor, createTestKey, createTestUser, expectTrpcError, request, uid, type TestUser } from "@/test/helpers";
import { createApiKey, revokeApiKey } from "./api-keys";

type Whoami = { type: string; id: string; name: string; role: string | null; scopes?: string[]; apiKeyId?: string; permissions: string[] };

async function keyRow(id: string) {
  const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, id));
  return row!;
}

describe("API keys", () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createTestUser("Admin");
  });

  it("returns the key once and stores only its SHA-256", async () => {
    const caller = callerFor(admin.principal);
    const sa = await caller.serviceAccounts.create({ name: `filebeat-${uid()}` });
    const created = await caller.serviceAccounts.createKey({ serviceAccountId: sa.id, name: "prod", scopes: ["ingest", "ingest"] });
    expect(created.key).toMatch(/^lk_[A-Za-z0-9_-]{40}$/);
    expect(created.scopes).toEqual(["ingest"]);

    const row = await keyRow(created.id);
    expect(row.keyHash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(row.prefix).toBe(created.key.slice(0, 9));
    expect(row.createdBy).toBe(admin.id);
    // The plaintext is nowhere in the database: not in the row, not in the audit log.
    const inRow = await getDb().execute(sql`select count(*)::int as n from api_keys where row_to_json(api_keys)::text like ${`%${created.key}%`}`);
    expect(inRow.rows[0]).toEqual({ n: 0 });
    const inAudit = await getDb().execute(sql`select count(*)::int as n from audit_log where row_to_json(audit_log)::text like ${`%${created.key.slice(9)}%`}`);
    expect(inAudit.rows[0]).toEqual({ n: 0 });

    const audit = await auditRows({ action: "apikey.create", targetId: created.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ scopes: ["ingest"], prefix: row.prefix });

    const listed = await caller.serviceAccounts.list();
    const listedKey = listed.find((a) => a.id === sa.id)!.keys[0]!;
    expect(listedKey).toMatchObject({ id: created.id, prefix: row.prefix, scopes: ["ingest"] });
    expect(JSON.stringify(listed)).not.toContain(row.keyHash);
  });

  it("validates scopes and requires apikeys:manage", async () => {
    const viewer = await createTestUser("Viewer");
    const { serviceAccount } = await createTestKey(["query"]);
    await expectTrpcError(callerFor(admin.principal).serviceAccounts.createKey({ serviceAccountId: serviceAccount.id, name: "k", scopes: [] }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).serviceAccounts.createKey({ serviceAccountId: serviceAccount.id, name: "k", scopes: ["root"] }), "BAD_REQUEST");
    await expectTrpcError(callerFor(viewer.principal).serviceAccounts.createKey({ serviceAccountId: serviceAccount.id, name: "k", scopes: ["query"] }), "FORBIDDEN");
    await expectTrpcError(callerFor(admin.principal).serviceAccounts.create({ name: serviceAccount.name }), "CONFLICT");
  });

  it("disabling a service account refuses all its keys until it is enabled again", async () => {
    const caller = callerFor(admin.principal);
    const { serviceAccount, key } = await createTestKey(["query"]);
    const call = () => whoami(request("/api/v1/whoami", { headers: { authorization: `Bearer ${key}` } }));
    expect((await call()).status).toBe(200);
    await caller.serviceAccounts.setDisabled({ id: serviceAccount.id, disabled: true });
    expect((await call()).status).toBe(401);
    await caller.serviceAccounts.setDisabled({ id: serviceAccount.id, disabled: false });
    expect((await call()).status).toBe(200);
    const audit = await auditRows({ targetId: serviceAccount.id });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["serviceaccount.disable", "serviceaccount.enable"]));
    await expectTrpcError(callerFor((await createTestUser("Editor")).principal).serviceAccounts.setDisabled({ id: serviceAccount.id, disabled: true }), "FORBIDDEN");
  });

  describe("GET /api/v1/whoami", () => {
    it("identifies a key sent as Bearer, as Basic password (with or without user) and as X-API-Key", async () => {
      const { key, id, serviceAccount } = await createTestKey(["query", "ingest"]);
      const forms: Record<string, string>[] = [
        { authorization: `Bearer ${key}` },
        { authorization: basicAuth("", key) },
        { authorization: basicAuth("grafana", key) },
        { "x-api-key": key },
      ];
      for (const headers of forms) {
        const res = await whoami(request("/api/v1/whoami", { headers }));
        expect(res.status, JSON.stringify(headers)).toBe(200);
        const body = (await res.json()) as Whoami;
        expect(body).toMatchObject({ type: "service_account", id: serviceAccount.id, name: serviceAccount.name, role: null, apiKeyId: id });
        expect(body.scopes).toEqual(["query", "ingest"]);
        expect(body.permissions).toContain("logs:write");
        expect(body.permissions).toContain("logs:read");
        expect(body.permissions).not.toContain("users:manage");
      }
    });

    it("answers 401 with WWW-Authenticate when no credentials are sent", async () => {
      const res = await whoami(request("/api/v1/whoami"));
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/Bearer/);
      expect(((await res.json()) as { code: string }).code).toBe("UNAUTHENTICATED");
    });

    it("answers 401 to a revoked key and audits the failed use", async () => {
      const { key, id } = await createTestKey(["query"]);
      expect((await whoami(request("/api/v1/whoami", { headers: { "x-api-key": key } }))).status).toBe(200);
      await revokeApiKey(getDb(), admin.principal, null, id);
      const ua = `revoked-test-${uid()}`;
      const res = await whoami(request("/api/v1/whoami", { headers: { authorization: `Bearer ${key}`, "user-agent": ua, "x-forwarded-for": "192.0.2.44" } }));
      expect(res.status).toBe(401);
      const failed = await getDb().execute<{ n: number }>(
        sql`select count(*)::int as n from audit_log where action = 'apikey.auth_failed' and result = 'failure' and ip = '192.0.2.44' and details->>'userAgent' = ${ua} and details->>'keyPrefix' = ${key.slice(0, 9)}`,
      );
      expect(failed.rows[0]!.n).toBe(1);
      await expect(revokeApiKey(getDb(), admin.principal, null, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("answers 401 to an expired key and to a key of a disabled service account", async () => {
      const { serviceAccount, key: liveKey } = await createTestKey(["query"]);
      const expired = await createApiKey(getDb(), admin.principal, null, {
        serviceAccountId: serviceAccount.id,
        name: "old",
        scopes: ["query"],
        expiresAt: new Date(Date.now() - 1000),
      });
      expect((await whoami(request("/api/v1/whoami", { headers: { "x-api-key": expired.key } }))).status).toBe(401);
      expect((await whoami(request("/api/v1/whoami", { headers: { "x-api-key": liveKey } }))).status).toBe(200);
      await getDb().update(serviceAccounts).set({ disabled: true }).where(eq(serviceAccounts.id, serviceAccount.id));
      expect((await whoami(request("/api/v1/whoami", { headers: { "x-api-key": liveKey } }))).status).toBe(401);
    });

    it("records when a key was last used, at most once a minute", async () => {
      const { key, id } = await createTestKey(["query"]);
      expect((await keyRow(id)).lastUsedAt).toBeNull();
      await whoami(request("/api/v1/whoami", { headers: { "x-api-key": key } }));
      expect((await keyRow(id)).lastUsedAt).toBeInstanceOf(Date);

      const recent = new Date(Date.now() - 10_000);
      await getDb().update(apiKeys).set({ lastUsedAt: recent }).where(eq(apiKeys.id, id));
      await whoami(request("/api/v1/whoami", { headers: { "x-api-key": key } }));
      expect((await keyRow(id)).lastUsedAt!.getTime()).toBe(recent.getTime());

      const old = new Date(Date.now() - 5 * 60_000);
      await getDb().update(apiKeys).set({ lastUsedAt: old }).where(eq(apiKeys.id, id));
      await whoami(request("/api/v1/whoami", { headers: { "x-api-key": key } }));
      expect((await keyRow(id)).lastUsedAt!.getTime()).toBeGreaterThan(old.getTime());
    });
  });

  describe("GET /metrics", () => {
    it("answers 403 to an ingest-only key, naming the scope it lacks, and audits the denial", async () => {
      const { key, serviceAccount } = await createTestKey(["ingest"]);
      const res = await metricsRoute(request("/metrics", { headers: { authorization: `Bearer ${key}` } }));
      expect(res.status).toBe(403);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe("FORBIDDEN");
      expect(body.message).toContain('"query" scope');
      const denied = await auditRows({ action: "permission.denied", actorId: serviceAccount.id });
      expect(denied).toHaveLength(1);
      expect(denied[0]!.details).toMatchObject({ permission: "status:read", method: "GET", path: "/metrics" });
    });

    it("serves the Prometheus text format to a query key", async () => {
      const { key } = await createTestKey(["query"]);
      const res = await metricsRoute(request("/metrics", { headers: { "x-api-key": key } }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^# HELP lookout_queue_jobs /m);
      expect(text).toMatch(/^lookout_queue_jobs\{queue="maintenance",state="waiting"\} \d+$/m);
      expect(text).toMatch(/^lookout_workers_alive \d+$/m);
    });
  });
});
