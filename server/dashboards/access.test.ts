import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES, permissionsForScopes, type Permission } from "@/server/auth/permissions";
import type { Principal } from "@/server/auth/principal";
import { folderAccess } from "./access";

const user = (roleId: string, permissions: readonly Permission[]): Principal => ({
  type: "user",
  id: `u-${roleId}`,
  name: roleId,
  email: `${roleId}@example.test`,
  roleId,
  roleName: roleId,
  permissions: new Set(permissions),
  dataFilter: null,
  sessionId: "s",
});
const key = (scopes: string[]): Principal => ({ type: "service_account", id: "sa", name: "sa", apiKeyId: "k", scopes, permissions: permissionsForScopes(scopes), dataFilter: null });

const admin = user("admin", BUILTIN_ROLES.Admin.permissions);
const editor = user("editor", BUILTIN_ROLES.Editor.permissions);
const viewer = user("viewer", BUILTIN_ROLES.Viewer.permissions);
const auditor = user("auditor", BUILTIN_ROLES.Auditor.permissions);

describe("folderAccess", () => {
  it("follows the role permissions when the folder has no entries", () => {
    expect(folderAccess(admin, [])).toBe("edit");
    expect(folderAccess(editor, [])).toBe("edit");
    expect(folderAccess(viewer, [])).toBe("view");
    expect(folderAccess(auditor, [])).toBe("none");
    expect(folderAccess(key(["query"]), [])).toBe("view");
    expect(folderAccess(key(["ingest"]), [])).toBe("none");
  });

  it("restricts to the roles listed; edit still needs dashboards:write; admins always edit", () => {
    const entries = [
      { roleId: "viewer", level: "edit" as const },
      { roleId: "auditor", level: "view" as const },
    ];
    expect(folderAccess(editor, entries)).toBe("none");
    expect(folderAccess(viewer, entries)).toBe("view");
    expect(folderAccess(auditor, entries)).toBe("none");
    expect(folderAccess(user("editor", BUILTIN_ROLES.Editor.permissions), [{ roleId: "editor", level: "view" }])).toBe("view");
    expect(folderAccess(user("editor", BUILTIN_ROLES.Editor.permissions), [{ roleId: "editor", level: "edit" }])).toBe("edit");
    expect(folderAccess(admin, entries)).toBe("edit");
    expect(folderAccess(user("roles", ["roles:manage"]), entries)).toBe("edit");
    expect(folderAccess(key(["query"]), entries)).toBe("none");
    expect(folderAccess(key(["admin"]), entries)).toBe("edit");
  });
});
