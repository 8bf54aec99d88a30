/**
 * What the alerting console does beyond reading and saving: the rule form's Preview button, the
 * "Import rule file" dialog (YAML text → rule groups, problems located by line) and a contact
 * point's "Send test" button. Plain functions with their dependencies passed in (the template
 * renderer, the channel sender), so the routers stay thin and tests need no network.
 */
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { canView } from "@/server/dashboards/access";
import * as folderStore from "@/server/dashboards/store";
import { AppError } from "@/server/lib/errors";
import type { RenderTemplate } from "./annotations";
import { previewRule } from "./evaluate";
import { AlertRuleSchema, ReceiverSchema, type AlertInstance, type AlertState, type AlertmanagerConfig, type IntegrationType, type LabelSet, type Receiver } from "./model";
import { readNotificationConfig, SECRET_MASK } from "./notifications-service";
import { describeRuleFileIssue, parseRuleFile } from "./rule-file";
import { importRuleGroups, listAlertInstances, listRuleGroups, ruleFolderAccess, ruleQueryProblems, type ImportedRuleGroups } from "./rules-service";

// ---------------------------------------------------------------------------------------------
// Preview
// ---------------------------------------------------------------------------------------------

export const PreviewRuleInput = z.object({
  rule: AlertRuleSchema,
  /** The folder the rule will live in: the caller must be able to see it. */
  folderUid: z.string().min(1).max(40).nullable().optional(),
});
export type PreviewRuleInput = z.input<typeof PreviewRuleInput>;

export interface PreviewSeries {
  /** The instance's full labels (series labels + rule labels + alertname). */
  labels: LabelSet;
  value: number | null;
  /** The state it would be in after this evaluation. */
  state: AlertState;
  annotations: Record<string, string>;
  error: string | null;
}

export interface RulePreviewResult {
  /** The evaluation instant (epoch ms). */
  at: number;
  series: PreviewSeries[];
  /** The query's error, when the evaluation failed. */
  error?: string;
}

export interface PreviewOptions {
  render: RenderTemplate;
  now?: number;
  /** Longest the evaluation may take (default 30 s). */
  timeoutMs?: number;
}

const PREVIEW_TIMEOUT_MS = 30_000;

/**
 * Evaluates a rule now as the caller (their data-access filter applies) and tells the state each
 * series would be in. A rule that already exists (its uid, visible to the caller) continues from
 * its current instances, so `for` counts from when they became pending; a new rule starts afresh.
 * Needs metrics:read for a PromQL rule and logs:read for a log rule.
 */
export async function previewRuleForUser(db: Db, principal: Principal, rawInput: PreviewRuleInput, opts: PreviewOptions): Promise<RulePreviewResult> {
  const input = PreviewRuleInput.parse(rawInput);
  const rule = input.rule;
  const needed = rule.query.kind === "promql" ? "metrics:read" : "logs:read";
  if (!principal.permissions.has(needed)) throw new AppError("FORBIDDEN", { userMessage: `Previewing a ${rule.query.kind === "promql" ? "PromQL" : "log"} rule needs the permission ${needed}` });
  if (input.folderUid) await assertFolderVisible(db, principal, input.folderUid);
  const at = opts.now ?? Date.now();
  const problems = ruleQueryProblems(rule);
  if (problems.length > 0) return { at, series: [], error: problems[0] };
  const previous: AlertInstance[] = rule.uid
    ? (await listAlertInstances(db, principal, { ruleUid: rule.uid })).map(({ ruleTitle: _t, groupId: _g, groupName: _n, folderUid: _f, folderTitle: _ft, ...i }) => i)
    : [];
  const p = await previewRule({ db, principal, render: opts.render, timeoutMs: opts.timeoutMs ?? PREVIEW_TIMEOUT_MS }, rule, at, previous);
  return {
    at,
    series: p.instances.map((i) => ({ labels: i.labels, value: i.value, state: i.state, annotations: i.annotations, error: i.error })),
    ...(p.result.ok ? {} : { error: p.result.error }),
  };
}

async function assertFolderVisible(db: DbOrTx, principal: Principal, uid: string): Promise<void> {
  const f = await folderStore.findFolder(db, { uid });
  if (!f || !canView(ruleFolderAccess(principal, f.permissions))) throw new AppError("NOT_FOUND", { userMessage: `Folder ${uid} not found` });
}

// ---------------------------------------------------------------------------------------------
// Import of a Prometheus rule file
// ---------------------------------------------------------------------------------------------

export const ImportRuleFileInput = z.object({
  /** The rule file's YAML (`groups: [...]`). */
  text: z.string().max(5_000_000),
  folderUid: z.string().min(1).max(40).nullable(),
  /** Replace groups of the same name in the folder (otherwise such a name is a CONFLICT). */
  replace: z.boolean().default(false),
  /** Only check the file: nothing is saved. */
  dryRun: z.boolean().default(false),
});
export type ImportRuleFileInput = z.input<typeof ImportRuleFileInput>;

export interface ImportRuleFileResult extends ImportedRuleGroups {
  dryRun: boolean;
  /** The file's groups: name, interval and rule titles. */
  groups: { name: string; interval: string; rules: string[] }[];
  /** Names of the file's groups the folder already has (replaced with `replace`, a conflict without). */
  existing: string[];
  /** `line 7: groups[0].rules[1]: recording rule "x" is not imported…` */
  warnings: string[];
}

/**
 * Parses a Prometheus rule file and imports its groups into a folder (all or nothing; the import
 * service checks access, conflicts and provisioning). A file with errors is INVALID_INPUT listing
 * every error with its line; warnings (recording rules skipped, unsupported fields) come back with
 * the result.
 */
