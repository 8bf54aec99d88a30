/**
 * Notifications: the notification configuration (an alertmanager.yml, versioned, optimistic
 * concurrency) and the console's views of it (contact points = receivers, notification policies
 * = the route tree, mute timings = time_intervals, inhibition rules), silences, alerts received
 * from outside (POST /api/v2/alerts) and the alert list with each alert's status (GET
 * /api/v2/alerts).
 *
 * Secrets in integration configs (passwords, routing keys, tokens in URLs, header values) are
 * stored as given, handed out masked (`redact`) to callers without alerts:write, and never
 * written to the audit log.
 *
 * Label sets are fingerprinted as Prometheus does (fingerprint.ts), silence matchers match with
 * RE2 semantics (matchers.ts), configurations are validated as Alertmanager loads them
 * (routing.ts validateRoutingConfig: routes, matchers, durations, receivers and time intervals
 * referenced, inhibition rules; plus the integrations' required settings here), and the alert
 * list's receivers, inhibition and mute timings come from routing.ts, inhibit.ts and
 * time-intervals.ts. saveConfig and friends still take `validate`, listAlerts its resolvers, to
 * replace them.
 */
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { env } from "@/env";
import { writeAudit } from "@/server/auth/audit";
import { actorOf, assertCan, type Principal, type RequestMeta } from "@/server/auth/principal";
import { AppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { parseDuration } from "@/server/metrics/duration";
import {
  AlertmanagerConfigSchema,
  AlertSchema,
  InhibitRuleSchema,
  LabelNameSchema,
  ReceiverSchema,
  RouteSchema,
  SilenceMatcherSchema,
  TimeIntervalSchema,
  type AlertmanagerConfig,
  type InhibitRule,
  type IntegrationType,
  type LabelSet,
  type Receiver,
  type RouteConfig,
  type SilenceMatcher,
  type TimeInterval,
} from "./model";
import { fingerprint } from "./fingerprint";
import { compileInhibitRules, Inhibitor, type CompiledInhibitRule } from "./inhibit";
import { matcherFromSilenceMatcher, MatcherError } from "./matchers";
import { compileAnchoredRe2, RegexSyntaxError } from "./re2";
import { buildRouteTree, matchRoutes, validateRoutingConfig, type Route } from "./routing";
import { auditingDenials, parseInput, ProvisionedError, visibleRules } from "./rules-service";
import * as store from "./store";
import { routeTimeMuting, TimeIntervalSet } from "./time-intervals";

// ---------------------------------------------------------------------------------------------
// Label fingerprints and silence matchers
// ---------------------------------------------------------------------------------------------

/** A label set's fingerprint: Prometheus's and Alertmanager's (fingerprint.ts), 16 hex digits. */
export const labelsFingerprint = fingerprint;

/** `pattern` fully anchored with RE2 semantics (re2.ts), or null when it does not compile. */
function anchored(pattern: string): RegExp | null {
  try {
    return compileAnchoredRe2(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) return null;
    throw err;
  }
}

/** One SilenceMatcher against a label set (a missing label is ""), as Alertmanager matches; a bad regex matches nothing. */
export function silenceMatcherMatches(m: SilenceMatcher, labels: LabelSet): boolean {
  try {
    return matcherFromSilenceMatcher(m).matches(labels[m.name] ?? "");
  } catch (err) {
    if (err instanceof MatcherError) return false;
    throw err;
  }
}

/** Whether every SilenceMatcher matches. */
export function labelsMatch(matchers: readonly SilenceMatcher[], labels: LabelSet): boolean {
  return matchers.every((m) => silenceMatcherMatches(m, labels));
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

export const SECRET_MASK = "<secret>";

/** A URL with only its origin left (`https://hooks.slack.com/<secret>`); unparseable: the mask. */
function originOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.pathname === "/" && !u.search && !u.username && !u.password ? u.origin : `${u.origin}/${SECRET_MASK}`;
  } catch {
    return SECRET_MASK;
  }
}

const mask = (v: string | undefined) => (v === undefined ? undefined : SECRET_MASK);
const maskValues = (h: Record<string, string> | undefined) => (h ? Object.fromEntries(Object.keys(h).map((k) => [k, SECRET_MASK])) : undefined);

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A receiver with its secrets masked (see redact). */
export function redactReceiver(r: Receiver): Receiver {
  return strip({
    ...r,
    webhook_configs: r.webhook_configs?.map((c) => strip({ ...c, url: originOnly(c.url)!, http_headers: maskValues(c.http_headers) })),
    slack_configs: r.slack_configs?.map((c) => strip({ ...c, api_url: originOnly(c.api_url) })),
    email_configs: r.email_configs?.map((c) => strip({ ...c, auth_password: mask(c.auth_password) })),
    pagerduty_configs: r.pagerduty_configs?.map((c) => strip({ ...c, routing_key: SECRET_MASK })),
  });
}

/**
 * The configuration with its secrets masked: auth_password / smtp_auth_password and routing_key
 * replaced by `<secret>`, webhook and Slack URLs (and global.slack_api_url) cut to their origin,
 * webhook header values masked.
 */
export function redact(config: AlertmanagerConfig): AlertmanagerConfig {
  const global = config.global ? strip({ ...config.global, smtp_auth_password: mask(config.global.smtp_auth_password), slack_api_url: originOnly(config.global.slack_api_url) }) : undefined;
  return strip({ ...config, global, receivers: config.receivers.map(redactReceiver) });
}

// ---------------------------------------------------------------------------------------------
// The configuration
// ---------------------------------------------------------------------------------------------

/** What a fresh installation has: one receiver without integrations, alerts grouped by name. */
export const DEFAULT_NOTIFICATION_CONFIG: AlertmanagerConfig = {
  route: { receiver: "default", group_by: ["alertname"] },
  receivers: [{ name: "default" }],
  inhibit_rules: [],
  time_intervals: [],
};

/** Extra validation of a configuration (matcher syntax, time intervals …): problems, empty when fine. */
export type ConfigValidator = (config: AlertmanagerConfig) => string[];
export type ConfigOptions = { validate?: ConfigValidator };

/**
 * What Alertmanager refuses to load (routing.ts validateRoutingConfig): the root route, matchers,
 * durations and group_by of every route, receivers and time intervals used but not defined or
 * defined twice, time interval specs, inhibition rules; each problem with its path. Every save
 * without its own `validate` uses it.
 */
export const defaultConfigValidator: ConfigValidator = (c) => validateRoutingConfig(c).map((p) => `${p.path}: ${p.message}`);

