import { beforeAll, describe, expect, it } from "vitest";
import { GET as getPromAlerts } from "@/app/api/v1/alerts/route";
import { GET as getPromRules, POST as postPromRules } from "@/app/api/v1/rules/route";
import { GET as getAmAlerts, POST as postAmAlerts } from "@/app/api/v2/alerts/route";
import { DELETE as deleteAmSilence, GET as getAmSilence } from "@/app/api/v2/silence/[id]/route";
import { GET as getAmSilences, POST as postAmSilences } from "@/app/api/v2/silences/route";
import { getDb } from "@/db/client";
import { createFolder, setFolderPermissions } from "@/server/dashboards/service";
import { getQueue } from "@/server/queues/queues";
import { auditRows, createTestKey, createTestUser, request, testMeta, uid, type TestUser } from "@/test/helpers";
import type { AlertInstance } from "./model";
import { labelsFingerprint } from "./notifications-service";
import { saveRuleGroup } from "./rules-service";
import * as store from "./store";

type Json = Record<string, unknown>;
type Handler = (r: Request, ctx?: unknown) => Promise<Response>;

function call(handler: Handler, path: string, opts: { method?: string; auth?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return handler(
    request(path, {
      method: opts.method ?? "GET",
      headers: { ...(opts.auth ? { authorization: opts.auth } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...opts.headers },
      body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
    }),
  );
}

const db = () => getDb();
const meta = testMeta();

let editor: TestUser;
let adminKey: string;
let queryKey: string;
let ingestKey: string;
let queryKeyId: string;
beforeAll(async () => {
  editor = await createTestUser("Editor");
  adminKey = `Bearer ${(await createTestKey(["admin"])).key}`;
  const q = await createTestKey(["query"]);
  queryKey = `Bearer ${q.key}`;
  queryKeyId = q.serviceAccount.id;
  ingestKey = `Bearer ${(await createTestKey(["ingest"])).key}`;
});

function instance(ruleUid: string, labels: Record<string, string>, state: AlertInstance["state"], at: number, value: number): AlertInstance {
  return { ruleUid, labels, fingerprint: labelsFingerprint(labels), state, stateSince: at, activeSince: at - 60_000, keepFiringUntil: null, value, lastEvalAt: at, annotations: { summary: `${labels.instance} down` }, resolvedAt: null, error: null };
}

describe("Prometheus /api/v1/rules and /api/v1/alerts", () => {
  let folderTitle: string;
  let groupName: string;
  let fireUid: string;
  let t: number;
  let hiddenGroup: string;

  beforeAll(async () => {
    folderTitle = `Prom ${uid()}`;
    const folder = await createFolder(db(), editor.principal, meta, { title: folderTitle });
    groupName = `node ${uid()}`;
    const saved = await saveRuleGroup(db(), editor.principal, meta, {
      group: {
        name: groupName,
        folderUid: folder.uid,
        interval: "30s",
        rules: [
          { title: "InstanceDown", query: { kind: "promql", expr: "up", condition: { op: "==", threshold: 0 } }, for: "1m", labels: { severity: "critical" }, annotations: { summary: "{{ $labels.instance }} down" } },
          { title: "Quiet", query: { kind: "promql", expr: "rate(errors_total[5m]) > 1" } },
        ],
      },
    });
    fireUid = saved.rules[0]!.uid;
    t = Date.parse("2026-03-01T10:00:00.000Z");
    const a = { alertname: "InstanceDown", instance: "a:9100", severity: "critical" };
    const b = { alertname: "InstanceDown", instance: "b:9100", severity: "critical" };
    await store.writeEvaluation(db(), fireUid, {
      instances: [instance(fireUid, a, "firing", t, 0), instance(fireUid, b, "pending", t, 0.5)],
      transitions: [],
      evaluation: { lastEvalAt: t, durationMs: 25, health: "ok", error: null, nextEvalAt: t + 30_000 },
    });
    await store.writeEvaluation(db(), saved.rules[1]!.uid, { instances: [], transitions: [], evaluation: { lastEvalAt: t - 1000, durationMs: 5, health: "error", error: "boom", nextEvalAt: null } });
    // A group in a folder restricted to no role: service accounts do not see it.
    const hidden = await createFolder(db(), editor.principal, meta, { title: `Hidden ${uid()}` });
    const editorRole = editor.principal.roleId;
    await setFolderPermissions(db(), editor.principal, meta, { uid: hidden.uid, entries: [{ roleId: editorRole, level: "edit" }] });
    hiddenGroup = `hidden ${uid()}`;
    await saveRuleGroup(db(), editor.principal, meta, { group: { name: hiddenGroup, folderUid: hidden.uid, rules: [{ title: "Secret", query: { kind: "promql", expr: "up" } }] } });
  });

  it("answers Prometheus's rules shape", async () => {
    const res = await call(getPromRules, "/api/v1/rules", { auth: queryKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { groups: Json[] } };
    expect(body.status).toBe("success");
    const group = body.data.groups.find((g) => g.name === groupName)!;
    expect(body.data.groups.some((g) => g.name === hiddenGroup)).toBe(false);
    expect(group).toMatchObject({ file: folderTitle, interval: 30, limit: 0, lastEvaluation: "2026-03-01T10:00:00.000Z", evaluationTime: 0.03 });
    const [down, quiet] = group.rules as Json[];
    expect(down).toEqual({
      state: "firing",
      name: "InstanceDown",
      query: "up == 0",
      duration: 60,
      keepFiringFor: 0,
      labels: { severity: "critical" },
      annotations: { summary: "{{ $labels.instance }} down" },
      alerts: [
        { labels: { alertname: "InstanceDown", instance: "a:9100", severity: "critical" }, annotations: { summary: "a:9100 down" }, state: "firing", activeAt: "2026-03-01T09:59:00.000Z", value: "0e+00" },
        { labels: { alertname: "InstanceDown", instance: "b:9100", severity: "critical" }, annotations: { summary: "b:9100 down" }, state: "pending", activeAt: "2026-03-01T09:59:00.000Z", value: "5e-01" },
      ],
      health: "ok",
      type: "alerting",
      lastEvaluation: "2026-03-01T10:00:00.000Z",
      evaluationTime: 0.025,
    });
    expect(quiet).toMatchObject({ state: "inactive", name: "Quiet", query: "rate(errors_total[5m]) > 1", health: "err", lastError: "boom", alerts: [] });
  });

  it("filters by type, rule name, group, file, and excludes alerts", async () => {
    const json = async (path: string, handler: Handler = getPromRules) => ((await (await call(handler, path, { auth: queryKey })).json()) as { data: { groups: { name: string; rules: Json[] }[] } }).data.groups;
    expect(await json("/api/v1/rules?type=record")).toEqual([]);
    const byName = await json(`/api/v1/rules?rule_name[]=Quiet&rule_group[]=${encodeURIComponent(groupName)}`);
    expect(byName.map((g) => [g.name, g.rules.map((r) => r.name)])).toEqual([[groupName, ["Quiet"]]]);
    expect((await json(`/api/v1/rules?file[]=${encodeURIComponent(folderTitle)}`)).map((g) => g.name)).toEqual([groupName]);
    const noAlerts = (await json("/api/v1/rules?exclude_alerts=true")).find((g) => g.name === groupName)!;
    expect(noAlerts.rules[0]).not.toHaveProperty("alerts");
    expect(noAlerts.rules[0]).toMatchObject({ state: "firing" });
    // Form-encoded POST, as Prometheus accepts.
    const post = await postPromRules(
      request("/api/v1/rules", { method: "POST", headers: { authorization: queryKey, "content-type": "application/x-www-form-urlencoded" }, body: `rule_group[]=${encodeURIComponent(groupName)}&type=alert` }),
    );
    expect(((await post.json()) as { data: { groups: Json[] } }).data.groups).toHaveLength(1);
    const bad = await call(getPromRules, "/api/v1/rules?type=bogus", { auth: queryKey });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: "error", errorType: "bad_data" });
  });

  it("answers /api/v1/alerts with the pending and firing alerts", async () => {
    const res = await call(getPromAlerts, "/api/v1/alerts", { auth: queryKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; data: { alerts: Json[] } };
    const mine = body.data.alerts.filter((a) => (a.labels as Json).alertname === "InstanceDown" && ["a:9100", "b:9100"].includes((a.labels as Json).instance as string));
    expect(mine).toEqual([
      { labels: { alertname: "InstanceDown", instance: "a:9100", severity: "critical" }, annotations: { summary: "a:9100 down" }, state: "firing", activeAt: "2026-03-01T09:59:00.000Z", value: "0e+00" },
      { labels: { alertname: "InstanceDown", instance: "b:9100", severity: "critical" }, annotations: { summary: "b:9100 down" }, state: "pending", activeAt: "2026-03-01T09:59:00.000Z", value: "5e-01" },
    ]);
  });

  it("needs a key with alerts:read, in Prometheus's error envelope", async () => {
    const anon = await call(getPromRules, "/api/v1/rules");
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ status: "error", errorType: "unauthorized" });
    const ingest = await call(getPromAlerts, "/api/v1/alerts", { auth: ingestKey });
    expect(ingest.status).toBe(403);
    expect(await ingest.json()).toMatchObject({ status: "error", errorType: "forbidden", error: expect.stringContaining('"query" scope') });
  });
});

