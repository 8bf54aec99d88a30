import type { Metadata } from "next";
import { RuleEditorPage } from "@/components/alerting/RuleEditor";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Edit alert rule" };

export default async function EditAlertRulePage({ params }: { params: Promise<{ uid: string }> }) {
  const { principal, allowed } = await pageAccess("alerts:write");
  if (!allowed) return <NoAccess permission="alerts:write" principal={principal} title="Editing an alert rule" />;
  const { uid } = await params;
  return <RuleEditorPage uid={uid} />;
}
