import { describe, expect, it } from "vitest";
import { BUILTIN_ROLES } from "@/server/auth/permissions";
import { isActive, navFor } from "./nav";

const labels = (perms: readonly string[]) => navFor(perms).flatMap((s) => s.items.map((i) => i.label));

describe("navFor", () => {
  it("shows everything to an Admin", () => {
    expect(labels(BUILTIN_ROLES.Admin.permissions)).toEqual([
      "Home",
      "Logs",
      "Metrics",
      "Dashboards",
      "Alerting",
      "Sources",
      "Scrape targets",
      "Retention",
      "Users",
      "Roles",
      "Service accounts",
      "Audit log",
      "Status",
    ]);
  });

  it("drops the whole Admin section for a Viewer", () => {
    const sections = navFor(BUILTIN_ROLES.Viewer.permissions);
    expect(sections.find((s) => s.id === "admin")).toBeUndefined();
    expect(labels(BUILTIN_ROLES.Viewer.permissions)).toEqual(["Home", "Logs", "Metrics", "Dashboards", "Alerting", "Sources", "Scrape targets", "Retention", "Status"]);
  });

  it("gives an Auditor the admin pages and retention (sizes, not data) but no data", () => {
    expect(labels(BUILTIN_ROLES.Auditor.permissions)).toEqual(["Home", "Retention", "Users", "Roles", "Service accounts", "Audit log", "Status"]);
  });

  it("keeps only Audit log for audit:read alone", () => {
    expect(navFor(["audit:read"]).find((s) => s.id === "admin")?.items.map((i) => i.label)).toEqual(["Audit log"]);
  });

  it("shows Settings → Sources with sources:read only", () => {
    expect(navFor(["sources:read"]).find((s) => s.id === "settings")).toEqual({
      id: "settings",
      title: "Settings",
      items: [{ label: "Sources", href: "/settings/sources", permission: "sources:read", icon: "sources" }],
    });
    expect(navFor(["sources:write"]).find((s) => s.id === "settings")).toBeUndefined();
    expect(navFor(["metrics:read"]).find((s) => s.id === "settings")?.items.map((i) => i.label)).toEqual(["Scrape targets"]);
    expect(navFor(["targets:write"]).find((s) => s.id === "settings")).toBeUndefined();
    expect(navFor(BUILTIN_ROLES.Auditor.permissions).find((s) => s.id === "settings")?.items.map((i) => i.label)).toEqual(["Retention"]);
    expect(navFor(["status:read"]).find((s) => s.id === "settings")?.items.map((i) => i.label)).toEqual(["Retention"]);
  });

  it("shows only Home without permissions", () => {
    expect(labels([])).toEqual(["Home"]);
  });
});

describe("isActive", () => {
  it("matches by prefix except for Home", () => {
    expect(isActive("/", "/")).toBe(true);
    expect(isActive("/", "/status")).toBe(false);
    expect(isActive("/admin/users", "/admin/users")).toBe(true);
    expect(isActive("/dashboards", "/dashboards/abc")).toBe(true);
    expect(isActive("/admin/users", "/admin/users-x")).toBe(false);
  });
});
