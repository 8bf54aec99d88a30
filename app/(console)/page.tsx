import type { Metadata } from "next";
import Link from "next/link";
import { requirePrincipal } from "@/components/shell/access";
import { navFor } from "@/components/shell/nav";
import { NavIcon } from "@/components/shell/NavIcon";
import { PageHeader } from "@/components/ui/PageHeader";
import type { Permission } from "@/server/auth/permissions";

export const metadata: Metadata = { title: "Home" };

const CARDS: Record<string, { title: string; readOnlyTitle?: string; manage?: Permission; blurb: string }> = {
  "/explore/logs": { title: "Search logs", blurb: "Search and filter log lines from every source." },
  "/explore/metrics": { title: "Query metrics", blurb: "Graph PromQL queries and browse series." },
  "/dashboards": { title: "Browse dashboards", blurb: "Panels of logs and metrics, shared with your team." },
  "/alerting": { title: "Review alerts", blurb: "Alert rules, firing alerts, silences and notifications." },
  "/settings/sources": {
    title: "Manage log sources",
    readOnlyTitle: "View log sources",
    manage: "sources:write",
    blurb: "Where logs arrive: parsing pipelines, retention, dead letters.",
  },
  "/admin/users": { title: "Manage users", readOnlyTitle: "View users", manage: "users:manage", blurb: "Create users, change their roles, disable accounts." },
  "/admin/roles": { title: "Manage roles", readOnlyTitle: "View roles", manage: "roles:manage", blurb: "Built-in and custom roles and their permissions." },
  "/admin/service-accounts": { title: "Manage API keys", readOnlyTitle: "View API keys", manage: "apikeys:manage", blurb: "Service accounts and the API keys they own." },
  "/admin/audit": { title: "Read the audit log", blurb: "Every change, sign-in and permission denial." },
  "/status": { title: "Check system status", blurb: "PostgreSQL, Redis, queues and workers." },
};

export default async function HomePage() {
  const principal = await requirePrincipal();
  const sections = navFor(principal.permissions).filter((s) => s.id !== "home");
  const cardTitle = (href: string, fallback: string) => {
    const c = CARDS[href];
    if (!c) return fallback;
    return c.manage && !principal.permissions.has(c.manage) ? (c.readOnlyTitle ?? c.title) : c.title;
  };
  const name = principal.type === "user" ? principal.name || principal.email : principal.name;
  return (
    <div className="max-w-5xl">
      <PageHeader title={`Welcome, ${name}`} description="Lookout: logs, metrics, dashboards and alerting in one self-hosted console." />
      {sections.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Your role does not grant access to any section yet. Ask an administrator for a role with the permissions you need.
        </p>
      ) : (
        <div className="space-y-6">
          {sections.map((s) => (
            <section key={s.id} aria-labelledby={`home-${s.id}`}>
              <h2 id={`home-${s.id}`} className="mb-2 text-xs font-semibold tracking-wider text-slate-500 uppercase dark:text-slate-400">
                {s.title ?? (s.id === "observe" ? "Observe" : "System")}
              </h2>
              <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
                {s.items.map((item) => (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      className="group flex h-full gap-3 rounded-md border border-slate-200 bg-white p-4 hover:border-blue-400 hover:shadow-sm dark:border-slate-800 dark:bg-slate-900 dark:hover:border-blue-700"
                    >
                      <span className="mt-0.5 text-slate-400 group-hover:text-blue-600 dark:group-hover:text-blue-400">
                        <NavIcon name={item.icon} className="size-5" />
                      </span>
                      <span>
                        <span className="block text-sm font-semibold">{cardTitle(item.href, item.label)}</span>
                        <span className="mt-0.5 block text-xs text-slate-500 dark:text-slate-400">{CARDS[item.href]?.blurb}</span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
