import { verifyPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { account, auditLog, roles, user } from "@/db/schema";
import { BUILTIN_ROLES } from "@/server/auth/permissions";
import { ensureBuiltinRoles } from "@/server/auth/roles";
import { scratchDatabase, type ScratchDatabase } from "@/test/helpers";
import { seedFoundation } from "./seed";

describe("seedFoundation (first run on an empty database)", () => {
  let scratch: ScratchDatabase | null = null;
  afterEach(async () => {
    await scratch?.drop();
    scratch = null;
  });

  it("creates the built-in roles and one Admin, once", async () => {
    scratch = await scratchDatabase();
    const { db } = scratch;

    const first = await seedFoundation(db, { adminEmail: "Boss@Example.test", adminPassword: "first-admin-pw" });
    expect(first.createdAdmin).toEqual({ email: "boss@example.test", password: "first-admin-pw", generated: false });

    const roleRows = await db.select().from(roles);
    expect(roleRows.map((r) => r.name).sort()).toEqual(["Admin", "Auditor", "Editor", "Viewer"]);
    expect(roleRows.every((r) => r.builtin)).toBe(true);
    const adminRole = roleRows.find((r) => r.name === "Admin")!;

    const users = await db.select().from(user);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: "boss@example.test", roleId: adminRole.id, disabled: false });
    const [cred] = await db.select().from(account).where(eq(account.userId, users[0]!.id));
    expect(cred?.providerId).toBe("credential");
    expect(cred?.password).not.toContain("first-admin-pw");
    expect(await verifyPassword({ hash: cred!.password!, password: "first-admin-pw" })).toBe(true);

    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "user.create"));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system", actorName: "lookout", targetId: users[0]!.id, result: "success" });

    // Second start: nothing new.
    const second = await seedFoundation(db, { adminEmail: "other@example.test", adminPassword: "another-pw" });
    expect(second.createdAdmin).toBeNull();
    expect(await db.select().from(user)).toHaveLength(1);
    expect(await db.select().from(roles)).toHaveLength(4);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "user.create"))).toHaveLength(1);
  });

  it("generates a password when none is configured", async () => {
    scratch = await scratchDatabase();
    const res = await seedFoundation(scratch.db, { adminEmail: "admin@example.test" });
    expect(res.createdAdmin?.generated).toBe(true);
    expect(res.createdAdmin?.password.length).toBeGreaterThanOrEqual(12);
    const [cred] = await scratch.db.select().from(account);
    expect(await verifyPassword({ hash: cred!.password!, password: res.createdAdmin!.password })).toBe(true);
  });

  it("brings a built-in role whose permissions were tampered with back to its definition", async () => {
    scratch = await scratchDatabase();
    const { db } = scratch;
    await ensureBuiltinRoles(db);
    await db.update(roles).set({ permissions: ["users:manage"], builtin: false }).where(eq(roles.name, "Viewer"));
    await ensureBuiltinRoles(db);
    const [viewer] = await db.select().from(roles).where(eq(roles.name, "Viewer"));
    expect(viewer?.builtin).toBe(true);
    expect([...viewer!.permissions].sort()).toEqual([...BUILTIN_ROLES.Viewer.permissions].sort());
  });
});
