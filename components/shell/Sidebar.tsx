"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { isActive, type NavSection } from "./nav";
import { NavIcon } from "./NavIcon";

/** The left navigation; `sections` are already filtered by permission on the server. */
export function Sidebar({ sections }: { sections: NavSection[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex-1 space-y-4 overflow-y-auto px-2 py-3">
      {sections.map((section) => {
        const list = (
          <ul className="space-y-px">
            {section.items.map((item) => {
              const active = isActive(item.href, pathname);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 rounded px-2 py-1.5 text-sm",
                      active
                        ? "bg-blue-600/10 font-medium text-blue-700 dark:bg-blue-500/15 dark:text-blue-300"
                        : "text-slate-700 hover:bg-slate-200/60 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white",
                    )}
                  >
                    <NavIcon name={item.icon} />
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        );
        if (!section.title) return <div key={section.id}>{list}</div>;
        const headingId = `nav-${section.id}-heading`;
        return (
          <div key={section.id} role="group" aria-labelledby={headingId} data-testid={`nav-${section.id}`}>
            <h2 id={headingId} className="mb-1 px-2 text-[11px] font-semibold tracking-wider text-slate-500 uppercase dark:text-slate-500">
              {section.title}
            </h2>
            {list}
          </div>
        );
      })}
    </nav>
  );
}
