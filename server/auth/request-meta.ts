import { randomUUID } from "node:crypto";
import type { RequestMeta } from "./principal";

/** Client IP (first X-Forwarded-For hop, which `next start` sets from the socket), UA and a request id. */
export function requestMeta(headers: Headers): RequestMeta {
  const xff = headers.get("x-forwarded-for");
  const ip = (xff ? xff.split(",")[0]!.trim() : headers.get("x-real-ip")) || null;
  return {
    ip: ip ? ip.replace(/^::ffff:/, "") : null,
    userAgent: headers.get("user-agent"),
    requestId: headers.get("x-request-id") ?? randomUUID(),
  };
}
