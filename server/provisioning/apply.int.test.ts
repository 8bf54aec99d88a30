import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, dashboards, folders, logSources, scrapeJobs } from "@/db/schema";
import { uidForPath } from "@/server/dashboards/provision";
import { provisionDashboards } from "@/server/dashboards/service";
import { AppError } from "@/server/lib/errors";
import { createSource, findSourceByName, updateSource } from "@/server/logs/sources";
import { createScrapeJob, deleteScrapeJob, provisionScrapeJobs } from "@/server/metrics/scrape/jobs";
import { selfScrapeConfig } from "@/server/metrics/scrape/self";
import { provisionBuiltinAlerting } from "@/server/alerting/defaults/provision";
import { readNotificationConfig, saveConfig } from "@/server/alerting/notifications-service";
import { deleteRuleGroup, getRule, listRuleGroups, ruleGroupsForEvaluation, saveRuleGroup } from "@/server/alerting/rules-service";
import { createTestUser, scratchDatabase, TEST_ACTOR, testMeta, type ScratchDatabase, type TestUser, expectAppError } from "@/test/helpers";
import { applyProvisioning, changedAnything } from "./apply";
import { loadProvisioningFile, parseProvisioningFile } from "./parse";

const FILE_V1 = `
global:
  scrape_interval: 30s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["node-1:9100", "node-2:9100"]
  - job_name: nginx
    scrape_interval: 15s
    static_configs:
      - targets: ["web-1:9113"]
  - job_name: handmade
    static_configs:
      - targets: ["h:1"]
sources:
  - name: nginx
    hot_days: 14
    archive_days: 90
    pipeline:
      - type: grok
        patterns: ["%{COMBINEDAPACHELOG}"]
      - type: date
        field: timestamp
        formats: ["dd/MMM/yyyy:HH:mm:ss Z"]
  - name: app
    description: the app
    pipeline:
      - type: json
rule_files: [alerts.yml]
`;

/** v1 with: node's interval changed, nginx job and app source gone, a new source, nginx's pipeline changed. */
const FILE_V2 = `
global:
  scrape_interval: 1m
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ["node-1:9100", "node-2:9100"]
  - job_name: handmade
    static_configs:
      - targets: ["h:1"]
sources:
  - name: nginx
    hot_days: 14
    archive_days: 90
    pipeline:
      - type: grok
        patterns: ["%{COMBINEDAPACHELOG}"]
      - type: date
        field: timestamp
        formats: ["dd/MMM/yyyy:HH:mm:ss Z"]
      - type: add
        field: service
        value: nginx
  - name: billing
`;

