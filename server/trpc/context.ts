import type { Db } from "@/db/client";
import { requestMeta } from "@/server/auth/request-meta";
import { resolvePrincipal } from "@/server/auth/resolve";
import type { TrpcContext } from "./init";

/** Builds the tRPC context from the request: who is calling (session or API key) and request metadata. */
export async function createContext(db: Db, headers: Headers): Promise<TrpcContext> {
  const meta = requestMeta(headers);
  const principal = await resolvePrincipal(db, headers, meta);
  return { db, principal, meta };
}
