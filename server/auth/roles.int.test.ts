import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { roles } from "@/db/schema";
import { userPrincipal } from "@/server/auth/resolve";
import { findRoleByName } from "@/server/auth/roles";
import { auditRows, callerFor, createTestUser, expectTrpcError, uid, type TestUser } from "@/test/helpers";

describe("roles", () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createTestUser("Admin");
  });

  it("creates a custom role with exactly the ticked permissions and audits it", async () => {
    const name = `Dashboard editors ${uid()}`;
    const role = await callerFor(admin.principal).roles.create({
      name,
      description: "edit dashboards only",
      permissions: ["dashboards:read", "dashboards:write", "dashboards:read"],
      dataFilter: { logQuery: "service:checkout" },
    });
    expect(role).toMatchObject({ name, builtin: false, dataFilter: { logQuery: "service:checkout" } });
    expect([...role.permissions].sort()).toEqual(["dashboards:read", "dashboards:write"]);
    const audit = await auditRows({ action: "role.create", targetId: role.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.id, targetName: name });

    // A user with the role gets those permissions, no more.
    const member = await createTestUser(name);
    const p = await userPrincipal(getDb(), member.id, "s");
    expect([...p!.permissions].sort()).toEqual(["dashboards:read", "dashboards:write"]);

    const listed = await callerFor(admin.principal).roles.list();
    expect(listed.slice(0, 4).map((r) => r.name)).toEqual(["Admin", "Editor", "Viewer", "Auditor"]);
    expect(listed.find((r) => r.id === role.id)?.userCount).toBe(1);
  });

  it("rejects unknown permissions and duplicate names", async () => {
    const name = `Bogus ${uid()}`;
    const err = await expectTrpcError(callerFor(admin.principal).roles.create({ name, permissions: ["logs:read", "logs:obliterate"] }), "BAD_REQUEST");
    expect(err.message).toContain("logs:obliterate");
    expect(await findRoleByName(getDb(), name)).toBeNull();
    expect(await expectTrpcError(callerFor(admin.principal).roles.create({ name: "Viewer", permissions: [] }), "CONFLICT")).toBeTruthy();
  });

  it("updates a custom role and records before/after", async () => {
    const role = await callerFor(admin.principal).roles.create({ name: `Ops ${uid()}`, permissions: ["logs:read"] });
    const updated = await callerFor(admin.principal).roles.update({ id: role.id, name: role.name, permissions: ["logs:read", "metrics:read"] });
    expect([...updated.permissions].sort()).toEqual(["logs:read", "metrics:read"]);
    const audit = await auditRows({ action: "role.update", targetId: role.id });
    expect(audit[0]!.details).toEqual({ before: ["logs:read"], after: ["logs:read", "metrics:read"] });
  });

  it("keeps built-in roles immutable", async () => {
    const viewer = (await findRoleByName(getDb(), "Viewer"))!;
    const caller = callerFor(admin.principal);
    await expectTrpcError(caller.roles.update({ id: viewer.id, name: "Viewer", permissions: ["users:manage"] }), "FORBIDDEN");
    await expectTrpcError(caller.roles.delete({ id: viewer.id }), "FORBIDDEN");
    const [after] = await getDb().select().from(roles).where(eq(roles.id, viewer.id));
    expect(after!.permissions).not.toContain("users:manage");
  });

  it("refuses to delete a role while users hold it, then deletes it once they do not", async () => {
    const name = `Temp ${uid()}`;
    const role = await callerFor(admin.principal).roles.create({ name, permissions: ["logs:read"] });
    const member = await createTestUser(name);
    const err = await expectTrpcError(callerFor(admin.principal).roles.delete({ id: role.id }), "CONFLICT");
    expect(err.message).toMatch(/assigned to 1 user/);
    expect(await findRoleByName(getDb(), name)).not.toBeNull();
    expect(await auditRows({ action: "role.delete", targetId: role.id })).toHaveLength(0);

    await callerFor(admin.principal).users.changeRole({ userId: member.id, roleId: (await findRoleByName(getDb(), "Viewer"))!.id });
    await callerFor(admin.principal).roles.delete({ id: role.id });
    expect(await findRoleByName(getDb(), name)).toBeNull();
    expect(await auditRows({ action: "role.delete", targetId: role.id })).toHaveLength(1);
    await expectTrpcError(callerFor(admin.principal).roles.delete({ id: role.id }), "NOT_FOUND");
    await expectTrpcError(callerFor(admin.principal).roles.delete({ id: randomUUID() }), "NOT_FOUND");
  });

  it("lets only roles:manage change roles, while anyone signed in may read the catalogue", async () => {
    const editor = await createTestUser("Editor");
    await expectTrpcError(callerFor(editor.principal).roles.create({ name: `X ${uid()}`, permissions: [] }), "FORBIDDEN");
    const cat = await callerFor(editor.principal).roles.catalogue();
    expect(cat.permissions.map((p) => p.name)).toContain("audit:read");
    expect(cat.scopes.map((s) => s.name)).toEqual(["ingest", "query", "admin"]);
  });
});
