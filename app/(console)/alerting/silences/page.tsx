import type { Metadata } from "next";
import { SilencesList } from "@/components/alerting/SilencesList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { principalName } from "@/components/alerting/author";

export const metadata: Metadata = { title: "Silences" };

export default async function SilencesPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <SilencesList canWrite={principal.permissions.has("silences:write")} user={principalName(principal)} />;
}
