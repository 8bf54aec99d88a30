/**
 * Provisioning the demo workload (idempotent; the workers run it at every start with
 * LOOKOUT_DEMO=1) and retiring it (LOOKOUT_DEMO=0). Reuses the provisioning functions: the demo
 * sources and the `demo` and `host` scrape jobs are provisioned objects (read-only in the UI), like the
 * built-in self-scrape job; the provisioning file never releases them (apply.ts).
 */
import type { Db } from "@/db/client";
import { activeKeysOf, createApiKey, createServiceAccount, findApiKeyByPlaintext, findServiceAccountByName, revokeApiKey } from "@/server/auth/api-keys";
import type { AuditActor } from "@/server/auth/audit";
import { AppError, isUniqueViolation } from "@/server/lib/errors";
import { provisionSources, releaseNamedSources } from "@/server/logs/sources";
import { provisionScrapeJobs, retireProvisionedScrapeJob } from "@/server/metrics/scrape/jobs";
import { DEMO_APP_SOURCE, DEMO_JOB_NAME, DEMO_KEY_NAME, DEMO_SERVICE_ACCOUNT, DEMO_SOURCE_NAMES, HOST_JOB_NAME, demoIngestKey, demoScrapeConfig, demoSources, hostScrapeConfig } from "./config";

export const DEMO_ACTOR: AuditActor = { actorType: "system", actorId: null, actorName: "demo" };

/** Why the demo has (or has no) key to ship logs with. */
export type DemoKeyState = "created" | "exists" | "revoked" | "account-disabled" | "no-secret";

export interface DemoSeed {
  /** The demo sources were created by this call: the first run, when the backfill is due. */
  firstRun: boolean;
  /** The ingest key to ship with (null: see keyState). Never log it. */
  key: string | null;
  keyState: DemoKeyState;
  /** The `demo` scrape job exists but was made in the UI: left alone. */
  scrapeJobSkipped: boolean;
  /** The same for the `host` scrape job. */
  hostJobSkipped: boolean;
}

export async function seedDemo(db: Db, opts: { secret: string | undefined; target: { host: string; port: number } }): Promise<DemoSeed> {
  const sources = await provisionSources(db, demoSources());
  const jobs = await provisionScrapeJobs(db, [demoScrapeConfig(opts.target), hostScrapeConfig(opts.target)]);
  const { key, keyState } = await ensureDemoKey(db, opts.secret);
  return {
    firstRun: sources.created.includes(DEMO_APP_SOURCE),
    key,
    keyState,
    scrapeJobSkipped: jobs.skipped.includes(DEMO_JOB_NAME),
    hostJobSkipped: jobs.skipped.includes(HOST_JOB_NAME),
  };
}

async function ensureServiceAccount(db: Db) {
  const found = await findServiceAccountByName(db, DEMO_SERVICE_ACCOUNT);
  if (found) return found;
  try {
    return await createServiceAccount(db, DEMO_ACTOR, null, { name: DEMO_SERVICE_ACCOUNT, description: "Demo: ships the simulated shop's logs (LOOKOUT_DEMO)" });
  } catch (e) {
    // Another workers process created it at the same moment.
    const again = e instanceof AppError && e.code === "CONFLICT" ? await findServiceAccountByName(db, DEMO_SERVICE_ACCOUNT) : null;
    if (again) return again;
    throw e;
  }
}

/**
 * The demo's ingest key (derived from the secret; see config.ts). A revoked key or a disabled
 * account is respected (the admin stopped the demo's logs). A key derived from an older secret
 * is revoked and replaced.
 */
async function ensureDemoKey(db: Db, secret: string | undefined): Promise<{ key: string | null; keyState: DemoKeyState }> {
  const key = demoIngestKey(secret);
  if (!key) return { key: null, keyState: "no-secret" };
  const sa = await ensureServiceAccount(db);
  if (sa.disabled) return { key: null, keyState: "account-disabled" };
  const existing = await findApiKeyByPlaintext(db, key);
  if (existing) return existing.revokedAt ? { key: null, keyState: "revoked" } : { key, keyState: "exists" };
  for (const old of await activeKeysOf(db, sa.id)) {
    if (old.name === DEMO_KEY_NAME) await revokeApiKey(db, DEMO_ACTOR, null, old.id).catch(() => {});
  }
  try {
    await createApiKey(db, DEMO_ACTOR, null, { serviceAccountId: sa.id, name: DEMO_KEY_NAME, scopes: ["ingest"] }, { key });
    return { key, keyState: "created" };
  } catch (e) {
    if (isUniqueViolation(e)) return { key, keyState: "exists" };
    throw e;
  }
}

/**
 * LOOKOUT_DEMO=0 after a run with the demo: its sources (and their events) and the `demo` and
 * `host` jobs stay, but are no longer provisioned (editable and deletable in the UI), and the jobs
 * are disabled (their target, the demo app, would only show as down). The key stays as it is.
 * Nothing happens when there was no demo.
 */
export async function retireDemo(db: Db): Promise<{ job: boolean; hostJob: boolean; sources: string[] }> {
  const reason = "the demo is turned off (LOOKOUT_DEMO=0)";
  const job = await retireProvisionedScrapeJob(db, DEMO_JOB_NAME, DEMO_ACTOR, reason);
  const hostJob = await retireProvisionedScrapeJob(db, HOST_JOB_NAME, DEMO_ACTOR, reason);
  const sources = await releaseNamedSources(db, DEMO_SOURCE_NAMES, DEMO_ACTOR, reason);
  return { job, hostJob, sources };
}
