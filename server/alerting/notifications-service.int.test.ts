import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditRows, createTestUser, testMeta, uid, type TestUser, expectAppError } from "@/test/helpers";
import type { AlertInstance, AlertmanagerConfig } from "./model";
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
  getPolicies,
  getSilence,
  labelsFingerprint,
  listAlerts,
  listConfigVersions,
  listContactPoints,
  listExternalAlerts,
  listMuteTimings,
  listSilences,
  provisionNotificationConfig,
  readNotificationConfig,
  saveConfig,
  saveInhibitRules,
  savePolicies,
  SECRET_MASK,
  updateContactPoint,
  updateMuteTiming,
  updateSilence,
  upsertExternalAlerts,
} from "./notifications-service";
import { saveRuleGroup } from "./rules-service";
import * as store from "./store";

const db = () => getDb();
const meta = testMeta();

let admin: TestUser;
let editor: TestUser;
let viewer: TestUser;
beforeAll(async () => {
  admin = await createTestUser("Admin");
  editor = await createTestUser("Editor");
  viewer = await createTestUser("Viewer");
});

const current = async () => (await readNotificationConfig(db())).version;

const SLACK_URL = "https://hooks.slack.example/services/T000/B000/XXXXSECRET";
const PD_KEY = "pd-routing-key-SECRET";
const SMTP_PASSWORD = "smtp-password-SECRET";

function fullConfig(tag: string): AlertmanagerConfig {
  return {
    global: { resolve_timeout: "5m", smtp_smarthost: "127.0.0.1:2525", smtp_from: "lookout@example.test", smtp_auth_password: SMTP_PASSWORD },
    route: {
      receiver: `ops-${tag}`,
      group_by: ["alertname", "cluster"],
      routes: [
        { receiver: `pager-${tag}`, matchers: ['severity="critical"'], continue: true },
        { receiver: `chat-${tag}`, matchers: ['team=~"web|api"'], mute_time_intervals: [`nights-${tag}`] },
      ],
    },
    receivers: [
      { name: `ops-${tag}`, email_configs: [{ to: "ops@example.test", auth_password: SMTP_PASSWORD }], webhook_configs: [{ url: "http://127.0.0.1:9/hook?token=abc", max_alerts: 0, http_headers: { authorization: "Bearer SECRET" } }] },
      { name: `pager-${tag}`, pagerduty_configs: [{ routing_key: PD_KEY, url: "http://127.0.0.1:9/v2/enqueue" }] },
      { name: `chat-${tag}`, slack_configs: [{ api_url: SLACK_URL, channel: "#alerts" }] },
      { name: `unused-${tag}` },
    ],
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "cluster"] }],
    time_intervals: [{ name: `nights-${tag}`, time_intervals: [{ times: [{ start_time: "22:00", end_time: "24:00" }] }] }],
  };
}

