import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NavIcon } from "@/components/shell/NavIcon";
import { NoAccess } from "@/components/shell/NoAccess";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";

export const metadata: Metadata = { title: "Alerting" };

export default async function AlertingPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return (
    <div>
      <PageHeader title="Alerting" description="Alert rules, firing alerts, silences, contact points and notification policies." />
      <EmptyState title="Alerting is not available yet" icon={<NavIcon name="alerting" className="size-8" />}>
        Alert rules (Prometheus rule format), evaluation, silences and notifications (webhook, Slack, email, PagerDuty) arrive in upcoming
        releases. No rules are evaluated yet.
      </EmptyState>
    </div>
  );
}
