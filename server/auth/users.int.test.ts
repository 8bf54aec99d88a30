import { randomUUID } from "node:crypto";
import { verifyPassword } from "better-auth/crypto";
import { and, eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/db/client";
import { account, roles, session, user } from "@/db/schema";
import { findRoleByName } from "@/server/auth/roles";
import {
  auditRows,
  callerFor,
  createTestUser,
  expectTrpcError,
  scratchDatabase,
  uniqueEmail,
  type ScratchDatabase,
  type TestUser,
} from "@/test/helpers";
import { changeUserRole, createUser, setUserDisabled } from "./users";

async function roleId(name: string, db: Db = getDb()) {
  const r = await findRoleByName(db, name);
  if (!r) throw new Error(`no role ${name}`);
  return r.id;
}

async function addSession(userId: string, db: Db = getDb()) {
  const id = randomUUID();
  await db.insert(session).values({ id, token: randomUUID(), userId, expiresAt: new Date(Date.now() + 3_600_000) });
  return id;
}

async function enabledAdmins(db: Db) {
  const rows = await db
    .select({ id: user.id })
    .from(user)
    .innerJoin(roles, eq(roles.id, user.roleId))
    .where(and(eq(roles.name, "Admin"), eq(user.disabled, false)));
  return rows.map((r) => r.id);
}

async function userRow(id: string, db: Db = getDb()) {
  const [u] = await db.select().from(user).where(eq(user.id, id));
  return u!;
}

describe("users (as an Admin, through the tRPC router)", () => {
  let admin: TestUser;
  beforeAll(async () => {
    admin = await createTestUser("Admin");
  });

  it("creates a user with a hashed password and audits who did it", async () => {
    const email = uniqueEmail("new");
    const created = await callerFor(admin.principal).users.create({
      email: email.toUpperCase(),
      password: "correct horse",
      name: " New Person ",
      roleId: await roleId("Viewer"),
    });
    expect(created).toEqual({ id: expect.any(String), email, roleName: "Viewer" });

    const row = await userRow(created.id);
    expect(row).toMatchObject({ email, name: "New Person", disabled: false });
    const [cred] = await getDb().select().from(account).where(eq(account.userId, created.id));
    expect(cred!.password).not.toContain("correct horse");
    expect(await verifyPassword({ hash: cred!.password!, password: "correct horse" })).toBe(true);

    const audit = await auditRows({ action: "user.create", targetId: created.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "user", actorId: admin.id, actorName: admin.email, result: "success", ip: "127.0.0.1" });
    expect(audit[0]!.details).toEqual({ role: "Viewer" });
  });

  it("refuses a duplicate email (whatever its case) with CONFLICT and audits nothing", async () => {
    const email = uniqueEmail("dup");
    const viewer = await roleId("Viewer");
    await callerFor(admin.principal).users.create({ email, password: "password-1", roleId: viewer });
    const err = await expectTrpcError(
      callerFor(admin.principal).users.create({ email: email.toUpperCase(), password: "password-2", roleId: viewer }),
      "CONFLICT",
    );
    expect(err.message).toContain(email);
    expect(await getDb().select().from(user).where(eq(user.email, email))).toHaveLength(1);
    const audit = await getDb().execute(sql`select count(*)::int as n from audit_log where action = 'user.create' and target_name = ${email}`);
    expect(audit.rows[0]).toEqual({ n: 1 });
  });

  it("refuses an unknown role id with BAD_REQUEST", async () => {
    await expectTrpcError(
      callerFor(admin.principal).users.create({ email: uniqueEmail(), password: "password-1", roleId: randomUUID() }),
      "BAD_REQUEST",
    );
  });

  it("changes a role and audits from/to; a failed change leaves no audit record", async () => {
    const target = await createTestUser("Viewer");
    await callerFor(admin.principal).users.changeRole({ userId: target.id, roleId: await roleId("Editor") });
    expect((await userRow(target.id)).roleId).toBe(await roleId("Editor"));
    const audit = await auditRows({ action: "user.role.change", targetId: target.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toEqual({ from: "Viewer", to: "Editor" });

    await expectTrpcError(callerFor(admin.principal).users.changeRole({ userId: target.id, roleId: randomUUID() }), "BAD_REQUEST");
    await expectTrpcError(callerFor(admin.principal).users.changeRole({ userId: "no-such-user", roleId: await roleId("Viewer") }), "NOT_FOUND");
    expect((await userRow(target.id)).roleId).toBe(await roleId("Editor"));
    expect(await auditRows({ action: "user.role.change", targetId: target.id })).toHaveLength(1);
  });

  it("disables a user (signing them out) and enables them again", async () => {
    const target = await createTestUser("Editor");
    const sessionId = await addSession(target.id);
    await callerFor(admin.principal).users.setDisabled({ userId: target.id, disabled: true });
    expect((await userRow(target.id)).disabled).toBe(true);
    expect(await getDb().select().from(session).where(eq(session.id, sessionId))).toHaveLength(0);
    expect(await auditRows({ action: "user.disable", targetId: target.id })).toHaveLength(1);

    await callerFor(admin.principal).users.setDisabled({ userId: target.id, disabled: false });
    expect((await userRow(target.id)).disabled).toBe(false);
    expect(await auditRows({ action: "user.enable", targetId: target.id })).toHaveLength(1);
  });

  it("does not let an Admin disable themself", async () => {
    const err = await expectTrpcError(callerFor(admin.principal).users.setDisabled({ userId: admin.id, disabled: true }), "BAD_REQUEST");
    expect(err.message).toMatch(/yourself/);
    expect((await userRow(admin.id)).disabled).toBe(false);
    expect(await auditRows({ action: "user.disable", targetId: admin.id })).toHaveLength(0);
  });

  it("resets a password: the new one works, the old one does not, sessions end", async () => {
    const target = await createTestUser("Viewer", { password: "old-password" });
    const sessionId = await addSession(target.id);
    await callerFor(admin.principal).users.resetPassword({ userId: target.id, password: "brand-new-password" });
    const [cred] = await getDb().select().from(account).where(eq(account.userId, target.id));
    expect(await verifyPassword({ hash: cred!.password!, password: "brand-new-password" })).toBe(true);
    expect(await verifyPassword({ hash: cred!.password!, password: "old-password" })).toBe(false);
    expect(await getDb().select().from(session).where(eq(session.id, sessionId))).toHaveLength(0);
    expect(await auditRows({ action: "user.password.reset", targetId: target.id })).toHaveLength(1);
  });

  it("rejects a short new password with BAD_REQUEST before touching anything", async () => {
    const target = await createTestUser("Viewer");
    await expectTrpcError(callerFor(admin.principal).users.resetPassword({ userId: target.id, password: "short" }), "BAD_REQUEST");
    expect(await auditRows({ action: "user.password.reset", targetId: target.id })).toHaveLength(0);
  });
});

describe("users: atomic change + audit, and the last Admin (own database)", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await scratchDatabase();
  });
  afterAll(async () => {
    await scratch.drop();
  });

  it("rolls the change back when its audit record cannot be written", async () => {
    const { db } = scratch;
    const target = await createTestUser("Viewer", { db });
    const sessionId = await addSession(target.id, db);
    // Make audit inserts for this one action fail, as a full disk or a bug would.
    await db.execute(sql`
      create function fail_disable_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'user.disable' then raise exception 'audit write failed'; end if;
        return new;
      end $$`);
    await db.execute(sql`create trigger fail_disable_audit before insert on audit_log for each row execute function fail_disable_audit()`);
    try {
      await expect(setUserDisabled(db, null, null, target.id, true)).rejects.toThrow();
      expect((await userRow(target.id, db)).disabled).toBe(false);
      expect(await db.select().from(session).where(eq(session.id, sessionId))).toHaveLength(1);
    } finally {
      await db.execute(sql`drop trigger fail_disable_audit on audit_log`);
    }
    await setUserDisabled(db, null, null, target.id, true);
    expect((await userRow(target.id, db)).disabled).toBe(true);
  });

  it("writes no audit record for a change that fails to commit", async () => {
    const { db } = scratch;
    const target = await createTestUser("Viewer", { db, email: uniqueEmail("failcommit") });
    // A deferred trigger refuses these users' rows at COMMIT, after the audit record was written.
    await db.execute(sql`
      create function fail_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'commit refused'; end $$`);
    await db.execute(sql`
      create constraint trigger fail_at_commit after insert or update on "user"
      deferrable initially deferred for each row when (new.email like 'failcommit-%')
      execute function fail_at_commit()`);
    try {
      await expect(setUserDisabled(db, null, null, target.id, true)).rejects.toThrow();
      await expect(changeUserRole(db, null, null, target.id, await roleId("Editor", db))).rejects.toThrow();
      const email = uniqueEmail("failcommit");
      await expect(createUser(db, null, null, { email, password: "password-1", roleId: await roleId("Viewer", db) })).rejects.toThrow();

      expect(await userRow(target.id, db)).toMatchObject({ disabled: false, roleId: await roleId("Viewer", db) });
      expect(await db.select().from(user).where(eq(user.email, email))).toHaveLength(0);
      const orphans = await db.execute<{ action: string }>(
        sql`select action from audit_log where (target_id = ${target.id} and action <> 'user.create') or target_name = ${email}`,
      );
      expect(orphans.rows).toEqual([]);
    } finally {
      await db.execute(sql`drop trigger fail_at_commit on "user"`);
    }
  });

  it("never leaves the console without an enabled Admin", async () => {
    const { db } = scratch;
    const onlyAdmin = await createTestUser("Admin", { db });
    const viewerRole = await roleId("Viewer", db);
    const adminRole = await roleId("Admin", db);
    // The sole Admin demoting themself, and someone else (users:manage, not Admin) disabling them.
    const asAdmin = callerFor(onlyAdmin.principal, { db });
    let err = await expectTrpcError(asAdmin.users.changeRole({ userId: onlyAdmin.id, roleId: viewerRole }), "CONFLICT");
    expect(err.message).toMatch(/last enabled Admin/);
    expect((await userRow(onlyAdmin.id, db)).roleId).toBe(adminRole);

    const manager = await createTestUser("Viewer", { db });
    const managerPrincipal = { ...manager.principal, permissions: new Set([...manager.principal.permissions, "users:manage" as const]) };
    err = await expectTrpcError(callerFor(managerPrincipal, { db }).users.setDisabled({ userId: onlyAdmin.id, disabled: true }), "CONFLICT");
    expect(err.message).toMatch(/last enabled Admin/);
    expect((await userRow(onlyAdmin.id, db)).disabled).toBe(false);
    expect(await auditRows({ action: "user.role.change", targetId: onlyAdmin.id }, db)).toHaveLength(0);
    expect(await auditRows({ action: "user.disable", targetId: onlyAdmin.id }, db)).toHaveLength(0);

    // A disabled Admin does not count.
    const disabledAdmin = await createTestUser("Admin", { db });
    await asAdmin.users.setDisabled({ userId: disabledAdmin.id, disabled: true });
    await expectTrpcError(asAdmin.users.changeRole({ userId: onlyAdmin.id, roleId: viewerRole }), "CONFLICT");

    // With a second enabled Admin the first may step down.
    const second = await createTestUser("Admin", { db });
    await asAdmin.users.changeRole({ userId: onlyAdmin.id, roleId: viewerRole });
    expect((await userRow(onlyAdmin.id, db)).roleId).toBe(viewerRole);
    await expectTrpcError(callerFor(managerPrincipal, { db }).users.setDisabled({ userId: second.id, disabled: true }), "CONFLICT");
  });

  it("keeps one Admin when the last two step down at the same moment", async () => {
    const { db, url } = scratch;
    // Start from exactly two enabled Admins.
    for (const id of await enabledAdmins(db)) await db.update(user).set({ disabled: true }).where(eq(user.id, id));
    const a = await createTestUser("Admin", { db });
    const b = await createTestUser("Admin", { db });
    expect((await enabledAdmins(db)).sort()).toEqual([a.id, b.id].sort());

    // Hold both users' rows, so that both changes are under way before either can write or commit:
    // the worst interleaving, made certain (each would otherwise count on the other Admin).
    const blocker = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url }); // outside any transaction: fresh pg_stat_activity each time
    await Promise.all([blocker.connect(), watcher.connect()]);
    try {
      await blocker.query("begin");
      await blocker.query('select id from "user" where id = any($1) for update', [[a.id, b.id]]);
      const changes = Promise.allSettled([
        changeUserRole(db, null, null, a.id, await roleId("Viewer", db)),
        setUserDisabled(db, null, null, b.id, true),
      ]);
      let waiting = 0;
      for (let i = 0; i < 200 && waiting < 2; i++) {
        const r = await watcher.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        waiting = r.rows[0]!.n;
        if (waiting < 2) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(waiting, "both changes should be waiting on a lock").toBe(2);
      await blocker.query("commit");

      const results = await changes;
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ code: "CONFLICT" });
      expect(await enabledAdmins(db)).toHaveLength(1);
    } finally {
      await Promise.all([blocker.end(), watcher.end()]);
    }
  });
});
