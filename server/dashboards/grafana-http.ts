/**
 * The Grafana HTTP API subset (DESIGN.md "Dashboards"), so Grafana tooling and scripts can manage
 * our dashboards: request and answer shapes follow Grafana's documented API (`{message}` errors,
 * 412 `version-mismatch` / `name-exists`), the work is service.ts's. Grafana dashboard JSON is
 * converted on the way in; dashboards go out in our model.
 *
 * Authentication is the public APIs' (API key or session cookie, withApi); reads need
 * dashboards:read, writes dashboards:write, and the folder permissions apply as in the console.
 */
import { env } from "@/env";
import type { Permission } from "@/server/auth/permissions";
import { isCrossOrigin } from "@/server/auth/same-origin";
import { getDb } from "@/db/client";
import { findFolder } from "./store";
import { AppError } from "@/server/lib/errors";
import { jsonResponse, withApi, type ApiContext, type ErrorBody } from "@/server/lib/http";
import {
  createFolder,
  dashboardFromJson,
  DASHBOARD_UID_PATTERN,
  dashboardUrl,
  DashboardConflictError,
  deleteDashboard,
  folderUrl,
  getDashboard,
  listDashboards,
  listFolders,
  ProvisionedDashboardError,
  saveDashboard,
  slugify,
} from "./service";

/** Grafana answers errors as `{ message }`. */
export const grafanaErrorBody: ErrorBody = (err) => ({ message: err.userMessage });

/** A dashboard JSON is small; this bounds what one request may make us parse. */
export const MAX_DASHBOARD_BODY_BYTES = 10 * 1024 * 1024;

type Handler = (ctx: ApiContext) => Promise<Response>;

/**
 * Wraps a handler: refuses a cross-origin browser write (CSRF, as /api/trpc does), authenticates,
 * checks `permission`, and renders errors Grafana's way.
 */
export function grafanaApi(permission: Permission, handler: Handler): (request: Request) => Promise<Response> {
  const wrapped = withApi(permission, handler, { errorBody: grafanaErrorBody });
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      const trusted = env()
        .LOOKOUT_TRUSTED_ORIGINS.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (isCrossOrigin(request.headers, trusted)) return jsonResponse(403, { message: "Cross-origin request refused" });
    }
    return wrapped(request);
  };
}

const badRequest = (message: string) => new AppError("INVALID_INPUT", { userMessage: message });

