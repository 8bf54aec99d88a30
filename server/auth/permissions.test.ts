import { describe, expect, it } from "vitest";
import {
  ALL_PERMISSIONS,
  ALL_SCOPES,
  API_KEY_SCOPES,
  BUILTIN_ROLES,
  PERMISSIONS,
  isPermission,
  permissionsForScopes,
  scopeFor,
  type Permission,
} from "./permissions";

describe("permission catalogue", () => {
  it("names every permission resource:action with a description", () => {
    expect(ALL_PERMISSIONS.length).toBeGreaterThan(10);
    for (const p of ALL_PERMISSIONS) {
      expect(p).toMatch(/^[a-z]+:[a-z]+$/);
      expect(PERMISSIONS[p].length).toBeGreaterThan(5);
    }
  });

  it("isPermission accepts catalogue entries only", () => {
    expect(isPermission("logs:read")).toBe(true);
    expect(isPermission("logs:delete")).toBe(false);
    expect(isPermission("toString")).toBe(false);
    expect(isPermission("")).toBe(false);
  });
});

describe("built-in roles", () => {
  it("are Admin, Editor, Viewer and Auditor, each with known permissions and no duplicates", () => {
    expect(Object.keys(BUILTIN_ROLES).sort()).toEqual(["Admin", "Auditor", "Editor", "Viewer"]);
    for (const [name, def] of Object.entries(BUILTIN_ROLES)) {
      expect(def.permissions.every(isPermission), name).toBe(true);
      expect(new Set(def.permissions).size, name).toBe(def.permissions.length);
      expect(def.description.length, name).toBeGreaterThan(0);
    }
  });

  it("Admin holds every permission", () => {
    expect([...BUILTIN_ROLES.Admin.permissions].sort()).toEqual([...ALL_PERMISSIONS].sort());
  });

  it("only Admin manages users, roles, API keys and settings", () => {
    const adminOnly: Permission[] = ["users:manage", "roles:manage", "apikeys:manage", "settings:manage", "logs:gdpr"];
    for (const role of ["Editor", "Viewer", "Auditor"] as const) {
      for (const p of adminOnly) expect(BUILTIN_ROLES[role].permissions, `${role} ${p}`).not.toContain(p);
    }
  });

  it("Viewer only reads, Editor reads all a Viewer reads and may write dashboards and alerts", () => {
    expect(BUILTIN_ROLES.Viewer.permissions.every((p) => p.endsWith(":read"))).toBe(true);
    for (const p of BUILTIN_ROLES.Viewer.permissions) expect(BUILTIN_ROLES.Editor.permissions).toContain(p);
    expect(BUILTIN_ROLES.Editor.permissions).toEqual(expect.arrayContaining(["dashboards:write", "alerts:write"]));
  });

  it("Auditor reads the audit log but no data", () => {
    expect(BUILTIN_ROLES.Auditor.permissions).toContain("audit:read");
    expect(BUILTIN_ROLES.Auditor.permissions).not.toContain("logs:read");
    expect(BUILTIN_ROLES.Auditor.permissions).not.toContain("metrics:read");
    expect(BUILTIN_ROLES.Viewer.permissions).not.toContain("audit:read");
  });
});

describe("API key scopes", () => {
  it("are ingest, query and admin", () => {
    expect(ALL_SCOPES).toEqual(["ingest", "query", "admin"]);
  });

  it("ingest grants writing logs and metrics and sending alerts, and nothing to read", () => {
    expect([...permissionsForScopes(["ingest"])].sort()).toEqual(["alerts:ingest", "logs:write", "metrics:write"]);
  });

  it("query grants reading but no writing or management", () => {
    const q = permissionsForScopes(["query"]);
    expect(q.has("logs:read")).toBe(true);
    expect(q.has("metrics:read")).toBe(true);
    expect(q.has("status:read")).toBe(true);
    expect([...q].some((p) => !p.endsWith(":read"))).toBe(false);
  });

  it("combines scopes as a union and ignores unknown ones", () => {
    const both = permissionsForScopes(["ingest", "query", "bogus"]);
    expect(both.size).toBe(API_KEY_SCOPES.ingest.length + API_KEY_SCOPES.query.length);
    expect(permissionsForScopes(["bogus"]).size).toBe(0);
    expect(permissionsForScopes([]).size).toBe(0);
    expect(permissionsForScopes(["admin"]).size).toBe(ALL_PERMISSIONS.length);
  });

  it("scopeFor names the smallest scope that grants a permission", () => {
    expect(scopeFor("logs:write")).toBe("ingest");
    expect(scopeFor("metrics:write")).toBe("ingest");
    expect(scopeFor("alerts:ingest")).toBe("ingest");
    expect(scopeFor("logs:read")).toBe("query");
    expect(scopeFor("status:read")).toBe("query");
    expect(scopeFor("users:manage")).toBe("admin");
    for (const p of ALL_PERMISSIONS) expect(permissionsForScopes([scopeFor(p)]).has(p), p).toBe(true);
  });
});