describe("the notification configuration", () => {
  it("saves versions with optimistic concurrency, validates, and masks secrets for readers", async () => {
    const tag = uid();
    const before = await current();
    const saved = await saveConfig(db(), editor.principal, meta, { config: fullConfig(tag), version: before, message: "first" });
    expect(saved.version).toBe(before + 1);

    const stale = await expectAppError(saveConfig(db(), admin.principal, meta, { config: fullConfig(tag), version: before }), "CONFLICT");
    expect(stale.userMessage).toContain(`version ${before + 1}`);

    // Readers without alerts:write get the secrets masked; writers get them as stored.
    const masked = await getConfig(db(), viewer.principal);
    expect(masked).toMatchObject({ version: saved.version, masked: true, provisioned: false, updatedBy: editor.email });
    const text = JSON.stringify(masked.config);
    for (const secret of [SLACK_URL, PD_KEY, SMTP_PASSWORD, "token=abc", "Bearer SECRET", "XXXXSECRET"]) expect(text).not.toContain(secret);
    expect(masked.config.global?.smtp_auth_password).toBe(SECRET_MASK);
    const ops = masked.config.receivers.find((r) => r.name === `ops-${tag}`)!;
    expect(ops.webhook_configs![0]!.url).toBe(`http://127.0.0.1:9/${SECRET_MASK}`);
    expect(ops.webhook_configs![0]!.http_headers).toEqual({ authorization: SECRET_MASK });
    expect(masked.config.receivers.find((r) => r.name === `chat-${tag}`)!.slack_configs![0]!.api_url).toBe(`https://hooks.slack.example/${SECRET_MASK}`);
    expect(masked.config.receivers.find((r) => r.name === `pager-${tag}`)!.pagerduty_configs![0]!.routing_key).toBe(SECRET_MASK);
    const plain = await getConfig(db(), editor.principal);
    expect(plain.masked).toBe(false);
    expect(plain.config.receivers.find((r) => r.name === `chat-${tag}`)!.slack_configs![0]!.api_url).toBe(SLACK_URL);
    expect((await getConfigVersion(db(), viewer.principal, saved.version)).config.receivers.find((r) => r.name === `pager-${tag}`)!.pagerduty_configs![0]!.routing_key).toBe(SECRET_MASK);
    expect((await listConfigVersions(db()))[0]).toMatchObject({ version: saved.version, message: "first", createdByName: editor.email });

    // The audit log names what changed, never a secret.
    const [audit] = await auditRows({ action: "notification_config.update", actorId: editor.id });
    expect(audit!.details).toMatchObject({ version: saved.version, message: "first", receivers: [`ops-${tag}`, `pager-${tag}`, `chat-${tag}`, `unused-${tag}`] });
    expect(JSON.stringify(audit!.details)).not.toMatch(/SECRET|token=abc/);
  });

  it("refuses invalid configurations: unknown receivers and intervals, duplicates, injected problems", async () => {
    const tag = uid();
    const v = await current();
    const bad = async (mutate: (c: AlertmanagerConfig) => void, opts = {}) => {
      const c = fullConfig(tag);
      mutate(c);
      return (await expectAppError(saveConfig(db(), editor.principal, meta, { config: c, version: v }, opts), "INVALID_INPUT")).userMessage;
    };
    expect(await bad((c) => (c.route.routes![0]!.receiver = "nobody"))).toContain('route.routes[0].receiver: receiver "nobody" is not defined');
    expect(await bad((c) => c.receivers.push({ name: `ops-${tag}` }))).toContain(`receiver "ops-${tag}" is defined twice`);
    expect(await bad((c) => (c.route.routes![1]!.mute_time_intervals = ["weekends"]))).toContain('time interval "weekends" is not defined');
    expect(await bad((c) => (c.route.matchers = ['a="b"']))).toContain("root route must not have matchers");
    expect(await bad((c) => (c.route.group_by = ["...", "x"]))).toContain("group_by cannot have '...' (all labels) and other labels");
    // Matcher syntax and regexes are checked as Alertmanager parses them.
    expect(await bad((c) => (c.route.routes![0]!.matchers = ['team=~"("']))).toContain("route.routes[0].matchers[0]");
    expect(await bad((c) => (c.inhibit_rules = [{ target_matchers: ["{{"] }]))).toContain("inhibit_rules[0].target_matchers[0]");
    expect(await bad((c) => delete c.global!.smtp_smarthost)).toContain("needs smarthost");
    expect(await bad((c) => ((c.route as Record<string, unknown>).bogus = 1))).toContain("Invalid configuration");
    expect(await bad(() => {}, { validate: () => ['route.routes[0]: bad matcher "severity=="'] })).toContain('bad matcher "severity=="');
    expect(await current()).toBe(v);
    await expectAppError(saveConfig(db(), viewer.principal, meta, { config: fullConfig(tag), version: v }), "FORBIDDEN");
    expect((await auditRows({ action: "permission.denied", actorId: viewer.id }))[0]!.details).toMatchObject({ action: "notification_config.update" });
  });
});

