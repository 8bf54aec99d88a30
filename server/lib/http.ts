import { getDb } from "@/db/client";
import { writeAudit } from "@/server/auth/audit";
import { scopeFor, type Permission } from "@/server/auth/permissions";
import type { Principal, RequestMeta } from "@/server/auth/principal";
import { requestMeta } from "@/server/auth/request-meta";
import { resolvePrincipal } from "@/server/auth/resolve";
import { AppError, isAppError } from "./errors";
import { logger } from "./logger";
import { metrics } from "./metrics";
import { routeParams, routePattern } from "./route-pattern";

export type ApiContext = { principal: Principal; meta: RequestMeta; request: Request };

/** How an endpoint family renders errors (ours: `{code, message}`; Prometheus/ES/Loki have their own). */
export type ErrorBody = (err: AppError, meta: RequestMeta) => unknown;

export const defaultErrorBody: ErrorBody = (err, meta) => ({ code: err.code, message: err.userMessage, requestId: meta.requestId });

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export function errorResponse(err: unknown, meta: RequestMeta, errorBody: ErrorBody = defaultErrorBody): Response {
  const appErr = isAppError(err)
    ? err
    : new AppError("INTERNAL", { userMessage: `Internal error (request id ${meta.requestId})`, cause: err });
  if (!isAppError(err)) logger.error({ err, requestId: meta.requestId }, "unhandled error in route handler");
  const headers: Record<string, string> = { "x-request-id": meta.requestId };
  if (appErr.retryAfter) headers["retry-after"] = String(appErr.retryAfter);
  if (appErr.code === "UNAUTHENTICATED") headers["www-authenticate"] = 'Bearer realm="lookout", Basic realm="lookout"';
  return jsonResponse(appErr.httpStatus, errorBody(appErr, meta), headers);
}

/**
 * Wraps a public HTTP route handler: authenticates (API key in any accepted form, or the session
 * cookie), checks `permission` on the server (null: any authenticated caller), audits denials, and maps errors to status codes.
 * Counts every request in `lookout_http_requests_total{route,status}` and
 * `lookout_http_request_duration_seconds{route}`, `route` being the handler's route pattern
 * (rebuilt from Next.js's params, see route-pattern.ts).
 */
export function withApi(
  permission: Permission | null,
  handler: (ctx: ApiContext) => Promise<Response>,
  opts: { errorBody?: ErrorBody } = {},
): (request: Request, context?: unknown) => Promise<Response> {
  return async (request: Request, context?: unknown) => {
    const started = performance.now();
    const meta = requestMeta(request.headers);
    let response: Response;
    try {
      const db = getDb();
      const principal = await resolvePrincipal(db, request.headers, meta);
      if (!principal) throw new AppError("UNAUTHENTICATED", { userMessage: "Authentication required: send an API key (Bearer, Basic or X-API-Key)" });
      if (permission && !principal.permissions.has(permission)) {
        await writeAudit(db, principal, meta, {
          action: "permission.denied",
          result: "denied",
          details: { permission, method: request.method, path: new URL(request.url).pathname },
        });
        const msg =
          principal.type === "service_account"
            ? `API key lacks the "${scopeFor(permission)}" scope (needs ${permission})`
            : `Missing permission ${permission}`;
        throw new AppError("FORBIDDEN", { userMessage: msg });
      }
      response = await handler({ principal, meta, request });
    } catch (err) {
      response = errorResponse(err, meta, opts.errorBody);
    }
    await countRequest(request, context, response.status, (performance.now() - started) / 1000);
    return response;
  };
}

/** Records one request in the HTTP metrics; never fails the request. */
async function countRequest(request: Request, context: unknown, status: number, seconds: number): Promise<void> {
  try {
    const route = routePattern(new URL(request.url).pathname, await routeParams(context));
    const m = metrics();
    m.httpRequests.inc({ route, status: String(status) });
    m.httpRequestDuration.observe({ route }, seconds);
  } catch (err) {
    logger.debug({ err }, "could not count an HTTP request");
  }
}
