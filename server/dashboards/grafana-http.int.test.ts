import { beforeAll, describe, expect, it } from "vitest";
import { POST as postDb } from "@/app/api/dashboards/db/route";
import { DELETE as deleteUid, GET as getUid } from "@/app/api/dashboards/uid/[uid]/route";
import { GET as getFolders, POST as postFolders } from "@/app/api/folders/route";
import { GET as search } from "@/app/api/search/route";
import { getDb } from "@/db/client";
import { getAuth } from "@/server/auth/auth";
import { requestMeta } from "@/server/auth/request-meta";
import { handleEmailSignIn } from "@/server/auth/sign-in";
import { getRedis } from "@/server/lib/redis";
import { auditRows, basicAuth, createTestKey, createTestUser, request, testMeta, uid, uniqueIp, type TestUser } from "@/test/helpers";
import type { DashboardInput } from "./model";
import { provisionDashboards, saveDashboard, setFolderPermissions, starDashboard } from "./service";

type Json = Record<string, unknown>;

function doc(title: string, extra: Json = {}): DashboardInput & Json {
  return {
    schemaVersion: 1,
    title,
    tags: ["http"],
    variables: [],
    panels: [{ id: 1, type: "stat", title: "Up", gridPos: { x: 0, y: 0, w: 6, h: 4 }, targets: [{ kind: "promql", refId: "A", expr: "sum(up)" }] }],
    ...extra,
  };
}

