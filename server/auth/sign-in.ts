import { eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Db } from "@/db/client";
import { session, user } from "@/db/schema";
import { jsonResponse } from "@/server/lib/http";
import { writeAudit } from "./audit";
import { checkLoginAllowed, clearLoginFailures, recordLoginFailure, type ThrottleConfig } from "./login-throttle";
import type { RequestMeta } from "./principal";
import { findUserByEmail } from "./users";

/**
 * Wraps better-auth's email sign-in with throttling (Redis), the disabled-account check and
 * auditing of every attempt. `signIn` performs the actual credential check.
 */
export async function handleEmailSignIn(
  deps: { db: Db; redis: Redis; throttle: ThrottleConfig },
  request: Request,
  meta: RequestMeta,
  signIn: (req: Request) => Promise<Response>,
): Promise<Response> {
  const { db, redis, throttle } = deps;
  let email = "";
  try {
    const body = (await request.clone().json()) as { email?: unknown };
    if (typeof body?.email === "string") email = body.email.trim().toLowerCase();
  } catch {
    return jsonResponse(400, { code: "INVALID_INPUT", message: "Body must be JSON with email and password" });
  }
  if (!email) return jsonResponse(400, { code: "INVALID_INPUT", message: "email is required" });
  const anon = { actorType: "anonymous" as const, actorId: null, actorName: email };

  const allowed = await checkLoginAllowed(redis, throttle, meta.ip, email);
  if (!allowed.allowed) {
    await writeAudit(db, anon, meta, {
      action: "auth.sign_in",
      result: "denied",
      target: { type: "user", name: email },
      details: { reason: `rate_limited_${allowed.reason}` },
    });
    return jsonResponse(
      429,
      { code: "RATE_LIMITED", message: `Too many failed sign-in attempts; try again in ${allowed.retryAfter} s` },
      { "retry-after": String(allowed.retryAfter) },
    );
  }

  const existing = await findUserByEmail(db, email);
  const response = await signIn(request);
  if (response.ok && existing?.disabled) {
    // Checked only after the password is verified, so a wrong password on a disabled account
    // answers exactly like any wrong password (no account enumeration). The session
    // better-auth just created is removed and its cookie is not sent.
    await db.delete(session).where(eq(session.userId, existing.id));
    await writeAudit(db, anon, meta, {
      action: "auth.sign_in",
      result: "denied",
      target: { type: "user", id: existing.id, name: email },
      details: { reason: "account_disabled" },
    });
    return jsonResponse(403, { code: "ACCOUNT_DISABLED", message: "This account is disabled; ask an administrator" });
  }
  if (response.ok && existing) {
    await clearLoginFailures(redis, email);
    await db.update(user).set({ lastLoginAt: new Date() }).where(eq(user.id, existing.id));
    await writeAudit(db, { actorType: "user", actorId: existing.id, actorName: email }, meta, {
      action: "auth.sign_in",
      result: "success",
      target: { type: "user", id: existing.id, name: email },
      details: { userAgent: meta.userAgent },
    });
  } else if (!response.ok) {
    await recordLoginFailure(redis, throttle, meta.ip, email);
    await writeAudit(db, anon, meta, {
      action: "auth.sign_in",
      result: "failure",
      target: { type: "user", id: existing?.id ?? null, name: email },
      details: { reason: existing ? "bad_password" : "unknown_user", status: response.status },
    });
  }
  return response;
}
