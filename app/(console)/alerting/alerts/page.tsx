import type { Metadata } from "next";
import { AlertsList } from "@/components/alerting/AlertsList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { principalName } from "@/components/alerting/author";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <AlertsList canSilence={principal.permissions.has("silences:write")} user={principalName(principal)} />;
}
