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
import { scratchDatabase, TEST_ACTOR, type ScratchDatabase } from "@/test/helpers";
import { applyProvisioning, changedAnything } from "./apply";
import { parseProvisioningFile } from "./parse";

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
      notices: ['"rule_files" is accepted but not applied yet: alerting rules are not built yet'],
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
