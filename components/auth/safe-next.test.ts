import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps same-site paths", () => {
    expect(safeNext("/admin/users")).toBe("/admin/users");
    expect(safeNext("/admin/audit?from=now-1h&to=now")).toBe("/admin/audit?from=now-1h&to=now");
  });

  it("refuses anything else", () => {
    for (const bad of [undefined, null, "", "https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      expect(safeNext(bad)).toBe("/");
    }
  });
});
