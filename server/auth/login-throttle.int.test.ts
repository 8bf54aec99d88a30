import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createRedis, redisKey } from "@/server/lib/redis";
import { uid, uniqueEmail, uniqueIp } from "@/test/helpers";
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-throttle";

const CFG = { maxFailures: 3, windowSeconds: 60 };

describe("login throttle (Redis)", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = createRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it("allows until an account reaches maxFailures, whatever the address or the email's case", async () => {
    const email = uniqueEmail("throttle");
    expect(await checkLoginAllowed(redis, CFG, uniqueIp(), email)).toEqual({ allowed: true });
    await recordLoginFailure(redis, CFG, uniqueIp(), email);
    await recordLoginFailure(redis, CFG, uniqueIp(), ` ${email.toUpperCase()} `);
    expect(await checkLoginAllowed(redis, CFG, uniqueIp(), email)).toEqual({ allowed: true });
    await recordLoginFailure(redis, CFG, null, email);
    const res = await checkLoginAllowed(redis, CFG, uniqueIp(), email.toUpperCase());
    expect(res).toMatchObject({ allowed: false, reason: "account" });
    if (res.allowed) throw new Error("unreachable");
    expect(res.retryAfter).toBeGreaterThan(0);
    expect(res.retryAfter).toBeLessThanOrEqual(CFG.windowSeconds);
    // Other accounts are not affected.
    expect(await checkLoginAllowed(redis, CFG, uniqueIp(), uniqueEmail())).toEqual({ allowed: true });
  });

  it("limits one address at four times the account limit, across accounts", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < CFG.maxFailures * 4 - 1; i++) await recordLoginFailure(redis, CFG, ip, uniqueEmail("spray"));
    expect(await checkLoginAllowed(redis, CFG, ip, uniqueEmail())).toEqual({ allowed: true });
    await recordLoginFailure(redis, CFG, ip, uniqueEmail("spray"));
    expect(await checkLoginAllowed(redis, CFG, ip, uniqueEmail())).toMatchObject({ allowed: false, reason: "ip" });
    expect(await checkLoginAllowed(redis, CFG, uniqueIp(), uniqueEmail())).toEqual({ allowed: true });
  });

  it("keeps the window fixed: later failures do not extend it", async () => {
    const email = uniqueEmail("window");
    await recordLoginFailure(redis, CFG, null, email);
    const key = redisKey("login-fail", "acct", email);
    await redis.expire(key, 30);
    await recordLoginFailure(redis, CFG, null, email);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    expect(await redis.get(key)).toBe("2");
  });

  it("clears an account's failures", async () => {
    const email = uniqueEmail("clear");
    for (let i = 0; i < CFG.maxFailures; i++) await recordLoginFailure(redis, CFG, null, email);
    expect((await checkLoginAllowed(redis, CFG, null, email)).allowed).toBe(false);
    await clearLoginFailures(redis, email.toUpperCase());
    expect((await checkLoginAllowed(redis, CFG, null, email)).allowed).toBe(true);
  });

  it("writes its keys under the run's prefix", async () => {
    const email = `${uid()}@prefix.test`;
    await recordLoginFailure(redis, CFG, null, email);
    const keys = await redis.keys(`*${email}`);
    expect(keys).toEqual([redisKey("login-fail", "acct", email)]);
    expect(keys[0]!.startsWith(`${process.env.LOOKOUT_REDIS_PREFIX}:`)).toBe(true);
  });
});
