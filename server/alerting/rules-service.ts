/**
 * Alert rules: groups of rules in folders, their current state (from the evaluator's instances
 * and evaluations), state history, import of Prometheus rule files (already parsed into
 * RuleGroup[]) and provisioning.
 *
 * Access: a rule group lives in a dashboards folder and follows that folder's permissions, read
 * with the alerting permissions (server/dashboards/access.ts's rules with alerts:read standing for
 * dashboards:read and alerts:write for dashboards:write). Groups the caller cannot see do not
 * exist for it (NOT_FOUND). Provisioned groups are read-only. Every change is audited in its
 * transaction; FORBIDDEN answers are audited as permission denials.
 */
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { writeAudit, type AuditActor } from "@/server/auth/audit";
import type { Permission } from "@/server/auth/permissions";
import { actorOf, type Principal, type RequestMeta } from "@/server/auth/principal";
import { canEdit, canView, folderAccess, type FolderAccess, type FolderPermissionEntry } from "@/server/dashboards/access";
import { generateUid } from "@/server/dashboards/service";
import * as folderStore from "@/server/dashboards/store";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { QueryError } from "@/server/logs/query/ast";
import { parseQuery } from "@/server/logs/query/parse";
import { formatDuration, parseDuration } from "@/server/metrics/duration";
import { exprType } from "@/server/metrics/promql/ast";
import { parseExpr, PromQLParseError } from "@/server/metrics/promql/parse";
import { AlertRuleSchema, AlertStateSchema, RuleGroupSchema, SilenceMatcherSchema, type AlertInstance, type AlertRule, type AlertState, type RuleGroup, type StateTransition } from "./model";
import { labelsMatch } from "./notifications-service";
import * as store from "./store";

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

/**
 * The caller's access to a folder's alert rules: folderAccess (the dashboards' rules) with the
 * alerting permissions in place of the dashboards ones.
 */
export function ruleFolderAccess(principal: Principal, entries: readonly FolderPermissionEntry[]): FolderAccess {
  const perms = new Set<Permission>([...principal.permissions].filter((p) => p !== "dashboards:read" && p !== "dashboards:write"));
  if (principal.permissions.has("alerts:read")) perms.add("dashboards:read");
  if (principal.permissions.has("alerts:write")) perms.add("dashboards:write");
  return folderAccess({ ...principal, permissions: perms } as Principal, entries);
}

/**
 * Runs a change; a FORBIDDEN (other than a provisioned object's) is audited as a permission
 * denial, outside the change's transaction (which rolls back).
 */
export async function auditingDenials<T>(db: Db, principal: Principal, meta: RequestMeta | null, action: string, target: { type: string; id?: string | null; name?: string | null }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === "FORBIDDEN" && !(e instanceof ProvisionedError)) {
      await writeAudit(db, principal, meta, { action: "permission.denied", result: "denied", target, details: { action, reason: e.userMessage } });
    }
    throw e;
  }
}

/** Changing something the provisioning file owns. */
export class ProvisionedError extends AppError {
  constructor(userMessage: string) {
    super("FORBIDDEN", { userMessage });
  }
}

const provisionedGroup = (name: string, source: string) => new ProvisionedError(`Rule group "${name}" is provisioned from ${source}; change the file`);
const groupNotFound = (id: string) => new AppError("NOT_FOUND", { userMessage: `Rule group ${id} not found` });
const ruleNotFound = (uid: string) => new AppError("NOT_FOUND", { userMessage: `Alert rule ${uid} not found` });
const folderNotFound = (uid: string) => new AppError("NOT_FOUND", { userMessage: `Folder ${uid} not found` });
const folderName = (title: string | null) => (title === null ? "General" : `"${title}"`);

type FolderInfo = { uid: string | null; title: string | null; access: FolderAccess };

/** Every folder (General as null) with the caller's access to its rules. */
async function folderAccessMap(db: DbOrTx, principal: Principal): Promise<Map<string | null, FolderInfo>> {
  const out = new Map<string | null, FolderInfo>();
  out.set(null, { uid: null, title: null, access: ruleFolderAccess(principal, []) });
  for (const f of await folderStore.listFolderRows(db)) out.set(f.uid, { uid: f.uid, title: f.title, access: ruleFolderAccess(principal, f.permissions) });
  return out;
}

async function folderFor(db: DbOrTx, principal: Principal, uid: string | null): Promise<FolderInfo> {
  if (uid === null) return { uid: null, title: null, access: ruleFolderAccess(principal, []) };
  const f = await folderStore.findFolder(db, { uid });
  if (!f) throw folderNotFound(uid);
  const access = ruleFolderAccess(principal, f.permissions);
  if (!canView(access)) throw folderNotFound(uid);
  return { uid: f.uid, title: f.title, access };
}

function assertEdit(folder: FolderInfo): void {
  if (!canEdit(folder.access)) throw new AppError("FORBIDDEN", { userMessage: `You cannot change alert rules in the folder ${folderName(folder.title)}` });
}

