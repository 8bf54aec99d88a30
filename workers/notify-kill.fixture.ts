/**
 * Test fixture (workers/alerting.int.test.ts): a notify worker process that is killed (SIGKILL)
 * right after the receiver answered a delivery, before anything is recorded. Environment:
 * DATABASE_URL, REDIS_URL, BULL_PREFIX; tells its parent `ready` over IPC once it listens.
 */
import { Worker } from "bullmq";
import { getDb } from "@/db/client";
import { postJsonDeliver } from "@/server/alerting/test-deliver";
import { createRedis } from "@/server/lib/redis";
import { createNotifyProcessor } from "./notify";

const processor = createNotifyProcessor({
  notifyDeps: () => ({
    db: getDb(),
    deliver: async (integration, data, ctx) => {
      const result = await postJsonDeliver(integration, data, ctx);
      process.kill(process.pid, "SIGKILL");
      return result;
    },
  }),
});

const worker = new Worker("notify", processor, { connection: createRedis(), prefix: process.env.BULL_PREFIX!, concurrency: 1, lockDuration: 1_500, skipStalledCheck: true });
worker.on("error", () => {});
await worker.waitUntilReady();
process.send?.("ready");