/** Every route of the tree, root first, with its path (`route`, `route.routes[0]` …). */
export function walkRoutes(route: RouteConfig, visit: (r: RouteConfig, path: string, depth: number) => void, path = "route", depth = 0): void {
  visit(route, path, depth);
  route.routes?.forEach((child, i) => walkRoutes(child, visit, `${path}.routes[${i}]`, depth + 1));
}

const timeIntervalsOf = (c: AlertmanagerConfig): TimeInterval[] => [...c.time_intervals, ...(c.mute_time_intervals ?? [])];

/** The settings integrations cannot do without (here or in `global`): Slack's URL, email's smarthost and sender. */
export function configProblems(c: AlertmanagerConfig): string[] {
  const problems: string[] = [];
  for (const r of c.receivers) {
    r.slack_configs?.forEach((s, i) => {
      if (!s.api_url && !c.global?.slack_api_url) problems.push(`receiver "${r.name}": slack_configs[${i}] needs api_url (or global.slack_api_url)`);
    });
    r.email_configs?.forEach((e, i) => {
      if (!e.smarthost && !c.global?.smtp_smarthost) problems.push(`receiver "${r.name}": email_configs[${i}] needs smarthost (or global.smtp_smarthost)`);
      if (!e.from && !c.global?.smtp_from) problems.push(`receiver "${r.name}": email_configs[${i}] needs from (or global.smtp_from)`);
    });
  }
  return problems;
}

function parseConfig(raw: unknown): AlertmanagerConfig {
  const r = AlertmanagerConfigSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new AppError("INVALID_INPUT", { userMessage: `Invalid configuration: ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}` });
  }
  return r.data;
}

function assertValid(config: AlertmanagerConfig, opts: ConfigOptions): void {
  const problems = [...configProblems(config), ...(opts.validate ?? defaultConfigValidator)(config)];
  if (problems.length) throw new AppError("INVALID_INPUT", { userMessage: `Invalid configuration: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ""}` });
}

/** A stored configuration as the model (validated when written; a stale one is logged and used). */
function readStoredConfig(raw: Record<string, unknown>): AlertmanagerConfig {
  const r = AlertmanagerConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  logger.warn({ err: r.error.message }, "stored notification configuration does not match the current model");
  return raw as unknown as AlertmanagerConfig;
}

/** The current configuration (the default before the first save), for the pipeline: unmasked. */
export async function readNotificationConfig(db: DbOrTx): Promise<{ config: AlertmanagerConfig; version: number; provisioned: boolean }> {
  const row = await store.configRow(db);
  if (!row) return { config: DEFAULT_NOTIFICATION_CONFIG, version: 0, provisioned: false };
  return { config: readStoredConfig(row.config), version: row.version, provisioned: row.provisioned };
}

