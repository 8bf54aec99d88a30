/**
 * `npm test`: everything, in order — typecheck, lint, unit, integration (real PostgreSQL + Redis),
 * production build, end-to-end (Playwright in Debian's Chromium). Uses DATABASE_URL / REDIS_URL
 * when set; otherwise starts the same embedded PostgreSQL and local redis-server as `npm start`
 * (in their own test data dirs, so a running console is not disturbed).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIsStale } from "./lib/build";
import { dataDir } from "./lib/runtime";
import { REDIS_MISSING, hasRedisServer, unreachableForPostgres, startEmbeddedPostgres, startLocalRedis, type RunningPostgres, type RunningRedis } from "./lib/services";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const results = path.join(root, "test-results");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const say = (s: string) => console.log(`\n[test] ${s}`);

type Step = { name: string; cmd: string; args: string[]; counts?: () => { passed: number; failed: number; skipped: number } };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(127));
  });
}

function vitestCounts(file: string) {
  return () => {
    const r = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  };
}

function playwrightCounts(file: string) {
  return () => {
    const r = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
    return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
  };
}

async function main() {
  const t0 = performance.now();
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  let pgServer: RunningPostgres | null = null;
  let redisServer: RunningRedis | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };
  const dir = dataDir();
  if (!env.DATABASE_URL) {
    // As root in a checkout the postgres user cannot enter (e.g. under /root), keep the throw-away
    // test cluster in the temp dir instead.
    let pgDir = path.join(dir, "test-pg");
    if (unreachableForPostgres(pgDir)) pgDir = path.join(tmpdir(), `lookout-test-pg-${createHash("sha1").update(root).digest("hex").slice(0, 8)}`);
    pgServer = await startEmbeddedPostgres(pgDir, "lookout_test", (s) => console.log(`[test] ${s}`));
    env.DATABASE_URL = pgServer.url;
    say(`embedded PostgreSQL for tests on ${new URL(pgServer.url).port}`);
  }
  if (!env.REDIS_URL) {
    if (!hasRedisServer()) {
      console.error(`[test] ${REDIS_MISSING}`);
      await pgServer?.stop();
      process.exit(1);
    }
    redisServer = await startLocalRedis(path.join(dir, "test-redis"), (s) => console.log(`[test] ${s}`));
    env.REDIS_URL = redisServer.url;
    say(`local redis-server for tests on ${new URL(redisServer.url).port}`);
  }

  const steps: Step[] = [
    { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit"] },
    { name: "lint", cmd: bin("eslint"), args: ["--max-warnings=0", "."] },
    {
      name: "unit",
      cmd: bin("vitest"),
      args: ["run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${results}/unit.json`],
      counts: vitestCounts(`${results}/unit.json`),
    },
    {
      name: "integration",
      cmd: bin("vitest"),
      args: ["run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${results}/integration.json`],
      counts: vitestCounts(`${results}/integration.json`),
    },
    { name: "build", cmd: bin("next"), args: ["build"] },
    { name: "e2e", cmd: bin("playwright"), args: ["test"], counts: playwrightCounts(`${results}/e2e.json`) },
  ];

  const summary: { name: string; ok: boolean; seconds: string; detail: string }[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let buildFailed = false;
  for (const step of steps) {
    if (step.name === "build" && !buildIsStale(root) && !process.env.CI) {
      summary.push({ name: step.name, ok: true, seconds: "0.0", detail: "up to date" });
      continue;
    }
    if (step.name === "e2e" && buildFailed) {
      summary.push({ name: step.name, ok: false, seconds: "0.0", detail: "not run: build failed" });
      failed++;
      continue;
    }
    say(`${step.name}…`);
    const s0 = performance.now();
    const code = await run(step.cmd, step.args, env);
    const seconds = ((performance.now() - s0) / 1000).toFixed(1);
    let detail = code === 0 ? "ok" : `exit ${code}`;
    if (step.counts) {
      try {
        const c = step.counts();
        passed += c.passed;
        failed += c.failed;
        skipped += c.skipped;
        detail = `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`;
        if (code !== 0 && c.failed === 0) failed++; // the runner failed outside any test
      } catch {
        failed++;
        detail = `exit ${code}; no report`;
      }
    } else if (code !== 0) {
      failed++;
    }
    if (step.name === "build" && code !== 0) buildFailed = true;
    summary.push({ name: step.name, ok: code === 0, seconds, detail });
  }

  await redisServer?.stop();
  await pgServer?.stop().catch(() => {});

  const total = ((performance.now() - t0) / 1000).toFixed(1);
  console.log("\n[test] summary");
  for (const s of summary) console.log(`  ${s.ok ? "✓" : "✗"} ${s.name.padEnd(12)} ${s.seconds.padStart(6)} s  ${s.detail}`);
  console.log(`  wall time ${total} s`);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(summary.every((s) => s.ok) && failed === 0 ? 0 : 1);
}

if (!existsSync(bin("tsc"))) {
  console.error("[test] node_modules is missing: run `npm ci` (or `npm install`) first");
  process.exit(1);
}
void main();
