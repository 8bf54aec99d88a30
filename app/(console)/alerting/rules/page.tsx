import type { Metadata } from "next";
import { RulesList } from "@/components/alerting/RulesList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Alert rules" };

export default async function AlertRulesPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <RulesList canWrite={principal.permissions.has("alerts:write")} />;
}
