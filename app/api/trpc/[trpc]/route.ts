import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/env";
import { getDb } from "@/db/client";
import { isCrossOrigin } from "@/server/auth/same-origin";
import { requestMeta } from "@/server/auth/request-meta";
import { isAppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { createContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  const trusted = env().LOOKOUT_TRUSTED_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean);
  if (req.method !== "GET" && isCrossOrigin(req.headers, trusted)) {
    return Response.json({ error: { message: "Cross-origin request refused", code: "FORBIDDEN" } }, { status: 403 });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      try {
        return await createContext(getDb(), req.headers);
      } catch (e) {
        // A bad API key was already audited; the procedure answers 401.
        if (isAppError(e) && e.code === "UNAUTHENTICATED") return { db: getDb(), principal: null, meta: requestMeta(req.headers) };
        throw e;
      }
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR" && !isAppError(error.cause)) {
        logger.error({ err: error.cause ?? error, path }, "tRPC procedure failed");
      }
    },
  });
}

export { handler as GET, handler as POST };
