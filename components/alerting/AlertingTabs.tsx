"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export const ALERTING_TABS = [
  { label: "Alert rules", href: "/alerting/rules" },
  { label: "Alerts", href: "/alerting/alerts" },
  { label: "Silences", href: "/alerting/silences" },
  { label: "Contact points", href: "/alerting/contact-points" },
  { label: "Notification policies", href: "/alerting/policies" },
  { label: "History", href: "/alerting/history" },
] as const;

/** The alerting sub-navigation (above every alerting page). */
export function AlertingTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Alerting" className="mb-4 border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex flex-wrap gap-1">
        {ALERTING_TABS.map((t) => {
          const active = pathname === t.href || pathname.startsWith(`${t.href}/`);
          return (
            <li key={t.href}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-3 py-2 text-sm font-medium",
                  active
                    ? "border-blue-600 text-blue-700 dark:border-blue-400 dark:text-blue-300"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
                )}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
