/**
 * A short-lived Redis cache of panel target results, so many viewers of one dashboard cost one
 * evaluation. The key is a hash of what decides the answer:
 * - the caller's data-access filter for that kind of data (role label matchers for PromQL, the
 *   role log query for logs): callers without a filter, or with the same filter, share entries;
 *   no user id is part of the key;
 * - the target after interpolation (its refId and hide flag left out);
 * - the aligned range and the step.
 * Entries live 10 s while the range ends near now (the data is still changing) and 5 minutes for
 * ranges wholly in the past. Identical requests in flight in this process are evaluated once
 * (single-flight). Errors are never cached, and Redis failing (down, slow) only costs the cache:
 * the result is evaluated as if there were none.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import superjson from "superjson";
import type { Principal } from "@/server/auth/principal";
import { canonicalJson } from "@/server/lib/canonical-json";
import { getRedis, redisKey } from "@/server/lib/redis";
import type { Target } from "./model";
import type { TargetResult } from "./panel-data";

export const LIVE_TTL_MS = 10_000;
export const HISTORICAL_TTL_MS = 5 * 60_000;
/** A range ending less than this before now is "live". */
export const LIVE_WINDOW_MS = 60_000;
/** How long a cache read or write may take before it is given up (then: evaluate). */
const REDIS_TIMEOUT_MS = 500;

/**
 * What decides which data a principal may see for a target kind: `"none"` without a filter
 * (everyone unfiltered shares), else a digest of the filter itself.
 */
export function filterIdentity(principal: Pick<Principal, "dataFilter">, kind: Target["kind"]): string {
  const f = principal.dataFilter;
  if (kind === "promql") {
    const m = (f?.labelMatchers ?? []).map((s) => s.trim()).filter(Boolean);
    return m.length ? `m:${digest(canonicalJson([...m].sort()))}` : "none";
  }
  const q = f?.logQuery?.trim();
  return q ? `l:${digest(q)}` : "none";
}

export interface CacheKeyParts {
  filter: string;
  /** The target as evaluated (built-ins filled). */
  target: Target;
  start: number;
  end: number;
  step: number;
}

/** The cache key of one target evaluation (refId and hide do not change the answer). */
export function panelCacheKey(p: CacheKeyParts): string {
  const { refId: _refId, hide: _hide, ...target } = p.target;
  return digest(canonicalJson({ v: 1, filter: p.filter, target, start: p.start, end: p.end, step: p.step }));
}

/** 10 s when `end` is within a minute of now (or later), 5 minutes for a range wholly in the past. */
export function ttlFor(end: number, now: number): number {
  return end >= now - LIVE_WINDOW_MS ? LIVE_TTL_MS : HISTORICAL_TTL_MS;
}

function digest(s: string): string {
  return createHash("sha256").update(s).digest("base64url").slice(0, 32);
}

/** What a cache lookup did, for tests and the bench. */
export type CacheOutcome = "hit" | "miss" | "shared" | "bypass";

export interface PanelCacheOptions {
  /** The Redis connection; `null` turns the Redis layer off (single-flight stays). */
  redis: Redis | null;
  /** Key prefix, e.g. `redisKey("panel-cache")`. */
  prefix: string;
  now?: () => number;
  /** Give up a Redis call after this long (default 500 ms). */
  timeoutMs?: number;
}

export class PanelCache {
  private readonly inflight = new Map<string, Promise<TargetResult>>();
  private readonly now: () => number;

  constructor(private readonly opts: PanelCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * The cached result for `key`, or `compute()`'s, stored for `ttlMs` unless it is an error.
   * The result's `refId` is the caller's, whoever computed it.
   */
  async get(key: string, ttlMs: number, refId: string, compute: () => Promise<TargetResult>, onOutcome?: (o: CacheOutcome) => void): Promise<TargetResult> {
    const pending = this.inflight.get(key);
    if (pending) {
      onOutcome?.("shared");
      return withRefId(await pending, refId);
    }
    const p = this.load(key, ttlMs, compute, onOutcome);
    this.inflight.set(key, p);
    try {
      return withRefId(await p, refId);
    } finally {
      this.inflight.delete(key);
    }
  }

  private async load(key: string, ttlMs: number, compute: () => Promise<TargetResult>, onOutcome?: (o: CacheOutcome) => void): Promise<TargetResult> {
    const redis = this.opts.redis;
    const fullKey = `${this.opts.prefix}:${key}`;
    if (redis) {
      const stored = await timed(redis.get(fullKey), this.opts.timeoutMs);
      if (typeof stored === "string") {
        try {
          const value = superjson.parse<TargetResult>(stored);
          onOutcome?.("hit");
          return value;
        } catch {
          // An unreadable entry is a miss.
        }
      }
    }
    onOutcome?.(redis ? "miss" : "bypass");
    const result = await compute();
    if (redis && result.kind !== "error") {
      void timed(redis.set(fullKey, superjson.stringify(result), "PX", Math.max(1, Math.round(ttlMs))), this.opts.timeoutMs);
    }
    return result;
  }

  /** The TTL for a result whose range ends at `end`. */
  ttl(end: number): number {
    return ttlFor(end, this.now());
  }
}

function withRefId(r: TargetResult, refId: string): TargetResult {
  return r.refId === refId ? r : { ...r, refId };
}

/** A Redis call that never throws nor hangs: undefined on failure or after `ms`. */
async function timed<T>(p: Promise<T>, ms = REDIS_TIMEOUT_MS): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

let shared: PanelCache | null = null;

/** The process-wide cache on the shared Redis connection, keys under `<prefix>:panel-cache`. */
export function defaultPanelCache(): PanelCache {
  return (shared ??= new PanelCache({ redis: getRedis(), prefix: redisKey("panel-cache") }));
}