export interface NotificationConfigView {
  config: AlertmanagerConfig;
  /** 0 before the first save. */
  version: number;
  provisioned: boolean;
  /** Whether secrets are masked (callers without alerts:write). */
  masked: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const canSeeSecrets = (principal: Principal) => principal.permissions.has("alerts:write");

export async function getConfig(db: DbOrTx, principal: Principal): Promise<NotificationConfigView> {
  const row = await store.configRow(db);
  const config = row ? readStoredConfig(row.config) : DEFAULT_NOTIFICATION_CONFIG;
  const masked = !canSeeSecrets(principal);
  return { config: masked ? redact(config) : config, version: row?.version ?? 0, provisioned: row?.provisioned ?? false, masked, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

type Mutation = {
  action: string;
  target: { type: string; id?: string | null; name?: string | null };
  /** The version the caller edited; undefined: apply to whatever is current. */
  version?: number;
  message?: string;
};

/**
 * A read-modify-write of the configuration under its row lock: refused when provisioned or when
 * `version` is not the stored one; the result validated, stored as a new version and audited
 * (with `details`, never the secrets).
 */
async function mutateConfig<T>(
  db: Db,
  principal: Principal,
  meta: RequestMeta | null,
  m: Mutation,
  opts: ConfigOptions,
  change: (current: AlertmanagerConfig) => { config: AlertmanagerConfig; details?: Record<string, unknown>; result: T },
): Promise<T & { version: number }> {
  return auditingDenials(db, principal, meta, m.action, m.target, async () => {
    assertCan(principal, "alerts:write");
    return db.transaction(async (tx) => {
      const row = await store.lockConfigRow(tx, DEFAULT_NOTIFICATION_CONFIG as unknown as Record<string, unknown>);
      if (row.provisioned) throw new ProvisionedError("The notification configuration is provisioned (the provisioning file's alertmanager section); change the file");
      if (m.version !== undefined && m.version !== row.version) {
        throw new AppError("CONFLICT", { userMessage: `The notification configuration was changed by someone else (version ${row.version}); reload it` });
      }
      const current = row.version === 0 ? DEFAULT_NOTIFICATION_CONFIG : readStoredConfig(row.config);
      const out = change(structuredClone(current));
      const config = parseConfig(out.config);
      assertValid(config, opts);
      const a = actorOf(principal);
      const version = row.version + 1;
      const json = config as unknown as Record<string, unknown>;
      await store.writeConfigRow(tx, { config: json, version, provisioned: false, updatedBy: a.actorName });
      await store.insertConfigVersion(tx, { version, config: json, message: m.message ?? "", createdBy: a.actorId, createdByName: a.actorName });
      await writeAudit(tx, principal, meta, { action: m.action, result: "success", target: m.target, details: { version, message: m.message || undefined, ...out.details } });
      return { ...out.result, version };
    });
  });
}

export const SaveConfigInput = z.object({
  /** An AlertmanagerConfig (validated here). */
  config: z.unknown(),
  /** The version the caller edited (0 before the first save). */
  version: z.number().int().min(0),
  message: z.string().max(500).optional(),
});
export type SaveConfigInput = z.input<typeof SaveConfigInput>;

/** Replaces the whole configuration. */
export async function saveConfig(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SaveConfigInput, opts: ConfigOptions = {}): Promise<{ version: number }> {
  const input = parseInput(SaveConfigInput, rawInput);
  const config = parseConfig(input.config);
  return mutateConfig(db, principal, meta, { action: "notification_config.update", target: { type: "notification_config", id: "1" }, version: input.version, message: input.message }, opts, () => ({
    config,
    details: { receivers: config.receivers.map((r) => r.name), timeIntervals: timeIntervalsOf(config).map((t) => t.name), inhibitRules: config.inhibit_rules.length },
    result: {},
  }));
}

/** Saved versions, newest first (without their content). */
export async function listConfigVersions(db: DbOrTx, limit = 50) {
  return store.listConfigVersionRows(db, limit);
}

/** One saved version, masked for callers without alerts:write. */
export async function getConfigVersion(db: DbOrTx, principal: Principal, version: number) {
  const row = await store.findConfigVersion(db, version);
  if (!row) throw new AppError("NOT_FOUND", { userMessage: `Version ${version} not found` });
  const config = readStoredConfig(row.config);
  return { version: row.version, message: row.message, createdByName: row.createdByName, createdAt: row.createdAt, config: canSeeSecrets(principal) ? config : redact(config) };
}

// ---------------------------------------------------------------------------------------------
// Contact points (receivers)
// ---------------------------------------------------------------------------------------------

export interface ContactPointIntegration {
  type: IntegrationType;
  /** Index within its type's list (`webhook_configs[1]`). */
  index: number;
  sendResolved: boolean;
  /** Where it goes, secrets left out: a URL's origin, an address, a channel. */
  target: string;
}

export interface ContactPoint {
  name: string;
  integrations: ContactPointIntegration[];
  /** How many routes (the root included) name it. */
  usedByPolicies: number;
  /** Masked for callers without alerts:write. */
  receiver: Receiver;
  provisioned: boolean;
}

function integrationsOf(r: Receiver): ContactPointIntegration[] {
  const out: ContactPointIntegration[] = [];
  const origin = (u: string | undefined) => (u ? (originOnly(u) ?? "").replace(`/${SECRET_MASK}`, "") : "");
  r.webhook_configs?.forEach((c, index) => out.push({ type: "webhook", index, sendResolved: c.send_resolved ?? true, target: origin(c.url) }));
  r.slack_configs?.forEach((c, index) => out.push({ type: "slack", index, sendResolved: c.send_resolved ?? false, target: c.channel ?? (c.api_url ? origin(c.api_url) : "global slack_api_url") }));
  r.email_configs?.forEach((c, index) => out.push({ type: "email", index, sendResolved: c.send_resolved ?? false, target: c.to }));
  r.pagerduty_configs?.forEach((c, index) => out.push({ type: "pagerduty", index, sendResolved: c.send_resolved ?? true, target: c.url ? origin(c.url) : "events.pagerduty.com" }));
  return out;
}

function routeUses(route: RouteConfig, pred: (r: RouteConfig) => boolean): number {
  let n = 0;
  walkRoutes(route, (r) => {
    if (pred(r)) n++;
  });
  return n;
}

const receiverUses = (c: AlertmanagerConfig, name: string) => routeUses(c.route, (r) => r.receiver === name);

function toContactPoint(c: AlertmanagerConfig, r: Receiver, masked: boolean, provisioned: boolean): ContactPoint {
  return { name: r.name, integrations: integrationsOf(r), usedByPolicies: receiverUses(c, r.name), receiver: masked ? redactReceiver(r) : r, provisioned };
}

export async function listContactPoints(db: DbOrTx, principal: Principal): Promise<ContactPoint[]> {
  const { config, provisioned } = await readNotificationConfig(db);
  const masked = !canSeeSecrets(principal);
  return config.receivers.map((r) => toContactPoint(config, r, masked, provisioned)).sort((a, b) => a.name.localeCompare(b.name));
}

export async function getContactPoint(db: DbOrTx, principal: Principal, name: string): Promise<ContactPoint> {
  const { config, provisioned } = await readNotificationConfig(db);
  const r = config.receivers.find((x) => x.name === name);
  if (!r) throw new AppError("NOT_FOUND", { userMessage: `Contact point "${name}" not found` });
  return toContactPoint(config, r, !canSeeSecrets(principal), provisioned);
}

const receiverDetails = (r: Receiver) => ({ integrations: integrationsOf(r).map((i) => i.type) });

export const CreateContactPointInput = z.object({ receiver: ReceiverSchema, version: z.number().int().min(0).optional() });
export type CreateContactPointInput = z.input<typeof CreateContactPointInput>;

export async function createContactPoint(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: CreateContactPointInput, opts: ConfigOptions = {}) {
  const input = parseInput(CreateContactPointInput, rawInput);
  const r = input.receiver;
  return mutateConfig(db, principal, meta, { action: "contact_point.create", target: { type: "contact_point", id: r.name, name: r.name }, version: input.version }, opts, (c) => {
    if (c.receivers.some((x) => x.name === r.name)) throw new AppError("CONFLICT", { userMessage: `A contact point named "${r.name}" already exists` });
    c.receivers.push(r);
    return { config: c, details: receiverDetails(r), result: { name: r.name } };
  });
}

export const UpdateContactPointInput = z.object({
  /** The current name; `receiver.name` may rename it (routes follow). */
  name: z.string().min(1).max(200),
  receiver: ReceiverSchema,
  version: z.number().int().min(0).optional(),
});
export type UpdateContactPointInput = z.input<typeof UpdateContactPointInput>;

export async function updateContactPoint(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: UpdateContactPointInput, opts: ConfigOptions = {}) {
  const input = parseInput(UpdateContactPointInput, rawInput);
  const r = input.receiver;
  return mutateConfig(db, principal, meta, { action: "contact_point.update", target: { type: "contact_point", id: input.name, name: r.name }, version: input.version }, opts, (c) => {
    const i = c.receivers.findIndex((x) => x.name === input.name);
    if (i < 0) throw new AppError("NOT_FOUND", { userMessage: `Contact point "${input.name}" not found` });
    if (r.name !== input.name && c.receivers.some((x) => x.name === r.name)) throw new AppError("CONFLICT", { userMessage: `A contact point named "${r.name}" already exists` });
    c.receivers[i] = r;
    let renamedIn = 0;
    if (r.name !== input.name) {
      walkRoutes(c.route, (route) => {
        if (route.receiver === input.name) {
          route.receiver = r.name;
          renamedIn++;
        }
      });
    }
    return { config: c, details: { ...receiverDetails(r), renamedFrom: r.name !== input.name ? input.name : undefined, routesUpdated: renamedIn || undefined }, result: { name: r.name } };
  });
}

/** Deletes a contact point no route uses. */
export async function deleteContactPoint(db: Db, principal: Principal, meta: RequestMeta | null, input: { name: string; version?: number }, opts: ConfigOptions = {}) {
  return mutateConfig(db, principal, meta, { action: "contact_point.delete", target: { type: "contact_point", id: input.name, name: input.name }, version: input.version }, opts, (c) => {
    const i = c.receivers.findIndex((x) => x.name === input.name);
    if (i < 0) throw new AppError("NOT_FOUND", { userMessage: `Contact point "${input.name}" not found` });
    const uses = receiverUses(c, input.name);
    if (uses > 0) throw new AppError("CONFLICT", { userMessage: `Contact point "${input.name}" is used by ${uses} notification polic${uses === 1 ? "y" : "ies"}; change them first` });
    c.receivers.splice(i, 1);
    return { config: c, result: { name: input.name } };
  });
}

// ---------------------------------------------------------------------------------------------
// Notification policies (the route tree) and inhibition rules
// ---------------------------------------------------------------------------------------------

export async function getPolicies(db: DbOrTx): Promise<{ route: RouteConfig; version: number; provisioned: boolean }> {
  const { config, version, provisioned } = await readNotificationConfig(db);
  return { route: config.route, version, provisioned };
}

export const SavePoliciesInput = z.object({ route: RouteSchema, version: z.number().int().min(0).optional() });
export type SavePoliciesInput = z.input<typeof SavePoliciesInput>;

export async function savePolicies(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SavePoliciesInput, opts: ConfigOptions = {}) {
  const input = parseInput(SavePoliciesInput, rawInput);
  return mutateConfig(db, principal, meta, { action: "notification_policies.update", target: { type: "notification_policies", id: "route" }, version: input.version }, opts, (c) => {
    let routes = 0;
    walkRoutes(input.route, () => routes++);
    return { config: { ...c, route: input.route }, details: { routes }, result: {} };
  });
}

export async function getInhibitRules(db: DbOrTx): Promise<{ rules: InhibitRule[]; version: number; provisioned: boolean }> {
  const { config, version, provisioned } = await readNotificationConfig(db);
  return { rules: config.inhibit_rules, version, provisioned };
}

export const SaveInhibitRulesInput = z.object({ rules: z.array(InhibitRuleSchema).max(500), version: z.number().int().min(0).optional() });

export async function saveInhibitRules(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: z.input<typeof SaveInhibitRulesInput>, opts: ConfigOptions = {}) {
  const input = parseInput(SaveInhibitRulesInput, rawInput);
  return mutateConfig(db, principal, meta, { action: "inhibit_rules.update", target: { type: "inhibit_rules", id: "inhibit_rules" }, version: input.version }, opts, (c) => ({
    config: { ...c, inhibit_rules: input.rules },
    details: { rules: input.rules.length },
    result: {},
  }));
}

// ---------------------------------------------------------------------------------------------
// Mute timings (time_intervals)
// ---------------------------------------------------------------------------------------------

export interface MuteTiming extends TimeInterval {
  /** How many routes name it (as mute or active interval). */
  usedByPolicies: number;
  provisioned: boolean;
}

const intervalUses = (c: AlertmanagerConfig, name: string) => routeUses(c.route, (r) => !!r.mute_time_intervals?.includes(name) || !!r.active_time_intervals?.includes(name));

export async function listMuteTimings(db: DbOrTx): Promise<MuteTiming[]> {
  const { config, provisioned } = await readNotificationConfig(db);
  return timeIntervalsOf(config)
    .map((t) => ({ ...t, usedByPolicies: intervalUses(config, t.name), provisioned }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Where a named interval lives: `time_intervals` or the older `mute_time_intervals`. */
function findInterval(c: AlertmanagerConfig, name: string): { list: TimeInterval[]; index: number } | null {
  for (const list of [c.time_intervals, c.mute_time_intervals ?? []]) {
    const index = list.findIndex((t) => t.name === name);
    if (index >= 0) return { list, index };
  }
  return null;
}

export const MuteTimingInput = z.object({ timing: TimeIntervalSchema, version: z.number().int().min(0).optional() });

export async function createMuteTiming(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: z.input<typeof MuteTimingInput>, opts: ConfigOptions = {}) {
  const input = parseInput(MuteTimingInput, rawInput);
  const t = input.timing;
  return mutateConfig(db, principal, meta, { action: "mute_timing.create", target: { type: "mute_timing", id: t.name, name: t.name }, version: input.version }, opts, (c) => {
    if (findInterval(c, t.name)) throw new AppError("CONFLICT", { userMessage: `A mute timing named "${t.name}" already exists` });
    c.time_intervals.push(t);
    return { config: c, details: { intervals: t.time_intervals.length }, result: { name: t.name } };
  });
}

export const UpdateMuteTimingInput = MuteTimingInput.extend({ name: z.string().min(1).max(200) });

/** Changes (and renames: routes follow) a mute timing. */
export async function updateMuteTiming(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: z.input<typeof UpdateMuteTimingInput>, opts: ConfigOptions = {}) {
  const input = parseInput(UpdateMuteTimingInput, rawInput);
  const t = input.timing;
  return mutateConfig(db, principal, meta, { action: "mute_timing.update", target: { type: "mute_timing", id: input.name, name: t.name }, version: input.version }, opts, (c) => {
    const at = findInterval(c, input.name);
    if (!at) throw new AppError("NOT_FOUND", { userMessage: `Mute timing "${input.name}" not found` });
    if (t.name !== input.name && findInterval(c, t.name)) throw new AppError("CONFLICT", { userMessage: `A mute timing named "${t.name}" already exists` });
    at.list[at.index] = t;
    if (t.name !== input.name) {
      const rename = (names: string[] | undefined) => names?.map((n) => (n === input.name ? t.name : n));
      walkRoutes(c.route, (r) => {
        if (r.mute_time_intervals) r.mute_time_intervals = rename(r.mute_time_intervals);
        if (r.active_time_intervals) r.active_time_intervals = rename(r.active_time_intervals);
      });
    }
    return { config: c, details: { renamedFrom: t.name !== input.name ? input.name : undefined }, result: { name: t.name } };
  });
}

/** Deletes a mute timing no route uses. */
export async function deleteMuteTiming(db: Db, principal: Principal, meta: RequestMeta | null, input: { name: string; version?: number }, opts: ConfigOptions = {}) {
  return mutateConfig(db, principal, meta, { action: "mute_timing.delete", target: { type: "mute_timing", id: input.name, name: input.name }, version: input.version }, opts, (c) => {
    const at = findInterval(c, input.name);
    if (!at) throw new AppError("NOT_FOUND", { userMessage: `Mute timing "${input.name}" not found` });
    const uses = intervalUses(c, input.name);
    if (uses > 0) throw new AppError("CONFLICT", { userMessage: `Mute timing "${input.name}" is used by ${uses} notification polic${uses === 1 ? "y" : "ies"}; change them first` });
    at.list.splice(at.index, 1);
    return { config: c, result: { name: input.name } };
  });
}

// ---------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------

/**
 * Applies the provisioning file's `alertmanager:` section (read-only in the console afterwards),
 * idempotently; `null` (the section removed) hands the configuration back to the console, as is.
 * Invalid: INVALID_INPUT, nothing changed.
 */
export async function provisionNotificationConfig(db: DbOrTx, raw: unknown | null, source: string, opts: ConfigOptions = {}): Promise<"created" | "updated" | "unchanged" | "released"> {
  const config = raw === null ? null : parseConfig(raw);
  if (config) assertValid(config, opts);
  return db.transaction(async (tx) => {
    const row = await store.lockConfigRow(tx, DEFAULT_NOTIFICATION_CONFIG as unknown as Record<string, unknown>);
    const actor = { actorType: "system" as const, actorId: null, actorName: "provisioning" };
    if (!config) {
      if (!row.provisioned) return "unchanged";
      await store.writeConfigRow(tx, { config: row.config, version: row.version, provisioned: false, updatedBy: actor.actorName });
      await writeAudit(tx, actor, null, { action: "notification_config.update", result: "success", target: { type: "notification_config", id: "1" }, details: { source, reason: "no longer provisioned" } });
      return "released";
    }
    const json = config as unknown as Record<string, unknown>;
    if (row.provisioned && row.version > 0 && JSON.stringify(sorted(row.config)) === JSON.stringify(sorted(json))) return "unchanged";
    const version = row.version + 1;
    await store.writeConfigRow(tx, { config: json, version, provisioned: true, updatedBy: actor.actorName });
    await store.insertConfigVersion(tx, { version, config: json, message: `Provisioned from ${source}`, createdBy: null, createdByName: actor.actorName });
    await writeAudit(tx, actor, null, { action: "notification_config.update", result: "success", target: { type: "notification_config", id: "1" }, details: { version, source, receivers: config.receivers.map((r) => r.name) } });
    return row.version === 0 ? "created" : "updated";
  });
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sorted(x)]));
  return v;
}

// ---------------------------------------------------------------------------------------------
// Silences
// ---------------------------------------------------------------------------------------------

export type SilenceState = "active" | "pending" | "expired";

export interface SilenceView {
  id: string;
  matchers: SilenceMatcher[];
  /** RFC 3339. */
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  status: { state: SilenceState };
}

export function silenceState(s: { startsAt: Date; endsAt: Date }, now: number): SilenceState {
  if (now < s.startsAt.getTime()) return "pending";
  if (now >= s.endsAt.getTime()) return "expired";
  return "active";
}

function toSilenceView(r: store.SilenceRow, now: number): SilenceView {
  return {
    id: r.id,
    matchers: r.matchers,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    createdBy: r.createdBy,
    comment: r.comment,
    status: { state: silenceState(r, now) },
  };
}

const isoDate = z.union([z.iso.datetime({ offset: true }), z.date()]).transform((v) => (v instanceof Date ? v : new Date(v)));

export const SilenceInput = z.object({
  matchers: z.array(SilenceMatcherSchema).min(1, "a silence needs at least one matcher").max(100),
  /** Default: now; a start in the past becomes now. */
  startsAt: isoDate.optional(),
  endsAt: isoDate,
  /** Default: the caller's name (email). */
  createdBy: z.string().trim().min(1).max(200).optional(),
  comment: z.string().max(5_000).default(""),
});
export type SilenceInput = z.input<typeof SilenceInput>;

type ParsedSilence = z.infer<typeof SilenceInput>;

function silenceInputError(message: string): AppError {
  return new AppError("INVALID_INPUT", { userMessage: `Invalid silence: ${message}` });
}

function parseSilenceInput(raw: unknown): ParsedSilence {
  const r = SilenceInput.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw silenceInputError(`${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`);
  }
  return r.data;
}

/** Alertmanager's checks of a silence's matchers: valid names and regexes, not all matching "". */
function checkMatchers(matchers: readonly SilenceMatcher[]): void {
  for (const m of matchers) {
    if (!LabelNameSchema.safeParse(m.name).success) throw silenceInputError(`invalid label name "${m.name}"`);
    if (m.isRegex && anchored(m.value) === null) throw silenceInputError(`invalid regular expression "${m.value}" for ${m.name}`);
  }
  if (matchers.every((m) => silenceMatcherMatches(m, {}))) throw silenceInputError("at least one matcher must not match the empty string (it would silence every alert)");
}

/** The silence's times checked and normalised: start defaults to now, a past start becomes now. */
function silenceTimes(input: ParsedSilence, now: number): { startsAt: Date; endsAt: Date } {
  let startsAt = input.startsAt ?? new Date(now);
  if (startsAt.getTime() < now) startsAt = new Date(now);
  const endsAt = input.endsAt;
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) throw silenceInputError("invalid time");
  if (endsAt.getTime() <= now) throw silenceInputError("the end time is in the past");
  if (endsAt.getTime() <= startsAt.getTime()) throw silenceInputError("the end time must be after the start time");
  return { startsAt, endsAt };
}

const silenceNotFound = (id: string) => new AppError("NOT_FOUND", { userMessage: `Silence ${id} not found` });
const isUuid = (id: string) => z.uuid().safeParse(id).success;
const silenceAudit = (s: { matchers: SilenceMatcher[]; startsAt: Date; endsAt: Date; comment: string }) => ({
  matchers: s.matchers.map((m) => `${m.name}${m.isEqual === false ? "!" : "="}${m.isRegex ? "~" : ""}"${m.value}"`),
  startsAt: s.startsAt.toISOString(),
  endsAt: s.endsAt.toISOString(),
  comment: s.comment || undefined,
});

async function insertSilenceAudited(tx: DbOrTx, principal: Principal, meta: RequestMeta | null, input: ParsedSilence, now: number, extra: Record<string, unknown> = {}): Promise<store.SilenceRow> {
  const times = silenceTimes(input, now);
  const a = actorOf(principal);
  const row = await store.insertSilence(tx, { matchers: input.matchers.map(normaliseMatcher), ...times, createdBy: input.createdBy ?? a.actorName, actorId: a.actorId, comment: input.comment });
  await writeAudit(tx, principal, meta, { action: "silence.create", result: "success", target: { type: "silence", id: row.id }, details: { ...silenceAudit(row), ...extra } });
  return row;
}

const normaliseMatcher = (m: SilenceMatcher): SilenceMatcher => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true });

