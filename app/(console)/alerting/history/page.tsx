import type { Metadata } from "next";
import { HistoryList } from "@/components/alerting/HistoryList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Alert history" };

export default async function AlertHistoryPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <HistoryList />;
}