describe("Alertmanager API v2", () => {
  it("receives alerts with an ingest key (200, empty body) and lists them with their status", async () => {
    const name = `AmAlert${uid()}`;
    const dispatches = async () => (await getQueue("alert-dispatch").getJobs(["waiting"])).length;
    const before = await dispatches();
    const res = await call(postAmAlerts, "/api/v2/alerts", {
      method: "POST",
      auth: ingestKey,
      body: [
        { labels: { alertname: name, instance: "x:1", severity: "warning" }, annotations: { summary: "high" }, generatorURL: "http://prom:9090/graph?g0.expr=up" },
        { labels: { alertname: name, instance: "y:1", severity: "warning" }, startsAt: new Date(Date.now() - 60_000).toISOString() },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    // The dispatcher is asked to look at once.
    expect(await dispatches()).toBe(before + 1);

    const list = await call(getAmAlerts, `/api/v2/alerts?filter=${encodeURIComponent(`alertname="${name}"`)}`, { auth: queryKey });
    expect(list.status).toBe(200);
    const alerts = (await list.json()) as Json[];
    expect(alerts).toHaveLength(2);
    const x = alerts.find((a) => (a.labels as Json).instance === "x:1")!;
    expect(Object.keys(x).sort()).toEqual(["annotations", "endsAt", "fingerprint", "generatorURL", "labels", "receivers", "startsAt", "status", "updatedAt"]);
    expect(x).toMatchObject({ annotations: { summary: "high" }, generatorURL: "http://prom:9090/graph?g0.expr=up", fingerprint: labelsFingerprint({ alertname: name, instance: "x:1", severity: "warning" }), status: { state: "active", silencedBy: [], inhibitedBy: [], mutedBy: [] } });
    expect(Date.parse(x.endsAt as string) - Date.parse(x.startsAt as string)).toBeGreaterThanOrEqual(5 * 60_000 - 1000);

    // A silence over one of them.
    const created = await call(postAmSilences, "/api/v2/silences", {
      method: "POST",
      auth: adminKey,
      body: { matchers: [{ name: "instance", value: "x:1", isRegex: false, isEqual: true }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: "amtool", comment: "deploy" },
    });
    expect(created.status).toBe(200);
    const { silenceID } = (await created.json()) as { silenceID: string };
    const after = (await (await call(getAmAlerts, `/api/v2/alerts?filter=${encodeURIComponent(`alertname="${name}"`)}`, { auth: queryKey })).json()) as Json[];
    expect(after.find((a) => (a.labels as Json).instance === "x:1")!.status).toEqual({ state: "suppressed", silencedBy: [silenceID], inhibitedBy: [], mutedBy: [] });
    const unsilenced = (await (await call(getAmAlerts, `/api/v2/alerts?silenced=false&filter=${encodeURIComponent(`alertname="${name}"`)}&filter=${encodeURIComponent('instance=~"[xy]:1"')}`, { auth: queryKey })).json()) as Json[];
    expect(unsilenced.map((a) => (a.labels as Json).instance)).toEqual(["y:1"]);
    const bad = await call(getAmAlerts, "/api/v2/alerts?active=maybe", { auth: queryKey });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toContain("active");
    expect((await call(getAmAlerts, "/api/v2/alerts?filter=nonsense", { auth: queryKey })).status).toBe(400);
  });

  it("answers bad alerts with 400 and Alertmanager's string error; needs alerts:ingest", async () => {
    const post = (body: unknown, auth = ingestKey) => call(postAmAlerts, "/api/v2/alerts", { method: "POST", auth, body });
    const notJson = await post("{nope");
    expect(notJson.status).toBe(400);
    expect(typeof (await notJson.json())).toBe("string");
    const noLabels = await post([{ labels: {} }]);
    expect(noLabels.status).toBe(400);
    expect(await noLabels.json()).toBe("alert 0: at least one label pair required");
    expect((await post({ labels: { a: "b" } })).status).toBe(400);
    const anon = await call(postAmAlerts, "/api/v2/alerts", { method: "POST", body: [] });
    expect(anon.status).toBe(401);
    const query = await post([{ labels: { alertname: "x" } }], queryKey);
    expect(query.status).toBe(403);
    expect(await query.json()).toBe('API key lacks the "ingest" scope (needs alerts:ingest)');
    expect((await auditRows({ action: "permission.denied", actorId: queryKeyId }))[0]!.details).toMatchObject({ permission: "alerts:ingest", path: "/api/v2/alerts" });
    // An ingest key reads nothing.
    expect((await call(getAmAlerts, "/api/v2/alerts", { auth: ingestKey })).status).toBe(403);
    // A browser session's cross-origin POST is refused.
    const csrf = await call(postAmAlerts, "/api/v2/alerts", { method: "POST", auth: ingestKey, body: [], headers: { origin: "http://evil.example" } });
    expect(csrf.status).toBe(403);
  });

  it("creates, lists, reads, updates and expires silences", async () => {
    const name = `AmSilence${uid()}`;
    const body = (extra: Json = {}) => ({
      matchers: [{ name: "alertname", value: name, isRegex: false, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: "amtool",
      comment: "first",
      ...extra,
    });
    const created = await call(postAmSilences, "/api/v2/silences", { method: "POST", auth: adminKey, body: body() });
    const { silenceID } = (await created.json()) as { silenceID: string };

    const one = await call(getAmSilence, `/api/v2/silence/${silenceID}`, { auth: queryKey });
    expect(one.status).toBe(200);
    const s = (await one.json()) as Json;
    expect(Object.keys(s).sort()).toEqual(["comment", "createdBy", "endsAt", "id", "matchers", "startsAt", "status", "updatedAt"]);
    expect(s).toMatchObject({ id: silenceID, status: { state: "active" }, createdBy: "amtool", comment: "first", matchers: [{ name: "alertname", value: name, isRegex: false, isEqual: true }] });

    const listed = (await (await call(getAmSilences, `/api/v2/silences?filter=${encodeURIComponent(`alertname="${name}"`)}`, { auth: queryKey })).json()) as Json[];
    expect(listed.map((x) => x.id)).toEqual([silenceID]);

    // Update with changed matchers: a new id, the old one expired.
    const updated = await call(postAmSilences, "/api/v2/silences", {
      method: "POST",
      auth: adminKey,
      body: body({ id: silenceID, matchers: [{ name: "alertname", value: name, isRegex: false, isEqual: true }, { name: "env", value: "prod", isRegex: false, isEqual: true }] }),
    });
    expect(updated.status).toBe(200);
    const next = ((await updated.json()) as { silenceID: string }).silenceID;
    expect(next).not.toBe(silenceID);
    expect(((await (await call(getAmSilence, `/api/v2/silence/${silenceID}`, { auth: queryKey })).json()) as Json).status).toEqual({ state: "expired" });

    const del = await call(deleteAmSilence, `/api/v2/silence/${next}`, { method: "DELETE", auth: adminKey });
    expect(del.status).toBe(200);
    expect(((await (await call(getAmSilence, `/api/v2/silence/${next}`, { auth: queryKey })).json()) as Json).status).toEqual({ state: "expired" });
    const again = await call(deleteAmSilence, `/api/v2/silence/${next}`, { method: "DELETE", auth: adminKey });
    expect(again.status).toBe(500);
    expect(await again.json()).toContain("already expired");

    expect((await call(getAmSilence, "/api/v2/silence/00000000-0000-0000-0000-000000000000", { auth: queryKey })).status).toBe(404);
    expect((await call(deleteAmSilence, "/api/v2/silence/00000000-0000-0000-0000-000000000000", { method: "DELETE", auth: adminKey })).status).toBe(404);
    expect((await call(postAmSilences, "/api/v2/silences", { method: "POST", auth: adminKey, body: body({ id: "00000000-0000-0000-0000-000000000000" }) })).status).toBe(404);
    const invalid = await call(postAmSilences, "/api/v2/silences", { method: "POST", auth: adminKey, body: body({ matchers: [] }) });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toContain("at least one matcher");

    // Permissions: a query key reads but may not create or expire.
    expect((await call(postAmSilences, "/api/v2/silences", { method: "POST", auth: queryKey, body: body() })).status).toBe(403);
    expect((await call(deleteAmSilence, `/api/v2/silence/${next}`, { method: "DELETE", auth: queryKey })).status).toBe(403);
    expect((await call(getAmSilences, "/api/v2/silences")).status).toBe(401);
  });
});