/** The group and its folder, when the caller can see it; NOT_FOUND otherwise. */
async function visibleGroup(db: DbOrTx, principal: Principal, id: string, opts: { forUpdate?: boolean } = {}) {
  if (!z.uuid().safeParse(id).success) throw groupNotFound(id);
  const group = await store.findGroup(db, id, opts);
  if (!group) throw groupNotFound(id);
  const folder = await folderFor(db, principal, group.folderUid).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "NOT_FOUND" ? groupNotFound(id) : e;
  });
  return { group, folder };
}

function who(principal: Principal): { id: string | null; name: string } {
  const a = actorOf(principal);
  return { id: a.actorId, name: a.actorName };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** A rule group's interval: 1s to 24h. */
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 86_400_000;

/** Parses a service input; a mismatch is INVALID_INPUT naming the first problem. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, what = "Invalid input"): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new AppError("INVALID_INPUT", { userMessage: zodMessage(r.error, what) });
  return r.data;
}

function zodMessage(error: z.ZodError, what: string): string {
  const first = error.issues[0];
  return `${what}: ${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`;
}

/** Problems of one rule's query (PromQL parse and type, log query parse); empty when fine. */
export function ruleQueryProblems(rule: AlertRule): string[] {
  const q = rule.query;
  if (q.kind === "promql") {
    try {
      const t = exprType(parseExpr(q.expr));
      if (t !== "vector" && t !== "scalar") return [`the expression must return an instant vector or a scalar, not a ${t === "matrix" ? "range vector" : t}`];
    } catch (e) {
      if (e instanceof PromQLParseError) return [e.message];
      throw e;
    }
    return [];
  }
  try {
    parseQuery(q.query);
  } catch (e) {
    if (e instanceof QueryError) return [`log query: ${e.message}`];
    throw e;
  }
  return [];
}

/**
 * A rule group from outside (form, import, provisioning) as the model, validated: the schema, the
 * interval (1s to 24h), every rule's query. Throws INVALID_INPUT naming the rule.
 */
export function parseRuleGroup(raw: unknown): RuleGroup & { intervalMs: number } {
  const r = RuleGroupSchema.safeParse(raw);
  if (!r.success) throw new AppError("INVALID_INPUT", { userMessage: zodMessage(r.error, "Invalid rule group") });
  const group = r.data;
  const intervalMs = parseDuration(group.interval);
  if (intervalMs === undefined || intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
    throw new AppError("INVALID_INPUT", { userMessage: `Rule group "${group.name}": the interval must be between 1s and 24h` });
  }
  group.rules.forEach((rule, i) => {
    const problems = ruleQueryProblems(rule);
    if (problems.length) throw new AppError("INVALID_INPUT", { userMessage: `Rule "${rule.title}" (#${i + 1}) in group "${group.name}": ${problems[0]}` });
  });
  return { ...group, intervalMs };
}

/** A stored rule as the model (stored rules were validated when written). */
function readRule(row: store.RuleRow): AlertRule & { uid: string } {
  const r = AlertRuleSchema.safeParse(row.data);
  if (!r.success) {
    logger.warn({ uid: row.uid, err: r.error.message }, "stored alert rule does not match the current model");
    return { ...(row.data as unknown as AlertRule), uid: row.uid, paused: row.paused };
  }
  return { ...r.data, uid: row.uid, paused: row.paused };
}

// ---------------------------------------------------------------------------------------------
// Writing a group (shared by save, import and provisioning)
// ---------------------------------------------------------------------------------------------

type WriteGroup = {
  existing: store.RuleGroupRow | null;
  folderUid: string | null;
  group: RuleGroup & { intervalMs: number };
  provisionedFrom: string | null;
  actorId: string | null;
  /** Rules without a uid take the uid of an existing rule of the same title (import, provisioning). */
  matchByTitle: boolean;
};

type WrittenGroup = { row: store.RuleGroupRow; rules: store.RuleRow[]; created: string[]; updated: string[]; deleted: string[] };

async function writeGroup(tx: DbOrTx, w: WriteGroup): Promise<WrittenGroup> {
  const values = { folderUid: w.folderUid, name: w.group.name, intervalMs: w.group.intervalMs, provisionedFrom: w.provisionedFrom, actorId: w.actorId };
  const row = w.existing ? await store.updateGroup(tx, w.existing.id, values) : await store.insertGroup(tx, values);
  const current = w.existing ? await store.rulesOfGroups(tx, [w.existing.id]) : [];
  const byUid = new Map(current.map((r) => [r.uid, r]));
  const claimed = new Set<string>();

  // Uids named by the group that belong to another group.
  const named = w.group.rules.map((r) => r.uid).filter((u): u is string => !!u && !byUid.has(u));
  for (const other of await store.findRulesByUids(tx, named)) {
    throw new AppError("CONFLICT", { userMessage: `Rule uid ${other.uid} ("${other.title}") belongs to another rule group` });
  }

  const out: WrittenGroup = { row, rules: [], created: [], updated: [], deleted: [] };
  for (const [position, rule] of w.group.rules.entries()) {
    let target: store.RuleRow | undefined = rule.uid ? byUid.get(rule.uid) : undefined;
    if (!rule.uid && w.matchByTitle) target = current.find((c) => !claimed.has(c.uid) && c.title === rule.title && !w.group.rules.some((r) => r.uid === c.uid));
    const uid = target?.uid ?? rule.uid ?? generateUid();
    const data = { ...rule, uid } as unknown as Record<string, unknown>;
    const v = { groupId: row.id, position, title: rule.title, data, paused: rule.paused, provisioned: w.provisionedFrom !== null, actorId: w.actorId };
    if (target) {
      claimed.add(target.uid);
      out.rules.push(await store.updateRule(tx, target.id, v));
      out.updated.push(uid);
    } else {
      out.rules.push(await store.insertRule(tx, { ...v, uid }));
      out.created.push(uid);
    }
  }
  const gone = current.filter((c) => !claimed.has(c.uid));
  await store.deleteRules(
    tx,
    gone.map((g) => g.id),
  );
  out.deleted = gone.map((g) => g.uid);
  return out;
}

const nameTaken = (name: string, folderTitle: string | null) => new AppError("CONFLICT", { userMessage: `The folder ${folderName(folderTitle)} already has a rule group named "${name}"` });

// ---------------------------------------------------------------------------------------------
// Rule groups: read
// ---------------------------------------------------------------------------------------------

export type RuleHealth = "ok" | "error" | "nodata" | "unknown";

/** How bad a state is, for a rule's summary state (the worst of its instances). */
export const STATE_SEVERITY: Record<AlertState, number> = { firing: 4, error: 3, nodata: 2, pending: 1, normal: 0 };

export interface RuleSummary {
  uid: string;
  title: string;
  kind: "promql" | "logs";
  paused: boolean;
  labels: Record<string, string>;
  /** The worst state of its instances (firing > error > nodata > pending > normal); normal without instances. */
  state: AlertState;
  /** Since when (epoch ms) the oldest instance in `state` has been in it; null without instances. */
  stateSince: number | null;
  /** Instances per state. */
  counts: store.StateCounts;
  instances: number;
  /** The last evaluation (epoch ms), its duration and outcome; null / unknown before the first one. */
  lastEvaluation: number | null;
  evaluationDurationMs: number | null;
  health: RuleHealth;
  lastError: string | null;
  nextEvaluation: number | null;
}

export interface RuleGroupSummary {
  id: string;
  name: string;
  folderUid: string | null;
  folderTitle: string | null;
  /** Duration text (`1m`) and milliseconds. */
  interval: string;
  intervalMs: number;
  version: number;
  provisioned: boolean;
  provisionedFrom: string | null;
  canEdit: boolean;
  updatedAt: Date;
  rules: RuleSummary[];
}

function summarize(rule: AlertRule & { uid: string }, s: store.InstanceSummary | undefined, ev: store.EvaluationRow | undefined): RuleSummary {
  const counts = s?.counts ?? { normal: 0, pending: 0, firing: 0, nodata: 0, error: 0 };
  let state: AlertState = "normal";
  for (const st of AlertStateSchema.options) if (counts[st] > 0 && STATE_SEVERITY[st] > STATE_SEVERITY[state]) state = st;
  const instances = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    uid: rule.uid,
    title: rule.title,
    kind: rule.query.kind,
    paused: rule.paused,
    labels: rule.labels,
    state,
    stateSince: instances > 0 ? (s?.since[state] ?? null) : null,
    counts,
    instances,
    lastEvaluation: ev ? ev.lastEvalAt.getTime() : null,
    evaluationDurationMs: ev ? ev.durationMs : null,
    health: ev ? ev.health : "unknown",
    lastError: ev?.error ?? null,
    nextEvaluation: ev?.nextEvalAt ? ev.nextEvalAt.getTime() : null,
  };
}

