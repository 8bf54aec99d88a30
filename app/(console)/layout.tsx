import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getPrincipal } from "@/components/shell/access";
import { Logo } from "@/components/shell/Logo";
import { navFor } from "@/components/shell/nav";
import { Sidebar } from "@/components/shell/Sidebar";
import { SignOutButton } from "@/components/shell/SignOutButton";
import { ThemeToggle } from "@/components/shell/ThemeToggle";
import { Badge } from "@/components/ui/Badge";
import { PATH_HEADER } from "@/proxy";

export const dynamic = "force-dynamic";

/** The console shell: permission-filtered sidebar, top bar with the user menu and theme toggle. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await getPrincipal();
  if (!principal) {
    const requested = (await headers()).get(PATH_HEADER);
    redirect(requested && requested !== "/" ? `/login?next=${encodeURIComponent(requested)}` : "/login");
  }
  const sections = navFor(principal.permissions);
  const who = principal.type === "user" ? principal.email : principal.name;
  const role = principal.type === "user" ? principal.roleName : "API key";

  return (
    <div className="flex h-screen overflow-hidden bg-slate-50 dark:bg-slate-950">
      <aside className="flex w-52 shrink-0 flex-col border-r border-slate-200 bg-slate-100/70 dark:border-slate-800 dark:bg-slate-900">
        <Link href="/" className="flex h-12 shrink-0 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
          <Logo />
          <span className="text-[15px] font-semibold tracking-tight">Lookout</span>
        </Link>
        <Sidebar sections={sections} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center justify-end gap-2 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
          <ThemeToggle />
          <div role="group" aria-label="User menu" className="flex items-center gap-2 border-l border-slate-200 pl-3 dark:border-slate-800">
            <span className="flex size-6 items-center justify-center rounded-full bg-slate-200 text-[11px] font-semibold text-slate-700 uppercase dark:bg-slate-700 dark:text-slate-200" aria-hidden>
              {who.slice(0, 1)}
            </span>
            <span className="text-sm" data-testid="user-email">
              {who}
            </span>
            <Badge tone="blue">
              <span data-testid="user-role">{role}</span>
            </Badge>
            <SignOutButton />
          </div>
        </header>
        <main className="flex-1 overflow-y-auto px-6 py-5">{children}</main>
      </div>
    </div>
  );
}