export type SilenceOptions = { now?: number };

export function createSilence(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SilenceInput, opts: SilenceOptions = {}): Promise<SilenceView> {
  return auditingDenials(db, principal, meta, "silence.create", { type: "silence" }, async () => {
    assertCan(principal, "silences:write");
    const input = parseSilenceInput(rawInput);
    checkMatchers(input.matchers);
    const now = opts.now ?? Date.now();
    const row = await db.transaction((tx) => insertSilenceAudited(tx, principal, meta, input, now));
    return toSilenceView(row, now);
  });
}

function sameMatchers(a: readonly SilenceMatcher[], b: readonly SilenceMatcher[]): boolean {
  const key = (ms: readonly SilenceMatcher[]) =>
    JSON.stringify(
      ms
        .map(normaliseMatcher)
        .map((m) => [m.name, m.value, m.isRegex, m.isEqual])
        .sort(),
    );
  return key(a) === key(b);
}

export type UpdatedSilence = SilenceView & {
  /** When the change could not be made in place: the id of the silence it expired (the new one is `id`). */
  replaced: string | null;
};

/**
 * Changes a silence with Alertmanager's semantics: in place when the matchers are the same and
 * the times allow it (an active silence keeps its start and may not end in the past; a pending
 * one may not start in the past); otherwise the old silence is expired (unless already) and a new
 * one with a new id is created. An omitted startsAt keeps the stored one.
 */