describe("applying the provisioning file", () => {
  let scratch: ScratchDatabase;
  const audits = async () => scratch.db.select().from(auditLog).where(eq(auditLog.actorName, "provisioning"));

  beforeAll(async () => {
    scratch = await scratchDatabase();
    // Made in the UI before the file existed: a source the file takes over, a job it must not.
    await createSource(scratch.db, TEST_ACTOR, null, { name: "app", description: "old", pipeline: [], hotDays: 3, archiveDays: 3 });
    await createScrapeJob(scratch.db, TEST_ACTOR, null, { config: { job_name: "handmade", static_configs: [{ targets: ["ui:1"] }] } });
    // The workers' built-in job: provisioned, never in the file, never released.
    await provisionScrapeJobs(scratch.db, [selfScrapeConfig({ PORT: 3000 })]);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("creates and takes over on the first run; changes nothing on the second", async () => {
    const plan = parseProvisioningFile(FILE_V1, "v1.yaml");
    const auditsBefore = (await audits()).length;
    const first = await applyProvisioning(scratch.db, plan);
    expect(first).toEqual({
      dryRun: false,
      scrape_jobs: { created: ["node", "nginx"], updated: [], unchanged: [], released: [], skipped: ["handmade"] },
      sources: { created: ["nginx"], updated: ["app"], unchanged: [], released: [] },
      dashboards: { created: [], updated: [], unchanged: [], removed: [], problems: [], warnings: [] },
      // A rule file that is not there does not stop the rest.
      rule_groups: { created: [], updated: [], unchanged: [], removed: [], problems: [`line 29: rule_files[0]: ${path.resolve("alerts.yml")}: cannot read: not found`], warnings: [] },
      alertmanager: "none",
      notices: [],
    });

    const node = (await scratch.db.select().from(scrapeJobs).where(eq(scrapeJobs.name, "node")))[0]!;
    expect(node.provisioned).toBe(true);
    // The file's global interval is written into the job.
    expect(node.config).toMatchObject({ scrape_interval: "30s", scrape_timeout: "10s" });
    const handmade = (await scratch.db.select().from(scrapeJobs).where(eq(scrapeJobs.name, "handmade")))[0]!;
    expect(handmade).toMatchObject({ provisioned: false, config: { static_configs: [{ targets: ["ui:1"] }] } });
    const app = (await findSourceByName(scratch.db, "app"))!;
    expect(app).toMatchObject({ provisioned: true, description: "the app", hotDays: 7, archiveDays: 30, pipeline: [{ type: "json", field: "message", required: true }] });

    const created = await audits();
    expect(created.length - auditsBefore).toBe(4);
    expect(created.map((a) => `${a.action} ${a.targetName}`).sort()).toEqual(
      expect.arrayContaining(["scrape_job.create node", "scrape_job.create nginx", "source.create nginx", "source.update app"]),
    );
    expect(created.every((a) => a.actorType === "system" && a.actorId === null)).toBe(true);

    const second = await applyProvisioning(scratch.db, parseProvisioningFile(FILE_V1, "v1.yaml"));
    expect(second.scrape_jobs).toEqual({ created: [], updated: [], unchanged: ["node", "nginx"], released: [], skipped: ["handmade"] });
    expect(second.sources).toEqual({ created: [], updated: [], unchanged: ["nginx", "app"], released: [] });
    expect(changedAnything(second)).toBe(false);
    expect((await audits()).length).toBe(created.length);
  });

  it("refuses UI edits of provisioned objects, on the server", async () => {
    const nginx = (await findSourceByName(scratch.db, "nginx"))!;
    const err = await updateSource(scratch.db, TEST_ACTOR, null, nginx.id, { name: "nginx", pipeline: [], hotDays: 1, archiveDays: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "FORBIDDEN", userMessage: 'Source "nginx" is managed by the provisioning file: change it there' });
    const job = (await scratch.db.select().from(scrapeJobs).where(eq(scrapeJobs.name, "nginx")))[0]!;
    await expect(deleteScrapeJob(scratch.db, TEST_ACTOR, null, job.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a dry run reports what would change and writes nothing", async () => {
    const auditsBefore = (await audits()).length;
    const rowsBefore = await scratch.db.select().from(logSources);
    const dry = await applyProvisioning(scratch.db, parseProvisioningFile(FILE_V2, "v2.yaml"), { dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      scrape_jobs: { created: [], updated: ["node"], unchanged: [], released: ["nginx"], skipped: ["handmade"] },
      sources: { created: ["billing"], updated: ["nginx"], unchanged: [], released: ["app"] },
    });
    expect(await scratch.db.select().from(logSources)).toEqual(rowsBefore);
    expect((await audits()).length).toBe(auditsBefore);
  });

  it("applies a changed file: updates, creates, and releases what left the file", async () => {
    const auditsBefore = (await audits()).length;
    const result = await applyProvisioning(scratch.db, parseProvisioningFile(FILE_V2, "v2.yaml"));
    expect(result.scrape_jobs).toEqual({ created: [], updated: ["node"], unchanged: [], released: ["nginx"], skipped: ["handmade"] });
    expect(result.sources).toEqual({ created: ["billing"], updated: ["nginx"], unchanged: [], released: ["app"] });
    expect(result.notices).toEqual([]);

    const jobs = Object.fromEntries((await scratch.db.select().from(scrapeJobs)).map((j) => [j.name, j]));
    expect(jobs.node!.config).toMatchObject({ scrape_interval: "1m" });
    // Released: kept as it was, editable again; the built-in job stays provisioned.
    expect(jobs.nginx).toMatchObject({ provisioned: false, config: { scrape_interval: "15s" } });
    expect(jobs.lookout!.provisioned).toBe(true);
    const app = (await findSourceByName(scratch.db, "app"))!;
    expect(app).toMatchObject({ provisioned: false, description: "the app" });
    await updateSource(scratch.db, TEST_ACTOR, null, app.id, { name: "app", pipeline: [], hotDays: 2, archiveDays: 2 });
    expect((await findSourceByName(scratch.db, "nginx"))!.pipeline).toHaveLength(3);
    expect((await findSourceByName(scratch.db, "billing"))!).toMatchObject({ provisioned: true, pipeline: [], hotDays: 7, archiveDays: 30 });

    const changes = (await audits()).slice(auditsBefore);
    expect(changes.map((a) => `${a.action} ${a.targetName}`).sort()).toEqual(["scrape_job.update nginx", "scrape_job.update node", "source.create billing", "source.update app", "source.update nginx"]);
    expect(changes.find((a) => a.targetName === "app")!.details).toMatchObject({ provisioned: false, reason: "no longer in the provisioning file" });

    const again = await applyProvisioning(scratch.db, parseProvisioningFile(FILE_V2, "v2.yaml"));
    expect(changedAnything(again)).toBe(false);
    expect((await audits()).length).toBe(auditsBefore + changes.length);
  });

  it("processes applying together take turns: one changes, the others find it done", async () => {
    const file = (interval: string) => `scrape_configs:\n  - job_name: racer\n    scrape_interval: ${interval}\n    static_configs: [{targets: ["r:1"]}]\nsources:\n  - name: racer\n    hot_days: ${parseInt(interval)}\n`;
    const together = (text: string) => Promise.all([1, 2, 3].map(() => applyProvisioning(scratch.db, parseProvisioningFile(text, "race.yaml"))));
    const created = await together(file("20s"));
    expect(created.flatMap((r) => [...r.scrape_jobs.created, ...r.sources.created])).toEqual(["racer", "racer"]);
    // Updates too: without the lock each would read the old row and write (and audit) again.
    const updated = await together(file("25s"));
    expect(updated.flatMap((r) => [...r.scrape_jobs.updated, ...r.sources.updated])).toEqual(["racer", "racer"]);
    expect(updated.flatMap((r) => r.scrape_jobs.unchanged).filter((n) => n === "racer")).toHaveLength(2);
    expect(await scratch.db.select().from(auditLog).where(eq(auditLog.targetName, "racer"))).toHaveLength(4);
  });
});

describe("provisioning dashboards from files", () => {
  let scratch: ScratchDatabase;
  let dir: string;
  const dash = (title: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ schemaVersion: 1, title, variables: [], panels: [{ id: 1, type: "text", title: "Notes", gridPos: { x: 0, y: 0, w: 12, h: 4 } }], ...extra });
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const rows = async () => Object.fromEntries((await scratch.db.select().from(dashboards)).map((d) => [d.uid, d]));
  const yaml = (entries: string[]) => `dashboards:\n${entries.map((e) => `  - ${e}`).join("\n")}\n`;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-dash-prov-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await scratch?.drop();
  });

  it("applies files and directories, reports broken files with their line, is idempotent, and removes what left", async () => {
    const node = file("node.json", dash("Node", { uid: "node-x" }));
    const a = file("dir/a.json", dash("A from dir"));
    const b = file("dir/Team/b.json", dash("B in team", { uid: "team-b" }));
    file("broken.json", "{ not json");
    // Grafana's API export ({dashboard, meta}) is unwrapped.
    file("wrapped.json", JSON.stringify({ meta: { slug: "w" }, dashboard: JSON.parse(dash("Wrapped", { uid: "wrapped" })) }));
    const cfg = path.join(dir, "lookout.yaml");
    const text = yaml(["node.json", "dir", "broken.json", "missing.json", "{path: wrapped.json, folder: Wrapped}"]);

    // A dry run writes nothing.
    const dry = await applyProvisioning(scratch.db, parseProvisioningFile(text, cfg), { dryRun: true });
    expect(dry.dashboards.created).toHaveLength(4);
    expect(await scratch.db.select().from(dashboards)).toEqual([]);

    const first = await applyProvisioning(scratch.db, parseProvisioningFile(text, cfg));
    expect(first.dashboards.created.sort()).toEqual(["node-x", "team-b", uidForPath(a), "wrapped"].sort());
    expect(first.dashboards.problems).toEqual([
      expect.stringMatching(new RegExp(`^line 4: dashboards\\[2\\]: ${path.join(dir, "broken.json").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not JSON: `)),
      `line 5: dashboards[3]: ${path.join(dir, "missing.json")}: not found`,
    ]);
    let byUid = await rows();
    expect(byUid["node-x"]).toMatchObject({ title: "Node", provisionedFrom: node, folderId: null, version: 1 });
    const team = (await scratch.db.select().from(folders).where(eq(folders.title, "Team")))[0]!;
    expect(team.provisioned).toBe(true);
    expect(byUid["team-b"]).toMatchObject({ provisionedFrom: b, folderId: team.id });
    const wrappedFolder = (await scratch.db.select().from(folders).where(eq(folders.title, "Wrapped")))[0]!;
    expect(byUid.wrapped!.folderId).toBe(wrappedFolder.id);

    const second = await applyProvisioning(scratch.db, parseProvisioningFile(text, cfg));
    expect(second.dashboards).toMatchObject({ created: [], updated: [], removed: [] });
    expect(second.dashboards.unchanged).toHaveLength(4);
    expect(changedAnything(second)).toBe(false);

    // node.json changes, a.json goes, b.json breaks (kept as it was, not removed).
    writeFileSync(node, dash("Node v2", { uid: "node-x" }));
    unlinkSync(a);
    writeFileSync(b, "[]");
    const third = await applyProvisioning(scratch.db, parseProvisioningFile(text, cfg));
    expect(third.dashboards.updated).toEqual(["node-x"]);
    expect(third.dashboards.removed).toEqual([uidForPath(a)]);
    expect(third.dashboards.problems).toContainEqual(`line 3: dashboards[1]: ${b}: A dashboard must be a JSON object.`);
    byUid = await rows();
    expect(byUid["node-x"]).toMatchObject({ title: "Node v2", version: 2 });
    expect(byUid["team-b"]).toMatchObject({ title: "B in team", version: 1 });

    // The file no longer lists the directory: its dashboards go; dashboards of other origins stay.
    await provisionDashboards(scratch.db, [{ uid: "builtin-1", json: JSON.parse(dash("Built in")), source: "builtin" }]);
    const fourth = await applyProvisioning(scratch.db, parseProvisioningFile(yaml(["node.json"]), cfg));
    expect(fourth.dashboards.removed.sort()).toEqual(["team-b", "wrapped"]);
    expect(Object.keys(await rows()).sort()).toEqual(["builtin-1", "node-x"]);
    const removals = await scratch.db.select().from(auditLog).where(eq(auditLog.action, "dashboard.delete"));
    expect(removals.map((r) => r.targetId).sort()).toEqual([uidForPath(a), "team-b", "wrapped"].sort());
    expect(removals.every((r) => r.actorName === "provisioning")).toBe(true);
  });
});

describe("provisioning alert rules and the notification configuration", () => {
  let scratch: ScratchDatabase;
  let dir: string;
  let cfg: string;
  let editor: TestUser;
  let admin: TestUser;
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const apply = (text: string, opts: { dryRun?: boolean } = {}) => applyProvisioning(scratch.db, parseProvisioningFile(text, cfg), opts);
  const groups = async () => Object.fromEntries((await listRuleGroups(scratch.db, admin.principal)).map((g) => [`${g.folderTitle ?? "General"}/${g.name}`, g]));
  const provisioningAudits = async () => (await scratch.db.select().from(auditLog).where(eq(auditLog.actorName, "provisioning"))).length;

  const NODE_RULES = "groups:\n  - name: node\n    rules:\n      - alert: NodeDown\n        expr: up{job=\"node\"} == 0\n        for: 1m\n        labels: {severity: critical}\n";
  const HTTP_RULES = [
    "groups:", //                           1
    "  - name: http", //                    2
    "    interval: 30s", //                 3
    "    rules:", //                        4
    "      - alert: HighErrorRate", //      5
    "        expr: sum by (job) (rate(http_requests_total{status=~\"5..\"}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05",
    "      - record: job:requests:rate5m", // 7
    "        expr: sum by (job) (rate(http_requests_total[5m]))",
    "",
  ].join("\n");
  const TEAM_RULES = "groups:\n  - name: team\n    rules:\n      - alert: QueueBacklog\n        expr: shop_queue_depth > 100\n";
  const BROKEN_RULES = ["groups:", "  - name: broken", "    rules:", "      - alert: Broken", "        expr: rate(up[5m]) >", ""].join("\n");
  const FILE = [
    "global:", //                           1
    "  evaluation_interval: 20s", //        2
    "rule_files:", //                       3
    "  - rules/*.yml", //                   4
    "  - path: team.yml", //                5
    "    folder: Team",
    "  - broken.yml", //                    7
    "groups:", //                           8
    "  - name: inline", //                  9
    "    rules:",
    "      - alert: InlineDown",
    "        expr: up == 0",
    "alertmanager:",
    "  route:",
    "    receiver: hook",
    "    group_by: [alertname]",
    "  receivers:",
    "    - name: hook",
    "      webhook_configs:",
    "        - url: http://127.0.0.1:9099/alerts",
    "",
  ].join("\n");

  beforeAll(async () => {
    scratch = await scratchDatabase();
    dir = mkdtempSync(path.join(tmpdir(), "lookout-rules-prov-"));
    cfg = path.join(dir, "lookout.yaml");
    editor = await createTestUser("Editor", { db: scratch.db });
    admin = await createTestUser("Admin", { db: scratch.db });
    write("rules/node.yml", NODE_RULES);
    write("rules/http.yml", HTTP_RULES);
    write("rules/notes.txt", "not a rule file: the glob does not take it");
    write("team.yml", TEAM_RULES);
    write("broken.yml", BROKEN_RULES);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await scratch?.drop();
  });

  it("applies rule files (globs, folders), inline groups and alertmanager; reports a broken file with its lines and applies the rest", async () => {
    // A dry run writes nothing.
    const dry = await apply(FILE, { dryRun: true });
    expect(dry.rule_groups.created.sort()).toEqual(["General/http", "General/inline", "General/node", "Team/team"]);
    expect(dry.alertmanager).toBe("created");
    expect(await groups()).toEqual({});
    expect((await readNotificationConfig(scratch.db)).version).toBe(0);

    const first = await apply(FILE);
    expect(first.rule_groups).toEqual({
      created: expect.arrayContaining(["General/http", "General/inline", "General/node", "Team/team"]),
      updated: [],
      unchanged: [],
      removed: [],
      problems: [`line 7: rule_files[2]: ${path.join(dir, "broken.yml")}: line 5: groups[0].rules[0].expr: 1:15: parse error: unexpected end of input`],
      warnings: [`line 4: rule_files[0]: ${path.join(dir, "rules/http.yml")}: line 7: groups[0].rules[1]: recording rule "job:requests:rate5m" is not imported: Lookout evaluates alerting rules only`],
    });
    expect(first.rule_groups.created).toHaveLength(4);
    expect(first.alertmanager).toBe("created");
    expect(first.notices).toEqual([]);

    const byName = await groups();
    // Each group's source is its file; the inline ones', the provisioning file; no interval: global.evaluation_interval.
    expect(byName["General/node"]).toMatchObject({ provisioned: true, provisionedFrom: path.join(dir, "rules/node.yml"), interval: "20s", canEdit: false });
    expect(byName["General/http"]).toMatchObject({ provisionedFrom: path.join(dir, "rules/http.yml"), interval: "30s" });
    expect(byName["General/http"]!.rules.map((r) => r.title)).toEqual(["HighErrorRate"]);
    expect(byName["General/inline"]).toMatchObject({ provisionedFrom: cfg, interval: "20s" });
    expect(byName["Team/team"]).toMatchObject({ provisionedFrom: path.join(dir, "team.yml") });
    const rule = byName["General/node"]!.rules[0]!;
    expect(rule).toMatchObject({ title: "NodeDown", labels: { severity: "critical" } });
    expect((await getRule(scratch.db, admin.principal, rule.uid)).rule).toMatchObject({ query: { kind: "promql", expr: 'up{job="node"} == 0' }, for: "1m", noDataState: "OK", execErrState: "KeepLast" });
    // The evaluator schedules them like any group.
    expect((await ruleGroupsForEvaluation(scratch.db)).map((g) => g.name).sort()).toEqual(["http", "inline", "node", "team"]);

    const config = await readNotificationConfig(scratch.db);
    expect(config).toMatchObject({ version: 1, provisioned: true, config: { route: { receiver: "hook", group_by: ["alertname"] }, receivers: [{ name: "hook", webhook_configs: [{ url: "http://127.0.0.1:9099/alerts" }] }] } });

    // Read-only in the console, on the server.
    const group = byName["General/node"]!;
    expect(await expectAppError(saveRuleGroup(scratch.db, editor.principal, testMeta(), { id: group.id, group: { name: "node", folderUid: null, rules: [] } }), "FORBIDDEN")).toMatchObject({ userMessage: expect.stringContaining(`provisioned from ${path.join(dir, "rules/node.yml")}`) });
    await expectAppError(deleteRuleGroup(scratch.db, editor.principal, testMeta(), group.id), "FORBIDDEN");
    await expectAppError(saveConfig(scratch.db, admin.principal, testMeta(), { config: { route: { receiver: "x" }, receivers: [{ name: "x" }] }, version: 1 }), "FORBIDDEN");

    // Idempotent: nothing changes, nothing is audited.
    const audits = await provisioningAudits();
    const second = await apply(FILE);
    expect(second.rule_groups).toMatchObject({ created: [], updated: [], removed: [] });
    expect(second.rule_groups.unchanged).toHaveLength(4);
    expect(second.rule_groups.problems).toHaveLength(1);
    expect(second.alertmanager).toBe("unchanged");
    expect(changedAnything(second)).toBe(false);
    expect(await provisioningAudits()).toBe(audits);
    expect((await readNotificationConfig(scratch.db)).version).toBe(1);
  });

  it("follows the files: a rule file gone from the glob takes its group, a fixed one comes in, a newly broken one keeps its groups; without alertmanager the configuration is released", async () => {
    unlinkSync(path.join(dir, "rules/http.yml"));
    write("broken.yml", BROKEN_RULES.replace("rate(up[5m]) >", "rate(up[5m]) > 1"));
    write("team.yml", "groups:\n  - name: team\n    rules:\n      - alert: QueueBacklog\n        expr: shop_queue_depth >\n");
    const inlineBefore = (await groups())["General/inline"]!;
    const file = FILE.replace("expr: up == 0", "expr: up == 0\n        for: 2m").replace(/alertmanager:[\s\S]*$/, "");

    const r = await apply(file);
    expect(r.rule_groups).toMatchObject({ created: ["General/broken"], updated: ["General/inline"], removed: ["General/http"] });
    expect(r.rule_groups.unchanged.sort()).toEqual(["General/node"]);
    expect(r.rule_groups.problems).toEqual([`line 5: rule_files[1]: ${path.join(dir, "team.yml")}: line 5: groups[0].rules[0].expr: 1:19: parse error: unexpected end of input`]);
    expect(r.alertmanager).toBe("released");

    const byName = await groups();
    // The broken team.yml's group stays as it was.
    expect(byName["Team/team"]!.rules.map((x) => x.title)).toEqual(["QueueBacklog"]);
    expect(byName["General/http"]).toBeUndefined();
    // The rule kept its uid.
    expect(byName["General/inline"]!.rules[0]!.uid).toBe(inlineBefore.rules[0]!.uid);
    expect((await getRule(scratch.db, admin.principal, inlineBefore.rules[0]!.uid)).rule.for).toBe("2m");

    // Released: kept as it was, editable in the console again.
    const released = await readNotificationConfig(scratch.db);
    expect(released).toMatchObject({ provisioned: false, version: 1, config: { route: { receiver: "hook" } } });
    await saveConfig(scratch.db, admin.principal, testMeta(), { config: { ...released.config, route: { receiver: "hook", group_by: ["alertname", "job"] } }, version: 1 });
    expect(await apply(file)).toMatchObject({ alertmanager: "none" });
    expect((await readNotificationConfig(scratch.db)).config.route.group_by).toEqual(["alertname", "job"]);

    const removals = await scratch.db.select().from(auditLog).where(eq(auditLog.action, "alert_rule_group.delete"));
    expect(removals.map((a) => `${a.targetName} ${a.actorName}`)).toEqual(["http provisioning"]);
  });

  it("refuses a group name that is taken (console, built-in, another file) without taking it over", async () => {
    // A console group, the demo's built-in group, and the same name from two places of the file.
    await saveRuleGroup(scratch.db, editor.principal, testMeta(), { group: { name: "mine", folderUid: null, rules: [] } });
    const builtin = await provisionBuiltinAlerting(scratch.db, { demo: true });
    expect(builtin.rules.created).toEqual(["Lookout/Lookout", "Lookout/Demo shop"]);
    write("clash.yml", "groups:\n  - name: mine\n    rules: []\n  - name: inline\n    rules: []\n");
    write("demo.yml", "groups:\n  - name: Demo shop\n    rules: []\n");
    const file = ["rule_files:", "  - clash.yml", "  - {path: demo.yml, folder: lookout}", "groups:", "  - name: inline", "    rules: []", ""].join("\n");

    const r = await apply(file);
    expect(r.rule_groups.problems.sort()).toEqual(
      [
        `line 2: rule_files[0]: ${path.join(dir, "clash.yml")}: group "inline": the folder "General" already gets a rule group of this name from ${cfg}; group names must be unique in a folder`,
        `line 2: rule_files[0]: ${path.join(dir, "clash.yml")}: group "mine": the folder General already has a rule group "mine" made in the console; rename one of them`,
        `line 3: rule_files[1]: ${path.join(dir, "demo.yml")}: group "Demo shop": the folder "lookout" already has a built-in rule group of this name (builtin:demo); rename one of them`,
      ].sort(),
    );
    // Every other provisioned group (files no longer listed) is removed; the console's and the built-in one stay.
    expect(r.rule_groups.removed.sort()).toEqual(["General/broken", "General/node", "Team/team"]);
    const byName = await groups();
    expect(Object.keys(byName).sort()).toEqual(["General/inline", "General/mine", "Lookout/Demo shop", "Lookout/Lookout"]);
    expect(byName["General/mine"]!.provisioned).toBe(false);
    expect(byName["Lookout/Demo shop"]!.provisionedFrom).toBe("builtin:demo");
    expect(byName["General/inline"]!.rules).toEqual([]);

    // A file without any alerting section removes what the file provisioned, nothing else.
    const none = await apply("scrape_configs: []\n");
    expect(none.rule_groups.removed).toEqual(["General/inline"]);
    expect(Object.keys(await groups()).sort()).toEqual(["General/mine", "Lookout/Demo shop", "Lookout/Lookout"]);
  });
});

describe("the built-in alerting", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await scratchDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("provisions the demo's rules with the demo and removes them without; stores the default notification configuration once", async () => {
    const first = await provisionBuiltinAlerting(scratch.db, { demo: true });
    expect(first).toMatchObject({ rules: { created: ["Lookout/Lookout", "Lookout/Demo shop"], problems: [] }, notificationConfig: "created" });
    const stored = await readNotificationConfig(scratch.db);
    expect(stored).toMatchObject({ version: 1, provisioned: false, config: { route: { receiver: "default" }, receivers: [{ name: "default" }] } });
    expect(stored.config.receivers[0]).toEqual({ name: "default" });
    const group = (await ruleGroupsForEvaluation(scratch.db)).find((g) => g.name === "Demo shop");
    expect(group).toMatchObject({ name: "Demo shop", folderTitle: "Lookout", intervalMs: 30_000 });
    expect(group!.rules.map((r) => r.uid)).toEqual(["demo-checkout-error-rate", "demo-payment-latency-p99"]);

    // Several workers starting together: the first stores, the others find it.
    const again = await Promise.all([1, 2, 3].map(() => provisionBuiltinAlerting(scratch.db, { demo: true })));
    expect(again.map((a) => a.notificationConfig)).toEqual(["exists", "exists", "exists"]);
    expect(again[0]!.rules).toMatchObject({ created: [], updated: [], unchanged: ["Lookout/Lookout", "Lookout/Demo shop"] });
    expect((await readNotificationConfig(scratch.db)).version).toBe(1);

    // The provisioning file leaves the demo's group alone.
    expect((await applyProvisioning(scratch.db, parseProvisioningFile("groups: []\n", "/etc/lookout.yaml"))).rule_groups.removed).toEqual([]);

    // LOOKOUT_DEMO=0: the demo's group goes (Lookout's own stays); a saved configuration is never replaced.
    const off = await provisionBuiltinAlerting(scratch.db, { demo: false });
    expect(off).toMatchObject({ rules: { removed: ["Lookout/Demo shop"] }, notificationConfig: "exists" });
    expect((await ruleGroupsForEvaluation(scratch.db)).map((g) => g.name)).toEqual(["Lookout"]);
  });
});

