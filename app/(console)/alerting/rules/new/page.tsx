import type { Metadata } from "next";
import { RuleEditorPage } from "@/components/alerting/RuleEditor";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "New alert rule" };

export default async function NewAlertRulePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, allowed } = await pageAccess("alerts:write");
  if (!allowed) return <NoAccess permission="alerts:write" principal={principal} title="Creating an alert rule" />;
  const { group } = await searchParams;
  return <RuleEditorPage uid={null} groupId={typeof group === "string" ? group : null} />;
}
