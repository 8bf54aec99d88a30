import type { Metadata } from "next";
import { UsersAdmin } from "@/components/admin/UsersAdmin";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const { principal, allowed } = await pageAccess("users:read");
  if (!allowed) return <NoAccess permission="users:read" principal={principal} />;
  return <UsersAdmin canManage={principal.permissions.has("users:manage")} currentUserId={principal.id} />;
}
