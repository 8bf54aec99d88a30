import { auditRouter, meRouter, rolesRouter, serviceAccountsRouter, usersRouter } from "@/server/auth/router";
import { sourcesRouter } from "@/server/logs/router";
import { statusRouter } from "@/server/status/router";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  me: meRouter,
  users: usersRouter,
  roles: rolesRouter,
  serviceAccounts: serviceAccountsRouter,
  audit: auditRouter,
  status: statusRouter,
  sources: sourcesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
