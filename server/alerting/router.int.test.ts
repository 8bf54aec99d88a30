import { beforeAll, describe, expect, it } from "vitest";
import { getQueue } from "@/server/queues/queues";
import { auditRows, callerFor, createTestUser, expectTrpcError, uid, type TestUser } from "@/test/helpers";

/** Reconcile jobs waiting in the alert-eval queue (no worker runs here). */
const reconciles = async () => (await getQueue("alert-eval").getJobs(["waiting"])).filter((j) => (j.data as { kind: string }).kind === "reconcile").length;

let editor: TestUser;
let viewer: TestUser;
beforeAll(async () => {
  editor = await createTestUser("Editor");
  viewer = await createTestUser("Viewer");
});

describe("alerting routers", () => {
  it("round-trips a rule group and its rule through the callers", async () => {
    const ed = callerFor(editor.principal);
    const name = `Router ${uid()}`;
    const before = await reconciles();
    const saved = await ed.alertRules.save({ group: { name, folderUid: null, interval: "1m", rules: [{ title: "Up", query: { kind: "promql", expr: "up == 0" } }] } });
    // The evaluation schedulers are asked to follow the change.
    expect(await reconciles()).toBe(before + 1);
    const list = await callerFor(viewer.principal).alertRules.list({ query: name });
    expect(list.map((g) => [g.id, g.rules.map((r) => [r.title, r.state, r.health])])).toEqual([[saved.id, [["Up", "normal", "unknown"]]]]);
    const rule = await callerFor(viewer.principal).alertRules.byUid({ uid: saved.rules[0]!.uid });
    expect(rule).toMatchObject({ rule: { title: "Up", for: "0s" }, group: { id: saved.id, name }, canEdit: false, instances: [], history: [] });
    const again = await ed.alertRules.save({ id: saved.id, version: saved.version, group: { name, folderUid: null, rules: [] } });
    expect(again.version).toBe(2);
    await ed.alertRules.delete({ id: saved.id });
    expect(await reconciles()).toBe(before + 3);
    await expectTrpcError(callerFor(viewer.principal).alertRules.group({ id: saved.id }), "NOT_FOUND");
  });

  it("declares the permission of every change and audits denials", async () => {
    const v = callerFor(viewer.principal);
    await expectTrpcError(v.alertRules.save({ group: { name: `x ${uid()}`, folderUid: null, rules: [] } }), "FORBIDDEN");
    await expectTrpcError(v.silences.create({ matchers: [{ name: "alertname", value: "x", isRegex: false, isEqual: true }], endsAt: new Date(Date.now() + 60_000).toISOString() }), "FORBIDDEN");
    await expectTrpcError(v.contactPoints.create({ receiver: { name: `x-${uid()}` } }), "FORBIDDEN");
    await expectTrpcError(v.notificationPolicies.saveConfig({ config: {}, version: 0 }), "FORBIDDEN");
    const denied = await auditRows({ action: "permission.denied", actorId: viewer.id });
    expect(denied.map((d) => (d.details as { procedure: string }).procedure)).toEqual(expect.arrayContaining(["alertRules.save", "silences.create", "contactPoints.create", "notificationPolicies.saveConfig"]));
    await expectTrpcError(callerFor(null).alerts.list(), "UNAUTHORIZED");
    // Reads are open to alerts:read.
    await v.alerts.list();
    await v.alerts.instances({ states: ["firing"] });
    await v.alerts.history();
    await v.silences.list({ states: ["active"] });
    await v.contactPoints.list();
    await v.notificationPolicies.get();
    await v.notificationPolicies.muteTimings();
  });

  it("answers invalid input with field errors and service errors with their code", async () => {
    const ed = callerFor(editor.principal);
    const zod = await expectTrpcError(ed.alertRules.save({ group: { name: "", folderUid: null, rules: [] } }), "BAD_REQUEST");
    expect((zod.cause as unknown as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual(["group", "name"]);
    const promql = await expectTrpcError(ed.alertRules.save({ group: { name: `p ${uid()}`, folderUid: null, rules: [{ title: "Bad", query: { kind: "promql", expr: "sum(" } }] } }), "BAD_REQUEST");
    expect(promql.message).toContain('Rule "Bad" (#1)');
    const silence = await ed.silences.create({ matchers: [{ name: "alertname", value: `R${uid()}`, isRegex: false, isEqual: true }], endsAt: new Date(Date.now() + 60_000).toISOString() });
    expect(silence.createdBy).toBe(editor.email);
    expect((await ed.silences.expire({ id: silence.id })).status.state).toBe("expired");
    await expectTrpcError(ed.silences.expire({ id: silence.id }), "CONFLICT");
  });
});
