import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { ensureBuiltinRoles, findRoleByName } from "@/server/auth/roles";
import { countUsers, createUser } from "@/server/auth/users";
import { ensureDefaultSource } from "@/server/logs/sources";

const SYSTEM = { actorType: "system" as const, actorId: null, actorName: "lookout" };

/**
 * Idempotent first-run setup: built-in roles, the default log source, and the first Admin when
 * there are no users.
 * Returns the admin's credentials only when it created the admin now.
 */
export async function seedFoundation(
  db: Db,
  opts: { adminEmail: string; adminPassword?: string },
): Promise<{ createdAdmin: { email: string; password: string; generated: boolean } | null }> {
  await ensureBuiltinRoles(db);
  await ensureDefaultSource(db);
  if ((await countUsers(db)) > 0) return { createdAdmin: null };
  const admin = await findRoleByName(db, "Admin");
  if (!admin) throw new Error("Admin role missing after seeding roles");
  const generated = !opts.adminPassword;
  const password = opts.adminPassword ?? randomBytes(12).toString("base64url");
  await createUser(db, SYSTEM, null, { email: opts.adminEmail, name: "Admin", password, roleId: admin.id });
  return { createdAdmin: { email: opts.adminEmail.toLowerCase(), password, generated } };
}
