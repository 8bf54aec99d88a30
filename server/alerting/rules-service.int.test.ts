import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { authenticateApiKey } from "@/server/auth/api-keys";
import type { Principal } from "@/server/auth/principal";
import { userPrincipal } from "@/server/auth/resolve";
import { createRole, findRoleByName } from "@/server/auth/roles";
import { changeUserRole } from "@/server/auth/users";
import { createFolder, deleteFolder, setFolderPermissions } from "@/server/dashboards/service";
import { auditRows, createTestKey, createTestUser, testMeta, uid, type TestUser, expectAppError } from "@/test/helpers";
import type { AlertInstance, AlertRuleInput, StateTransition } from "./model";
import { labelsFingerprint } from "./notifications-service";
import {
  deleteRuleGroup,
  getRule,
  getRuleGroup,
  importRuleGroups,
  listAlertInstances,
  listRuleGroups,
  provisionRuleGroups,
  ruleGroupsForEvaluation,
  saveRuleGroup,
  setRulePaused,
  stateHistory,
} from "./rules-service";
import * as store from "./store";

const db = () => getDb();
const meta = testMeta();

const promRule = (title: string, expr = "rate(http_requests_total[5m]) > 0.01", extra: Partial<AlertRuleInput> = {}): AlertRuleInput => ({
  title,
  query: { kind: "promql", expr },
  for: "5m",
  labels: { severity: "warning" },
  annotations: { summary: "{{ $labels.instance }} is slow" },
  ...extra,
});

const logRule = (title: string): AlertRuleInput => ({ title, query: { kind: "logs", query: "level:error", window: "5m", groupBy: "service", condition: { op: ">", threshold: 10 } } });

let admin: TestUser;
let editor: TestUser;
let viewer: TestUser;
beforeAll(async () => {
  admin = await createTestUser("Admin");
  editor = await createTestUser("Editor");
  viewer = await createTestUser("Viewer");
});

