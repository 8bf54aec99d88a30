import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { account, roles, session, user } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { writeAudit, type AuditActor } from "./audit";
import type { Principal, RequestMeta } from "./principal";

type Actor = Principal | AuditActor | null;
type Meta = Pick<RequestMeta, "ip"> | null;

export async function listUsers(db: DbOrTx) {
  return db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      roleId: user.roleId,
      roleName: roles.name,
      disabled: user.disabled,
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
    })
    .from(user)
    .innerJoin(roles, eq(roles.id, user.roleId))
    .orderBy(asc(user.email));
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const rows = await db.select({ id: user.id }).from(user).limit(1);
  return rows.length;
}

export type CreateUserInput = { email: string; name?: string; password: string; roleId: string };

/** Creates a user with a credential account; the password is hashed by better-auth (scrypt). */
export async function createUser(db: Db, actor: Actor, meta: Meta, input: CreateUserInput) {
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [role] = await tx.select().from(roles).where(eq(roles.id, input.roleId));
      if (!role) throw new AppError("INVALID_INPUT", { userMessage: "Unknown role" });
      const id = randomUUID();
      const [u] = await tx
        .insert(user)
        .values({ id, email, name: input.name?.trim() || email.split("@")[0]!, roleId: role.id, emailVerified: true })
        .returning();
      await tx.insert(account).values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: passwordHash });
      await writeAudit(tx, actor, meta, {
        action: "user.create",
        result: "success",
        target: { type: "user", id, name: email },
        details: { role: role.name },
      });
      return { ...u!, roleName: role.name };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A user with email ${email} already exists` });
    throw e;
  }
}

async function loadUser(tx: DbOrTx, id: string) {
  const [u] = await tx.select().from(user).where(eq(user.id, id));
  if (!u) throw new AppError("NOT_FOUND", { userMessage: "User not found" });
  return u;
}

/**
 * Refuses a change that would leave no enabled Admin. Takes a transaction-scoped advisory lock
 * first, so two such changes (two Admins stepping down at once) run one after the other and the
 * second sees the first's result instead of each counting on the other.
 */
async function assertAnotherAdminRemains(tx: DbOrTx, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lookout:last-admin'))`);
  const others = await tx
    .select({ id: user.id })
    .from(user)
    .innerJoin(roles, eq(roles.id, user.roleId))
    .where(and(eq(roles.name, "Admin"), eq(user.disabled, false), ne(user.id, userId)))
    .limit(1);
  if (others.length === 0) throw new AppError("CONFLICT", { userMessage: "This is the last enabled Admin; make someone else Admin first" });
}

async function isAdminRole(tx: DbOrTx, roleId: string) {
  const [r] = await tx.select({ name: roles.name }).from(roles).where(eq(roles.id, roleId));
  return r?.name === "Admin";
}

export async function changeUserRole(db: Db, actor: Actor, meta: Meta, userId: string, roleId: string) {
  return db.transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    const [role] = await tx.select().from(roles).where(eq(roles.id, roleId));
    if (!role) throw new AppError("INVALID_INPUT", { userMessage: "Unknown role" });
    if (u.roleId !== roleId && (await isAdminRole(tx, u.roleId))) await assertAnotherAdminRemains(tx, userId);
    const [before] = await tx.select({ name: roles.name }).from(roles).where(eq(roles.id, u.roleId));
    await tx.update(user).set({ roleId, updatedAt: new Date() }).where(eq(user.id, userId));
    await writeAudit(tx, actor, meta, {
      action: "user.role.change",
      result: "success",
      target: { type: "user", id: userId, name: u.email },
      details: { from: before?.name, to: role.name },
    });
  });
}

/** Disabling also deletes the user's sessions, so they are signed out at once. */
export async function setUserDisabled(db: Db, actor: Actor, meta: Meta, userId: string, disabled: boolean) {
  return db.transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (disabled && actor && "type" in actor && actor.type === "user" && actor.id === userId) {
      throw new AppError("INVALID_INPUT", { userMessage: "You cannot disable yourself" });
    }
    if (disabled && (await isAdminRole(tx, u.roleId))) await assertAnotherAdminRemains(tx, userId);
    await tx.update(user).set({ disabled, updatedAt: new Date() }).where(eq(user.id, userId));
    if (disabled) await tx.delete(session).where(eq(session.userId, userId));
    await writeAudit(tx, actor, meta, {
      action: disabled ? "user.disable" : "user.enable",
      result: "success",
      target: { type: "user", id: userId, name: u.email },
    });
  });
}

/** Sets a new password and signs the user out everywhere. */
export async function resetUserPassword(db: Db, actor: Actor, meta: Meta, userId: string, newPassword: string) {
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    const updated = await tx
      .update(account)
      .set({ password: passwordHash, updatedAt: new Date() })
      .where(and(eq(account.userId, userId), eq(account.providerId, "credential")))
      .returning({ id: account.id });
    if (updated.length === 0) {
      await tx.insert(account).values({ id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash });
    }
    await tx.delete(session).where(eq(session.userId, userId));
    await writeAudit(tx, actor, meta, { action: "user.password.reset", result: "success", target: { type: "user", id: userId, name: u.email } });
  });
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [u] = await db.select().from(user).where(eq(user.email, email.trim().toLowerCase()));
  return u ?? null;
}