describe("the example provisioning file", () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await scratchDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("examples/lookout.yaml applies cleanly, and again without a change", async () => {
    const file = path.resolve("examples/lookout.yaml");
    const plan = await loadProvisioningFile(file);
    const first = await applyProvisioning(scratch.db, plan);
    expect(first).toMatchObject({
      scrape_jobs: { created: ["node", "nginx"], skipped: [] },
      sources: { created: ["nginx"] },
      dashboards: { problems: [], warnings: [] },
      rule_groups: { created: ["General/http", "General/node"], problems: [], warnings: [] },
      alertmanager: "created",
      notices: [],
    });
    const rules = await ruleGroupsForEvaluation(scratch.db);
    expect(rules.flatMap((g) => g.rules.map((r) => `${g.name}/${r.title}/${r.labels.severity}`))).toEqual([
      "http/HighErrorRate/critical",
      "node/HighMemoryUsage/warning",
      "node/HighMemoryUsage/critical",
      "node/DiskWillFillIn4Hours/warning",
    ]);
    expect(rules.map((g) => g.intervalMs)).toEqual([30_000, 60_000]);
    const config = await readNotificationConfig(scratch.db);
    expect(config.provisioned).toBe(true);
    expect(config.config.receivers.map((r) => r.name)).toEqual(["team-webhook", "oncall-email"]);

    const again = await applyProvisioning(scratch.db, await loadProvisioningFile(file));
    expect(changedAnything(again)).toBe(false);
    expect(again.rule_groups.unchanged).toEqual(["General/http", "General/node"]);
  });
});
