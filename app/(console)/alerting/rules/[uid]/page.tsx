import type { Metadata } from "next";
import { RuleDetail } from "@/components/alerting/RuleDetail";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { principalName } from "@/components/alerting/author";

export const metadata: Metadata = { title: "Alert rule" };

export default async function AlertRulePage({ params }: { params: Promise<{ uid: string }> }) {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  const { uid } = await params;
  return <RuleDetail uid={uid} canWrite={principal.permissions.has("alerts:write")} canSilence={principal.permissions.has("silences:write")} user={principalName(principal)} />;
}