describe("rule groups", () => {
  it("creates a group with generated uids and positions, reads it back, and audits the change", async () => {
    const name = `API ${uid()}`;
    const saved = await saveRuleGroup(db(), editor.principal, meta, { group: { name, folderUid: null, interval: "30s", rules: [promRule("HighErrorRate"), logRule("ErrorBurst")] } });
    expect(saved).toMatchObject({ name, folderUid: null, version: 1, created: true });
    expect(saved.rules.map((r) => r.title)).toEqual(["HighErrorRate", "ErrorBurst"]);
    for (const r of saved.rules) expect(r.uid).toMatch(/^[A-Za-z0-9_-]{14}$/);

    const got = await getRuleGroup(db(), viewer.principal, saved.id);
    expect(got).toMatchObject({ id: saved.id, name, interval: "30s", intervalMs: 30_000, version: 1, provisioned: false, canEdit: false, folderTitle: null });
    expect(got.group.rules.map((r) => [r.uid, r.title, r.for, r.paused])).toEqual([
      [saved.rules[0]!.uid, "HighErrorRate", "5m", false],
      [saved.rules[1]!.uid, "ErrorBurst", "0s", false],
    ]);
    expect(got.group.rules[1]!.query).toEqual({ kind: "logs", query: "level:error", window: "5m", groupBy: "service", condition: { op: ">", threshold: 10 } });
    expect((await getRuleGroup(db(), editor.principal, saved.id)).canEdit).toBe(true);

    const [audit] = await auditRows({ action: "alert_rule_group.create", targetId: saved.id });
    expect(audit).toMatchObject({ actorId: editor.id, result: "success", targetName: name });
    expect((audit!.details as { rules: string[] }).rules).toEqual(saved.rules.map((r) => r.uid));
  });

  it("updates with optimistic concurrency: keeps named uids, adds and removes rules, renames and moves", async () => {
    const name = `Upd ${uid()}`;
    const v1 = await saveRuleGroup(db(), editor.principal, meta, { group: { name, folderUid: null, interval: "1m", rules: [promRule("A"), promRule("B"), promRule("C")] } });
    const [a, b, c] = v1.rules;
    const folder = await createFolder(db(), editor.principal, meta, { title: `Ops ${uid()}` });
    const renamed = `${name} renamed`;
    const v2 = await saveRuleGroup(db(), editor.principal, meta, {
      id: v1.id,
      version: 1,
      group: { name: renamed, folderUid: folder.uid, interval: "2m", rules: [{ ...promRule("C2"), uid: c!.uid }, promRule("D"), { ...promRule("A"), uid: a!.uid }] },
    });
    expect(v2).toMatchObject({ id: v1.id, version: 2, created: false, name: renamed, folderUid: folder.uid });
    expect(v2.rules.map((r) => r.uid).slice(0, 1)).toEqual([c!.uid]);
    expect(v2.rules[2]!.uid).toBe(a!.uid);
    expect(v2.rules[1]!.uid).not.toBe(b!.uid);
    expect(await store.findRule(db(), b!.uid)).toBeNull();
    const got = await getRuleGroup(db(), editor.principal, v1.id);
    expect(got.group.rules.map((r) => r.title)).toEqual(["C2", "D", "A"]);
    expect(got).toMatchObject({ folderUid: folder.uid, folderTitle: folder.title, interval: "2m" });
    const [audit] = await auditRows({ action: "alert_rule_group.update", targetId: v1.id });
    expect(audit!.details).toMatchObject({ deleted: [b!.uid], from: { name, folder: null } });

    // Someone still on version 1.
    const stale = await expectAppError(saveRuleGroup(db(), admin.principal, meta, { id: v1.id, version: 1, group: { name: renamed, folderUid: folder.uid, rules: [] } }), "CONFLICT");
    expect(stale.userMessage).toContain("version 2");
    // The folder holds a rule group: it cannot be deleted.
    expect((await expectAppError(deleteFolder(db(), editor.principal, meta, folder.uid), "CONFLICT")).userMessage).toContain("holds 1 alert rule group");
  });

  it("refuses a second group of the same name in a folder (case-insensitive) and a uid of another group", async () => {
    const name = `Dup ${uid()}`;
    const first = await saveRuleGroup(db(), editor.principal, meta, { group: { name, folderUid: null, rules: [promRule("X")] } });
    const dup = await expectAppError(saveRuleGroup(db(), editor.principal, meta, { group: { name: name.toUpperCase(), folderUid: null, rules: [] } }), "CONFLICT");
    expect(dup.userMessage).toContain("already has a rule group named");
    const steal = await expectAppError(saveRuleGroup(db(), editor.principal, meta, { group: { name: `${name} 2`, folderUid: null, rules: [{ ...promRule("Y"), uid: first.rules[0]!.uid }] } }), "CONFLICT");
    expect(steal.userMessage).toContain(`Rule uid ${first.rules[0]!.uid}`);
  });

  it("validates: schema, interval, PromQL parse and type, log query syntax", async () => {
    const bad = async (group: unknown) => (await expectAppError(saveRuleGroup(db(), editor.principal, meta, { group }), "INVALID_INPUT")).userMessage;
    expect(await bad({ name: "", rules: [] })).toContain("name");
    expect(await bad({ name: `v ${uid()}`, interval: "0s", rules: [] })).toContain("between 1s and 24h");
    expect(await bad({ name: `v ${uid()}`, interval: "soon", rules: [] })).toContain("interval");
    expect(await bad({ name: `v ${uid()}`, rules: [promRule("Broken", "rate(http_requests_total[5m] > 1")] })).toMatch(/^Rule "Broken" \(#1\) in group "v [0-9a-f]+": parse error/);
    expect(await bad({ name: `v ${uid()}`, rules: [promRule("Ok"), promRule("Range", "http_requests_total[5m]")] })).toContain('Rule "Range" (#2)');
    expect(await bad({ name: `v ${uid()}`, rules: [promRule("Str", '"text"')] })).toContain("instant vector or a scalar");
    expect(await bad({ name: `v ${uid()}`, rules: [{ ...logRule("L"), query: { kind: "logs", query: "status:(", condition: { op: ">", threshold: 1 } } }] })).toContain("log query");
    expect(await bad({ name: `v ${uid()}`, rules: [{ ...promRule("A"), uid: "same" }, { ...promRule("B"), uid: "same" }] })).toContain("used twice");
    expect(await bad({ name: `v ${uid()}`, rules: [{ ...promRule("A"), labels: { "bad-label": "x" } }] })).toContain("labels");
  });

  it("pauses and resumes a rule, and deletes a group with its rules", async () => {
    const saved = await saveRuleGroup(db(), editor.principal, meta, { group: { name: `Del ${uid()}`, folderUid: null, rules: [promRule("P")] } });
    const ruleUid = saved.rules[0]!.uid;
    await expectAppError(setRulePaused(db(), viewer.principal, meta, { uid: ruleUid, paused: true }), "FORBIDDEN");
    expect(await setRulePaused(db(), editor.principal, meta, { uid: ruleUid, paused: true })).toEqual({ uid: ruleUid, paused: true });
    expect((await getRule(db(), viewer.principal, ruleUid)).rule.paused).toBe(true);
    expect((await ruleGroupsForEvaluation(db(), { ids: [saved.id] }))[0]!.rules[0]!.paused).toBe(true);
    expect(await auditRows({ action: "alert_rule.pause", targetId: ruleUid })).toHaveLength(1);
    await setRulePaused(db(), editor.principal, meta, { uid: ruleUid, paused: false });
    expect((await getRule(db(), viewer.principal, ruleUid)).rule.paused).toBe(false);

    await expectAppError(deleteRuleGroup(db(), viewer.principal, meta, saved.id), "FORBIDDEN");
    expect((await auditRows({ action: "permission.denied", actorId: viewer.id }))[0]!.details).toMatchObject({ action: "alert_rule_group.delete" });
    expect(await deleteRuleGroup(db(), editor.principal, meta, saved.id)).toEqual({ id: saved.id, name: saved.name, rules: [ruleUid] });
    await expectAppError(getRuleGroup(db(), editor.principal, saved.id), "NOT_FOUND");
    await expectAppError(getRule(db(), editor.principal, ruleUid), "NOT_FOUND");
    await expectAppError(getRuleGroup(db(), editor.principal, "not-a-uuid"), "NOT_FOUND");
  });
});

describe("importing rule groups", () => {
  it("creates groups, refuses existing names without replace, and replaces keeping uids by title", async () => {
    const folder = await createFolder(db(), editor.principal, meta, { title: `Imported ${uid()}` });
    const groups = [
      { name: "node", interval: "1m", rules: [promRule("HighMemoryUsage", "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < 0.1"), promRule("DiskWillFillIn4Hours", 'predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[1h], 4 * 3600) < 0')] },
      { name: "http", rules: [promRule("HighErrorRate")] },
    ];
    const first = await importRuleGroups(db(), editor.principal, meta, { groups, folderUid: folder.uid });
    expect(first.created.map((g) => g.name)).toEqual(["node", "http"]);
    expect(first).toMatchObject({ replaced: [], rules: 3 });
    const node = await getRuleGroup(db(), editor.principal, first.created[0]!.id);
    expect(node.folderUid).toBe(folder.uid);
    const memUid = node.group.rules[0]!.uid;

    const again = await expectAppError(importRuleGroups(db(), editor.principal, meta, { groups, folderUid: folder.uid }), "CONFLICT");
    expect(again.userMessage).toContain('"node", "http"');

    const replaced = await importRuleGroups(db(), editor.principal, meta, {
      groups: [{ name: "node", interval: "2m", rules: [promRule("HighMemoryUsage", "node_memory_MemAvailable_bytes < 1e9"), promRule("NewOne")] }],
      folderUid: folder.uid,
      replace: true,
    });
    expect(replaced).toMatchObject({ created: [], replaced: [{ id: first.created[0]!.id, name: "node" }], rules: 2 });
    const after = await getRuleGroup(db(), editor.principal, first.created[0]!.id);
    expect(after.group.rules.map((r) => r.title)).toEqual(["HighMemoryUsage", "NewOne"]);
    expect(after.group.rules[0]!.uid).toBe(memUid);
    expect(after.interval).toBe("2m");

    // All or nothing: one invalid group leaves the folder untouched.
    await expectAppError(importRuleGroups(db(), editor.principal, meta, { groups: [{ name: "ok", rules: [] }, { name: "bad", rules: [promRule("X", "sum(")] }], folderUid: folder.uid }), "INVALID_INPUT");
    await expectAppError(importRuleGroups(db(), editor.principal, meta, { groups: [{ name: "a" }, { name: "A" }], folderUid: folder.uid }), "INVALID_INPUT");
    expect((await listRuleGroups(db(), editor.principal, { folderUid: folder.uid })).map((g) => g.name).sort()).toEqual(["http", "node"]);
    await expectAppError(importRuleGroups(db(), viewer.principal, meta, { groups, folderUid: folder.uid, replace: true }), "FORBIDDEN");
  });
});

describe("provisioned rule groups", () => {
  it("are created idempotently, read-only in the console, and removed when no longer listed", async () => {
    const source = `/etc/lookout/${uid()}.yml`;
    const folderTitle = `Provisioned ${uid()}`;
    const entry = { source, folderTitle, group: { name: "seed", interval: "30s", rules: [promRule("HighErrorRate"), promRule("HighMemoryUsage", "up == 0")] } };
    const first = await provisionRuleGroups(db(), [entry]);
    expect(first).toMatchObject({ created: [`${folderTitle}/seed`], updated: [], problems: [] });
    expect(await provisionRuleGroups(db(), [entry])).toMatchObject({ created: [], updated: [], unchanged: [`${folderTitle}/seed`] });

    const group = (await listRuleGroups(db(), editor.principal, { query: "seed" })).find((g) => g.folderTitle === folderTitle)!;
    expect(group).toMatchObject({ provisioned: true, provisionedFrom: source, canEdit: false });
    const uids = group.rules.map((r) => r.uid);
    const denied = await expectAppError(saveRuleGroup(db(), editor.principal, meta, { id: group.id, group: { name: "seed", folderUid: group.folderUid, rules: [] } }), "FORBIDDEN");
    expect(denied.userMessage).toContain(`provisioned from ${source}`);
    await expectAppError(deleteRuleGroup(db(), editor.principal, meta, group.id), "FORBIDDEN");
    await expectAppError(setRulePaused(db(), editor.principal, meta, { uid: uids[0]!, paused: true }), "FORBIDDEN");
    await expectAppError(importRuleGroups(db(), editor.principal, meta, { groups: [{ name: "seed" }], folderUid: group.folderUid, replace: true }), "FORBIDDEN");
    // A provisioned refusal is not a permission denial.
    expect((await auditRows({ action: "permission.denied", actorId: editor.id })).some((r) => (r.details as { reason?: string }).reason?.includes(source))).toBe(false);

    // A changed file: rules keep their uids by title.
    const changed = { ...entry, group: { ...entry.group, rules: [promRule("HighMemoryUsage", "up == 0"), promRule("HighErrorRate", "rate(errors_total[5m]) > 1")] } };
    expect(await provisionRuleGroups(db(), [changed])).toMatchObject({ updated: [`${folderTitle}/seed`] });
    const after = await getRuleGroup(db(), editor.principal, group.id);
    expect(after.group.rules.map((r) => r.uid)).toEqual([uids[1], uids[0]]);

    // Two groups from the file, one in General.
    const two = await provisionRuleGroups(db(), [{ source, folderTitle: null, group: { name: `general ${uid()}` } }, { source, folderTitle, group: entry.group }]);
    expect(two).toMatchObject({ problems: [], updated: [`${folderTitle}/seed`] });
    expect(two.created).toHaveLength(1);
    // A console group of the same name is a problem, not a takeover.
    const consoleName = `mine ${uid()}`;
    await saveRuleGroup(db(), editor.principal, meta, { group: { name: consoleName, folderUid: null, rules: [] } });
    const problem = await provisionRuleGroups(db(), [{ source: `${source}.2`, group: { name: consoleName } }]);
    expect(problem.problems[0]!.message).toContain("made in the console");

    const removed = await provisionRuleGroups(db(), [], { ownsSource: (s) => s === source });
    expect(removed.removed.sort()).toHaveLength(2);
    await expectAppError(getRuleGroup(db(), editor.principal, group.id), "NOT_FOUND");
  });
});

describe("folder restrictions", () => {
  let restricted: { uid: string; title: string };
  let custom: TestUser;
  let groupId: string;
  let ruleUid: string;
  let serviceQuery: Principal;

  beforeAll(async () => {
    const role = await createRole(db(), admin.principal, meta, { name: `alert-ops-${uid()}`, permissions: ["alerts:read", "alerts:write", "dashboards:read"] });
    const base = await createTestUser("Viewer");
    await changeUserRole(db(), admin.principal, meta, base.id, role.id);
    custom = { ...base, principal: (await userPrincipal(db(), base.id, "s")) as TestUser["principal"] };
    const viewerRoleId = (await findRoleByName(db(), "Viewer"))!.id;
    restricted = await createFolder(db(), admin.principal, meta, { title: `Alert secrets ${uid()}` });
    await setFolderPermissions(db(), admin.principal, meta, { uid: restricted.uid, entries: [{ roleId: role.id, level: "edit" }, { roleId: viewerRoleId, level: "view" }] });
    const saved = await saveRuleGroup(db(), custom.principal, meta, { group: { name: "secret", folderUid: restricted.uid, rules: [promRule("Secret")] } });
    groupId = saved.id;
    ruleUid = saved.rules[0]!.uid;
    serviceQuery = (await authenticateApiKey(db(), (await createTestKey(["query"])).key))!;
  });

  it("hides the folder's groups from roles not listed and service accounts, view-only for view", async () => {
    const ids = async (p: Principal) => (await listRuleGroups(db(), p)).map((g) => g.id);
    expect(await ids(editor.principal)).not.toContain(groupId);
    expect(await ids(serviceQuery)).not.toContain(groupId);
    expect(await ids(viewer.principal)).toContain(groupId);
    expect(await ids(custom.principal)).toContain(groupId);
    expect(await ids(admin.principal)).toContain(groupId);
    await expectAppError(getRuleGroup(db(), editor.principal, groupId), "NOT_FOUND");
    await expectAppError(getRule(db(), editor.principal, ruleUid), "NOT_FOUND");
    await expectAppError(saveRuleGroup(db(), editor.principal, meta, { group: { name: "x", folderUid: restricted.uid, rules: [] } }), "NOT_FOUND");
    await expectAppError(saveRuleGroup(db(), editor.principal, meta, { id: groupId, group: { name: "stolen", folderUid: null, rules: [] } }), "NOT_FOUND");
    expect((await getRuleGroup(db(), viewer.principal, groupId)).canEdit).toBe(false);
    expect((await getRuleGroup(db(), custom.principal, groupId)).canEdit).toBe(true);
    // A viewer sees the group but may not change it.
    await expectAppError(saveRuleGroup(db(), viewer.principal, meta, { id: groupId, group: { name: "secret", folderUid: restricted.uid, rules: [] } }), "FORBIDDEN");
    expect((await listAlertInstances(db(), editor.principal, { ruleUid })).length).toBe(0);
  });
});

describe("instances, summaries and history", () => {
  const inst = (ruleUid: string, labels: Record<string, string>, state: AlertInstance["state"], at: number, extra: Partial<AlertInstance> = {}): AlertInstance => ({
    ruleUid,
    labels,
    fingerprint: labelsFingerprint(labels),
    state,
    stateSince: at,
    activeSince: state === "pending" || state === "firing" ? at : null,
    keepFiringUntil: null,
    value: state === "normal" ? 0.001 : 0.5,
    lastEvalAt: at,
    annotations: { summary: `${labels.instance} is slow` },
    resolvedAt: null,
    error: null,
    ...extra,
  });

  it("reports each rule's worst state, counts and last evaluation; lists instances and history", async () => {
    const saved = await saveRuleGroup(db(), editor.principal, meta, { group: { name: `State ${uid()}`, folderUid: null, rules: [promRule("Fire"), promRule("Quiet")] } });
    const [fire, quiet] = saved.rules.map((r) => r.uid) as [string, string];
    const t0 = Date.now() - 600_000;
    const a = { alertname: "Fire", instance: "a:9100", severity: "warning" };
    const b = { alertname: "Fire", instance: "b:9100", severity: "critical" };
    const tr = (labels: Record<string, string>, from: StateTransition["from"], to: StateTransition["to"], at: number): StateTransition => ({ ruleUid: fire, fingerprint: labelsFingerprint(labels), labels, from, to, at, value: 0.5 });
    await store.writeEvaluation(db(), fire, {
      instances: [inst(fire, a, "pending", t0), inst(fire, b, "pending", t0)],
      transitions: [tr(a, "normal", "pending", t0), tr(b, "normal", "pending", t0)],
      evaluation: { lastEvalAt: t0, durationMs: 12.5, health: "ok", error: null, nextEvalAt: t0 + 60_000 },
    });
    const t1 = t0 + 300_000;
    await store.writeEvaluation(db(), fire, {
      instances: [inst(fire, a, "firing", t1, { activeSince: t0 }), inst(fire, b, "pending", t0, { lastEvalAt: t1 })],
      transitions: [tr(a, "pending", "firing", t1)],
      evaluation: { lastEvalAt: t1, durationMs: 8, health: "ok", error: null, nextEvalAt: t1 + 60_000 },
    });
    await store.writeEvaluation(db(), quiet, { instances: [], transitions: [], evaluation: { lastEvalAt: t1, durationMs: 3, health: "error", error: "query timed out", nextEvalAt: null } });

    const group = (await listRuleGroups(db(), viewer.principal)).find((g) => g.id === saved.id)!;
    expect(group.rules[0]).toMatchObject({ uid: fire, state: "firing", stateSince: t1, instances: 2, counts: { firing: 1, pending: 1, normal: 0 }, lastEvaluation: t1, evaluationDurationMs: 8, health: "ok", nextEvaluation: t1 + 60_000 });
    expect(group.rules[1]).toMatchObject({ uid: quiet, state: "normal", stateSince: null, instances: 0, health: "error", lastError: "query timed out" });
    expect((await listRuleGroups(db(), viewer.principal, { states: ["firing"] })).find((g) => g.id === saved.id)!.rules.map((r) => r.uid)).toEqual([fire]);
    expect((await listRuleGroups(db(), viewer.principal, { query: "quiet" })).find((g) => g.id === saved.id)!.rules.map((r) => r.uid)).toEqual([quiet]);

    const details = await getRule(db(), viewer.principal, fire);
    expect(details.instances.map((i) => [i.labels.instance, i.state, i.activeSince])).toEqual([
      ["a:9100", "firing", t0],
      ["b:9100", "pending", t0],
    ]);
    expect(details.history.map((h) => [h.labels.instance, h.from, h.to])).toEqual([
      ["a:9100", "pending", "firing"],
      ["b:9100", "normal", "pending"],
      ["a:9100", "normal", "pending"],
    ]);

    const firing = await listAlertInstances(db(), viewer.principal, { states: ["firing"] });
    expect(firing.filter((i) => i.ruleUid === fire).map((i) => i.labels.instance)).toEqual(["a:9100"]);
    expect(firing.find((i) => i.ruleUid === fire)).toMatchObject({ ruleTitle: "Fire", groupId: saved.id, groupName: saved.name, folderUid: null });
    const critical = await listAlertInstances(db(), viewer.principal, { ruleUid: fire, matchers: [{ name: "severity", value: "crit.*", isRegex: true, isEqual: true }] });
    expect(critical.map((i) => i.labels.instance)).toEqual(["b:9100"]);
    const notA = await listAlertInstances(db(), viewer.principal, { ruleUid: fire, matchers: [{ name: "instance", value: "a:9100", isRegex: false, isEqual: false }] });
    expect(notA.map((i) => i.labels.instance)).toEqual(["b:9100"]);

    const recent = await stateHistory(db(), viewer.principal, { ruleUid: fire, from: t1 - 1, to: t1 + 1 });
    expect(recent.map((h) => [h.to, h.ruleTitle])).toEqual([["firing", "Fire"]]);
    expect(await stateHistory(db(), viewer.principal, { ruleUid: fire, from: t0 - 1, to: t1, limit: 2 })).toHaveLength(2);
    expect((await stateHistory(db(), viewer.principal, { ruleUid: fire, fingerprint: labelsFingerprint(b), from: 0, to: Date.now() })).map((h) => h.to)).toEqual(["pending"]);
    await expectAppError(stateHistory(db(), viewer.principal, { from: 10, to: 5 }), "INVALID_INPUT");

    // The evaluator's next write drops instances it no longer lists.
    await store.writeEvaluation(db(), fire, { instances: [inst(fire, a, "firing", t1)], transitions: [], evaluation: { lastEvalAt: t1 + 60_000, durationMs: 1, health: "ok", error: null, nextEvalAt: null } });
    expect((await store.loadInstances(db(), fire)).map((i) => i.labels.instance)).toEqual(["a:9100"]);
  });
});