describe("contact points, policies, mute timings", () => {
  it("lists receivers with integrations and usage; creates, renames (routes follow), refuses deleting one in use", async () => {
    const tag = uid();
    await saveConfig(db(), editor.principal, meta, { config: fullConfig(tag), version: await current() });
    const points = await listContactPoints(db(), viewer.principal);
    const ops = points.find((p) => p.name === `ops-${tag}`)!;
    expect(ops.integrations).toEqual([
      { type: "webhook", index: 0, sendResolved: true, target: "http://127.0.0.1:9" },
      { type: "email", index: 0, sendResolved: false, target: "ops@example.test" },
    ]);
    expect(ops.usedByPolicies).toBe(1);
    expect(ops.receiver.email_configs![0]!.auth_password).toBe(SECRET_MASK);
    expect(points.find((p) => p.name === `chat-${tag}`)).toMatchObject({ usedByPolicies: 1, integrations: [{ type: "slack", target: "#alerts" }] });
    expect(points.find((p) => p.name === `unused-${tag}`)).toMatchObject({ usedByPolicies: 0, integrations: [] });
    expect((await getContactPoint(db(), editor.principal, `pager-${tag}`)).receiver.pagerduty_configs![0]!.routing_key).toBe(PD_KEY);
    await expectAppError(getContactPoint(db(), viewer.principal, "nope"), "NOT_FOUND");

    const created = await createContactPoint(db(), editor.principal, meta, { receiver: { name: `hook-${tag}`, webhook_configs: [{ url: "http://127.0.0.1:9/x" }] } });
    expect(created.name).toBe(`hook-${tag}`);
    await expectAppError(createContactPoint(db(), editor.principal, meta, { receiver: { name: `hook-${tag}` } }), "CONFLICT");
    await expectAppError(createContactPoint(db(), viewer.principal, meta, { receiver: { name: `v-${tag}` } }), "FORBIDDEN");
    await expectAppError(createContactPoint(db(), editor.principal, meta, { receiver: { name: `stale-${tag}` }, version: created.version - 1 }), "CONFLICT");

    const renamed = await updateContactPoint(db(), editor.principal, meta, { name: `chat-${tag}`, receiver: { name: `slack-${tag}`, slack_configs: [{ api_url: SLACK_URL, channel: "#ops" }] } });
    expect(renamed.version).toBe(created.version + 1);
    const { route } = await getPolicies(db());
    expect(route.routes![1]!.receiver).toBe(`slack-${tag}`);
    expect((await auditRows({ action: "contact_point.update", actorId: editor.id }))[0]!.details).toMatchObject({ renamedFrom: `chat-${tag}`, routesUpdated: 1, integrations: ["slack"] });
    await expectAppError(updateContactPoint(db(), editor.principal, meta, { name: `slack-${tag}`, receiver: { name: `ops-${tag}` } }), "CONFLICT");

    const inUse = await expectAppError(deleteContactPoint(db(), editor.principal, meta, { name: `ops-${tag}` }), "CONFLICT");
    expect(inUse.userMessage).toContain("used by 1 notification policy");
    await deleteContactPoint(db(), editor.principal, meta, { name: `unused-${tag}` });
    expect((await listContactPoints(db(), viewer.principal)).map((p) => p.name)).not.toContain(`unused-${tag}`);
    await expectAppError(deleteContactPoint(db(), editor.principal, meta, { name: `unused-${tag}` }), "NOT_FOUND");
  });

  it("saves the route tree (validated) and inhibition rules", async () => {
    const tag = uid();
    await saveConfig(db(), editor.principal, meta, { config: fullConfig(tag), version: await current() });
    const v = await current();
    await expectAppError(savePolicies(db(), editor.principal, meta, { route: { receiver: "ghost" }, version: v }), "INVALID_INPUT");
    const saved = await savePolicies(db(), editor.principal, meta, { route: { receiver: `ops-${tag}`, group_by: ["..."], routes: [{ receiver: `pager-${tag}`, matchers: ['severity="critical"'], group_wait: "10s" }] }, version: v });
    expect(saved.version).toBe(v + 1);
    expect((await getPolicies(db())).route).toEqual({ receiver: `ops-${tag}`, group_by: ["..."], routes: [{ receiver: `pager-${tag}`, matchers: ['severity="critical"'], group_wait: "10s" }] });
    expect((await listContactPoints(db(), viewer.principal)).find((p) => p.name === `chat-${tag}`)!.usedByPolicies).toBe(0);
    await saveInhibitRules(db(), editor.principal, meta, { rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="info"'], equal: ["cluster"] }] });
    expect((await readNotificationConfig(db())).config.inhibit_rules).toEqual([{ source_matchers: ['severity="critical"'], target_matchers: ['severity="info"'], equal: ["cluster"] }]);
  });

  it("creates, renames (routes follow) and deletes mute timings; refuses deleting one in use", async () => {
    const tag = uid();
    await saveConfig(db(), editor.principal, meta, { config: fullConfig(tag), version: await current() });
    const weekends = { name: `weekends-${tag}`, time_intervals: [{ weekdays: ["saturday", "sunday"] }] };
    await createMuteTiming(db(), editor.principal, meta, { timing: weekends });
    await expectAppError(createMuteTiming(db(), editor.principal, meta, { timing: weekends }), "CONFLICT");
    const list = await listMuteTimings(db());
    expect(list.find((t) => t.name === `nights-${tag}`)).toMatchObject({ usedByPolicies: 1 });
    expect(list.find((t) => t.name === `weekends-${tag}`)).toMatchObject({ usedByPolicies: 0, time_intervals: weekends.time_intervals });

    await updateMuteTiming(db(), editor.principal, meta, { name: `nights-${tag}`, timing: { name: `late-${tag}`, time_intervals: [{ times: [{ start_time: "23:00", end_time: "24:00" }] }] } });
    expect((await getPolicies(db())).route.routes![1]!.mute_time_intervals).toEqual([`late-${tag}`]);
    await expectAppError(deleteMuteTiming(db(), editor.principal, meta, { name: `late-${tag}` }), "CONFLICT");
    await deleteMuteTiming(db(), editor.principal, meta, { name: `weekends-${tag}` });
    expect((await listMuteTimings(db())).map((t) => t.name)).toEqual([`late-${tag}`]);
    await expectAppError(updateMuteTiming(db(), editor.principal, meta, { name: "nope", timing: weekends }), "NOT_FOUND");
  });

  it("a provisioned configuration is read-only until the file lets go of it", async () => {
    const tag = uid();
    const source = "/etc/lookout/lookout.yml";
    expect(await provisionNotificationConfig(db(), fullConfig(tag), source)).toMatch(/created|updated/);
    expect(await provisionNotificationConfig(db(), fullConfig(tag), source)).toBe("unchanged");
    expect((await getConfig(db(), viewer.principal)).provisioned).toBe(true);
    expect((await listContactPoints(db(), viewer.principal)).every((p) => p.provisioned)).toBe(true);
    const refused = await expectAppError(createContactPoint(db(), editor.principal, meta, { receiver: { name: `x-${tag}` } }), "FORBIDDEN");
    expect(refused.userMessage).toContain("provisioned");
    await expectAppError(saveConfig(db(), editor.principal, meta, { config: fullConfig(tag), version: await current() }), "FORBIDDEN");
    await expectAppError(provisionNotificationConfig(db(), { route: { receiver: "ghost" }, receivers: [] }, source), "INVALID_INPUT");
    expect(await provisionNotificationConfig(db(), null, source)).toBe("released");
    expect((await getConfig(db(), viewer.principal)).provisioned).toBe(false);
    await createContactPoint(db(), editor.principal, meta, { receiver: { name: `x-${tag}` } });
  });
});

describe("silences", () => {
  const matchers = (name = "alertname", value = `Disk${uid()}`) => [{ name, value, isRegex: false, isEqual: true }];

  it("creates with defaults, validates, and computes the state at read time", async () => {
    const now = Date.now();
    const s = await createSilence(db(), editor.principal, meta, { matchers: matchers(), endsAt: new Date(now + 3_600_000).toISOString(), comment: "maintenance" }, { now });
    expect(s).toMatchObject({ createdBy: editor.email, comment: "maintenance", status: { state: "active" }, startsAt: new Date(now).toISOString() });
    expect((await auditRows({ action: "silence.create", targetId: s.id }))[0]!.details).toMatchObject({ comment: "maintenance" });

    const pending = await createSilence(db(), editor.principal, meta, { matchers: matchers(), startsAt: new Date(now + 60_000).toISOString(), endsAt: new Date(now + 120_000).toISOString(), createdBy: "ops bot" }, { now });
    expect(pending).toMatchObject({ createdBy: "ops bot", status: { state: "pending" } });
    expect((await getSilence(db(), pending.id, { now: now + 90_000 })).status.state).toBe("active");
    expect((await getSilence(db(), pending.id, { now: now + 120_000 })).status.state).toBe("expired");
    // A start in the past starts now.
    const past = await createSilence(db(), editor.principal, meta, { matchers: matchers(), startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 60_000).toISOString() }, { now });
    expect(past.startsAt).toBe(new Date(now).toISOString());

    const bad = async (input: Record<string, unknown>) => (await expectAppError(createSilence(db(), editor.principal, meta, { matchers: matchers(), endsAt: new Date(now + 60_000).toISOString(), ...input } as never, { now }), "INVALID_INPUT")).userMessage;
    expect(await bad({ matchers: [] })).toContain("at least one matcher");
    expect(await bad({ endsAt: new Date(now - 1).toISOString() })).toContain("in the past");
    expect(await bad({ startsAt: new Date(now + 120_000).toISOString() })).toContain("after the start");
    expect(await bad({ matchers: [{ name: "alertname", value: ".*", isRegex: true, isEqual: true }] })).toContain("must not match the empty string");
    expect(await bad({ matchers: [{ name: "job", value: "(", isRegex: true, isEqual: true }] })).toContain("invalid regular expression");
    expect(await bad({ matchers: [{ name: "bad-name", value: "x", isRegex: false, isEqual: true }] })).toContain("invalid label name");
    await expectAppError(createSilence(db(), viewer.principal, meta, { matchers: matchers(), endsAt: new Date(now + 60_000).toISOString() }), "FORBIDDEN");

    const ids = new Set([s.id, pending.id, past.id]);
    const mine = (await listSilences(db(), {}, { now })).filter((x) => ids.has(x.id));
    // Active ones ending soonest first, then pending.
    expect(mine.map((x) => [x.id, x.status.state])).toEqual([
      [past.id, "active"],
      [s.id, "active"],
      [pending.id, "pending"],
    ]);
    expect((await listSilences(db(), { states: ["pending"] }, { now })).map((x) => x.id)).toContain(pending.id);
    expect((await listSilences(db(), { states: ["pending"] }, { now })).map((x) => x.id)).not.toContain(s.id);
    expect((await listSilences(db(), { matchers: s.matchers }, { now })).map((x) => x.id)).toEqual([s.id]);
  });

  it("updates in place when Alertmanager would, otherwise expires the old silence and creates a new one", async () => {
    const now = Date.now();
    const m = matchers();
    const s = await createSilence(db(), editor.principal, meta, { matchers: m, endsAt: new Date(now + 3_600_000).toISOString() }, { now });

    // Active, same matchers, same start, later end: in place.
    const longer = await updateSilence(db(), editor.principal, meta, { id: s.id, matchers: m, startsAt: s.startsAt, endsAt: new Date(now + 7_200_000).toISOString(), comment: "longer" }, { now: now + 1000 });
    expect(longer).toMatchObject({ id: s.id, replaced: null, comment: "longer", endsAt: new Date(now + 7_200_000).toISOString() });

    // Active, matchers changed: the old one expires now, a new one takes over.
    const changed = await updateSilence(db(), editor.principal, meta, { id: s.id, matchers: [...m, { name: "severity", value: "warning", isRegex: false, isEqual: true }], endsAt: new Date(now + 7_200_000).toISOString() }, { now: now + 2000 });
    expect(changed.replaced).toBe(s.id);
    expect(changed.id).not.toBe(s.id);
    expect(changed.status.state).toBe("active");
    const old = await getSilence(db(), s.id, { now: now + 2000 });
    expect(old).toMatchObject({ status: { state: "expired" }, endsAt: new Date(now + 2000).toISOString() });
    expect((await auditRows({ action: "silence.expire", targetId: s.id }))[0]!.details).toEqual({ replacedBy: changed.id });

    // Pending: a new start in the future stays in place; a pending silence expired starts and ends now.
    const p = await createSilence(db(), editor.principal, meta, { matchers: m, startsAt: new Date(now + 600_000).toISOString(), endsAt: new Date(now + 900_000).toISOString() }, { now });
    const moved = await updateSilence(db(), editor.principal, meta, { id: p.id, matchers: m, startsAt: new Date(now + 300_000).toISOString(), endsAt: new Date(now + 900_000).toISOString() }, { now });
    expect(moved).toMatchObject({ id: p.id, replaced: null, status: { state: "pending" } });
    const expired = await expireSilence(db(), editor.principal, meta, p.id, { now: now + 1000 });
    expect(expired).toMatchObject({ status: { state: "expired" }, startsAt: new Date(now + 1000).toISOString(), endsAt: new Date(now + 1000).toISOString() });
    await expectAppError(expireSilence(db(), editor.principal, meta, p.id, { now: now + 2000 }), "CONFLICT");

    // An expired silence is never changed: updating it creates a new one.
    const revived = await updateSilence(db(), editor.principal, meta, { id: p.id, matchers: m, endsAt: new Date(now + 900_000).toISOString() }, { now: now + 3000 });
    expect(revived.replaced).toBe(p.id);
    expect(revived.id).not.toBe(p.id);

    await expectAppError(updateSilence(db(), editor.principal, meta, { id: "00000000-0000-0000-0000-000000000000", matchers: m, endsAt: new Date(now + 60_000).toISOString() }), "NOT_FOUND");
    await expectAppError(getSilence(db(), "not-a-uuid"), "NOT_FOUND");
    await expectAppError(expireSilence(db(), viewer.principal, meta, revived.id), "FORBIDDEN");
  });
});

describe("external alerts and the alert list", () => {
  it("upserts alerts by label fingerprint with Alertmanager's defaults and resolves them", async () => {
    const now = Date.now();
    const name = `Ext${uid()}`;
    await upsertExternalAlerts(db(), [{ labels: { alertname: name, instance: "a" }, annotations: { summary: "x" }, generatorURL: "http://prom:9090/graph" }], { now, resolveTimeoutMs: 300_000 });
    const fp = labelsFingerprint({ instance: "a", alertname: name });
    let [row] = (await listExternalAlerts(db(), { now })).filter((a) => a.fingerprint === fp);
    expect(row).toMatchObject({ labels: { alertname: name, instance: "a" }, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString(), state: "firing", generatorURL: "http://prom:9090/graph" });

    // Re-sent later: the earlier start is kept.
    await upsertExternalAlerts(db(), [{ labels: { instance: "a", alertname: name }, startsAt: new Date(now + 60_000).toISOString() }], { now: now + 60_000, resolveTimeoutMs: 300_000 });
    [row] = (await listExternalAlerts(db(), { now: now + 60_000 })).filter((a) => a.fingerprint === fp);
    expect(row).toMatchObject({ startsAt: new Date(now).toISOString(), endsAt: new Date(now + 360_000).toISOString() });

    // Resolved: endsAt in the past; it leaves the active list.
    await upsertExternalAlerts(db(), [{ labels: { alertname: name, instance: "a" }, endsAt: new Date(now + 90_000).toISOString() }], { now: now + 120_000 });
    expect((await listExternalAlerts(db(), { now: now + 120_000 })).some((a) => a.fingerprint === fp)).toBe(false);
    [row] = (await listExternalAlerts(db(), { now: now + 120_000, active: false })).filter((a) => a.fingerprint === fp);
    expect(row).toMatchObject({ state: "resolved", startsAt: new Date(now).toISOString(), endsAt: new Date(now + 90_000).toISOString() });

    // Go's zero time stands for "not set".
    await upsertExternalAlerts(db(), [{ labels: { alertname: name, instance: "z" }, startsAt: "0001-01-01T00:00:00Z", endsAt: "0001-01-01T00:00:00Z" }], { now, resolveTimeoutMs: 300_000 });
    const [zero] = (await listExternalAlerts(db(), { now })).filter((a) => a.labels.instance === "z" && a.labels.alertname === name);
    expect(zero).toMatchObject({ startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString(), state: "firing" });

    await expectAppError(upsertExternalAlerts(db(), [{ labels: {} }]), "INVALID_INPUT");
    await expectAppError(upsertExternalAlerts(db(), [{ labels: { alertname: "x" }, startsAt: new Date(now).toISOString(), endsAt: new Date(now - 1000).toISOString() }]), "INVALID_INPUT");
    const bad = await expectAppError(upsertExternalAlerts(db(), [{ labels: { alertname: "ok" } }, { labels: { "bad-name": "x" } }]), "INVALID_INPUT");
    expect(bad.userMessage).toContain("alert 1.labels");
    await expectAppError(upsertExternalAlerts(db(), { labels: {} }), "INVALID_INPUT");
  });

  it("lists firing rule instances and external alerts with silencedBy, honouring the status and matcher filters", async () => {
    const now = Date.now();
    const name = `List${uid()}`;
    const group = await saveRuleGroup(db(), editor.principal, meta, { group: { name: `g ${name}`, folderUid: null, interval: "30s", rules: [{ title: name, query: { kind: "promql", expr: "up == 0" } }] } });
    const ruleUid = group.rules[0]!.uid;
    const labels = { alertname: name, instance: "r1" };
    const instance: AlertInstance = { ruleUid, labels, fingerprint: labelsFingerprint(labels), state: "firing", stateSince: now - 60_000, activeSince: now - 120_000, keepFiringUntil: null, value: 0, lastEvalAt: now - 10_000, annotations: { summary: "down" }, resolvedAt: null, error: null };
    await store.writeEvaluation(db(), ruleUid, { instances: [instance], transitions: [], evaluation: { lastEvalAt: now - 10_000, durationMs: 1, health: "ok", error: null, nextEvalAt: null } });
    await upsertExternalAlerts(db(), [{ labels: { alertname: name, instance: "e1" } }], { now });

    const mine = (alerts: Awaited<ReturnType<typeof listAlerts>>) => alerts.filter((a) => a.labels.alertname === name);
    const all = mine(await listAlerts(db(), viewer.principal, {}, {}, { now }));
    expect(all.map((a) => a.labels.instance).sort()).toEqual(["e1", "r1"]);
    const fromRule = all.find((a) => a.labels.instance === "r1")!;
    expect(fromRule).toMatchObject({
      fingerprint: instance.fingerprint,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now - 10_000 + 240_000).toISOString(),
      generatorURL: expect.stringContaining(`/alerting/rules/${ruleUid}`),
      status: { state: "active", silencedBy: [], inhibitedBy: [], mutedBy: [] },
      source: { kind: "rule", ruleUid },
    });
    expect(fromRule.receivers).toEqual([{ name: (await readNotificationConfig(db())).config.route.receiver }]);

    const silence = await createSilence(db(), editor.principal, meta, { matchers: [{ name: "alertname", value: name, isRegex: false, isEqual: true }, { name: "instance", value: "e.*", isRegex: true, isEqual: true }], endsAt: new Date(now + 600_000).toISOString() }, { now });
    const after = mine(await listAlerts(db(), viewer.principal, {}, {}, { now: now + 1 }));
    expect(after.find((a) => a.labels.instance === "e1")!.status).toEqual({ state: "suppressed", silencedBy: [silence.id], inhibitedBy: [], mutedBy: [] });
    expect(after.find((a) => a.labels.instance === "r1")!.status.state).toBe("active");
    expect(mine(await listAlerts(db(), viewer.principal, { silenced: false }, {}, { now: now + 1 })).map((a) => a.labels.instance)).toEqual(["r1"]);
    expect(mine(await listAlerts(db(), viewer.principal, { active: false }, {}, { now: now + 1 })).map((a) => a.labels.instance)).toEqual(["e1"]);
    expect(mine(await listAlerts(db(), viewer.principal, { matchers: [{ name: "instance", value: "r1", isRegex: false, isEqual: true }] }, {}, { now: now + 1 })).map((a) => a.labels.instance)).toEqual(["r1"]);

    // The seams: another module's routing and inhibition.
    const seamed = mine(await listAlerts(db(), viewer.principal, { inhibited: false }, { receivers: () => ["team-a", "team-b"], inhibitedBy: (l, firing) => (l.instance === "r1" ? firing.filter((f) => f.fingerprint !== instance.fingerprint).map((f) => f.fingerprint) : []), mutedBy: () => [] }, { now: now + 1 }));
    expect(seamed.map((a) => [a.labels.instance, a.receivers.map((r) => r.name)])).toEqual([["e1", ["team-a", "team-b"]]]);
    expect(mine(await listAlerts(db(), viewer.principal, { receiver: "team-(b|c)" }, { receivers: () => ["team-b"] }, { now }))).toHaveLength(2);
    await expectAppError(listAlerts(db(), viewer.principal, { receiver: "(" }), "INVALID_INPUT");
  });
});
