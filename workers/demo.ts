import { env } from "@/env";
import { getDb } from "@/db/client";
import { consoleUrl } from "@/server/demo/config";
import { startDemoWorkload, type DemoWorkload } from "@/server/demo/run";
import { retireDemo } from "@/server/demo/seed";
import { logger } from "@/server/lib/logger";

/**
 * LOOKOUT_DEMO=1 (what `npm start` passes unless told 0): runs the demo workload in this process.
 * LOOKOUT_DEMO=0 (the default elsewhere: tests, e2e, `npm run workers`): retires a demo left by an
 * earlier run. Never throws: the demo must not stop the workers.
 */
export async function startDemoIfEnabled(): Promise<DemoWorkload | null> {
  const e = env();
  try {
    if (e.LOOKOUT_DEMO !== "1") {
      const retired = await retireDemo(getDb());
      if (retired.job || retired.sources.length) logger.info(retired, "demo turned off (LOOKOUT_DEMO=0): its scrape job is disabled, its job and sources are editable again");
      return null;
    }
    return await startDemoWorkload({
      db: getDb(),
      secret: e.LOOKOUT_SECRET,
      consoleUrl: consoleUrl(e),
      bind: e.LOOKOUT_DEMO_BIND,
      port: e.LOOKOUT_DEMO_PORT,
      rate: e.LOOKOUT_DEMO_RATE,
      log: logger,
    });
  } catch (err) {
    logger.error({ err: (err as Error).message }, "demo workload not started");
    return null;
  }
}