export const ListRuleGroupsInput = z.object({
  /** Only this folder (null: General). */
  folderUid: z.string().max(40).nullable().optional(),
  /** Case-insensitive substring of a group name or a rule title (a matching group keeps all its rules). */
  query: z.string().max(200).optional(),
  /** Only rules whose summary state is one of these (groups left without rules are dropped). */
  states: z.array(AlertStateSchema).max(5).optional(),
});
export type ListRuleGroupsInput = z.input<typeof ListRuleGroupsInput>;

/** Rule groups the caller can see with each rule's current state, by folder title then name. */
export async function listRuleGroups(db: DbOrTx, principal: Principal, rawInput: ListRuleGroupsInput = {}): Promise<RuleGroupSummary[]> {
  const input = parseInput(ListRuleGroupsInput, rawInput);
  const folders = await folderAccessMap(db, principal);
  let uids = [...folders.entries()].filter(([, f]) => canView(f.access)).map(([k]) => k);
  if (input.folderUid !== undefined) uids = uids.filter((u) => u === input.folderUid);
  const groups = await store.listGroupRows(db, uids);
  const rules = await store.rulesOfGroups(
    db,
    groups.map((g) => g.id),
  );
  const ruleUids = rules.map((r) => r.uid);
  const [summaries, evaluations] = await Promise.all([store.instanceSummaries(db, ruleUids), store.evaluationRows(db, ruleUids)]);
  const byGroup = new Map<string, RuleSummary[]>();
  for (const r of rules) {
    const list = byGroup.get(r.groupId) ?? [];
    list.push(summarize(readRule(r), summaries.get(r.uid), evaluations.get(r.uid)));
    byGroup.set(r.groupId, list);
  }
  const q = input.query?.trim().toLowerCase();
  const out: RuleGroupSummary[] = [];
  for (const g of groups) {
    let list = byGroup.get(g.id) ?? [];
    const nameMatches = !!q && g.name.toLowerCase().includes(q);
    if (q && !nameMatches) {
      list = list.filter((r) => r.title.toLowerCase().includes(q));
      if (list.length === 0) continue;
    }
    if (input.states) {
      list = list.filter((r) => input.states!.includes(r.state));
      if (list.length === 0) continue;
    }
    out.push({ ...groupHead(g, folders.get(g.folderUid)!), rules: list });
  }
  return out;
}