/** The JSON body (an object), or 400 with the reason. */
async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", { userMessage: `Request body larger than ${MAX_DASHBOARD_BODY_BYTES} bytes` });
  if (Number.isFinite(declared) && declared > MAX_DASHBOARD_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (text.length > MAX_DASHBOARD_BODY_BYTES) throw tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw badRequest(`bad request data: not JSON (${(e as Error).message})`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("bad request data: expected a JSON object");
  return body as Record<string, unknown>;
}

/** The last path segment (`/api/dashboards/uid/{uid}`). */
export function lastSegment(request: Request): string {
  const parts = new URL(request.url).pathname.split("/").filter(Boolean);
  try {
    return decodeURIComponent(parts.at(-1) ?? "");
  } catch {
    return "";
  }
}

/** `folderUid` ("" or absent: General), or the older numeric `folderId` (0: General). */
async function folderUidOf(body: Record<string, unknown>): Promise<string | null> {
  if (typeof body.folderUid === "string") return body.folderUid === "" || body.folderUid === "general" ? null : body.folderUid;
  if (body.folderUid !== undefined && body.folderUid !== null) throw badRequest("folderUid must be a string");
  if (body.folderId === undefined || body.folderId === null || body.folderId === 0) return null;
  if (typeof body.folderId !== "number" || !Number.isInteger(body.folderId)) throw badRequest("folderId must be an integer");
  const folder = await findFolder(getDb(), { numericId: body.folderId });
  if (!folder) throw new AppError("NOT_FOUND", { userMessage: "Folder not found" });
  return folder.uid;
}

// ---------------------------------------------------------------------------------------------
// POST /api/dashboards/db
// ---------------------------------------------------------------------------------------------

export async function postDashboard({ principal, meta, request }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request);
  if (typeof body.dashboard !== "object" || body.dashboard === null || Array.isArray(body.dashboard)) throw badRequest("bad request data: dashboard is required (a JSON object)");
  if (body.overwrite !== undefined && typeof body.overwrite !== "boolean") throw badRequest("overwrite must be true or false");
  if (body.message !== undefined && typeof body.message !== "string") throw badRequest("message must be a string");
  const raw = body.dashboard as Record<string, unknown>;
  const converted = dashboardFromJson(raw);
  const uid = typeof raw.uid === "string" && raw.uid !== "" ? raw.uid : converted.uid || undefined;
  if (uid !== undefined && !DASHBOARD_UID_PATTERN.test(uid)) throw badRequest("Dashboard UID contains illegal characters (1 to 40 letters, digits, - or _)");
  const version = typeof raw.version === "number" && Number.isInteger(raw.version) && raw.version >= 0 ? raw.version : 0;
  const folderUid = await folderUidOf(body);
  try {
    const saved = await saveDashboard(getDb(), principal, meta, {
      uid,
      folderUid,
      dashboard: converted.dashboard,
      version,
      message: typeof body.message === "string" ? body.message.slice(0, 500) : undefined,
      overwrite: body.overwrite === true,
    });
    const slug = slugify(saved.title);
    return jsonResponse(200, { id: saved.numericId, uid: saved.uid, url: dashboardUrl(saved.uid), status: "success", version: saved.version, slug, folderUid: saved.folderUid ?? "" });
  } catch (e) {
    if (e instanceof DashboardConflictError) return jsonResponse(412, { message: e.userMessage, status: e.kind });
    if (e instanceof ProvisionedDashboardError) return jsonResponse(400, { message: e.userMessage });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// GET / DELETE /api/dashboards/uid/{uid}
// ---------------------------------------------------------------------------------------------

export async function getDashboardByUid({ principal, request }: ApiContext): Promise<Response> {
  const d = await getDashboard(getDb(), principal, lastSegment(request));
  const slug = slugify(d.title);
  return jsonResponse(200, {
    dashboard: { ...d.dashboard, id: d.numericId, uid: d.uid, version: d.version },
    meta: {
      type: "db",
      isStarred: d.starred,
      canSave: d.canEdit && !d.provisioned,
      canEdit: d.canEdit,
      canAdmin: false,
      canStar: principal.type === "user",
      canDelete: d.canEdit && !d.provisioned,
      slug,
      url: dashboardUrl(d.uid),
      expires: "0001-01-01T00:00:00Z",
      created: d.createdAt.toISOString(),
      updated: d.updatedAt.toISOString(),
      updatedBy: d.updatedBy ?? "",
      version: d.version,
      isFolder: false,
      folderId: d.folderNumericId ?? 0,
      folderUid: d.folderUid ?? "",
      folderTitle: d.folderTitle ?? "General",
      folderUrl: d.folderUid ? folderUrl(d.folderUid) : "",
      provisioned: d.provisioned,
      provisionedExternalId: d.provisionedFrom ?? "",
    },
  });
}

export async function deleteDashboardByUid({ principal, meta, request }: ApiContext): Promise<Response> {
  try {
    const r = await deleteDashboard(getDb(), principal, meta, lastSegment(request));
    return jsonResponse(200, { title: r.title, message: `Dashboard ${r.title} deleted`, id: r.numericId, uid: r.uid });
  } catch (e) {
    if (e instanceof ProvisionedDashboardError) return jsonResponse(400, { message: e.userMessage });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// GET /api/search
// ---------------------------------------------------------------------------------------------

/** Values of a repeatable parameter, also comma-separated (`tag=a&tag=b`, `folderUIDs=a,b`). */
function multi(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function positiveInt(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${name} must be a positive integer`);
  return Math.min(n, max);
}

export async function search({ principal, request }: ApiContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const type = params.get("type") || null;
  if (type !== null && type !== "dash-db" && type !== "dash-folder") throw badRequest('type must be "dash-db" or "dash-folder"');
  const query = (params.get("query") ?? "").trim();
  const tags = multi(params, "tag");
  const starred = params.get("starred") === "true";
  const folderUids = [...multi(params, "folderUIDs"), ...multi(params, "folderUid")];
  const dashboardUids = multi(params, "dashboardUIDs");
  const limit = positiveInt(params, "limit", 1000, 5000);
  const page = positiveInt(params, "page", 1, 1_000_000);
  const db = getDb();

  const hits: Record<string, unknown>[] = [];
  const wantsFolders = type === "dash-folder" || (type === null && tags.length === 0 && !starred && folderUids.length === 0 && dashboardUids.length === 0);
  if (wantsFolders) {
    const q = query.toLowerCase();
    for (const f of await listFolders(db, principal)) {
      if (q && !f.title.toLowerCase().includes(q)) continue;
      const slug = slugify(f.title);
      hits.push({ id: f.numericId, uid: f.uid, title: f.title, uri: `db/${slug}`, url: folderUrl(f.uid), slug, type: "dash-folder", tags: [], isStarred: false, sortMeta: 0 });
    }
  }
  if (type !== "dash-folder") {
    const folderFilter = folderUids.map((u) => (u === "general" ? null : u));
    let items = await listDashboards(db, principal, { query: query || undefined, tag: tags.length ? tags : undefined, starred: starred || undefined, uids: dashboardUids.length ? dashboardUids : undefined });
    if (folderFilter.length) items = items.filter((d) => folderFilter.includes(d.folderUid));
    items.sort((a, b) => a.title.toLowerCase().localeCompare(b.title.toLowerCase()) || a.uid.localeCompare(b.uid));
    for (const d of items) {
      const slug = slugify(d.title);
      hits.push({
        id: d.numericId,
        uid: d.uid,
        title: d.title,
        uri: `db/${slug}`,
        url: dashboardUrl(d.uid),
        slug,
        type: "dash-db",
        tags: d.tags,
        isStarred: d.starred,
        sortMeta: 0,
        // Grafana leaves the folder fields out for the General folder.
        ...(d.folderUid ? { folderId: d.folderNumericId, folderUid: d.folderUid, folderTitle: d.folderTitle, folderUrl: folderUrl(d.folderUid) } : {}),
      });
    }
  }
  return jsonResponse(200, hits.slice((page - 1) * limit, page * limit));
}

// ---------------------------------------------------------------------------------------------
// GET / POST /api/folders
// ---------------------------------------------------------------------------------------------

export async function getFolders({ principal, request }: ApiContext): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const limit = positiveInt(params, "limit", 1000, 5000);
  const page = positiveInt(params, "page", 1, 1_000_000);
  const list = await listFolders(getDb(), principal);
  return jsonResponse(
    200,
    list.slice((page - 1) * limit, page * limit).map((f) => ({ id: f.numericId, uid: f.uid, title: f.title, url: folderUrl(f.uid) })),
  );
}

export async function postFolder({ principal, meta, request }: ApiContext): Promise<Response> {
  const body = await readJsonObject(request);
  if (typeof body.title !== "string" || body.title.trim() === "") throw badRequest("folder title cannot be empty");
  if (body.uid !== undefined && body.uid !== null && body.uid !== "" && (typeof body.uid !== "string" || !DASHBOARD_UID_PATTERN.test(body.uid))) {
    throw badRequest("uid contains illegal characters (1 to 40 letters, digits, - or _)");
  }
  if (body.title.trim().length > 200) throw badRequest("folder title is longer than 200 characters");
  const f = await createFolder(getDb(), principal, meta, { title: body.title, uid: typeof body.uid === "string" && body.uid !== "" ? body.uid : undefined });
  return jsonResponse(200, {
    id: f.numericId,
    uid: f.uid,
    title: f.title,
    url: folderUrl(f.uid),
    hasAcl: f.restricted,
    canSave: f.canEdit,
    canEdit: f.canEdit,
    canAdmin: false,
    canDelete: f.canEdit,
    created: f.createdAt.toISOString(),
    updated: f.updatedAt.toISOString(),
    version: 1,
  });
}
