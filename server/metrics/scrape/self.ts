/**
 * Lookout scraping its own `/metrics` (web + workers), out of the box: the provisioned job
 * `lookout`, an ordinary HTTP scrape of the console's own URL.
 *
 * `/metrics` needs `status:read`. Rather than minting an API key and storing its plaintext
 * somewhere the workers can read it, the scraper sends a token derived from LOOKOUT_SECRET (which
 * the web and worker processes already share; whoever holds it can sign sessions anyway):
 * HMAC-SHA256(secret, "lookout:self-scrape:v1"). `/metrics` accepts it for itself only, and the
 * scraper attaches it only to the provisioned `lookout` job's targets on the console's own
 * origin, so it never leaves for another host. Without LOOKOUT_SECRET there is no token and the
 * target shows as down with the 401.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SELF_JOB_NAME = "lookout";
const TOKEN_PREFIX = "lookout-self-";

/** The console's own origin: LOOKOUT_BASE_URL, else http://127.0.0.1:PORT. */
export function selfOrigin(e: { LOOKOUT_BASE_URL?: string; PORT: number }): string {
  return e.LOOKOUT_BASE_URL ? new URL(e.LOOKOUT_BASE_URL).origin : `http://127.0.0.1:${e.PORT}`;
}

/** The `lookout` job: /metrics of the console's own origin every 15s. */
export function selfScrapeConfig(e: { LOOKOUT_BASE_URL?: string; PORT: number }): Record<string, unknown> {
  const origin = new URL(selfOrigin(e));
  const base = e.LOOKOUT_BASE_URL ? new URL(e.LOOKOUT_BASE_URL) : null;
  const prefix = base && base.pathname !== "/" ? base.pathname.replace(/\/$/, "") : "";
  return {
    job_name: SELF_JOB_NAME,
    scrape_interval: "15s",
    scrape_timeout: "10s",
    scheme: origin.protocol.replace(":", ""),
    metrics_path: `${prefix}/metrics`,
    static_configs: [{ targets: [origin.host] }],
  };
}

export function selfScrapeToken(secret: string | undefined): string | null {
  if (!secret) return null;
  return TOKEN_PREFIX + createHmac("sha256", secret).update("lookout:self-scrape:v1").digest("base64url");
}

/** Whether `headers` carry the self-scrape token (`Authorization: Bearer <token>`). */
export function isSelfScrapeRequest(headers: Headers, secret: string | undefined): boolean {
  const expected = selfScrapeToken(secret);
  const auth = headers.get("authorization");
  if (!expected || !auth?.startsWith("Bearer ")) return false;
  const given = Buffer.from(auth.slice("Bearer ".length).trim());
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The header to add to a scrape of `url` by job `jobName`: only the provisioned self job, only to our origin. */
export function selfScrapeHeaders(job: { name: string; provisioned: boolean }, url: string, e: { LOOKOUT_BASE_URL?: string; PORT: number; LOOKOUT_SECRET?: string }): Record<string, string> {
  if (!job.provisioned || job.name !== SELF_JOB_NAME) return {};
  const token = selfScrapeToken(e.LOOKOUT_SECRET);
  if (!token || new URL(url).origin !== selfOrigin(e)) return {};
  return { authorization: `Bearer ${token}` };
}
