import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Db } from "@/db/client";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { ERROR_CODES, isAppError } from "@/server/lib/errors";
import { QueryError } from "@/server/logs/query/ast";

export type TrpcContext = { db: Db; principal: Principal | null; meta: RequestMeta };

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zod = cause instanceof ZodError ? cause : null;
    let message = shape.message;
    if (zod) message = z.prettifyError(zod);
    else if (isAppError(cause)) message = cause.userMessage;
    else if (error.code === "INTERNAL_SERVER_ERROR") message = "Internal error; see the server log";
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      message,
      data: {
        ...data,
        appCode: isAppError(cause) ? cause.code : null,
        zodIssues: zod ? zod.issues.map((i) => ({ path: i.path.map(String), message: i.message })) : null,
        // Where in the log query a query error is (Discover underlines it).
        querySpan: isAppError(cause) && cause.cause instanceof QueryError ? cause.cause.span : null,
      },
    };
  },
});

/** Converts AppError thrown by domain code into the matching TRPCError. */
const appErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok && isAppError(res.error.cause)) {
    const cause = res.error.cause;
    throw new TRPCError({ code: ERROR_CODES[cause.code].trpc, message: cause.userMessage, cause });
  }
  return res;
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export const baseProcedure = t.procedure.use(appErrors);
