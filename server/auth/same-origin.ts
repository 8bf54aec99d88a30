/**
 * CSRF defence for cookie-authenticated mutations: a browser always sends Origin on a
 * cross-origin POST; if it is present it must match the Host the request was sent to
 * (or one of LOOKOUT_TRUSTED_ORIGINS). Requests without Origin (curl, scripts) pass.
 */
export function isCrossOrigin(headers: Headers, trusted: readonly string[] = []): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return origin === "null";
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true;
  }
  if (host && originHost === host) return false;
  return !trusted.some((t) => t.replace(/\/$/, "") === origin);
}
