import { alertRulesRouter, alertsRouter, contactPointsRouter, notificationPoliciesRouter, silencesRouter } from "@/server/alerting/router";
import { auditRouter, meRouter, rolesRouter, serviceAccountsRouter, usersRouter } from "@/server/auth/router";
import { dashboardsRouter, foldersRouter } from "@/server/dashboards/router";
import { panelsRouter } from "@/server/dashboards/query-router";
import { sourcesRouter } from "@/server/logs/router";
import { logsRouter, savedSearchesRouter } from "@/server/logs/search/router";
import { scrapeJobsRouter } from "@/server/metrics/scrape/router";
import { retentionRouter } from "@/server/retention/router";
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
  logs: logsRouter,
  savedSearches: savedSearchesRouter,
  scrapeJobs: scrapeJobsRouter,
  dashboards: dashboardsRouter,
  folders: foldersRouter,
  panels: panelsRouter,
  alertRules: alertRulesRouter,
  alerts: alertsRouter,
  contactPoints: contactPointsRouter,
  notificationPolicies: notificationPoliciesRouter,
  silences: silencesRouter,
  retention: retentionRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
