/**
 * Playwright's web server: the production web server + workers on a throw-away database and Redis
 * prefix, with the e2e admin seeded. On SIGTERM it stops them and drops the database.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startThrowawayStack } from "@/scripts/lib/stack";
import { seedFoundation } from "@/server/setup/seed";
import { E2E_ADMIN } from "./fixtures/accounts";
import { STACK_INFO, type StackInfo } from "./fixtures/stack-info";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT || 3100);

async function main() {
  const archiveDir = mkdtempSync(path.join(tmpdir(), "lookout-e2e-archive-"));
  const stack = await startThrowawayStack({
    root,
    port,
    label: "e2e",
    seed: async (db) => {
      await seedFoundation(db, { adminEmail: E2E_ADMIN.email, adminPassword: E2E_ADMIN.password });
    },
    env: { LOOKOUT_SYSLOG_PORT: "0", LOOKOUT_CONFIG: path.join(root, "e2e/fixtures/lookout.yaml"), LOOKOUT_ARCHIVE_DIR: archiveDir },
  });
  mkdirSync(path.dirname(STACK_INFO), { recursive: true });
  writeFileSync(STACK_INFO, JSON.stringify({ databaseUrl: stack.databaseUrl, archiveDir } satisfies StackInfo));
  // Playwright signals the whole process group, so the app exits on its own too: whichever comes
  // first, the clean-up runs once and to the end before we exit.
  let exiting = false;
  const stop = async (code: number) => {
    if (exiting) return;
    exiting = true;
    await stack.stop();
    rmSync(archiveDir, { recursive: true, force: true });
    rmSync(STACK_INFO, { force: true });
    process.exit(code);
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  void stack.app.exited.then((why) => {
    console.error(`[e2e] ${why}`);
    void stop(1);
  });
  console.log(`[e2e] ready on ${stack.url} (database ${new URL(stack.databaseUrl).pathname.slice(1)})`);
}

main().catch((e) => {
  console.error(`[e2e] server failed: ${(e as Error).message}`);
  process.exit(1);
});
