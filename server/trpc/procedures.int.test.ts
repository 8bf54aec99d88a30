import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { getDb } from "@/db/client";
import { user } from "@/db/schema";
import { findRoleByName } from "@/server/auth/roles";
import { POST as trpcPost, GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { auditRows, callerFor, createTestKey, createTestUser, expectTrpcError, request, uniqueEmail, type TestUser } from "@/test/helpers";

type TrpcErrorBody = { error: { json: { message: string; data: { code: string; httpStatus: number; appCode: string | null; zodIssues: { path: string[]; message: string }[] | null } } } };

function trpcRequest(procedure: string, input: unknown, headers: Record<string, string>) {
  return request(`/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: input }),
  });
}

describe("procedure guards (createCaller)", () => {
  let viewer: TestUser;
  let admin: TestUser;
  let viewerRoleId: string;
  beforeAll(async () => {
    viewer = await createTestUser("Viewer");
    admin = await createTestUser("Admin");
    viewerRoleId = (await findRoleByName(getDb(), "Viewer"))!.id;
  });

  it("answers FORBIDDEN to a Viewer creating a user, audits the denial and changes nothing", async () => {
    const email = uniqueEmail("denied");
    const err = await expectTrpcError(
      callerFor(viewer.principal).users.create({ email, password: "password-1", roleId: viewerRoleId }),
      "FORBIDDEN",
    );
    expect(err.message).toContain("users:manage");
    expect(await getDb().select().from(user).where(eq(user.email, email))).toHaveLength(0);

    const denied = await auditRows({ action: "permission.denied", actorId: viewer.id });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorType: "user", actorName: viewer.email, result: "denied" });
    expect(denied[0]!.details).toEqual({ permission: "users:manage", procedure: "users.create", type: "mutation" });
  });

  it("answers FORBIDDEN to a Viewer reading the audit log, and lets an Auditor read it", async () => {
    await expectTrpcError(callerFor(viewer.principal).audit.list({}), "FORBIDDEN");
    const auditor = await createTestUser("Auditor");
    const page = await callerFor(auditor.principal).audit.list({ actor: viewer.id, action: "permission.denied" });
    expect(page.items.map((r) => r.details)).toContainEqual({ permission: "audit:read", procedure: "audit.list", type: "query" });
  });

  it("answers UNAUTHORIZED without a principal, for guarded and merely protected procedures", async () => {
    await expectTrpcError(callerFor(null).users.list(), "UNAUTHORIZED");
    await expectTrpcError(callerFor(null).users.create({ email: uniqueEmail(), password: "password-1", roleId: viewerRoleId }), "UNAUTHORIZED");
    await expectTrpcError(callerFor(null).me.get(), "UNAUTHORIZED");
  });

  it("answers BAD_REQUEST with the zod issues for malformed input", async () => {
    const err = await expectTrpcError(
      callerFor(admin.principal).users.create({ email: "not-an-email", password: "short", roleId: "admin" }),
      "BAD_REQUEST",
    );
    expect(err.cause).toBeInstanceOf(ZodError);
    const paths = (err.cause as ZodError).issues.map((i) => i.path.join("."));
    expect(paths.sort()).toEqual(["email", "password", "roleId"]);
  });

  it("me.get describes the signed-in user", async () => {
    const me = await callerFor(viewer.principal).me.get();
    expect(me).toMatchObject({ type: "user", id: viewer.id, email: viewer.email, role: "Viewer", scopes: null });
    expect(me.permissions).toContain("logs:read");
    expect(me.permissions).not.toContain("users:manage");
  });
});

describe("procedure errors over HTTP (/api/trpc)", () => {
  it("answers 400 with zod field issues, never 500, for malformed input", async () => {
    const { key } = await createTestKey(["admin"]);
    const res = await trpcPost(trpcRequest("users.create", { email: "nope", password: "x", roleId: "1" }, { authorization: `Bearer ${key}` }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as TrpcErrorBody;
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.data.zodIssues?.map((i) => i.path.join(".")).sort()).toEqual(["email", "password", "roleId"]);
    expect(body.error.json.message).toContain("email");
  });

  it("answers 409 with the domain's message and code for a duplicate", async () => {
    const { key } = await createTestKey(["admin"]);
    const roleId = (await findRoleByName(getDb(), "Viewer"))!.id;
    const email = uniqueEmail("http-dup");
    const first = await trpcPost(trpcRequest("users.create", { email, password: "password-1", roleId }, { "x-api-key": key }));
    expect(first.status).toBe(200);
    const again = await trpcPost(trpcRequest("users.create", { email, password: "password-1", roleId }, { "x-api-key": key }));
    expect(again.status).toBe(409);
    const body = (await again.json()) as TrpcErrorBody;
    expect(body.error.json.data.appCode).toBe("CONFLICT");
    expect(body.error.json.message).toContain(email);
  });

  it("answers 403 to a query-scoped key calling an admin procedure, and audits it as the service account", async () => {
    const { key, serviceAccount } = await createTestKey(["query"]);
    const res = await trpcGet(request("/api/trpc/users.list", { headers: { authorization: `Bearer ${key}` } }));
    expect(res.status).toBe(403);
    const denied = await auditRows({ action: "permission.denied", actorId: serviceAccount.id });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorType: "service_account", actorName: serviceAccount.name });
  });

  it("refuses a cross-origin mutation before running it, and accepts a same-origin one", async () => {
    const { key } = await createTestKey(["admin"]);
    const roleId = (await findRoleByName(getDb(), "Viewer"))!.id;
    const email = uniqueEmail("csrf");
    const cross = await trpcPost(
      trpcRequest("users.create", { email, password: "password-1", roleId }, { "x-api-key": key, origin: "https://evil.example" }),
    );
    expect(cross.status).toBe(403);
    expect(await getDb().select().from(user).where(eq(user.email, email))).toHaveLength(0);
    const same = await trpcPost(
      trpcRequest("users.create", { email, password: "password-1", roleId }, { "x-api-key": key, origin: "http://localhost:3000" }),
    );
    expect(same.status).toBe(200);
    expect(await getDb().select().from(user).where(eq(user.email, email))).toHaveLength(1);
  });

  it("answers 401 to an unknown key and to no credentials", async () => {
    const bad = await trpcGet(request("/api/trpc/me.get", { headers: { authorization: "Bearer lk_this-key-does-not-exist-0000000000000" } }));
    expect(bad.status).toBe(401);
    const none = await trpcGet(request("/api/trpc/me.get"));
    expect(none.status).toBe(401);
  });
});
