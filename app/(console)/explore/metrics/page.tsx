import type { Metadata } from "next";
import { Suspense } from "react";
import { MetricsExplorer } from "@/components/metrics/MetricsExplorer";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Metrics" };

export default async function ExploreMetricsPage() {
  const { principal, allowed } = await pageAccess("metrics:read");
  if (!allowed) return <NoAccess permission="metrics:read" principal={principal} />;
  // The explorer reads its queries and time range from the URL (useSearchParams): client-side only.
  return (
    <Suspense fallback={<div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-900" aria-hidden />}>
      <MetricsExplorer />
    </Suspense>
  );
}
