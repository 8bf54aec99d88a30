import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { roles, user } from "@/db/schema";
import { AppError } from "@/server/lib/errors";
import { authenticateApiKey, extractApiKey } from "./api-keys";
import { writeAudit } from "./audit";
import { getAuth } from "./auth";
import { isPermission, type Permission } from "./permissions";
import type { Principal, RequestMeta } from "./principal";

/** Loads the signed-in user's principal, or null when the user is gone or disabled. */
export async function userPrincipal(db: Db, userId: string, sessionId: string): Promise<Principal | null> {
  const [row] = await db
    .select({
      id: user.id,
      name: user.name,
      email: user.email,
      disabled: user.disabled,
      roleId: roles.id,
      roleName: roles.name,
      permissions: roles.permissions,
      dataFilter: roles.dataFilter,
    })
    .from(user)
    .innerJoin(roles, eq(roles.id, user.roleId))
    .where(eq(user.id, userId));
  if (!row || row.disabled) return null;
  return {
    type: "user",
    id: row.id,
    name: row.name,
    email: row.email,
    roleId: row.roleId,
    roleName: row.roleName,
    permissions: new Set(row.permissions.filter(isPermission) as Permission[]),
    dataFilter: row.dataFilter ?? null,
    sessionId,
  };
}

/**
 * Who is calling. An API key (any of the three forms) wins over a session cookie. A presented
 * key that is unknown, revoked or expired is a 401 (and audited), never a fall-through.
 */
export async function resolvePrincipal(db: Db, headers: Headers, meta: RequestMeta): Promise<Principal | null> {
  const key = extractApiKey(headers);
  if (key) {
    const p = await authenticateApiKey(db, key);
    if (!p) {
      await writeAudit(db, null, meta, {
        action: "apikey.auth_failed",
        result: "failure",
        details: { keyPrefix: key.slice(0, 9), userAgent: meta.userAgent },
      });
      throw new AppError("UNAUTHENTICATED", { userMessage: "Invalid, revoked or expired API key" });
    }
    return p;
  }
  if (!headers.get("cookie")) return null;
  const s = await getAuth().api.getSession({ headers });
  if (!s) return null;
  return userPrincipal(db, s.user.id, s.session.id);
}
