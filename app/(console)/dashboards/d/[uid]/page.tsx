import type { Metadata } from "next";
import { Suspense } from "react";
import { DashboardView } from "@/components/dashboards/DashboardView";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ params }: { params: Promise<{ uid: string }> }) {
  const { principal, allowed } = await pageAccess("dashboards:read");
  if (!allowed) return <NoAccess permission="dashboards:read" principal={principal} />;
  const { uid } = await params;
  // The dashboard keeps its range, refresh and variables in the URL (useSearchParams): client-side.
  return (
    <Suspense fallback={<div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-900" aria-hidden />}>
      <DashboardView uid={uid} canReadAlerts={principal.permissions.has("alerts:read")} />
    </Suspense>
  );
}