export async function importRuleFile(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: ImportRuleFileInput): Promise<ImportRuleFileResult> {
  const input = ImportRuleFileInput.parse(rawInput);
  const parsed = parseRuleFile(input.text, { folderUid: input.folderUid });
  const warnings = parsed.warnings.map(describeRuleFileIssue);
  if (!parsed.ok) {
    const n = parsed.errors.length;
    const lines = parsed.errors.map(describeRuleFileIssue);
    throw new AppError("INVALID_INPUT", { userMessage: `The rule file has ${n} error${n === 1 ? "" : "s"}:\n${lines.join("\n")}` });
  }
  const groups = parsed.groups.map((g) => ({ name: g.name, interval: g.interval, rules: g.rules.map((r) => r.title) }));
  const rules = groups.reduce((n, g) => n + g.rules.length, 0);
  if (rules === 0) {
    const why = warnings.length ? `\n${warnings.join("\n")}` : "";
    throw new AppError("INVALID_INPUT", { userMessage: `The rule file has no alerting rules to import${why}` });
  }
  const names = new Set(groups.map((g) => g.name.toLowerCase()));
  const inFolder = await listRuleGroups(db, principal, { folderUid: input.folderUid });
  const existing = inFolder.filter((g) => names.has(g.name.toLowerCase())).map((g) => g.name);
  if (input.dryRun) return { dryRun: true, groups, existing, warnings, created: [], replaced: [], rules };
  const result = await importRuleGroups(db, principal, meta, { groups: parsed.groups, folderUid: input.folderUid, replace: input.replace });
  return { dryRun: false, groups, existing, warnings, ...result };
}

// ---------------------------------------------------------------------------------------------
// Send test
// ---------------------------------------------------------------------------------------------

export const TestContactPointInput = z.object({
  /** The contact point as the form has it (saved or not). */
  receiver: ReceiverSchema,
  /** The saved contact point's name, whose secrets fill the masked ones (`<secret>`) of `receiver`. */
  name: z.string().min(1).max(200).optional(),
  /** Which integration, in the order webhook, Slack, email, PagerDuty (config order within a type); absent: every one. */
  index: z.number().int().min(0).max(10_000).optional(),
});
export type TestContactPointInput = z.input<typeof TestContactPointInput>;

/** A receiver's integrations in the channels' order: webhook, Slack, email, PagerDuty. */
export function integrationRefs(r: Receiver): { type: IntegrationType; index: number }[] {
  const out: { type: IntegrationType; index: number }[] = [];
  const add = (type: IntegrationType, list: unknown[] | undefined) => list?.forEach((_c, index) => out.push({ type, index }));
  add("webhook", r.webhook_configs);
  add("slack", r.slack_configs);
  add("email", r.email_configs);
  add("pagerduty", r.pagerduty_configs);
  return out;
}

/**
 * `sent` with every string holding the secret mask replaced by the value at the same place in
 * `stored` (what a masked form sends back for a secret nobody retyped). A masked value with
 * nothing stored at its place is INVALID_INPUT naming where.
 */
export function unmaskReceiver(sent: Receiver, stored: Receiver | undefined): Receiver {
  const walk = (v: unknown, s: unknown, path: string): unknown => {
    if (typeof v === "string") {
      if (!v.includes(SECRET_MASK)) return v;
      if (typeof s === "string" && !s.includes(SECRET_MASK)) return s;
      throw new AppError("INVALID_INPUT", { userMessage: `${path}: enter the secret again (it is not stored for this contact point)` });
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, Array.isArray(s) ? s[i] : undefined, `${path}[${i}]`));
    if (v && typeof v === "object") {
      const so = s && typeof s === "object" && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, so[k], path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  return walk(sent, stored, "") as Receiver;
}

export interface TestSendContext {
  global?: AlertmanagerConfig["global"];
  /** The console's address, for links in the test notification. */
  externalURL: string;
}

/** Sends the test notification through the receiver's integration number `index` (integrationRefs order). */
export type SendTestFn<R> = (receiver: Receiver, index: number, ctx: TestSendContext) => Promise<R>;

/**
 * The "Send test" button: sends a test notification through one integration of the contact point
 * as edited (or each in turn), with the stored secrets filling masked ones and the configuration's
 * `global` section. Returns each integration's outcome; a failed delivery is an outcome, not an error.
 */
export async function testContactPoint<R>(db: DbOrTx, rawInput: TestContactPointInput, send: SendTestFn<R>, opts: { externalURL: string }): Promise<{ type: IntegrationType; index: number; result: R }[]> {
  const input = TestContactPointInput.parse(rawInput);
  const { config } = await readNotificationConfig(db);
  const stored = input.name === undefined ? undefined : config.receivers.find((r) => r.name === input.name);
  const receiver = unmaskReceiver(input.receiver, stored);
  const refs = integrationRefs(receiver);
  if (refs.length === 0) throw new AppError("INVALID_INPUT", { userMessage: "The contact point has no integrations to test" });
  if (input.index !== undefined && input.index >= refs.length) throw new AppError("INVALID_INPUT", { userMessage: `The contact point has ${refs.length} integration(s); there is no number ${input.index + 1}` });
  const which = input.index === undefined ? refs.map((_r, i) => i) : [input.index];
  const ctx: TestSendContext = { global: config.global, externalURL: opts.externalURL };
  const out: { type: IntegrationType; index: number; result: R }[] = [];
  for (const i of which) out.push({ ...refs[i]!, result: await send(receiver, i, ctx) });
  return out;
}
