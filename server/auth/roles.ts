import { asc, count, eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { roles, user, type RoleDataFilter } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { writeAudit } from "./audit";
import { BUILTIN_ROLES, isPermission, type Permission } from "./permissions";
import type { Principal, RequestMeta } from "./principal";

/** Creates the built-in roles or brings their permissions up to date (idempotent). */
export async function ensureBuiltinRoles(db: DbOrTx): Promise<void> {
  for (const [name, def] of Object.entries(BUILTIN_ROLES)) {
    await db
      .insert(roles)
      .values({ name, description: def.description, builtin: true, permissions: def.permissions })
      .onConflictDoUpdate({
        target: roles.name,
        set: { description: def.description, builtin: true, permissions: def.permissions },
      });
  }
}

export async function listRoles(db: DbOrTx) {
  const rows = await db.select().from(roles).orderBy(asc(roles.builtin), asc(roles.name));
  const counts = await db.select({ roleId: user.roleId, n: count() }).from(user).groupBy(user.roleId);
  const byRole = new Map(counts.map((c) => [c.roleId, Number(c.n)]));
  // Built-in first (in their canonical order), then custom by name.
  const order = Object.keys(BUILTIN_ROLES);
  return rows
    .map((r) => ({ ...r, userCount: byRole.get(r.id) ?? 0 }))
    .sort((a, b) => {
      if (a.builtin !== b.builtin) return a.builtin ? -1 : 1;
      if (a.builtin) return order.indexOf(a.name) - order.indexOf(b.name);
      return a.name.localeCompare(b.name);
    });
}

export async function findRoleByName(db: DbOrTx, name: string) {
  const [r] = await db.select().from(roles).where(eq(roles.name, name));
  return r ?? null;
}

function validatePermissions(perms: string[]): Permission[] {
  const bad = perms.filter((p) => !isPermission(p));
  if (bad.length) throw new AppError("INVALID_INPUT", { userMessage: `Unknown permission(s): ${bad.join(", ")}` });
  return [...new Set(perms)] as Permission[];
}

export type RoleInput = { name: string; description?: string; permissions: string[]; dataFilter?: RoleDataFilter | null };

export async function createRole(db: Db, actor: Principal, meta: RequestMeta, input: RoleInput) {
  const permissions = validatePermissions(input.permissions);
  try {
    return await db.transaction(async (tx) => {
      const [r] = await tx
        .insert(roles)
        .values({ name: input.name, description: input.description ?? "", permissions, dataFilter: input.dataFilter ?? null })
        .returning();
      await writeAudit(tx, actor, meta, {
        action: "role.create",
        result: "success",
        target: { type: "role", id: r!.id, name: r!.name },
        details: { permissions },
      });
      return r!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A role named "${input.name}" already exists` });
    throw e;
  }
}

export async function updateRole(db: Db, actor: Principal, meta: RequestMeta, id: string, input: RoleInput) {
  const permissions = validatePermissions(input.permissions);
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(roles).where(eq(roles.id, id));
      if (!existing) throw new AppError("NOT_FOUND", { userMessage: "Role not found" });
      if (existing.builtin) throw new AppError("FORBIDDEN", { userMessage: "Built-in roles cannot be changed; create a custom role" });
      const [r] = await tx
        .update(roles)
        .set({ name: input.name, description: input.description ?? "", permissions, dataFilter: input.dataFilter ?? null })
        .where(eq(roles.id, id))
        .returning();
      await writeAudit(tx, actor, meta, {
        action: "role.update",
        result: "success",
        target: { type: "role", id, name: r!.name },
        details: { before: existing.permissions, after: permissions },
      });
      return r!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A role named "${input.name}" already exists` });
    throw e;
  }
}

export async function deleteRole(db: Db, actor: Principal, meta: RequestMeta, id: string) {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(roles).where(eq(roles.id, id));
    if (!existing) throw new AppError("NOT_FOUND", { userMessage: "Role not found" });
    if (existing.builtin) throw new AppError("FORBIDDEN", { userMessage: "Built-in roles cannot be deleted" });
    const [{ n }] = (await tx.select({ n: count() }).from(user).where(eq(user.roleId, id))) as [{ n: number }];
    if (Number(n) > 0) throw new AppError("CONFLICT", { userMessage: `Role "${existing.name}" is assigned to ${n} user(s); reassign them first` });
    await tx.delete(roles).where(eq(roles.id, id));
    await writeAudit(tx, actor, meta, { action: "role.delete", result: "success", target: { type: "role", id, name: existing.name } });
  });
}