function groupHead(g: store.RuleGroupWithFolder | (store.RuleGroupRow & { folderTitle: string | null }), folder: FolderInfo) {
  return {
    id: g.id,
    name: g.name,
    folderUid: g.folderUid,
    folderTitle: g.folderTitle,
    interval: formatDuration(g.intervalMs),
    intervalMs: g.intervalMs,
    version: g.version,
    provisioned: g.provisionedFrom !== null,
    provisionedFrom: g.provisionedFrom,
    canEdit: canEdit(folder.access) && g.provisionedFrom === null,
    updatedAt: g.updatedAt,
  };
}

export interface RuleGroupDetails extends Omit<RuleGroupSummary, "rules"> {
  /** The group as the editor edits it (RuleGroup with every rule's uid). */
  group: RuleGroup & { rules: (AlertRule & { uid: string })[] };
  updatedBy: string | null;
}

export async function getRuleGroup(db: DbOrTx, principal: Principal, id: string): Promise<RuleGroupDetails> {
  const { group, folder } = await visibleGroup(db, principal, id);
  const rules = (await store.rulesOfGroups(db, [group.id])).map(readRule);
  return {
    ...groupHead(group, folder),
    group: { name: group.name, folderUid: group.folderUid, interval: formatDuration(group.intervalMs), rules },
    updatedBy: group.updatedBy,
  };
}

// ---------------------------------------------------------------------------------------------
// Rule groups: save, delete
// ---------------------------------------------------------------------------------------------

export const SaveRuleGroupInput = z.object({
  /** The group to update; absent creates one. */
  id: z.uuid().optional(),
  /** The version the caller edited (updates only): a newer stored version is a CONFLICT. */
  version: z.number().int().min(0).optional(),
  /** A RuleGroup (validated here: schema, interval, queries); its folderUid and name may move/rename it. */
  group: z.unknown(),
});
export type SaveRuleGroupInput = z.input<typeof SaveRuleGroupInput>;

export interface SavedRuleGroup {
  id: string;
  name: string;
  folderUid: string | null;
  version: number;
  created: boolean;
  /** The rules in order, with their uids (kept or generated). */
  rules: { uid: string; title: string }[];
}

/** Creates or updates (renames, moves) a rule group with its rules. */
export function saveRuleGroup(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SaveRuleGroupInput): Promise<SavedRuleGroup> {
  return auditingDenials(db, principal, meta, "alert_rule_group.save", { type: "alert_rule_group", id: rawInput.id ?? null }, () => saveRuleGroupUnaudited(db, principal, meta, rawInput));
}

