/**
 * What the demo workload provisions: its two log sources (with their pipelines), the `demo`
 * scrape job, the `host` scrape job (the machine's own metrics, served by the demo app), and the
 * ingest key its log shipper uses.
 *
 * The key: the demo sends its logs like any agent, with an API key of the `demo` service account
 * (scope `ingest`), stored hashed like every key. Its plaintext is derived, never stored:
 * `lk_` + HMAC-SHA256(LOOKOUT_SECRET, "lookout:demo-ingest:v1"), the same reasoning as the
 * self-scrape token (self.ts). A random key would have to be re-created on every start (its
 * plaintext lives only in the memory of the process that made it, and the launcher seeds in
 * another process than the one that ships) and would pile up revoked keys; the derived key is the
 * same in every process sharing the secret and across restarts, needs no special case in the
 * ingest endpoint (it is an ordinary key), and whoever holds the secret can sign sessions anyway.
 * Revoking it in the console (or disabling the service account) stops the demo's logs; it is not
 * re-created behind the admin's back. A changed secret replaces it.
 */
import { createHmac } from "node:crypto";
import os from "node:os";
import type { ProvisionedSourceInput } from "@/server/logs/sources";
import { parsePipeline } from "@/server/logs/sources";
import { DEMO_APP_SOURCE, DEMO_NGINX_SOURCE } from "./render";

export { DEMO_APP_SOURCE, DEMO_NGINX_SOURCE };
export const DEMO_JOB_NAME = "demo";
export const HOST_JOB_NAME = "host";
export const DEMO_SERVICE_ACCOUNT = "demo";
export const DEMO_KEY_NAME = "demo-shop";
export const DEMO_SOURCE_NAMES = [DEMO_NGINX_SOURCE, DEMO_APP_SOURCE] as const;

/** Status codes the demo's nginx logs → level (grok gives the status as a number; the level step matches its text). */
const STATUS_LEVELS: Record<string, "info" | "warn" | "error"> = Object.fromEntries([
  ...["200", "201", "204", "301", "302", "304"].map((s) => [s, "info" as const]),
  ...["400", "401", "402", "403", "404", "429"].map((s) => [s, "warn" as const]),
  ...["500", "502", "503", "504"].map((s) => [s, "error" as const]),
]);

export function demoSources(): ProvisionedSourceInput[] {
  return [
    {
      name: DEMO_NGINX_SOURCE,
      description: "Demo: nginx access logs (combined format) of the simulated shop; LOOKOUT_DEMO=0 turns the demo off",
      pipeline: parsePipeline([
        { type: "grok", patterns: ["%{COMBINEDAPACHELOG}"] },
        { type: "date", field: "timestamp", formats: ["dd/MMM/yyyy:HH:mm:ss Z"] },
        { type: "level", field: "http.response.status_code", mapping: STATUS_LEVELS },
      ]),
      hotDays: 7,
      archiveDays: 30,
    },
    {
      name: DEMO_APP_SOURCE,
      description: "Demo: JSON application logs of the simulated shop's services; LOOKOUT_DEMO=0 turns the demo off",
      pipeline: parsePipeline([]),
      hotDays: 7,
      archiveDays: 30,
    },
  ];
}

/** The `demo` scrape job: the demo app's /metrics every 15 s. */
export function demoScrapeConfig(target: { host: string; port: number }): Record<string, unknown> {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return {
    job_name: DEMO_JOB_NAME,
    scrape_interval: "15s",
    scrape_timeout: "10s",
    metrics_path: "/metrics",
    static_configs: [{ targets: [`${host}:${target.port}`], labels: { env: "demo" } }],
  };
}

/**
 * The `host` scrape job: the machine's own metrics (node_exporter names) from the demo app's
 * /host/metrics every 15 s, with `instance` set to the machine's hostname (what the Host
 * dashboard's `instance` variable lists) rather than the demo app's address.
 */
export function hostScrapeConfig(target: { host: string; port: number }, hostname: string = os.hostname()): Record<string, unknown> {
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  return {
    job_name: HOST_JOB_NAME,
    scrape_interval: "15s",
    scrape_timeout: "10s",
    metrics_path: "/host/metrics",
    static_configs: [{ targets: [`${host}:${target.port}`], labels: { instance: hostname } }],
  };
}

/** The demo shipper's API key, derived from the console's secret (see above); null without one. */
export function demoIngestKey(secret: string | undefined): string | null {
  if (!secret) return null;
  return "lk_" + createHmac("sha256", secret).update("lookout:demo-ingest:v1").digest("base64url");
}

/** Where the console takes logs: LOOKOUT_BASE_URL (with its path), else http://127.0.0.1:PORT. */
export function consoleUrl(e: { LOOKOUT_BASE_URL?: string; PORT: number }): string {
  return e.LOOKOUT_BASE_URL ? e.LOOKOUT_BASE_URL.replace(/\/+$/, "") : `http://127.0.0.1:${e.PORT}`;
}