function call(handler: (r: Request) => Promise<Response>, path: string, opts: { method?: string; auth?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return handler(
    request(path, {
      method: opts.method ?? "GET",
      headers: { ...(opts.auth ? { authorization: opts.auth } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...opts.headers },
      body: opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
    }),
  );
}

async function json(res: Response): Promise<Json & Json[]> {
  return (await res.json()) as Json & Json[];
}

let writer: string;
let reader: string;
let ingestOnly: string;
beforeAll(async () => {
  writer = `Bearer ${(await createTestKey(["admin"])).key}`;
  reader = `Bearer ${(await createTestKey(["query"])).key}`;
  ingestOnly = `Bearer ${(await createTestKey(["ingest"])).key}`;
});

describe("POST /api/dashboards/db and GET/DELETE /api/dashboards/uid/{uid}", () => {
  it("creates, reads, updates with versions (412 on mismatch), and deletes like Grafana", async () => {
    const title = `HTTP Service ${uid()}`;
    const res = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { ...doc(title), id: null, uid: null }, folderUid: "", message: "from a script", overwrite: false } });
    expect(res.status).toBe(200);
    const created = await json(res);
    expect(created).toMatchObject({ status: "success", version: 1, slug: title.toLowerCase().replace(/ /g, "-") });
    expect(typeof created.id).toBe("number");
    const duid = created.uid as string;
    expect(created.url).toBe(`/dashboards/d/${duid}`);

    const got = await json(await call(getUid, `/api/dashboards/uid/${duid}`, { auth: reader }));
    expect(got.dashboard).toMatchObject({ uid: duid, version: 1, id: created.id, title, schemaVersion: 1 });
    expect(got.meta).toMatchObject({ type: "db", folderUid: "", folderTitle: "General", provisioned: false, canEdit: false, canSave: false, version: 1, slug: created.slug, url: created.url });
    expect(Date.parse((got.meta as Json).created as string)).toBeGreaterThan(0);

    // Round trip: the GET body's dashboard posted back, as Grafana tooling does.
    const back = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { ...(got.dashboard as Json), title: `${title} v2` }, folderUid: "" } });
    expect(back.status).toBe(200);
    expect(await json(back)).toMatchObject({ uid: duid, version: 2 });

    // A stale version: 412 version-mismatch; overwrite wins.
    const stale = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { ...doc(title), uid: duid, version: 1 } } });
    expect(stale.status).toBe(412);
    expect(await json(stale)).toEqual({ message: "The dashboard was changed by someone else (version 2); reload or overwrite", status: "version-mismatch" });
    const forced = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { ...doc(title), uid: duid, version: 1 }, overwrite: true } });
    expect(await json(forced)).toMatchObject({ uid: duid, version: 3 });

    // Another dashboard of the same title in General: 412 name-exists.
    const clash = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: doc(title) } });
    expect(clash.status).toBe(412);
    expect(await json(clash)).toMatchObject({ status: "name-exists" });

    const del = await call(deleteUid, `/api/dashboards/uid/${duid}`, { method: "DELETE", auth: writer });
    expect(del.status).toBe(200);
    expect(await json(del)).toEqual({ title, message: `Dashboard ${title} deleted`, id: created.id, uid: duid });
    const gone = await call(getUid, `/api/dashboards/uid/${duid}`, { auth: reader });
    expect(gone.status).toBe(404);
    expect(await json(gone)).toEqual({ message: `Dashboard ${duid} not found` });
    expect((await call(deleteUid, `/api/dashboards/uid/${duid}`, { method: "DELETE", auth: writer })).status).toBe(404);
  });

  it("answers 400 with the reason for bad JSON, a bad dashboard or a bad uid; 404 for an unknown folder", async () => {
    const notJson = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect((await json(notJson)).message).toMatch(/not JSON/);
    const noDash = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { folderUid: "" } });
    expect(noDash.status).toBe(400);
    expect((await json(noDash)).message).toMatch(/dashboard is required/);
    const invalid = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: doc("") } });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).message).toMatch(/title/);
    const badUid = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { ...doc(`u ${uid()}`), uid: "no spaces please" } } });
    expect(badUid.status).toBe(400);
    expect((await json(badUid)).message).toMatch(/UID contains illegal characters/);
    const noFolder = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: doc(`f ${uid()}`), folderUid: "does-not-exist" } });
    expect(noFolder.status).toBe(404);
    expect((await json(noFolder)).message).toMatch(/Folder does-not-exist not found/);
    // Ours needs no more than schemaVersion and a title.
    const minimal = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: { schemaVersion: 1, title: `Minimal ${uid()}` } } });
    expect(minimal.status).toBe(200);
    expect(await json(minimal)).toMatchObject({ version: 1, status: "success" });
  });

  it("saves into a folder given by folderUid or the older numeric folderId", async () => {
    const f = await json(await call(postFolders, "/api/folders", { method: "POST", auth: writer, body: { title: `Ops ${uid()}` } }));
    const byUid = await json(await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: doc(`In folder ${uid()}`), folderUid: f.uid } }));
    const byId = await json(await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: doc(`In folder ${uid()}`), folderId: f.id } }));
    for (const d of [byUid, byId]) {
      expect(d.folderUid).toBe(f.uid);
      const got = await json(await call(getUid, `/api/dashboards/uid/${d.uid as string}`, { auth: reader }));
      expect(got.meta).toMatchObject({ folderUid: f.uid, folderTitle: f.title, folderId: f.id });
    }
  });

  it("refuses to change a provisioned dashboard (400, as Grafana)", async () => {
    const duid = `prov-http-${uid()}`;
    await provisionDashboards(getDb(), [{ uid: duid, json: doc(`Provisioned HTTP ${uid()}`), source: `/tmp/${uid()}.json` }]);
    const got = await json(await call(getUid, `/api/dashboards/uid/${duid}`, { auth: writer }));
    expect(got.meta).toMatchObject({ provisioned: true, canSave: false, canDelete: false });
    const save = await call(postDb, "/api/dashboards/db", { method: "POST", auth: writer, body: { dashboard: got.dashboard, overwrite: true } });
    expect(save.status).toBe(400);
    expect((await json(save)).message).toMatch(/provisioned .*change the file or save a copy/);
    expect((await call(deleteUid, `/api/dashboards/uid/${duid}`, { method: "DELETE", auth: writer })).status).toBe(400);
  });
});

