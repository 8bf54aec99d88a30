import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as whoami } from "@/app/api/v1/whoami/route";
import { getDb } from "@/db/client";
import { session, user } from "@/db/schema";
import { getRedis } from "@/server/lib/redis";
import { auditRows, createTestUser, request, testMeta, uniqueEmail, uniqueIp } from "@/test/helpers";
import { getAuth } from "./auth";
import { requestMeta } from "./request-meta";
import { resolvePrincipal } from "./resolve";
import { handleEmailSignIn } from "./sign-in";
import { setUserDisabled } from "./users";

const THROTTLE = { maxFailures: 5, windowSeconds: 120 };

function signInRequest(body: unknown, ip: string) {
  return request("/api/auth/sign-in/email", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": ip, "user-agent": "vitest-browser" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function signIn(email: string, password: string, ip: string) {
  const req = signInRequest({ email, password }, ip);
  return handleEmailSignIn({ db: getDb(), redis: getRedis(), throttle: THROTTLE }, req, requestMeta(req.headers), (r) => getAuth().handler(r));
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
function cookieOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

describe("email sign-in", () => {
  // better-auth warns on every wrong password or unknown email; these tests make many on purpose.
  beforeAll(() => {
    const warn = console.warn.bind(console);
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      if (!/Invalid password|User not found/.test(String(args[0]))) warn(...args);
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("signs in with the right password: 200, a session cookie that resolves to the user, an audit record", async () => {
    const u = await createTestUser("Editor");
    const ip = uniqueIp();
    const res = await signIn(u.email, u.password, ip);
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/session_token=/);

    const p = await resolvePrincipal(getDb(), new Headers({ cookie }), testMeta());
    expect(p).toMatchObject({ type: "user", id: u.id, email: u.email, roleName: "Editor" });

    const me = await whoami(request("/api/v1/whoami", { headers: { cookie } }));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ type: "user", id: u.id, email: u.email, role: "Editor" });

    const audit = await auditRows({ action: "auth.sign_in", targetId: u.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ result: "success", actorType: "user", actorId: u.id, ip });
    const [row] = await getDb().select().from(user).where(eq(user.id, u.id));
    expect(row!.lastLoginAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong password and an unknown account with 401, auditing each failure", async () => {
    const u = await createTestUser("Viewer");
    const wrong = await signIn(u.email, "not-the-password", uniqueIp());
    expect(wrong.status).toBe(401);
    expect(cookieOf(wrong)).not.toMatch(/session_token=[^;]/);
    const failures = await auditRows({ action: "auth.sign_in", targetId: u.id, result: "failure" });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.details).toMatchObject({ reason: "bad_password", status: 401 });

    const ghost = uniqueEmail("ghost");
    expect((await signIn(ghost, "whatever-pw", uniqueIp())).status).toBe(401);
    const ghostAudit = await auditRows({ action: "auth.sign_in", actorName: ghost });
    expect(ghostAudit).toHaveLength(1);
    expect(ghostAudit[0]).toMatchObject({ actorType: "anonymous", result: "failure", targetId: null });
    expect(ghostAudit[0]!.details).toMatchObject({ reason: "unknown_user" });
  });

  it("after five wrong passwords refuses even the right one with 429 and Retry-After", async () => {
    const u = await createTestUser("Viewer");
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) expect((await signIn(u.email, `wrong-${i}-password`, ip)).status).toBe(401);
    // From another address too: the limit is per account.
    const res = await signIn(u.email.toUpperCase(), u.password, uniqueIp());
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(THROTTLE.windowSeconds);
    expect(await res.json()).toMatchObject({ code: "RATE_LIMITED" });
    const denied = await auditRows({ action: "auth.sign_in", actorName: u.email, result: "denied" });
    expect(denied).toHaveLength(1);
    expect(denied[0]!.details).toEqual({ reason: "rate_limited_account" });
  });

  it("a successful sign-in clears earlier failures", async () => {
    const u = await createTestUser("Viewer");
    const ip = uniqueIp();
    for (let i = 0; i < 4; i++) await signIn(u.email, "wrong-password", ip);
    expect((await signIn(u.email, u.password, ip)).status).toBe(200);
    for (let i = 0; i < 4; i++) await signIn(u.email, "wrong-password", ip);
    expect((await signIn(u.email, u.password, ip)).status).toBe(200);
  });

  it("signs a disabled user out at once and refuses their next sign-in with 403", async () => {
    const u = await createTestUser("Viewer");
    const res = await signIn(u.email, u.password, uniqueIp());
    expect(res.status).toBe(200);
    const headers = new Headers({ cookie: cookieOf(res) });
    expect(await resolvePrincipal(getDb(), headers, testMeta())).not.toBeNull();

    await setUserDisabled(getDb(), null, null, u.id, true);
    expect(await resolvePrincipal(getDb(), headers, testMeta())).toBeNull();

    const again = await signIn(u.email, u.password, uniqueIp());
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ code: "ACCOUNT_DISABLED" });
    expect(cookieOf(again)).toBe("");
    const denied = await auditRows({ action: "auth.sign_in", targetId: u.id, result: "denied" });
    expect(denied[0]!.details).toEqual({ reason: "account_disabled" });
  });

  it("answers a wrong password on a disabled account like any wrong password (no enumeration)", async () => {
    const u = await createTestUser("Viewer");
    await setUserDisabled(getDb(), null, null, u.id, true);
    const res = await signIn(u.email, "wrong-password", uniqueIp());
    expect(res.status).toBe(401);
    expect(cookieOf(res)).toBe("");
    const sessions = await getDb().select().from(session).where(eq(session.userId, u.id));
    expect(sessions).toHaveLength(0);
  });

  it("leaves no session behind when a disabled user signs in with the right password", async () => {
    const u = await createTestUser("Viewer");
    await setUserDisabled(getDb(), null, null, u.id, true);
    expect((await signIn(u.email, u.password, uniqueIp())).status).toBe(403);
    const sessions = await getDb().select().from(session).where(eq(session.userId, u.id));
    expect(sessions).toHaveLength(0);
  });

  it("stops resolving a session whose user is marked disabled, even before the session is deleted", async () => {
    const u = await createTestUser("Viewer");
    const res = await signIn(u.email, u.password, uniqueIp());
    const headers = new Headers({ cookie: cookieOf(res) });
    expect(await resolvePrincipal(getDb(), headers, testMeta())).not.toBeNull();
    await getDb().update(user).set({ disabled: true }).where(eq(user.id, u.id));
    expect(await resolvePrincipal(getDb(), headers, testMeta())).toBeNull();
    await getDb().update(user).set({ disabled: false }).where(eq(user.id, u.id));
    expect(await resolvePrincipal(getDb(), headers, testMeta())).toMatchObject({ id: u.id });
  });

  it("answers 400 to a body without JSON or email", async () => {
    const ip = uniqueIp();
    const deps = { db: getDb(), redis: getRedis(), throttle: THROTTLE };
    const notJson = signInRequest("email=a@b.co", ip);
    expect((await handleEmailSignIn(deps, notJson, requestMeta(notJson.headers), () => Promise.reject(new Error("must not be called")))).status).toBe(400);
    const noEmail = signInRequest({ password: "x" }, ip);
    expect((await handleEmailSignIn(deps, noEmail, requestMeta(noEmail.headers), () => Promise.reject(new Error("must not be called")))).status).toBe(400);
  });

  it("is wired into POST /api/auth/sign-in/email", async () => {
    const u = await createTestUser("Auditor");
    const res = await authPost(signInRequest({ email: u.email, password: u.password }, uniqueIp()));
    expect(res.status).toBe(200);
    expect(cookieOf(res)).toMatch(/session_token=/);
    expect(await auditRows({ action: "auth.sign_in", targetId: u.id, result: "success" })).toHaveLength(1);
  });
});
