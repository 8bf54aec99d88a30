import { beforeAll, describe, expect, it } from "vitest";
import { auditRows, callerFor, createTestUser, expectTrpcError, uid, type TestUser } from "@/test/helpers";
import type { DashboardInput } from "./model";

const doc = (title: string, expr = "up"): DashboardInput => ({
  schemaVersion: 1,
  title,
  panels: [{ id: 1, type: "timeseries", title: "Up", gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ kind: "promql", refId: "A", expr }] }],
});

let editor: TestUser;
let viewer: TestUser;
let auditor: TestUser;
let admin: TestUser;
beforeAll(async () => {
  editor = await createTestUser("Editor");
  viewer = await createTestUser("Viewer");
  auditor = await createTestUser("Auditor");
  admin = await createTestUser("Admin");
});

describe("dashboards router", () => {
  it("an Editor goes through the whole cycle with the shapes the UI reads", async () => {
    const c = callerFor(editor.principal);
    const title = `Router ${uid()}`;
    const folder = await c.folders.create({ title: `Router folder ${uid()}` });
    expect(folder).toMatchObject({ canEdit: true });
    const saved = await c.dashboards.save({ folderUid: folder.uid, dashboard: doc(title), version: 0, message: "first" });
    expect(saved).toMatchObject({ version: 1 });
    const v2 = await c.dashboards.save({ uid: saved.uid, folderUid: folder.uid, dashboard: doc(title, "sum(up)"), version: 1 });
    expect(v2.version).toBe(2);

    const d = await c.dashboards.byUid({ uid: saved.uid });
    expect(d).toMatchObject({ uid: saved.uid, version: 2, folderUid: folder.uid, folderTitle: folder.title, canEdit: true, provisioned: false, starred: false });
    expect(d.dashboard.title).toBe(title);

    const list = await c.dashboards.list({ query: title });
    expect(list).toEqual([expect.objectContaining({ uid: saved.uid, title, folderUid: folder.uid, folderTitle: folder.title, tags: [], starred: false, provisioned: false })]);
    await c.dashboards.star({ uid: saved.uid, starred: true });
    expect((await c.dashboards.list({ starred: true })).map((x) => x.uid)).toContain(saved.uid);

    const versions = await c.dashboards.versions({ uid: saved.uid });
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]).toMatchObject({ createdBy: editor.email, message: "first" });
    expect((await c.dashboards.diff({ uid: saved.uid, from: 1, to: 2 })).diff).toContain('+          "expr": "sum(up)"');
    const restored = await c.dashboards.restore({ uid: saved.uid, version: 1 });
    expect(restored.version).toBe(3);

    // The stale version from the editor's screen: CONFLICT, with the message the UI matches on.
    const conflict = await expectTrpcError(c.dashboards.save({ uid: saved.uid, folderUid: folder.uid, dashboard: doc(title), version: 2 }), "CONFLICT");
    expect(conflict.message).toMatch(/changed by someone else \(version 3\)/);

    const imported = await c.dashboards.import({ json: { ...doc(`Imported ${uid()}`), variables: [] }, asCopy: false, overwrite: false });
    expect(imported).toMatchObject({ version: 1, unsupported: [], warnings: [] });

    expect(await c.folders.permissions({ uid: folder.uid })).toEqual([]);
    await c.folders.rename({ uid: folder.uid, title: `${folder.title} 2` });
    await expectTrpcError(c.folders.delete({ uid: folder.uid }), "CONFLICT");
    await c.dashboards.delete({ uid: saved.uid });
    await c.folders.delete({ uid: folder.uid });
    expect((await c.folders.list()).map((f) => f.uid)).not.toContain(folder.uid);
  });

  it("gives field errors for an invalid dashboard", async () => {
    const err = await expectTrpcError(callerFor(editor.principal).dashboards.save({ folderUid: null, dashboard: { ...doc("x"), panels: [{ id: 1, type: "timeseries", gridPos: { x: 30, y: 0, w: 1, h: 1 } }] } as never, version: 0 }), "BAD_REQUEST");
    expect(err.message).toMatch(/gridPos/);
  });

  it("a Viewer reads and stars but every change is refused and audited", async () => {
    const mine = await callerFor(editor.principal).dashboards.save({ folderUid: null, dashboard: doc(`Viewer sees ${uid()}`), version: 0 });
    const c = callerFor(viewer.principal);
    expect((await c.dashboards.byUid({ uid: mine.uid })).canEdit).toBe(false);
    expect(await c.dashboards.versions({ uid: mine.uid })).toHaveLength(1);
    await c.dashboards.star({ uid: mine.uid, starred: true });
    expect(Array.isArray(await c.folders.list())).toBe(true);

    const attempts: [string, () => Promise<unknown>][] = [
      ["dashboards.save", () => c.dashboards.save({ uid: mine.uid, folderUid: null, dashboard: doc("hijack"), version: 1 })],
      ["dashboards.delete", () => c.dashboards.delete({ uid: mine.uid })],
      ["dashboards.restore", () => c.dashboards.restore({ uid: mine.uid, version: 1 })],
      ["dashboards.import", () => c.dashboards.import({ json: doc("x"), asCopy: true, overwrite: false })],
      ["folders.create", () => c.folders.create({ title: `v ${uid()}` })],
      ["folders.rename", () => c.folders.rename({ uid: "x", title: "y" })],
      ["folders.delete", () => c.folders.delete({ uid: "x" })],
      ["folders.setPermissions", () => c.folders.setPermissions({ uid: "x", entries: [] })],
    ];
    for (const [procedure, attempt] of attempts) {
      const err = await expectTrpcError(attempt(), "FORBIDDEN");
      expect(err.message).toBe("Missing permission dashboards:write");
      const denied = await auditRows({ action: "permission.denied", actorId: viewer.id });
      expect(denied.some((r) => (r.details as { procedure?: string }).procedure === procedure)).toBe(true);
    }
    expect((await c.dashboards.byUid({ uid: mine.uid })).version).toBe(1);
  });

  it("a role without dashboards:read sees nothing; a visitor must sign in", async () => {
    const c = callerFor(auditor.principal);
    await expectTrpcError(c.dashboards.list(), "FORBIDDEN");
    await expectTrpcError(c.folders.list(), "FORBIDDEN");
    await expectTrpcError(c.dashboards.byUid({ uid: "x" }), "FORBIDDEN");
    await expectTrpcError(callerFor(null).dashboards.list(), "UNAUTHORIZED");
  });

  it("folder permissions apply behind the router: a hidden dashboard is NOT_FOUND", async () => {
    const a = callerFor(admin.principal);
    const folder = await a.folders.create({ title: `Hidden ${uid()}` });
    const d = await a.dashboards.save({ folderUid: folder.uid, dashboard: doc(`Hidden dash ${uid()}`), version: 0 });
    await a.folders.setPermissions({ uid: folder.uid, entries: [{ roleId: admin.principal.roleId, level: "edit" }] });
    const e = callerFor(editor.principal);
    await expectTrpcError(e.dashboards.byUid({ uid: d.uid }), "NOT_FOUND");
    await expectTrpcError(e.folders.permissions({ uid: folder.uid }), "NOT_FOUND");
    expect((await e.dashboards.list()).map((x) => x.uid)).not.toContain(d.uid);
    expect((await e.folders.list()).map((x) => x.uid)).not.toContain(folder.uid);
    expect(await a.folders.permissions({ uid: folder.uid })).toEqual([{ roleId: admin.principal.roleId, level: "edit" }]);
  });
});
