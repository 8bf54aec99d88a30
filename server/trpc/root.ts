import { auditRouter, meRouter, rolesRouter, serviceAccountsRouter, usersRouter } from "@/server/auth/router";
import { sourcesRouter } from "@/server/logs/router";
import { scrapeJobsRouter } from "@/server/metrics/scrape/router";
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
  scrapeJobs: scrapeJobsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
