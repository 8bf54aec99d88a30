import type { Metadata } from "next";
import { DashboardList } from "@/components/dashboards/DashboardList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Dashboards" };

export default async function DashboardsPage() {
  const { principal, allowed } = await pageAccess("dashboards:read");
  if (!allowed) return <NoAccess permission="dashboards:read" principal={principal} />;
  return (
    <div className="space-y-4">
      <PageHeader title="Dashboards" description="Panels of logs and metrics, organised in folders." />
      <DashboardList canWrite={principal.permissions.has("dashboards:write")} />
    </div>
  );
}
