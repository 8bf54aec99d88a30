/**
 * The Alertmanager API v2 subset (api/v2/openapi.yaml of Alertmanager), so an external Prometheus
 * and amtool can talk to us:
 *
 * - POST /api/v2/alerts        postableAlerts → 200 (empty); 400 with the reason (alerts:ingest)
 * - GET  /api/v2/alerts        gettableAlerts; `active`, `silenced`, `inhibited`, `unprocessed`,
 *                              `filter` (matchers), `receiver` (regex) (alerts:read)
 * - GET  /api/v2/silences      gettableSilences; `filter` (alerts:read)
 * - POST /api/v2/silences      postableSilence → `{silenceID}`; with `id` an update (silences:write)
 * - GET  /api/v2/silence/{id}  gettableSilence; 404 (alerts:read)
 * - DELETE /api/v2/silence/{id} expire; 404; 500 when already expired, as Alertmanager (silences:write)
 *
 * Errors are a JSON string, as Alertmanager's. Non-GET requests from a browser session must be
 * same-origin (CSRF), as the other cookie-authenticated APIs.
 */
import { getDb } from "@/db/client";
import { env } from "@/env";
import type { Permission } from "@/server/auth/permissions";
import { isCrossOrigin } from "@/server/auth/same-origin";
import { AppError, isAppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { jsonResponse, withApi, type ApiContext, type ErrorBody } from "@/server/lib/http";
import { readBody } from "@/server/logs/ingest-http";
import { enqueue } from "@/server/queues/queues";
import { matcherToSilenceMatcher, MatcherError, parseMatcher } from "./matchers";
import type { SilenceMatcher } from "./model";
import { createSilence, expireSilence, getSilence, listAlerts, listSilences, updateSilence, upsertExternalAlerts, type GettableAlert, type SilenceView } from "./notifications-service";

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Alertmanager answers errors with a JSON string. */
const amErrorBody: ErrorBody = (err) => err.userMessage;

const badRequest = (message: string) => new AppError("INVALID_INPUT", { userMessage: message });

/** Wraps a handler: authentication and permission (withApi), CSRF for non-GET, string errors. */
export function alertmanagerApi(permission: Permission, handler: (ctx: ApiContext) => Promise<Response>): (request: Request, context?: unknown) => Promise<Response> {
  const wrapped = withApi(permission, handler, { errorBody: amErrorBody });
  return async (request, context) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      const trusted = env()
        .LOOKOUT_TRUSTED_ORIGINS.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (isCrossOrigin(request.headers, trusted)) return jsonResponse(403, "Cross-origin request refused");
    }
    return wrapped(request, context);
  };
}

async function readJson(request: Request): Promise<unknown> {
  const text = (await readBody(request, MAX_BODY_BYTES)).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`parsing the request body failed: ${(e as Error).message}`);
  }
}

const empty = (status = 200) => new Response(null, { status });

function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const v = params.get(name);
  if (v === null || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw badRequest(`${name} in query must be of type boolean: "${v}"`);
}

/**
 * One `filter` matcher (`alertname="Disk"`, `severity!~"info|debug"`, unquoted values, braces)
 * as a SilenceMatcher, parsed as Alertmanager's API does (matchers.ts, UTF-8 then classic).
 */
export function parseFilterMatcher(text: string): SilenceMatcher {
  try {
    return matcherToSilenceMatcher(parseMatcher(text));
  } catch (err) {
    if (err instanceof MatcherError) throw badRequest(`bad matcher format: ${text}: ${err.message}`);
    throw err;
  }
}

const filterMatchers = (params: URLSearchParams) => {
  const texts = [...params.getAll("filter"), ...params.getAll("filter[]")];
  return texts.length ? texts.map(parseFilterMatcher) : undefined;
};

/** POST /api/v2/alerts. */
export async function postAlerts({ request }: ApiContext): Promise<Response> {
  const body = await readJson(request);
  if (!Array.isArray(body)) throw badRequest("the body must be a JSON array of alerts");
  await upsertExternalAlerts(getDb(), body);
  // The dispatcher looks now rather than at its next tick (a few seconds away anyway).
  await enqueue("alert-dispatch", { kind: "dispatch" }).catch((e) => logger.warn({ err: (e as Error).message }, "could not enqueue a dispatcher tick"));
  return empty();
}

/** GET /api/v2/alerts. */
export async function getAlerts({ request, principal }: ApiContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const input = {
    active: boolParam(params, "active"),
    silenced: boolParam(params, "silenced"),
    inhibited: boolParam(params, "inhibited"),
    unprocessed: boolParam(params, "unprocessed"),
    matchers: filterMatchers(params),
    receiver: params.get("receiver") || undefined,
  };
  const alerts = await listAlerts(getDb(), principal, input);
  return jsonResponse(
    200,
    alerts.map(({ source: _s, ...a }: GettableAlert) => a),
  );
}

const gettableSilence = (s: SilenceView) => ({ id: s.id, status: s.status, updatedAt: s.updatedAt, matchers: s.matchers, startsAt: s.startsAt, endsAt: s.endsAt, createdBy: s.createdBy, comment: s.comment });

/** GET /api/v2/silences. */
export async function getSilences({ request }: ApiContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const matchers = filterMatchers(params);
  const all = await listSilences(getDb());
  // Alertmanager's filter keeps silences whose own matchers would match the filter's labels: a
  // silence qualifies when every filter matcher is among its matchers.
  const kept = matchers ? all.filter((s) => matchers.every((f) => s.matchers.some((m) => m.name === f.name && m.value === f.value && m.isRegex === f.isRegex && (m.isEqual ?? true) === f.isEqual))) : all;
  return jsonResponse(200, kept.map(gettableSilence));
}

/** POST /api/v2/silences: create, or update when the body names an `id`. */
export async function postSilences({ request, principal, meta }: ApiContext): Promise<Response> {
  const body = await readJson(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("the body must be a JSON object (postableSilence)");
  const { id, ...rest } = body as Record<string, unknown>;
  const db = getDb();
  if (id !== undefined && id !== null && id !== "") {
    if (typeof id !== "string") throw badRequest("id must be a string");
    const updated = await updateSilence(db, principal, meta, { ...rest, id } as never);
    return jsonResponse(200, { silenceID: updated.id });
  }
  const created = await createSilence(db, principal, meta, rest as never);
  return jsonResponse(200, { silenceID: created.id });
}

const silenceIdOf = (request: Request) => decodeURIComponent(new URL(request.url).pathname.replace(/\/+$/, "").split("/").pop() ?? "");

/** GET /api/v2/silence/{id}. */
export async function getSilenceById({ request }: ApiContext): Promise<Response> {
  return jsonResponse(200, gettableSilence(await getSilence(getDb(), silenceIdOf(request))));
}

/** DELETE /api/v2/silence/{id}: expires it. */
export async function deleteSilenceById({ request, principal, meta }: ApiContext): Promise<Response> {
  try {
    await expireSilence(getDb(), principal, meta, silenceIdOf(request));
  } catch (e) {
    // Alertmanager answers an already expired silence with 500 and the reason.
    if (isAppError(e) && e.code === "CONFLICT") return jsonResponse(500, e.userMessage);
    throw e;
  }
  return empty();
}
