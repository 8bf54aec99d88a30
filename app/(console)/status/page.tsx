import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { SystemStatusView } from "@/components/status/SystemStatusView";

export const metadata: Metadata = { title: "Status" };

export default async function StatusPage() {
  const { principal, allowed } = await pageAccess("status:read");
  if (!allowed) return <NoAccess permission="status:read" principal={principal} />;
  return <SystemStatusView />;
}
