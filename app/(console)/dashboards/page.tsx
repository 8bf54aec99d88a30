import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NavIcon } from "@/components/shell/NavIcon";
import { NoAccess } from "@/components/shell/NoAccess";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { TimeRangeSlot } from "@/components/ui/TimeRangeSlot";

export const metadata: Metadata = { title: "Dashboards" };

export default async function DashboardsPage() {
  const { principal, allowed } = await pageAccess("dashboards:read");
  if (!allowed) return <NoAccess permission="dashboards:read" principal={principal} />;
  return (
    <div>
      <PageHeader title="Dashboards" description="Panels of logs and metrics, organised in folders." actions={<TimeRangeSlot />} />
      <EmptyState title="Dashboards are not available yet" icon={<NavIcon name="dashboards" className="size-8" />}>
        Dashboards arrive in an upcoming release: panels over logs and metrics, folders, Grafana dashboard import and the Grafana dashboard
        HTTP API. There is nothing to show here until then.
      </EmptyState>
    </div>
  );
}