async function saveRuleGroupUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: SaveRuleGroupInput): Promise<SavedRuleGroup> {
  const input = parseInput(SaveRuleGroupInput, rawInput);
  const group = parseRuleGroup(input.group);
  const me = who(principal);
  try {
    return await db.transaction(async (tx) => {
      const target = await folderFor(tx, principal, group.folderUid);
      assertEdit(target);
      let existing: store.RuleGroupWithFolder | null = null;
      if (input.id) {
        const found = await visibleGroup(tx, principal, input.id, { forUpdate: true });
        assertEdit(found.folder);
        existing = found.group;
        if (existing.provisionedFrom) throw provisionedGroup(existing.name, existing.provisionedFrom);
        if (input.version !== undefined && input.version !== existing.version) {
          throw new AppError("CONFLICT", { userMessage: `The rule group was changed by someone else (version ${existing.version}); reload it` });
        }
      }
      if (await store.findGroupByName(tx, group.folderUid, group.name, existing?.id)) throw nameTaken(group.name, target.title);
      const written = await writeGroup(tx, { existing, folderUid: group.folderUid, group, provisionedFrom: null, actorId: me.id, matchByTitle: false });
      await writeAudit(tx, principal, meta, {
        action: existing ? "alert_rule_group.update" : "alert_rule_group.create",
        result: "success",
        target: { type: "alert_rule_group", id: written.row.id, name: written.row.name },
        details: {
          folder: group.folderUid,
          version: written.row.version,
          interval: group.interval,
          rules: written.rules.map((r) => r.uid),
          created: written.created.length ? written.created : undefined,
          deleted: written.deleted.length ? written.deleted : undefined,
          from: existing && (existing.name !== group.name || existing.folderUid !== group.folderUid) ? { name: existing.name, folder: existing.folderUid } : undefined,
        },
      });
      return {
        id: written.row.id,
        name: written.row.name,
        folderUid: written.row.folderUid,
        version: written.row.version,
        created: !existing,
        rules: written.rules.map((r) => ({ uid: r.uid, title: r.title })),
      };
    });
  } catch (e) {
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: `A rule group named "${group.name}" or a rule with one of these uids was saved meanwhile; reload` });
    throw e;
  }
}

