/**
 * Test fixture (server/retention/retention.int.test.ts): a retention run in its own process that
 * tells its parent over IPC when it has archived a day (object written and verified, row
 * upserted, leaf not dropped, transaction open) and then waits to be killed (SIGKILL).
 * Environment: DATABASE_URL (the scratch database), ARCHIVE_DIR, RUN_NOW (epoch ms).
 */
import { getDb } from "@/db/client";
import { LocalObjectStore } from "@/server/archive/object-store";
import { runRetention } from "./run";

await runRetention({
  db: getDb(),
  store: new LocalObjectStore(process.env.ARCHIVE_DIR!),
  now: Number(process.env.RUN_NOW),
  trigger: "manual",
  actor: "kill-fixture",
  hooks: {
    afterArchive: async (item) => {
      process.send?.({ type: "archived", item });
      await new Promise<never>(() => {});
    },
  },
});
process.send?.({ type: "finished" });
