import type { Metadata } from "next";
import { RolesAdmin } from "@/components/admin/RolesAdmin";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage() {
  const { principal, allowed } = await pageAccess("users:read");
  if (!allowed) return <NoAccess permission="users:read" principal={principal} />;
  return <RolesAdmin canManage={principal.permissions.has("roles:manage")} />;
}