export function updateSilence(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SilenceInput & { id: string }, opts: SilenceOptions = {}): Promise<UpdatedSilence> {
  return auditingDenials(db, principal, meta, "silence.update", { type: "silence", id: rawInput.id }, async () => {
    assertCan(principal, "silences:write");
    if (!isUuid(rawInput.id)) throw silenceNotFound(rawInput.id);
    const input = parseSilenceInput(rawInput);
    checkMatchers(input.matchers);
    const now = opts.now ?? Date.now();
    return db.transaction(async (tx) => {
      const existing = await store.findSilence(tx, rawInput.id, { forUpdate: true });
      if (!existing) throw silenceNotFound(rawInput.id);
      const state = silenceState(existing, now);
      const startsAt = input.startsAt ?? existing.startsAt;
      const endsAt = input.endsAt;
      let inPlace = sameMatchers(existing.matchers, input.matchers);
      if (state === "active") inPlace &&= startsAt.getTime() === existing.startsAt.getTime() && endsAt.getTime() >= now;
      else if (state === "pending") inPlace &&= startsAt.getTime() >= now;
      else inPlace = false;
      if (inPlace) {
        if (endsAt.getTime() <= startsAt.getTime()) throw silenceInputError("the end time must be after the start time");
        const row = await store.updateSilenceRow(tx, existing.id, { startsAt, endsAt, comment: input.comment, createdBy: input.createdBy ?? existing.createdBy });
        await writeAudit(tx, principal, meta, { action: "silence.update", result: "success", target: { type: "silence", id: row.id }, details: silenceAudit(row) });
        return { ...toSilenceView(row, now), replaced: null };
      }
      if (state !== "expired") await expireRow(tx, existing, now);
      const row = await insertSilenceAudited(tx, principal, meta, { ...input, startsAt }, now, { replaces: existing.id });
      if (state !== "expired") await writeAudit(tx, principal, meta, { action: "silence.expire", result: "success", target: { type: "silence", id: existing.id }, details: { replacedBy: row.id } });
      return { ...toSilenceView(row, now), replaced: existing.id };
    });
  });
}