export function deleteRuleGroup(db: Db, principal: Principal, meta: RequestMeta | null, id: string): Promise<{ id: string; name: string; rules: string[] }> {
  return auditingDenials(db, principal, meta, "alert_rule_group.delete", { type: "alert_rule_group", id }, () =>
    db.transaction(async (tx) => {
      const { group, folder } = await visibleGroup(tx, principal, id, { forUpdate: true });
      assertEdit(folder);
      if (group.provisionedFrom) throw provisionedGroup(group.name, group.provisionedFrom);
      const rules = (await store.rulesOfGroups(tx, [group.id])).map((r) => r.uid);
      await store.deleteGroup(tx, group.id);
      await writeAudit(tx, principal, meta, { action: "alert_rule_group.delete", result: "success", target: { type: "alert_rule_group", id: group.id, name: group.name }, details: { folder: group.folderUid, rules } });
      return { id: group.id, name: group.name, rules };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Import (Prometheus rule files, parsed by the caller)
// ---------------------------------------------------------------------------------------------

export const ImportRuleGroupsInput = z.object({
  /** The parsed rule file (rule-file.ts): RuleGroup inputs; their folderUid is replaced by `folderUid`. */
  groups: z.array(z.unknown()).min(1).max(500),
  folderUid: z.string().min(1).max(40).nullable(),
  /** Replace groups of the same name in the folder (their rules keep their uids by title); otherwise such a name is a CONFLICT. */
  replace: z.boolean().default(false),
});
export type ImportRuleGroupsInput = z.input<typeof ImportRuleGroupsInput>;

export interface ImportedRuleGroups {
  created: { id: string; name: string }[];
  replaced: { id: string; name: string }[];
  rules: number;
}

/** Imports rule groups into a folder, all or nothing. */
export function importRuleGroups(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: ImportRuleGroupsInput): Promise<ImportedRuleGroups> {
  return auditingDenials(db, principal, meta, "alert_rule_group.import", { type: "folder", id: rawInput.folderUid ?? null }, () => importRuleGroupsUnaudited(db, principal, meta, rawInput));
}

async function importRuleGroupsUnaudited(db: Db, principal: Principal, meta: RequestMeta | null, rawInput: ImportRuleGroupsInput): Promise<ImportedRuleGroups> {
  const input = parseInput(ImportRuleGroupsInput, rawInput);
  const groups = input.groups.map((g) => parseRuleGroup(g && typeof g === "object" ? { ...g, folderUid: input.folderUid } : g));
  const names = new Set<string>();
  for (const g of groups) {
    const key = g.name.toLowerCase();
    if (names.has(key)) throw new AppError("INVALID_INPUT", { userMessage: `Rule group "${g.name}" appears twice` });
    names.add(key);
  }
  const me = who(principal);
  try {
    return await db.transaction(async (tx) => {
      const folder = await folderFor(tx, principal, input.folderUid);
      assertEdit(folder);
      const existing = new Map<string, store.RuleGroupRow>();
      for (const g of groups) {
        const found = await store.findGroupByName(tx, input.folderUid, g.name);
        if (found) existing.set(g.name, found);
      }
      if (existing.size && !input.replace) {
        throw new AppError("CONFLICT", { userMessage: `The folder ${folderName(folder.title)} already has rule groups named ${[...existing.values()].map((e) => `"${e.name}"`).join(", ")}; import with replace to overwrite them` });
      }
      for (const e of existing.values()) if (e.provisionedFrom) throw provisionedGroup(e.name, e.provisionedFrom);
      const out: ImportedRuleGroups = { created: [], replaced: [], rules: 0 };
      for (const g of groups) {
        const prev = existing.get(g.name) ?? null;
        if (prev) await store.findGroup(tx, prev.id, { forUpdate: true });
        const written = await writeGroup(tx, { existing: prev, folderUid: input.folderUid, group: g, provisionedFrom: null, actorId: me.id, matchByTitle: true });
        (prev ? out.replaced : out.created).push({ id: written.row.id, name: written.row.name });
        out.rules += written.rules.length;
      }
      await writeAudit(tx, principal, meta, {
        action: "alert_rule_group.import",
        result: "success",
        target: { type: "folder", id: input.folderUid, name: folder.title ?? "General" },
        details: { created: out.created.map((g) => g.name), replaced: out.replaced.map((g) => g.name), rules: out.rules },
      });
      return out;
    });
  } catch (e) {
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw new AppError("CONFLICT", { userMessage: "A rule group or rule uid of the import was saved meanwhile; try again" });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

export interface RuleDetails {
  rule: AlertRule & { uid: string };
  group: { id: string; name: string; folderUid: string | null; folderTitle: string | null; interval: string; provisioned: boolean };
  canEdit: boolean;
  summary: RuleSummary;
  instances: AlertInstance[];
  /** The newest transitions (up to 100). */
  history: StateTransition[];
}

/** The rule the caller can see (with its group), or NOT_FOUND. */
async function visibleRule(db: DbOrTx, principal: Principal, uid: string, opts: { forUpdate?: boolean } = {}) {
  const row = await store.findRule(db, uid, opts);
  if (!row) throw ruleNotFound(uid);
  const { group, folder } = await visibleGroup(db, principal, row.groupId).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "NOT_FOUND" ? ruleNotFound(uid) : e;
  });
  return { row, group, folder };
}

export async function getRule(db: DbOrTx, principal: Principal, uid: string): Promise<RuleDetails> {
  const { row, group, folder } = await visibleRule(db, principal, uid);
  const rule = readRule(row);
  const [summaries, evaluations, instances, history] = await Promise.all([
    store.instanceSummaries(db, [uid]),
    store.evaluationRows(db, [uid]),
    store.instanceRows(db, { ruleUids: [uid] }),
    store.historyRows(db, { ruleUids: [uid], from: 0, to: Date.now() + 86_400_000, limit: 100 }),
  ]);
  return {
    rule,
    group: { id: group.id, name: group.name, folderUid: group.folderUid, folderTitle: group.folderTitle, interval: formatDuration(group.intervalMs), provisioned: group.provisionedFrom !== null },
    canEdit: canEdit(folder.access) && group.provisionedFrom === null,
    summary: summarize(rule, summaries.get(uid), evaluations.get(uid)),
    instances,
    history: history.map(({ id: _id, ...t }) => t),
  };
}

/** Pauses or resumes a rule (a paused rule is not evaluated). */
export function setRulePaused(db: Db, principal: Principal, meta: RequestMeta | null, input: { uid: string; paused: boolean }): Promise<{ uid: string; paused: boolean }> {
  return auditingDenials(db, principal, meta, input.paused ? "alert_rule.pause" : "alert_rule.resume", { type: "alert_rule", id: input.uid }, () =>
    db.transaction(async (tx) => {
      const { row, group, folder } = await visibleRule(tx, principal, input.uid, { forUpdate: true });
      assertEdit(folder);
      if (group.provisionedFrom) throw provisionedGroup(group.name, group.provisionedFrom);
      if (row.paused !== input.paused) {
        await store.setRulePausedRow(tx, row.id, input.paused, { ...row.data, paused: input.paused }, who(principal).id);
        await writeAudit(tx, principal, meta, { action: input.paused ? "alert_rule.pause" : "alert_rule.resume", result: "success", target: { type: "alert_rule", id: row.uid, name: row.title }, details: { group: group.id } });
      }
      return { uid: row.uid, paused: input.paused };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Instances and history
// ---------------------------------------------------------------------------------------------

export const ListAlertInstancesInput = z.object({
  states: z.array(AlertStateSchema).max(5).optional(),
  ruleUid: z.string().max(40).optional(),
  /** Every matcher must match the instance's labels (a missing label counts as ""). */
  matchers: z.array(SilenceMatcherSchema).max(50).optional(),
  limit: z.number().int().min(1).max(10_000).default(1000),
});
export type ListAlertInstancesInput = z.input<typeof ListAlertInstancesInput>;

export type AlertInstanceItem = AlertInstance & { ruleTitle: string; groupId: string; groupName: string; folderUid: string | null; folderTitle: string | null };

type VisibleRules = Map<string, { title: string; groupId: string; groupName: string; folderUid: string | null; folderTitle: string | null; intervalMs: number; rule: store.RuleRow }>;

/** Every rule the caller can see, by uid, with its group. */
export async function visibleRules(db: DbOrTx, principal: Principal): Promise<VisibleRules> {
  const folders = await folderAccessMap(db, principal);
  const groups = await store.listGroupRows(
    db,
    [...folders.entries()].filter(([, f]) => canView(f.access)).map(([k]) => k),
  );
  const byGroup = new Map<string, store.RuleRow[]>(groups.map((g) => [g.id, []]));
  for (const r of await store.rulesOfGroups(db, [...byGroup.keys()])) byGroup.get(r.groupId)!.push(r);
  // Groups in listing order (folder title, name), rules by position.
  const out: VisibleRules = new Map();
  for (const g of groups) {
    for (const r of byGroup.get(g.id)!) out.set(r.uid, { title: r.title, groupId: g.id, groupName: g.name, folderUid: g.folderUid, folderTitle: g.folderTitle, intervalMs: g.intervalMs, rule: r });
  }
  return out;
}

/** Alert instances of the rules the caller can see. */
export async function listAlertInstances(db: DbOrTx, principal: Principal, rawInput: ListAlertInstancesInput = {}): Promise<AlertInstanceItem[]> {
  const input = parseInput(ListAlertInstancesInput, rawInput);
  const rules = await visibleRules(db, principal);
  const ruleUids = input.ruleUid ? (rules.has(input.ruleUid) ? [input.ruleUid] : []) : [...rules.keys()];
  const rows = await store.instanceRows(db, { ruleUids, states: input.states });
  const out: AlertInstanceItem[] = [];
  for (const i of rows) {
    if (input.matchers && !labelsMatch(input.matchers, i.labels)) continue;
    const r = rules.get(i.ruleUid)!;
    out.push({ ...i, ruleTitle: r.title, groupId: r.groupId, groupName: r.groupName, folderUid: r.folderUid, folderTitle: r.folderTitle });
    if (out.length >= input.limit) break;
  }
  return out;
}

export const StateHistoryInput = z.object({
  ruleUid: z.string().max(40).optional(),
  fingerprint: z.string().max(64).optional(),
  /** Epoch ms; default: the last 24 hours. */
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  limit: z.number().int().min(1).max(5000).default(500),
});
export type StateHistoryInput = z.input<typeof StateHistoryInput>;

export type StateHistoryItem = StateTransition & { id: number; ruleTitle: string };

/** State transitions of the rules the caller can see, newest first. */
export async function stateHistory(db: DbOrTx, principal: Principal, rawInput: StateHistoryInput = {}): Promise<StateHistoryItem[]> {
  const input = parseInput(StateHistoryInput, rawInput);
  const to = input.to ?? Date.now();
  const from = input.from ?? to - 86_400_000;
  if (from > to) throw new AppError("INVALID_INPUT", { userMessage: "from must not be after to" });
  const rules = await visibleRules(db, principal);
  const ruleUids = input.ruleUid ? (rules.has(input.ruleUid) ? [input.ruleUid] : []) : [...rules.keys()];
  const rows = await store.historyRows(db, { ruleUids, fingerprint: input.fingerprint, from, to, limit: input.limit });
  return rows.map((t) => ({ ...t, ruleTitle: rules.get(t.ruleUid)!.title }));
}

// ---------------------------------------------------------------------------------------------
// For the evaluator (no principal: the system reads every group)
// ---------------------------------------------------------------------------------------------

export interface RuleGroupForEvaluation {
  id: string;
  name: string;
  folderUid: string | null;
  folderTitle: string | null;
  intervalMs: number;
  version: number;
  /** In order, paused ones included (the evaluator skips them). */
  rules: (AlertRule & { uid: string })[];
}

/** Every rule group with its rules, for scheduling and evaluating. */
export async function ruleGroupsForEvaluation(db: DbOrTx, opts: { ids?: string[] } = {}): Promise<RuleGroupForEvaluation[]> {
  let groups: store.RuleGroupWithFolder[];
  if (opts.ids) {
    // One group per evaluation job: look it up rather than list them all.
    groups = [];
    for (const id of opts.ids) {
      const g = await store.findGroup(db, id);
      if (g) groups.push(g);
    }
  } else {
    groups = await store.listGroupRows(db);
  }
  const rules = await store.rulesOfGroups(
    db,
    groups.map((g) => g.id),
  );
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    folderUid: g.folderUid,
    folderTitle: g.folderTitle,
    intervalMs: g.intervalMs,
    version: g.version,
    rules: rules.filter((r) => r.groupId === g.id).map(readRule),
  }));
}

// ---------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------

export const PROVISIONING_ACTOR: AuditActor = { actorType: "system", actorId: null, actorName: "provisioning" };

export interface ProvisionRuleGroupEntry {
  /** A RuleGroup input (its folderUid is ignored: `folderTitle` places it). */
  group: unknown;
  /** Created (as a provisioned folder) when missing; unset or "General": General. */
  folderTitle?: string | null;
  /** The provisioning file. */
  source: string;
}

export interface ProvisionRuleGroupsResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
  problems: { source: string; group: string; message: string }[];
}

/**
 * Upserts provisioned rule groups (read-only in the console), idempotently: a group is matched by
 * (folder, name), its rules keep their uids by title. Provisioned groups of the sources this call
 * owns (`ownsSource`; by default the sources of `entries`) that are no longer listed are removed.
 * One entry's problem (invalid group, a name taken by a group made in the console) skips that
 * entry only. Audited as the system actor `provisioning`. Groups are reported as `folder/name`.
 */
export async function provisionRuleGroups(db: DbOrTx, entries: readonly ProvisionRuleGroupEntry[], opts: { ownsSource?: (source: string) => boolean } = {}): Promise<ProvisionRuleGroupsResult> {
  const result: ProvisionRuleGroupsResult = { created: [], updated: [], unchanged: [], removed: [], problems: [] };
  const sources = new Set(entries.map((e) => e.source));
  const owns = opts.ownsSource ?? ((s: string) => sources.has(s));
  const kept = new Set<string>();
  return db.transaction(async (outer) => {
    for (const entry of entries) {
      const rawName = entry.group && typeof entry.group === "object" && typeof (entry.group as { name?: unknown }).name === "string" ? (entry.group as { name: string }).name : "?";
      const problem = (message: string) => result.problems.push({ source: entry.source, group: rawName, message });
      let group: RuleGroup & { intervalMs: number };
      try {
        group = parseRuleGroup(entry.group && typeof entry.group === "object" ? { ...entry.group, folderUid: null } : entry.group);
      } catch (e) {
        problem(e instanceof AppError ? e.userMessage : (e as Error).message);
        continue;
      }
      try {
        const outcome = await outer.transaction((tx) => provisionOne(tx, entry, group));
        if ("problem" in outcome) problem(outcome.problem);
        else {
          kept.add(outcome.id);
          result[outcome.outcome].push(outcome.label);
        }
      } catch (e) {
        if (isUniqueViolation(e) || (e instanceof AppError && e.code === "CONFLICT")) problem(e instanceof AppError ? e.userMessage : "a rule group or rule uid was saved meanwhile");
        else throw e;
      }
    }
    for (const g of await store.provisionedGroupRows(outer)) {
      if (!g.provisionedFrom || !owns(g.provisionedFrom) || kept.has(g.id)) continue;
      const folder = g.folderUid ? await folderStore.findFolder(outer, { uid: g.folderUid }) : null;
      await store.deleteGroup(outer, g.id);
      await writeAudit(outer, PROVISIONING_ACTOR, null, { action: "alert_rule_group.delete", result: "success", target: { type: "alert_rule_group", id: g.id, name: g.name }, details: { source: g.provisionedFrom, reason: "no longer provisioned" } });
      result.removed.push(`${folder?.title ?? g.folderUid ?? "General"}/${g.name}`);
    }
    return result;
  });
}

async function provisionOne(tx: DbOrTx, entry: ProvisionRuleGroupEntry, group: RuleGroup & { intervalMs: number }): Promise<{ id: string; label: string; outcome: "created" | "updated" | "unchanged" } | { problem: string }> {
  let folder: folderStore.FolderRow | null = null;
  const title = entry.folderTitle?.trim() || null;
  if (title && title.toLowerCase() !== "general") {
    folder = await folderStore.findFolderByTitle(tx, title);
    if (!folder) {
      folder = await folderStore.insertFolder(tx, { uid: generateUid(), title: title.slice(0, 200), provisioned: true });
      await writeAudit(tx, PROVISIONING_ACTOR, null, { action: "folder.create", result: "success", target: { type: "folder", id: folder.uid, name: folder.title }, details: { source: entry.source } });
    }
  }
  const folderUid = folder?.uid ?? null;
  const label = `${folder?.title ?? "General"}/${group.name}`;
  const existing = await store.findGroupByName(tx, folderUid, group.name);
  if (existing && !existing.provisionedFrom) return { problem: `the folder ${folderName(folder?.title ?? null)} already has a rule group "${existing.name}" made in the console; rename one of them` };
  if (existing) {
    await store.findGroup(tx, existing.id, { forUpdate: true });
    const current = (await store.rulesOfGroups(tx, [existing.id])).map(readRule);
    const same =
      existing.intervalMs === group.intervalMs &&
      existing.name === group.name &&
      existing.provisionedFrom === entry.source &&
      current.length === group.rules.length &&
      current.every((c, i) => {
        const { uid: _u, ...rest } = c;
        const next = group.rules[i]!;
        return (next.uid === undefined || next.uid === c.uid) && JSON.stringify(sortKeys(rest)) === JSON.stringify(sortKeys({ ...next, uid: undefined }));
      });
    if (same) return { id: existing.id, label, outcome: "unchanged" };
  }
  const written = await writeGroup(tx, { existing, folderUid, group, provisionedFrom: entry.source, actorId: null, matchByTitle: true });
  await writeAudit(tx, PROVISIONING_ACTOR, null, {
    action: existing ? "alert_rule_group.update" : "alert_rule_group.create",
    result: "success",
    target: { type: "alert_rule_group", id: written.row.id, name: written.row.name },
    details: { source: entry.source, folder: folderUid, rules: written.rules.map((r) => r.uid) },
  });
  return { id: written.row.id, label, outcome: existing ? "updated" : "created" };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  }
  return v;
}
