import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NavIcon } from "@/components/shell/NavIcon";
import { NoAccess } from "@/components/shell/NoAccess";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { TimeRangeSlot } from "@/components/ui/TimeRangeSlot";

export const metadata: Metadata = { title: "Metrics" };

export default async function ExploreMetricsPage() {
  const { principal, allowed } = await pageAccess("metrics:read");
  if (!allowed) return <NoAccess permission="metrics:read" principal={principal} />;
  return (
    <div>
      <PageHeader title="Explore metrics" description="Query metrics with PromQL and browse series and labels." actions={<TimeRangeSlot />} />
      <EmptyState title="Metrics querying is not available yet" icon={<NavIcon name="metrics" className="size-8" />}>
        Metric ingestion (remote_write, Pushgateway, OTLP, scraping) and the PromQL engine arrive in upcoming releases. This page will graph
        PromQL queries over the selected time range and browse metric names and labels.
      </EmptyState>
    </div>
  );
}
