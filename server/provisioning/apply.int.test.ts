import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, logSources, scrapeJobs } from "@/db/schema";
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
