import type { Redis } from "ioredis";
import { redisKey } from "@/server/lib/redis";

/**
 * Failed sign-in throttling in Redis, per account and per IP (fixed window).
 * After `maxFailures` failures on an account (or 4x that from one IP) further attempts are
 * refused until the window ends, even with the right password.
 */
export type ThrottleConfig = { maxFailures: number; windowSeconds: number };

const accountKey = (email: string) => redisKey("login-fail", "acct", email.trim().toLowerCase());
const ipKey = (ip: string) => redisKey("login-fail", "ip", ip);

export async function checkLoginAllowed(
  redis: Redis,
  cfg: ThrottleConfig,
  ip: string | null,
  email: string,
): Promise<{ allowed: true } | { allowed: false; retryAfter: number; reason: "account" | "ip" }> {
  const a = accountKey(email);
  const i = ip ? ipKey(ip) : null;
  const pipe = redis.multi().get(a).ttl(a);
  if (i) pipe.get(i).ttl(i);
  const res = (await pipe.exec()) ?? [];
  const val = (n: number) => Number(res[n]?.[1] ?? 0) || 0;
  if (val(0) >= cfg.maxFailures) return { allowed: false, retryAfter: Math.max(1, val(1)), reason: "account" };
  if (i && val(2) >= cfg.maxFailures * 4) return { allowed: false, retryAfter: Math.max(1, val(3)), reason: "ip" };
  return { allowed: true };
}

export async function recordLoginFailure(redis: Redis, cfg: ThrottleConfig, ip: string | null, email: string): Promise<void> {
  const pipe = redis.multi();
  for (const k of [accountKey(email), ...(ip ? [ipKey(ip)] : [])]) {
    // SET NX EX starts the window on the first failure (works on Redis 6 too, unlike EXPIRE NX).
    pipe.set(k, "0", "EX", cfg.windowSeconds, "NX").incr(k);
  }
  await pipe.exec();
}

export async function clearLoginFailures(redis: Redis, email: string): Promise<void> {
  await redis.del(accountKey(email));
}
