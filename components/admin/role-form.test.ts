import { describe, expect, it } from "vitest";
import { groupPermissions, labelMatchersFromText, roleFormFromRole } from "./role-form";

describe("role form helpers", () => {
  it("groups permissions by resource in order", () => {
    const g = groupPermissions([{ name: "logs:read" }, { name: "logs:write" }, { name: "users:read" }, { name: "logs:delete" }]);
    expect(g.map((x) => [x.resource, x.permissions.map((p) => p.name)])).toEqual([
      ["logs", ["logs:read", "logs:write", "logs:delete"]],
      ["users", ["users:read"]],
    ]);
  });

  it("splits label matchers by line", () => {
    expect(labelMatchersFromText(' team="a"\n\n env=~"prod|dev" \r\n')).toEqual(['team="a"', 'env=~"prod|dev"']);
    expect(labelMatchersFromText("")).toEqual([]);
  });

  it("fills the form from a role or blank", () => {
    expect(roleFormFromRole(null)).toEqual({ name: "", description: "", permissions: [], logQuery: "", labelMatchers: "" });
    expect(
      roleFormFromRole({ name: "Ops", description: "d", permissions: ["logs:read"], dataFilter: { logQuery: "svc:a", labelMatchers: ["a=\"1\"", "b=\"2\""] } }),
    ).toEqual({ name: "Ops", description: "d", permissions: ["logs:read"], logQuery: "svc:a", labelMatchers: 'a="1"\nb="2"' });
  });
});
