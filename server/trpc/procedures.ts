import { TRPCError } from "@trpc/server";
import { writeAudit } from "@/server/auth/audit";
import type { Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { baseProcedure, middleware } from "./init";

export const publicProcedure = baseProcedure;

/** Requires a signed-in user or API key. */
export const protectedProcedure = baseProcedure.use(
  middleware(({ ctx, next }) => {
    if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
    return next({ ctx: { ...ctx, principal: ctx.principal as Principal } });
  }),
);

/**
 * `permission("dashboards:write")`: every procedure declares what it needs. A denial is audited
 * (who, which procedure, which permission) and answered with 403.
 */
export function permission(required: Permission) {
  return protectedProcedure.use(
    middleware(async ({ ctx, next, path, type }) => {
      if (!ctx.principal?.permissions.has(required)) {
        await writeAudit(ctx.db, ctx.principal, ctx.meta, {
          action: "permission.denied",
          result: "denied",
          details: { permission: required, procedure: path, type },
        });
        throw new TRPCError({ code: "FORBIDDEN", message: `Missing permission ${required}` });
      }
      return next();
    }),
  );
}
