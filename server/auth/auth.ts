import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { env, requireEnv } from "@/env";
import { getDb } from "@/db/client";
import { account, session, user, verification } from "@/db/schema";

/** Origin of the request itself (scheme + Host), so the console works under any host name. */
function requestOrigin(request?: Request): string | null {
  if (!request) return null;
  const host = request.headers.get("host");
  if (!host) return null;
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return `${proto}://${host}`;
}

function createAuth() {
  const e = env();
  return betterAuth({
    appName: "Lookout",
    secret: requireEnv("LOOKOUT_SECRET"),
    baseURL: e.LOOKOUT_BASE_URL ?? `http://localhost:${e.PORT}`,
    basePath: "/api/auth",
    database: drizzleAdapter(getDb(), { provider: "pg", schema: { user, session, account, verification } }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        roleId: { type: "string", required: true, input: false },
        disabled: { type: "boolean", required: false, input: false, defaultValue: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // No cookie cache: every request reads the session row, so revocation and disabling are immediate.
      cookieCache: { enabled: false },
    },
    // Login throttling is ours (Redis, per IP and per account) in server/auth/sign-in.ts.
    rateLimit: { enabled: false },
    trustedOrigins: (request) => [
      requestOrigin(request),
      ...e.LOOKOUT_TRUSTED_ORIGINS.split(",").map((s) => s.trim()).filter(Boolean),
    ],
    advanced: {
      database: { generateId: () => randomUUID() },
      ipAddress: { ipAddressHeaders: ["x-forwarded-for", "x-real-ip"] },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { __lookoutAuth?: Auth };

export function getAuth(): Auth {
  if (!globalForAuth.__lookoutAuth) globalForAuth.__lookoutAuth = createAuth();
  return globalForAuth.__lookoutAuth;
}