/** Ends a silence now (a pending one: starts and ends now). */
async function expireRow(tx: DbOrTx, s: store.SilenceRow, now: number): Promise<store.SilenceRow> {
  const at = new Date(now);
  return store.updateSilenceRow(tx, s.id, silenceState(s, now) === "pending" ? { startsAt: at, endsAt: at } : { endsAt: at });
}

export function expireSilence(db: Db, principal: Principal, meta: RequestMeta | null, id: string, opts: SilenceOptions = {}): Promise<SilenceView> {
  return auditingDenials(db, principal, meta, "silence.expire", { type: "silence", id }, async () => {
    assertCan(principal, "silences:write");
    if (!isUuid(id)) throw silenceNotFound(id);
    const now = opts.now ?? Date.now();
    return db.transaction(async (tx) => {
      const existing = await store.findSilence(tx, id, { forUpdate: true });
      if (!existing) throw silenceNotFound(id);
      if (silenceState(existing, now) === "expired") throw new AppError("CONFLICT", { userMessage: `Silence ${id} has already expired` });
      const row = await expireRow(tx, existing, now);
      await writeAudit(tx, principal, meta, { action: "silence.expire", result: "success", target: { type: "silence", id } });
      return toSilenceView(row, now);
    });
  });
}

export async function getSilence(db: DbOrTx, id: string, opts: SilenceOptions = {}): Promise<SilenceView> {
  if (!isUuid(id)) throw silenceNotFound(id);
  const row = await store.findSilence(db, id);
  if (!row) throw silenceNotFound(id);
  return toSilenceView(row, opts.now ?? Date.now());
}

export const ListSilencesInput = z.object({
  states: z.array(z.enum(["active", "pending", "expired"])).max(3).optional(),
  /** Only silences with every one of these matchers (same name, value and type), as Alertmanager's `filter`. */
  matchers: z.array(SilenceMatcherSchema).max(50).optional(),
});
export type ListSilencesInput = z.input<typeof ListSilencesInput>;

const STATE_ORDER: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/** Silences: active (ending soonest first), pending (starting soonest first), expired (newest first). */
export async function listSilences(db: DbOrTx, rawInput: ListSilencesInput = {}, opts: SilenceOptions = {}): Promise<SilenceView[]> {
  const input = parseInput(ListSilencesInput, rawInput);
  const now = opts.now ?? Date.now();
  const rows = await store.listSilenceRows(db);
  const views = rows
    .map((r) => toSilenceView(r, now))
    .filter((s) => !input.states || input.states.includes(s.status.state))
    .filter((s) => !input.matchers || input.matchers.every((f) => s.matchers.some((m) => sameMatchers([m], [f]))));
  const key = (s: SilenceView) => (s.status.state === "active" ? Date.parse(s.endsAt) : s.status.state === "pending" ? Date.parse(s.startsAt) : -Date.parse(s.endsAt));
  return views.sort((a, b) => STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] || key(a) - key(b) || a.id.localeCompare(b.id));
}

/** The default `mutedBy`: ids of the active silences whose matchers all match (labelsMatch). */
export async function silencesMuting(db: DbOrTx, now: number = Date.now()): Promise<(labels: LabelSet) => string[]> {
  const active = await store.activeSilenceRows(db, new Date(now));
  return (labels) => active.filter((s) => labelsMatch(s.matchers, labels)).map((s) => s.id);
}

// ---------------------------------------------------------------------------------------------
// External alerts (POST /api/v2/alerts)
// ---------------------------------------------------------------------------------------------

