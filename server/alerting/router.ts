/**
 * Alerting routers: thin over rules-service.ts and notifications-service.ts (which check folder
 * access, provisioning and concurrency on top of the permissions declared here).
 */
import { z } from "zod";
import { env } from "@/env";
import { logger } from "@/server/lib/logger";
import { enqueue } from "@/server/queues/queues";
import { router } from "@/server/trpc/init";
import { permission } from "@/server/trpc/procedures";
import { integrationsOf, sendTest } from "./channels";
import { alertAnnotations, AlertAnnotationsInput } from "./dashboard-annotations";
import { importRuleFile, ImportRuleFileInput, previewRuleForUser, PreviewRuleInput, testContactPoint, TestContactPointInput } from "./console-actions";
import { InhibitRuleSchema, ReceiverSchema, RouteSchema, RuleGroupSchema, TimeIntervalSchema } from "./model";
import {
  createContactPoint,
  createMuteTiming,
  createSilence,
  deleteContactPoint,
  deleteMuteTiming,
  expireSilence,
  getConfig,
  getConfigVersion,
  getContactPoint,
  getInhibitRules,
  getPolicies,
  getSilence,
  listAlerts,
  ListAlertsInput,
  listConfigVersions,
  listContactPoints,
  listExternalAlerts,
  listMuteTimings,
  listSilences,
  ListSilencesInput,
  saveConfig,
  saveInhibitRules,
  savePolicies,
  SilenceInput,
  updateContactPoint,
  updateMuteTiming,
  updateSilence,
} from "./notifications-service";
import {
  deleteRuleGroup,
  getRule,
  getRuleGroup,
  importRuleGroups,
  listAlertInstances,
  ListAlertInstancesInput,
  listRuleGroups,
  ListRuleGroupsInput,
  saveRuleGroup,
  setRulePaused,
  stateHistory,
  StateHistoryInput,
} from "./rules-service";
import { ruleTemplateRenderer } from "./rule-render";

const Version = z.number().int().min(0);
const ById = z.object({ id: z.string().min(1).max(64) });
const ByUid = z.object({ uid: z.string().min(1).max(40) });
const ByName = z.object({ name: z.string().min(1).max(200) });
const FolderUid = z.string().min(1).max(40).nullable();

/** The console's address, for links in templates and notifications. */
const externalURL = () => env().LOOKOUT_BASE_URL ?? `http://localhost:${env().PORT}`;

/** The evaluation schedulers follow a saved, deleted or imported group within moments (the periodic reconcile catches a miss). */
async function reconcileSoon(): Promise<void> {
  await enqueue("alert-eval", { kind: "reconcile" }).catch((e) => logger.warn({ err: (e as Error).message }, "could not enqueue an alert scheduler reconcile"));
}

