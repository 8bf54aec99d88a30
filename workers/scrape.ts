import { UnrecoverableError, type Job } from "bullmq";
import { env } from "@/env";
import { getDb } from "@/db/client";
import { logger } from "@/server/lib/logger";
import { metrics } from "@/server/lib/metrics";
import { provisionScrapeJobs } from "@/server/metrics/scrape/jobs";
import { selfScrapeConfig, selfScrapeHeaders } from "@/server/metrics/scrape/self";
import { markSeriesStale, reconcileScrapeTargets, runScrapeTarget, type ScrapeDeps } from "@/server/metrics/scrape/service";
import { sharedSeriesResolver } from "@/server/metrics/store/series-resolver";
import { scrapeSchedulers } from "@/server/queues/schedulers";
import { QUEUES } from "@/server/queues/registry";
import { metricsRawRetentionMs } from "@/server/retention/settings";

function deps(): ScrapeDeps {
  const e = env();
  return {
    db: getDb(),
    resolver: sharedSeriesResolver(),
    fetch: (url, init) => fetch(url, init),
    headersFor: (job, url) => selfScrapeHeaders(job, url, e),
    minTimestamp: async () => Date.now() - (await metricsRawRetentionMs(getDb())),
  };
}

export async function processScrape(job: Job): Promise<unknown> {
  const parsed = QUEUES.scrape.payload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
  const p = parsed.data;
  switch (p.kind) {
    case "scrape": {
      // The job id is unique per scheduled run and kept across retries: one batch per run.
      const outcome = await runScrapeTarget(deps(), p, job.id ?? `${p.url}:${job.timestamp}`);
      if (outcome.status === "scraped") {
        const m = metrics();
        m.scrapesTotal.inc({ job: outcome.job, result: outcome.up ? "up" : "down" });
        if (outcome.stored) m.scrapeSamples.inc({ job: outcome.job }, outcome.stored);
      }
      return outcome;
    }
    case "reconcile":
      return reconcileScrapeTargets(deps(), scrapeSchedulers());
    case "stale":
      return { stale: await markSeriesStale(getDb(), sharedSeriesResolver(), p.seriesIds, p.atMs, p.batchId) };
  }
}

/**
 * At worker start: the built-in `lookout` job (the console scraping its own /metrics) is
 * provisioned, then the schedulers are reconciled with the jobs.
 */
export async function startScraping(): Promise<void> {
  const provisioned = await provisionScrapeJobs(getDb(), [selfScrapeConfig(env())]);
  if (provisioned.skipped.length) logger.warn({ jobs: provisioned.skipped }, "scrape jobs of these names exist and are not provisioned; left as they are");
  const result = await reconcileScrapeTargets(deps(), scrapeSchedulers());
  logger.info(result, "scrape targets reconciled");
}