/** Alertmanager's default resolve_timeout: how long an alert sent without endsAt stays firing. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;

const PostableAlertsSchema = z.array(AlertSchema).max(10_000);

/** Go's zero time (`0001-01-01T00:00:00Z`), which some senders use for "not set". */
const GO_ZERO_TIME_MS = Date.parse("0001-01-01T00:00:00Z");

const timeOrNull = (text: string | undefined): number | null => {
  if (!text) return null;
  const t = Date.parse(text);
  return t <= GO_ZERO_TIME_MS ? null : t;
};

export interface ExternalAlertView {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string | null;
  updatedAt: string;
  state: "firing" | "resolved";
}

/**
 * Stores alerts sent by an external Prometheus (Alertmanager's postableAlert array). startsAt
 * defaults to now (or to endsAt when only that is given), endsAt to now + resolve_timeout (the
 * configuration's global.resolve_timeout, default 5m). An alert with the fingerprint of a stored
 * one that has not ended before it starts continues it: the earlier startsAt is kept. Throws
 * INVALID_INPUT (the first problem, with the alert's index).
 */
export async function upsertExternalAlerts(db: Db, rawAlerts: unknown, opts: { now?: number; resolveTimeoutMs?: number } = {}): Promise<{ received: number; fingerprints: string[] }> {
  const parsed = PostableAlertsSchema.safeParse(rawAlerts);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError("INVALID_INPUT", { userMessage: `${first?.path.length ? `alert ${first.path.join(".")}: ` : ""}${first?.message ?? "invalid alerts"}` });
  }
  const now = opts.now ?? Date.now();
  const resolveTimeoutMs = opts.resolveTimeoutMs ?? (await configuredResolveTimeout(db));
  const incoming: store.ExternalAlertValues[] = [];
  parsed.data.forEach((a, i) => {
    if (Object.keys(a.labels).length === 0) throw new AppError("INVALID_INPUT", { userMessage: `alert ${i}: at least one label pair required` });
    for (const [k, v] of Object.entries(a.labels)) if (v === "") throw new AppError("INVALID_INPUT", { userMessage: `alert ${i}: label ${k} has an empty value` });
    const ends = timeOrNull(a.endsAt);
    const starts = timeOrNull(a.startsAt) ?? (ends !== null && ends < now ? ends : now);
    const endsAt = ends ?? Math.max(now, starts) + resolveTimeoutMs;
    if (endsAt < starts) throw new AppError("INVALID_INPUT", { userMessage: `alert ${i}: start time must be before end time` });
    const labels = Object.fromEntries(Object.entries(a.labels).sort(([x], [y]) => (x < y ? -1 : 1)));
    incoming.push({
      fingerprint: labelsFingerprint(labels),
      labels,
      annotations: a.annotations,
      startsAt: new Date(starts),
      endsAt: new Date(endsAt),
      generatorUrl: a.generatorURL ?? null,
      endsAtDefaulted: ends === null,
      receivedAt: new Date(now),
    });
  });
  // The last one of a fingerprint in the batch wins.
  const byFp = new Map(incoming.map((a) => [a.fingerprint, a]));
  await db.transaction(async (tx) => {
    const stored = await store.externalAlertsByFingerprint(tx, [...byFp.keys()], { forUpdate: true });
    for (const a of byFp.values()) {
      const prev = stored.get(a.fingerprint);
      if (prev && prev.endsAt.getTime() >= a.startsAt.getTime() && prev.startsAt.getTime() < a.startsAt.getTime()) a.startsAt = prev.startsAt;
    }
    await store.upsertExternalAlertRows(tx, [...byFp.values()]);
  });
  return { received: parsed.data.length, fingerprints: [...byFp.keys()] };
}

async function configuredResolveTimeout(db: DbOrTx): Promise<number> {
  const { config } = await readNotificationConfig(db);
  const t = config.global?.resolve_timeout;
  return (t && parseDuration(t)) || DEFAULT_RESOLVE_TIMEOUT_MS;
}

function toExternalView(r: store.ExternalAlertRow, now: number): ExternalAlertView {
  return {
    fingerprint: r.fingerprint,
    labels: r.labels,
    annotations: r.annotations,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    generatorURL: r.generatorUrl,
    updatedAt: r.receivedAt.toISOString(),
    state: r.endsAt.getTime() > now ? "firing" : "resolved",
  };
}

/** Alerts received from outside; `active` (default true): only those not yet ended. */
export async function listExternalAlerts(db: DbOrTx, opts: { active?: boolean; now?: number; limit?: number } = {}): Promise<ExternalAlertView[]> {
  const now = opts.now ?? Date.now();
  const rows = await store.listExternalAlertRows(db, { endsAfter: opts.active === false ? undefined : new Date(now), limit: opts.limit });
  return rows.map((r) => toExternalView(r, now));
}

// ---------------------------------------------------------------------------------------------
// Alerts with their status (GET /api/v2/alerts, the console's alert list)
// ---------------------------------------------------------------------------------------------

export interface GettableAlert {
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[]; mutedBy: string[] };
  /** Where it comes from: one of our rules (its uid) or an external sender. */
  source: { kind: "rule"; ruleUid: string } | { kind: "external" };
}

export type AlertStatusResolvers = {
  /** Silence ids muting these labels (default: active silences, labelsMatch). */
  mutedBy?: (labels: LabelSet) => string[];
  /** Fingerprints of the alerts inhibiting these labels (default: the configuration's inhibition rules over `firing`). */
  inhibitedBy?: (labels: LabelSet, firing: readonly { labels: LabelSet; fingerprint: string }[], config: AlertmanagerConfig) => string[];
  /** Receivers the route tree sends these labels to (default: the configuration's routes, in Alertmanager's order). */
  receivers?: (labels: LabelSet, config: AlertmanagerConfig) => string[];
  /** Time intervals muting these labels' notifications at `now` (default: the mute/active time intervals of the routes they reach). */
  timeMutedBy?: (labels: LabelSet, config: AlertmanagerConfig, now: number) => string[];
};

/** The route tree, inhibition rules and time intervals of a configuration, built once per configuration object. */
interface CompiledConfig {
  tree: Route | null;
  inhibitRules: CompiledInhibitRule[];
  intervals: TimeIntervalSet | null;
  /** One inhibitor per list of firing alerts (listAlerts asks for every alert with the same list). */
  inhibitors: WeakMap<object, Inhibitor<{ labels: LabelSet; fingerprint: string }>>;
}
const compiledConfigs = new WeakMap<AlertmanagerConfig, CompiledConfig>();

