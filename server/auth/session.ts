import { headers } from "next/headers";
import { getDb } from "@/db/client";
import type { Principal } from "./principal";
import { requestMeta } from "./request-meta";
import { resolvePrincipal } from "./resolve";

/**
 * For server components and layouts: the signed-in user, or null. (Imports next/headers, so it
 * is the one auth module that is web-only; domain code never imports it.)
 */
export async function currentPrincipal(): Promise<Principal | null> {
  const h = await headers();
  try {
    return await resolvePrincipal(getDb(), h, requestMeta(h));
  } catch {
    return null;
  }
}
