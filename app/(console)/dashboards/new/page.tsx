import type { Metadata } from "next";
import { Suspense } from "react";
import { NewDashboard } from "@/components/dashboards/NewDashboard";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "New dashboard" };

export default async function NewDashboardPage() {
  const { principal, allowed } = await pageAccess("dashboards:write");
  if (!allowed) return <NoAccess permission="dashboards:write" principal={principal} />;
  return (
    <Suspense fallback={<div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-900" aria-hidden />}>
      <NewDashboard canReadAlerts={principal.permissions.has("alerts:read")} />
    </Suspense>
  );
}
