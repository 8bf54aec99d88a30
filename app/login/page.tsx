import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/LoginForm";
import { Logo } from "@/components/shell/Logo";
import { ThemeToggle } from "@/components/shell/ThemeToggle";
import { currentPrincipal } from "@/server/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await currentPrincipal()) redirect("/");
  const { next } = await searchParams;
  return (
    <div className="flex min-h-screen flex-col bg-slate-100 dark:bg-slate-950">
      <div className="flex justify-end p-3">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-[12vh]">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex items-center justify-center gap-2">
            <Logo className="size-8" />
            <span className="text-xl font-semibold tracking-tight">Lookout</span>
          </div>
          <div className="rounded-md border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h1 className="mb-4 text-base font-semibold">Sign in to Lookout</h1>
            <LoginForm next={typeof next === "string" ? next : undefined} />
          </div>
          <p className="mt-4 text-center text-xs text-slate-500 dark:text-slate-400">Accounts are created by an administrator.</p>
        </div>
      </main>
    </div>
  );
}
