import type { Metadata } from "next";
import { Suspense } from "react";
import { Discover } from "@/components/discover/Discover";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Logs" };

export default async function ExploreLogsPage() {
  const { principal, allowed } = await pageAccess("logs:read");
  if (!allowed) return <NoAccess permission="logs:read" principal={principal} />;
  // Discover reads its query, columns and time range from the URL (useSearchParams): client-side.
  return (
    <Suspense fallback={<div className="h-40 animate-pulse rounded-md bg-slate-100 dark:bg-slate-900" aria-hidden />}>
      <Discover canRestore={principal.permissions.has("sources:write")} />
    </Suspense>
  );
}
