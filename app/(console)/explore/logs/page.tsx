import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NavIcon } from "@/components/shell/NavIcon";
import { NoAccess } from "@/components/shell/NoAccess";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { TimeRangeSlot } from "@/components/ui/TimeRangeSlot";

export const metadata: Metadata = { title: "Logs" };

export default async function ExploreLogsPage() {
  const { principal, allowed } = await pageAccess("logs:read");
  if (!allowed) return <NoAccess permission="logs:read" principal={principal} />;
  return (
    <div>
      <PageHeader title="Explore logs" description="Search log lines across sources with the log query language." actions={<TimeRangeSlot />} />
      <EmptyState title="Log search is not available yet" icon={<NavIcon name="logs" className="size-8" />}>
        Ingestion and Discover arrive in upcoming releases. This page will search logs from every source (NDJSON, Elasticsearch bulk, Loki, OTLP,
        syslog) for the selected time range, with a histogram and field statistics.
      </EmptyState>
    </div>
  );
}