describe("authentication and permissions", () => {
  it("401 without credentials, 403 for a key without the scope, and the folder permissions apply", async () => {
    const none = await call(search, "/api/search");
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ message: expect.stringMatching(/Authentication required/) });
    expect((await call(search, "/api/search", { auth: "Bearer lk_not_a_key" })).status).toBe(401);

    const ingest = await call(search, "/api/search", { auth: ingestOnly });
    expect(ingest.status).toBe(403);
    expect((await json(ingest)).message).toMatch(/"query" scope/);
    const readOnly = await call(postDb, "/api/dashboards/db", { method: "POST", auth: reader, body: { dashboard: doc(`r ${uid()}`) } });
    expect(readOnly.status).toBe(403);
    expect((await json(readOnly)).message).toMatch(/"admin" scope/);
    expect((await call(postFolders, "/api/folders", { method: "POST", auth: reader, body: { title: `r ${uid()}` } })).status).toBe(403);
    const denials = await auditRows({ action: "permission.denied" });
    expect(denials.some((d) => (d.details as Json | null)?.path === "/api/dashboards/db")).toBe(true);

    // HTTP Basic with the key as password works too.
    const basic = await call(search, "/api/search?type=dash-folder", { auth: basicAuth("api", reader.slice("Bearer ".length)) });
    expect(basic.status).toBe(200);

    // A folder restricted to a role: a query key (no role) does not see it; an admin key does.
    const admin = await createTestUser("Admin");
    const editor = await createTestUser("Editor");
    const f = await json(await call(postFolders, "/api/folders", { method: "POST", auth: writer, body: { title: `Locked ${uid()}` } }));
    const hidden = await saveDashboard(getDb(), admin.principal, testMeta(), { folderUid: f.uid as string, dashboard: doc(`Locked dash ${uid()}`), version: 0 });
    await setFolderPermissions(getDb(), admin.principal, testMeta(), { uid: f.uid as string, entries: [{ roleId: editor.principal.roleId, level: "edit" }] });
    expect((await call(getUid, `/api/dashboards/uid/${hidden.uid}`, { auth: reader })).status).toBe(404);
    expect((await call(getUid, `/api/dashboards/uid/${hidden.uid}`, { auth: writer })).status).toBe(200);
    const folderList = (await json(await call(getFolders, "/api/folders", { auth: reader }))) as Json[];
    expect(folderList.map((x) => x.uid)).not.toContain(f.uid);
    const searched = (await json(await call(search, `/api/search?query=${encodeURIComponent("Locked dash")}`, { auth: reader }))) as Json[];
    expect(searched.map((x) => x.uid)).not.toContain(hidden.uid);
  });

  it("accepts a session cookie (a Viewer reads, cannot write) and refuses a cross-origin cookie write", async () => {
    const viewer: TestUser = await createTestUser("Viewer");
    const signInReq = request("/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "x-forwarded-for": uniqueIp() },
      body: JSON.stringify({ email: viewer.email, password: viewer.password }),
    });
    const res = await handleEmailSignIn({ db: getDb(), redis: getRedis(), throttle: { maxFailures: 5, windowSeconds: 120 } }, signInReq, requestMeta(signInReq.headers), (r) => getAuth().handler(r));
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");

    expect((await call(search, "/api/search", { headers: { cookie } })).status).toBe(200);
    const write = await call(postFolders, "/api/folders", { method: "POST", headers: { cookie }, body: { title: `cookie ${uid()}` } });
    expect(write.status).toBe(403);
    expect((await json(write)).message).toMatch(/dashboards:write/);
    const cross = await call(postFolders, "/api/folders", { method: "POST", headers: { cookie, origin: "https://evil.example" }, body: { title: `x ${uid()}` } });
    expect(cross.status).toBe(403);
    expect((await json(cross)).message).toMatch(/Cross-origin/);
  });
});

