import type { Metadata } from "next";
import { PoliciesPage } from "@/components/alerting/PoliciesPage";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Notification policies" };

export default async function NotificationPoliciesPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <PoliciesPage canWrite={principal.permissions.has("alerts:write")} />;
}
