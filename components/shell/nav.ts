import type { Permission } from "@/server/auth/permissions";

export type NavIcon = "home" | "logs" | "metrics" | "dashboards" | "alerting" | "users" | "roles" | "keys" | "audit" | "status" | "sources" | "targets" | "retention";
export type NavItem = { label: string; href: string; permission: Permission | null; icon: NavIcon };
export type NavSection = { id: string; title: string | null; items: NavItem[] };

/** The console navigation; each entry needs a permission (null: everyone signed in). */
export const NAV: readonly NavSection[] = [
  { id: "home", title: null, items: [{ label: "Home", href: "/", permission: null, icon: "home" }] },
  {
    id: "explore",
    title: "Explore",
    items: [
      { label: "Logs", href: "/explore/logs", permission: "logs:read", icon: "logs" },
      { label: "Metrics", href: "/explore/metrics", permission: "metrics:read", icon: "metrics" },
    ],
  },
  {
    id: "observe",
    title: null,
    items: [
      { label: "Dashboards", href: "/dashboards", permission: "dashboards:read", icon: "dashboards" },
      { label: "Alerting", href: "/alerting", permission: "alerts:read", icon: "alerting" },
    ],
  },
  {
    id: "settings",
    title: "Settings",
    items: [
      { label: "Sources", href: "/settings/sources", permission: "sources:read", icon: "sources" },
      { label: "Scrape targets", href: "/settings/scrape-targets", permission: "metrics:read", icon: "targets" },
      { label: "Retention", href: "/settings/retention", permission: "status:read", icon: "retention" },
    ],
  },
  {
    id: "admin",
    title: "Admin",
    items: [
      { label: "Users", href: "/admin/users", permission: "users:read", icon: "users" },
      { label: "Roles", href: "/admin/roles", permission: "users:read", icon: "roles" },
      { label: "Service accounts", href: "/admin/service-accounts", permission: "users:read", icon: "keys" },
      { label: "Audit log", href: "/admin/audit", permission: "audit:read", icon: "audit" },
    ],
  },
  { id: "system", title: null, items: [{ label: "Status", href: "/status", permission: "status:read", icon: "status" }] },
];

/** The sections and entries a principal with `permissions` may see; empty sections are dropped. */
export function navFor(permissions: Iterable<string>): NavSection[] {
  const has = new Set(permissions);
  return NAV.map((s) => ({ ...s, items: s.items.filter((i) => i.permission === null || has.has(i.permission)) })).filter((s) => s.items.length > 0);
}

/** Whether `href` is the active entry for `pathname` (prefix match, except Home). */
export function isActive(href: string, pathname: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