describe("GET /api/search and /api/folders", () => {
  it("returns Grafana search hits: folders and dashboards, by query, tag, starred, type and folder", async () => {
    const word = `srch${uid()}`;
    const user = await createTestUser("Editor");
    const folderRes = await call(postFolders, "/api/folders", { method: "POST", auth: writer, body: { title: `${word} folder`, uid: `fold-${word}` } });
    expect(folderRes.status).toBe(200);
    const folder = await json(folderRes);
    expect(folder).toMatchObject({ uid: `fold-${word}`, title: `${word} folder`, canEdit: true, version: 1 });
    expect(typeof folder.id).toBe("number");
    const dup = await call(postFolders, "/api/folders", { method: "POST", auth: writer, body: { title: `${word} FOLDER` } });
    expect(dup.status).toBe(409);
    expect((await json(dup)).message).toMatch(/already exists/);
    expect((await call(postFolders, "/api/folders", { method: "POST", auth: writer, body: { title: " " } })).status).toBe(400);

    const a = await saveDashboard(getDb(), user.principal, testMeta(), { folderUid: null, dashboard: doc(`${word} alpha`, { tags: ["prod", "web"] }), version: 0 });
    const b = await saveDashboard(getDb(), user.principal, testMeta(), { folderUid: folder.uid as string, dashboard: doc(`${word} beta`, { tags: ["prod"] }), version: 0 });
    await starDashboard(getDb(), user.principal, testMeta(), { uid: b.uid, starred: true });

    const all = (await json(await call(search, `/api/search?query=${word}`, { auth: reader }))) as Json[];
    expect(all.map((h) => [h.type, h.title])).toEqual([
      ["dash-folder", `${word} folder`],
      ["dash-db", `${word} alpha`],
      ["dash-db", `${word} beta`],
    ]);
    expect(all[0]).toEqual({ id: folder.id, uid: folder.uid, title: `${word} folder`, uri: `db/${word}-folder`, url: expect.any(String), slug: `${word}-folder`, type: "dash-folder", tags: [], isStarred: false, sortMeta: 0 });
    expect(all[1]).toEqual({ id: a.numericId, uid: a.uid, title: `${word} alpha`, uri: `db/${word}-alpha`, url: `/dashboards/d/${a.uid}`, slug: `${word}-alpha`, type: "dash-db", tags: ["prod", "web"], isStarred: false, sortMeta: 0 });
    expect(all[2]).toMatchObject({ uid: b.uid, folderUid: folder.uid, folderTitle: `${word} folder`, folderId: folder.id });

    const dbOnly = (await json(await call(search, `/api/search?query=${word}&type=dash-db&tag=prod&tag=web`, { auth: reader }))) as Json[];
    expect(dbOnly.map((h) => h.uid)).toEqual([a.uid]);
    const folders = (await json(await call(search, `/api/search?query=${word}&type=dash-folder`, { auth: reader }))) as Json[];
    expect(folders.map((h) => h.uid)).toEqual([folder.uid]);
    const inFolder = (await json(await call(search, `/api/search?query=${word}&folderUIDs=${folder.uid as string}`, { auth: reader }))) as Json[];
    expect(inFolder.map((h) => h.uid)).toEqual([b.uid]);
    const byUids = (await json(await call(search, `/api/search?dashboardUIDs=${a.uid},${b.uid}`, { auth: reader }))) as Json[];
    expect(byUids.map((h) => h.uid).sort()).toEqual([a.uid, b.uid].sort());
    const paged = (await json(await call(search, `/api/search?query=${word}&limit=1&page=2`, { auth: reader }))) as Json[];
    expect(paged.map((h) => h.title)).toEqual([`${word} alpha`]);
    expect((await call(search, "/api/search?type=dash-nope", { auth: reader })).status).toBe(400);

    // Stars are a user's: a key has none.
    const starredForKey = (await json(await call(search, `/api/search?query=${word}&starred=true`, { auth: reader }))) as Json[];
    expect(starredForKey).toEqual([]);

    const list = (await json(await call(getFolders, "/api/folders", { auth: reader }))) as Json[];
    expect(list.find((x) => x.uid === folder.uid)).toEqual({ id: folder.id, uid: folder.uid, title: `${word} folder`, url: expect.any(String) });
  });
});
