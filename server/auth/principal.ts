import type { RoleDataFilter } from "@/db/schema";
import { AppError } from "@/server/lib/errors";
import type { Permission } from "./permissions";

/** Who is calling: a signed-in user or a service account's API key. */
export type Principal =
  | {
      type: "user";
      id: string;
      name: string;
      email: string;
      roleId: string;
      roleName: string;
      permissions: ReadonlySet<Permission>;
      dataFilter: RoleDataFilter | null;
      sessionId: string;
    }
  | {
      type: "service_account";
      id: string;
      name: string;
      apiKeyId: string;
      scopes: readonly string[];
      permissions: ReadonlySet<Permission>;
      dataFilter: null;
    };

export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string };

export function can(principal: Principal | null | undefined, permission: Permission): boolean {
  return !!principal && principal.permissions.has(permission);
}

/** Throws FORBIDDEN with the permission named; callers audit the denial. */
export function assertCan(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw new AppError("FORBIDDEN", { userMessage: `Missing permission ${permission}` });
  }
}

export function actorOf(principal: Principal | null): { actorType: "user" | "service_account" | "anonymous"; actorId: string | null; actorName: string } {
  if (!principal) return { actorType: "anonymous", actorId: null, actorName: "anonymous" };
  if (principal.type === "user") return { actorType: "user", actorId: principal.id, actorName: principal.email };
  return { actorType: "service_account", actorId: principal.id, actorName: principal.name };
}