function compiledConfig(c: AlertmanagerConfig): CompiledConfig {
  let compiled = compiledConfigs.get(c);
  if (!compiled) {
    // Stored configurations were validated; a stale one that no longer builds degrades, never throws.
    const attempt = <T>(f: () => T, fallback: T): T => {
      try {
        return f();
      } catch (err) {
        logger.warn({ err: (err as Error).message }, "stored notification configuration does not build");
        return fallback;
      }
    };
    compiled = {
      tree: attempt<Route | null>(() => buildRouteTree(c.route), null),
      inhibitRules: attempt(() => compileInhibitRules(c.inhibit_rules ?? []), []),
      intervals: attempt<TimeIntervalSet | null>(() => new TimeIntervalSet(timeIntervalsOf(c)), null),
      inhibitors: new WeakMap(),
    };
    compiledConfigs.set(c, compiled);
  }
  return compiled;
}

/** Alertmanager's answers for an alert's status: routing.ts, inhibit.ts and time-intervals.ts. */
export const defaultStatusResolvers: Omit<AlertStatusResolvers, "mutedBy"> = {
  receivers: (labels, c) => {
    const { tree } = compiledConfig(c);
    if (!tree) return c.route.receiver ? [c.route.receiver] : [];
    return [...new Set(matchRoutes(tree, labels).map((r) => r.options.receiver))];
  },
  inhibitedBy: (labels, firing, c) => {
    const { inhibitRules, inhibitors } = compiledConfig(c);
    if (inhibitRules.length === 0) return [];
    let inhibitor = inhibitors.get(firing);
    if (!inhibitor) {
      inhibitor = new Inhibitor(inhibitRules, firing);
      inhibitors.set(firing, inhibitor);
    }
    const hit = inhibitor.inhibitedBy(labels);
    return hit ? [hit.source.fingerprint] : [];
  },
  timeMutedBy: (labels, c, now) => {
    const { tree, intervals } = compiledConfig(c);
    if (!tree || !intervals) return [];
    const names = new Set<string>();
    for (const route of matchRoutes(tree, labels)) {
      const m = routeTimeMuting(route.options, intervals, now);
      if (m.muted) for (const n of m.reason === "mute_time_interval" ? [m.interval] : m.intervals) names.add(n);
    }
    return [...names];
  },
};

export const ListAlertsInput = z.object({
  /** Alertmanager's filters: which statuses to include (all true by default). */
  active: z.boolean().default(true),
  silenced: z.boolean().default(true),
  inhibited: z.boolean().default(true),
  unprocessed: z.boolean().default(true),
  /** Every matcher must match. */
  matchers: z.array(SilenceMatcherSchema).max(50).optional(),
  /** A regular expression the receiver name must match (anchored). */
  receiver: z.string().max(500).optional(),
});
export type ListAlertsInput = z.input<typeof ListAlertsInput>;

function baseUrl(): string {
  const b = env().LOOKOUT_BASE_URL;
  return b ? b.replace(/\/+$/, "") : "";
}

/** Prometheus's resend window: a firing alert stays valid for 4 × max(interval, 1m) after it was last evaluated. */
const validFor = (intervalMs: number) => 4 * Math.max(intervalMs, 60_000);

/**
 * Firing alerts (our rules' firing instances the caller can see, and external alerts not yet
 * ended) with their Alertmanager status; newest first by startsAt then by fingerprint.
 */
export async function listAlerts(db: DbOrTx, principal: Principal, rawInput: ListAlertsInput = {}, resolvers: AlertStatusResolvers = {}, opts: { now?: number } = {}): Promise<GettableAlert[]> {
  const input = parseInput(ListAlertsInput, rawInput);
  const now = opts.now ?? Date.now();
  const { config } = await readNotificationConfig(db);
  const mutedBy = resolvers.mutedBy ?? (await silencesMuting(db, now));
  const receivers = resolvers.receivers ?? defaultStatusResolvers.receivers!;
  const inhibited = resolvers.inhibitedBy ?? defaultStatusResolvers.inhibitedBy!;
  const timeMutedBy = resolvers.timeMutedBy ?? defaultStatusResolvers.timeMutedBy!;
  const rules = await visibleRules(db, principal);
  const instances = await store.instanceRows(db, { ruleUids: [...rules.keys()], states: ["firing"] });
  const base = baseUrl();
  const raw: Omit<GettableAlert, "receivers" | "status">[] = [];
  for (const i of instances) {
    const r = rules.get(i.ruleUid)!;
    raw.push({
      labels: i.labels,
      annotations: i.annotations,
      startsAt: new Date(i.stateSince).toISOString(),
      endsAt: new Date(i.resolvedAt ?? i.lastEvalAt + validFor(r.intervalMs)).toISOString(),
      updatedAt: new Date(i.lastEvalAt).toISOString(),
      generatorURL: `${base}/alerting/rules/${encodeURIComponent(i.ruleUid)}`,
      fingerprint: i.fingerprint,
      source: { kind: "rule", ruleUid: i.ruleUid },
    });
  }
  for (const e of await store.listExternalAlertRows(db, { endsAfter: new Date(now) })) {
    raw.push({
      labels: e.labels,
      annotations: e.annotations,
      startsAt: e.startsAt.toISOString(),
      endsAt: e.endsAt.toISOString(),
      updatedAt: e.receivedAt.toISOString(),
      generatorURL: e.generatorUrl ?? "",
      fingerprint: e.fingerprint,
      source: { kind: "external" },
    });
  }
  const firing = raw.map((a) => ({ labels: a.labels, fingerprint: a.fingerprint }));
  const receiverRe = input.receiver ? anchored(input.receiver) : null;
  if (input.receiver && !receiverRe) throw new AppError("INVALID_INPUT", { userMessage: `Invalid receiver regular expression "${input.receiver}"` });
  const out: GettableAlert[] = [];
  for (const a of raw) {
    if (input.matchers && !labelsMatch(input.matchers, a.labels)) continue;
    const names = receivers(a.labels, config);
    if (receiverRe && !names.some((n) => receiverRe.test(n))) continue;
    const silencedBy = mutedBy(a.labels);
    const inhibitedBy = inhibited(a.labels, firing, config).filter((fp) => fp !== a.fingerprint);
    const timeMuted = timeMutedBy(a.labels, config, now);
    const state = silencedBy.length || inhibitedBy.length || timeMuted.length ? "suppressed" : "active";
    if (state === "active" && !input.active) continue;
    if (silencedBy.length && !input.silenced) continue;
    if (inhibitedBy.length && !input.inhibited) continue;
    out.push({ ...a, receivers: names.map((name) => ({ name })), status: { state, silencedBy, inhibitedBy, mutedBy: timeMuted } });
  }
  return out.sort((x, y) => Date.parse(y.startsAt) - Date.parse(x.startsAt) || x.fingerprint.localeCompare(y.fingerprint));
}
