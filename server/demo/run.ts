/**
 * The demo workload in a running process (the workers, with LOOKOUT_DEMO=1): starts the demo
 * app (/metrics), provisions the demo (seed.ts), backfills the last two hours of logs on the first
 * run, then every tick simulates the traffic since the last one, counts it in the metrics and
 * ships its logs to the console through the ordinary ingest endpoint. The process that binds the
 * demo port runs it (a second workers process on the same host finds the port taken and skips).
 */
import type { Db } from "@/db/client";
import { renderLogs, DEMO_APP_SOURCE, DEMO_NGINX_SOURCE, type DemoLogs } from "./render";
import { seedDemo, type DemoSeed } from "./seed";
import { startDemoApp } from "./app";
import { LogShipper, type FlushOutcome, type ShipperOptions } from "./shipper";
import { ShopMetrics } from "./shop-metrics";
import { ShopSimulator, type ShopRequest } from "./simulate";

type Log = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

export interface DemoWorkloadOptions {
  db: Db;
  /** LOOKOUT_SECRET: the demo's ingest key is derived from it. */
  secret: string | undefined;
  /** Where the console takes logs (`http://127.0.0.1:3000`). */
  consoleUrl: string;
  bind: string;
  port: number;
  /** Average simulated requests per second. */
  rate: number;
  log: Log;
  /** Simulation seed (default: the start time). */
  seed?: number;
  /** How often traffic is simulated and shipped (default 1.5 s; 0: only when `tick()` is called). */
  tickMs?: number;
  /** First run: how far back to write logs (default 2 h), at most `backfillMaxEvents` (default 20,000). */
  backfillMs?: number;
  backfillMaxEvents?: number;
  fetch?: ShipperOptions["fetch"];
  onSent?: ShipperOptions["onSent"];
  processMetrics?: boolean;
  now?: () => number;
}

export interface DemoWorkload {
  port: number;
  seed: DemoSeed;
  /** Events the backfill queued, per source (0 unless first run). */
  backfilled: { nginx: number; app: number };
  /** Simulates up to now and ships what is buffered. */
  tick: () => Promise<FlushOutcome | null>;
  close: () => Promise<void>;
}

export const BACKFILL_MS = 2 * 3_600_000;
export const BACKFILL_MAX_EVENTS = 20_000;

/** The newest of `requests` whose logs fit in `maxEvents` lines, rendered. */
export function boundedBackfill(requests: readonly ShopRequest[], maxEvents: number): DemoLogs & { from: number | null } {
  let lines = 0;
  let first = requests.length;
  for (let i = requests.length - 1; i >= 0; i--) {
    const n = 2 + (requests[i]!.payment ? 1 : 0);
    if (lines + n > maxEvents) break;
    lines += n;
    first = i;
  }
  const kept = requests.slice(first);
  return { ...renderLogs(kept), from: kept[0]?.ts ?? null };
}

/** A target host the scraper can reach: the bind address, or loopback for a wildcard bind. */
function scrapeHost(bind: string): string {
  return bind === "0.0.0.0" || bind === "::" || bind === "" ? "127.0.0.1" : bind;
}

export async function startDemoWorkload(opts: DemoWorkloadOptions): Promise<DemoWorkload | null> {
  const now = opts.now ?? Date.now;
  const metrics = new ShopMetrics({ processMetrics: opts.processMetrics });
  let app;
  try {
    app = await startDemoApp({ host: opts.bind, port: opts.port, metrics });
  } catch (e) {
    opts.log.warn({ err: (e as Error).message, port: opts.port }, "demo app not started (port taken: another workers process runs the demo?)");
    return null;
  }
  let seed: DemoSeed;
  try {
    seed = await seedDemo(opts.db, { secret: opts.secret, target: { host: scrapeHost(opts.bind), port: app.port } });
  } catch (e) {
    await app.close();
    throw e;
  }
  if (seed.scrapeJobSkipped) opts.log.warn({ job: "demo" }, "a scrape job named demo was made in the UI; the demo's job is not provisioned");
  if (seed.hostJobSkipped) opts.log.warn({ job: "host" }, "a scrape job named host was made in the UI; the host metrics job is not provisioned");
  if (!seed.key) opts.log.warn({ reason: seed.keyState }, "demo logs are not shipped (no usable demo ingest key); /metrics still runs");

  // Warnings once a minute at most per kind, so a console that is down for a while does not flood the log.
  const lastWarned = new Map<string, number>();
  const shipper = seed.key
    ? new LogShipper({
        baseUrl: opts.consoleUrl,
        key: seed.key,
        fetch: opts.fetch,
        onSent: opts.onSent,
        onProblem: (what, details) => {
          const t = now();
          if (t - (lastWarned.get(what) ?? 0) < 60_000) return;
          lastWarned.set(what, t);
          opts.log.warn(details, what);
        },
      })
    : null;

  const started = now();
  const sim = new ShopSimulator({ seed: opts.seed ?? started, rate: opts.rate });
  const backfilled = { nginx: 0, app: 0 };
  if (seed.firstRun && shipper) {
    const past = new ShopSimulator({ seed: (opts.seed ?? started) ^ 0x5eed, rate: opts.rate });
    const logs = boundedBackfill(past.advance(started - (opts.backfillMs ?? BACKFILL_MS), started), opts.backfillMaxEvents ?? BACKFILL_MAX_EVENTS);
    shipper.push(DEMO_NGINX_SOURCE, logs.nginx);
    shipper.push(DEMO_APP_SOURCE, logs.app);
    backfilled.nginx = logs.nginx.length;
    backfilled.app = logs.app.length;
    opts.log.info({ events: backfilled.nginx + backfilled.app, from: logs.from ? new Date(logs.from).toISOString() : null }, "demo: backfilling past logs (first run)");
  }

  let last = started;
  let closed = false;
  const tick = async (): Promise<FlushOutcome | null> => {
    if (closed) return null;
    const t = now();
    const requests = sim.advance(last, t);
    last = t;
    metrics.record(requests, t);
    if (!shipper) return null;
    const logs = renderLogs(requests);
    shipper.push(DEMO_NGINX_SOURCE, logs.nginx);
    shipper.push(DEMO_APP_SOURCE, logs.app);
    return shipper.flush();
  };
  const tickMs = opts.tickMs ?? 1500;
  const timer = tickMs > 0 ? setInterval(() => void tick().catch((e: Error) => opts.log.warn({ err: e.message }, "demo tick failed")), tickMs) : null;
  timer?.unref();
  opts.log.info({ port: app.port, rate: opts.rate, shipping: !!shipper }, "demo shop running");

  return {
    port: app.port,
    seed,
    backfilled,
    tick,
    close: async () => {
      closed = true;
      if (timer) clearInterval(timer);
      // A last try for what is buffered, bounded so a down console cannot hold up the shutdown.
      if (shipper?.pending()) await Promise.race([shipper.flush(), new Promise((r) => setTimeout(r, 3000).unref())]);
      await app.close();
    },
  };
}
