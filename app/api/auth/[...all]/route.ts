import { env } from "@/env";
import { getDb } from "@/db/client";
import { getAuth } from "@/server/auth/auth";
import { requestMeta } from "@/server/auth/request-meta";
import { handleEmailSignIn } from "@/server/auth/sign-in";
import { getRedis } from "@/server/lib/redis";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return getAuth().handler(req);
}

export async function POST(req: Request) {
  const path = new URL(req.url).pathname;
  if (path.endsWith("/sign-in/email")) {
    const e = env();
    return handleEmailSignIn(
      { db: getDb(), redis: getRedis(), throttle: { maxFailures: e.LOOKOUT_LOGIN_MAX_FAILURES, windowSeconds: e.LOOKOUT_LOGIN_WINDOW_SECONDS } },
      req,
      requestMeta(req.headers),
      (r) => getAuth().handler(r),
    );
  }
  return getAuth().handler(req);
}
