import { redirect } from "next/navigation";
import { cache } from "react";
import type { Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { currentPrincipal } from "@/server/auth/session";

/** The signed-in principal, resolved once per request (layout and page share it). */
export const getPrincipal = cache(currentPrincipal);

/** For console pages: the principal, or a redirect to /login when signed out. */
export async function requirePrincipal(): Promise<Principal> {
  const p = await getPrincipal();
  if (!p) redirect("/login");
  return p;
}

/** The page's access decision: `allowed` is false when the principal lacks `permission`. */
export async function pageAccess(permission: Permission): Promise<{ principal: Principal; allowed: boolean }> {
  const principal = await requirePrincipal();
  return { principal, allowed: principal.permissions.has(permission) };
}