/** Rule groups and rules. */
export const alertRulesRouter = router({
  list: permission("alerts:read")
    .input(ListRuleGroupsInput.optional())
    .query(({ ctx, input }) => listRuleGroups(ctx.db, ctx.principal, input ?? {})),
  group: permission("alerts:read")
    .input(ById)
    .query(({ ctx, input }) => getRuleGroup(ctx.db, ctx.principal, input.id)),
  save: permission("alerts:write")
    .input(
      z.object({
        id: z.uuid().optional(),
        version: Version.optional(),
        // Field errors for the form (the service validates again, and parses the queries).
        group: RuleGroupSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const saved = await saveRuleGroup(ctx.db, ctx.principal, ctx.meta, input);
      await reconcileSoon();
      return saved;
    }),
  delete: permission("alerts:write")
    .input(ById)
    .mutation(async ({ ctx, input }) => {
      const deleted = await deleteRuleGroup(ctx.db, ctx.principal, ctx.meta, input.id);
      await reconcileSoon();
      return deleted;
    }),
  byUid: permission("alerts:read")
    .input(ByUid)
    .query(({ ctx, input }) => getRule(ctx.db, ctx.principal, input.uid)),
  setPaused: permission("alerts:write")
    .input(ByUid.extend({ paused: z.boolean() }))
    .mutation(({ ctx, input }) => setRulePaused(ctx.db, ctx.principal, ctx.meta, input)),
  import: permission("alerts:write")
    .input(z.object({ groups: z.array(RuleGroupSchema).min(1).max(500), folderUid: FolderUid, replace: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const imported = await importRuleGroups(ctx.db, ctx.principal, ctx.meta, input);
      await reconcileSoon();
      return imported;
    }),
  /** The "Import rule file" dialog: a Prometheus rule file's text; errors listed with their lines. */
  importFile: permission("alerts:write")
    .input(ImportRuleFileInput)
    .mutation(async ({ ctx, input }) => {
      const imported = await importRuleFile(ctx.db, ctx.principal, ctx.meta, input);
      if (!input.dryRun) await reconcileSoon();
      return imported;
    }),
  /** The rule form's Preview: evaluates the rule now and gives each series' value and would-be state. */
  preview: permission("alerts:read")
    .input(PreviewRuleInput)
    .mutation(({ ctx, input }) => previewRuleForUser(ctx.db, ctx.principal, input, { render: ruleTemplateRenderer({ externalURL: externalURL() }) })),
});

/** Alerts: firing alerts with status, rule instances, state history, external alerts. */
export const alertsRouter = router({
  list: permission("alerts:read")
    .input(ListAlertsInput.optional())
    .query(({ ctx, input }) => listAlerts(ctx.db, ctx.principal, input ?? {})),
  instances: permission("alerts:read")
    .input(ListAlertInstancesInput.optional())
    .query(({ ctx, input }) => listAlertInstances(ctx.db, ctx.principal, input ?? {})),
  history: permission("alerts:read")
    .input(StateHistoryInput.optional())
    .query(({ ctx, input }) => stateHistory(ctx.db, ctx.principal, input ?? {})),
  external: permission("alerts:read")
    .input(z.object({ active: z.boolean().default(true) }).optional())
    .query(({ ctx, input }) => listExternalAlerts(ctx.db, { active: input?.active ?? true, limit: 5000 })),
  /** Dashboards' alert annotations: pending/firing/no data/error periods over a range. */
  annotations: permission("alerts:read")
    .input(AlertAnnotationsInput)
    .query(({ ctx, input }) => alertAnnotations(ctx.db, ctx.principal, input)),
});

/** Contact points: the configuration's receivers. */
export const contactPointsRouter = router({
  list: permission("alerts:read").query(({ ctx }) => listContactPoints(ctx.db, ctx.principal)),
  byName: permission("alerts:read")
    .input(ByName)
    .query(({ ctx, input }) => getContactPoint(ctx.db, ctx.principal, input.name)),
  create: permission("alerts:write")
    .input(z.object({ receiver: ReceiverSchema, version: Version.optional() }))
    .mutation(({ ctx, input }) => createContactPoint(ctx.db, ctx.principal, ctx.meta, input)),
  update: permission("alerts:write")
    .input(ByName.extend({ receiver: ReceiverSchema, version: Version.optional() }))
    .mutation(({ ctx, input }) => updateContactPoint(ctx.db, ctx.principal, ctx.meta, input)),
  delete: permission("alerts:write")
    .input(ByName.extend({ version: Version.optional() }))
    .mutation(({ ctx, input }) => deleteContactPoint(ctx.db, ctx.principal, ctx.meta, input)),
  /** "Send test": a test notification through one integration (or each) of the contact point as edited. */
  test: permission("alerts:write")
    .input(TestContactPointInput)
    .mutation(({ ctx, input }) =>
      testContactPoint(
        ctx.db,
        input,
        (receiver, index, sendCtx) => sendTest(integrationsOf(receiver)[index]!, sendCtx),
        { externalURL: externalURL() },
      ),
    ),
});

/** Notification policies (the route tree), the whole configuration, mute timings, inhibition rules. */
export const notificationPoliciesRouter = router({
  get: permission("alerts:read").query(({ ctx }) => getPolicies(ctx.db)),
  save: permission("alerts:write")
    .input(z.object({ route: RouteSchema, version: Version.optional() }))
    .mutation(({ ctx, input }) => savePolicies(ctx.db, ctx.principal, ctx.meta, input)),
  config: permission("alerts:read").query(({ ctx }) => getConfig(ctx.db, ctx.principal)),
  saveConfig: permission("alerts:write")
    .input(z.object({ config: z.unknown(), version: Version, message: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => saveConfig(ctx.db, ctx.principal, ctx.meta, input)),
  versions: permission("alerts:read").query(({ ctx }) => listConfigVersions(ctx.db)),
  version: permission("alerts:read")
    .input(z.object({ version: Version }))
    .query(({ ctx, input }) => getConfigVersion(ctx.db, ctx.principal, input.version)),
  muteTimings: permission("alerts:read").query(({ ctx }) => listMuteTimings(ctx.db)),
  createMuteTiming: permission("alerts:write")
    .input(z.object({ timing: TimeIntervalSchema, version: Version.optional() }))
    .mutation(({ ctx, input }) => createMuteTiming(ctx.db, ctx.principal, ctx.meta, input)),
  updateMuteTiming: permission("alerts:write")
    .input(ByName.extend({ timing: TimeIntervalSchema, version: Version.optional() }))
    .mutation(({ ctx, input }) => updateMuteTiming(ctx.db, ctx.principal, ctx.meta, input)),
  deleteMuteTiming: permission("alerts:write")
    .input(ByName.extend({ version: Version.optional() }))
    .mutation(({ ctx, input }) => deleteMuteTiming(ctx.db, ctx.principal, ctx.meta, input)),
  inhibitRules: permission("alerts:read").query(({ ctx }) => getInhibitRules(ctx.db)),
  saveInhibitRules: permission("alerts:write")
    .input(z.object({ rules: z.array(InhibitRuleSchema).max(500), version: Version.optional() }))
    .mutation(({ ctx, input }) => saveInhibitRules(ctx.db, ctx.principal, ctx.meta, input)),
});

/** Silences. */
export const silencesRouter = router({
  list: permission("alerts:read")
    .input(ListSilencesInput.optional())
    .query(({ ctx, input }) => listSilences(ctx.db, input ?? {})),
  byId: permission("alerts:read")
    .input(ById)
    .query(({ ctx, input }) => getSilence(ctx.db, input.id)),
  create: permission("silences:write")
    .input(SilenceInput)
    .mutation(({ ctx, input }) => createSilence(ctx.db, ctx.principal, ctx.meta, input)),
  update: permission("silences:write")
    .input(SilenceInput.extend({ id: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => updateSilence(ctx.db, ctx.principal, ctx.meta, input)),
  expire: permission("silences:write")
    .input(ById)
    .mutation(({ ctx, input }) => expireSilence(ctx.db, ctx.principal, ctx.meta, input.id)),
});
