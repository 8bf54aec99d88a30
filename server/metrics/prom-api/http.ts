/**
 * Route glue for the Prometheus HTTP API: authentication and permission (withApi), GET query and
 * form-encoded POST parameters merged as Prometheus does, the caller's data-access filter applied
 * to storage, and Prometheus's success/error envelopes.
 */
import { getDb, type Db } from "@/db/client";
import { env } from "@/env";
import type { Principal } from "@/server/auth/principal";
import type { Permission } from "@/server/auth/permissions";
import { isAppError } from "@/server/lib/errors";
import { jsonResponse, withApi, type ErrorBody } from "@/server/lib/http";
import { logger } from "@/server/lib/logger";
import { readBody } from "@/server/logs/ingest-http";
import type { Queryable } from "@/server/metrics/model";
import { PgQueryable } from "@/server/metrics/store/read";
import type { ApiAnswer } from "./api";
import { FilteredQueryable, parseFilterMatchers } from "./filtered-queryable";
import { mergeParams } from "./params";
import { promSuccess, toPromError } from "./response";

export interface PromApiContext {
  principal: Principal;
  request: Request;
  params: URLSearchParams;
  db: Db;
  queryable: Queryable;
}

/** Errors before the handler runs (authentication, permission), in Prometheus's envelope. */
const promErrorBody: ErrorBody = (err) => {
  if (err.code === "UNAUTHENTICATED" || err.code === "FORBIDDEN") return { status: "error", errorType: err.code === "FORBIDDEN" ? "forbidden" : "unauthorized", error: err.userMessage };
  return toPromError(err).body;
};

/** The queryable a principal may see: everything, or narrowed by its role's label matchers. */
export function queryableFor(db: Db, principal: Principal): Queryable {
  const base = new PgQueryable(db, { rollups: env().LOOKOUT_METRICS_ROLLUPS === "on" });
  const matchers = principal.dataFilter?.labelMatchers;
  return matchers?.length ? new FilteredQueryable(base, parseFilterMatchers(matchers)) : base;
}

async function requestParams(request: Request): Promise<URLSearchParams> {
  const query = new URL(request.url).searchParams;
  if (request.method === "GET" || request.method === "HEAD") return query;
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return query;
  return mergeParams(query, new URLSearchParams((await readBody(request)).toString("utf8")));
}

export function promApi(
  permission: Permission,
  handler: (ctx: PromApiContext) => Promise<ApiAnswer<unknown> | Response>,
): (request: Request, ctx?: unknown) => Promise<Response> {
  const wrapped = withApi(
    permission,
    async ({ principal, request }) => {
      try {
        const db = getDb();
        const params = await requestParams(request);
        const out = await handler({ principal, request, params, db, queryable: queryableFor(db, principal) });
        if (out instanceof Response) return out;
        return jsonResponse(200, promSuccess(out.data, { warnings: out.warnings, infos: out.infos }));
      } catch (err) {
        const mapped = toPromError(err);
        if (mapped.logged !== undefined && !isAppError(err)) logger.error({ err }, "Prometheus API request failed");
        return jsonResponse(mapped.status, mapped.body);
      }
    },
    { errorBody: promErrorBody },
  );
  return (request, ctx) => wrapped(request, ctx);
}
