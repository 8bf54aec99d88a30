import type { Metadata } from "next";
import { ServiceAccountsAdmin } from "@/components/admin/ServiceAccountsAdmin";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage() {
  const { principal, allowed } = await pageAccess("users:read");
  if (!allowed) return <NoAccess permission="users:read" principal={principal} />;
  return <ServiceAccountsAdmin canManage={principal.permissions.has("apikeys:manage")} />;
}
