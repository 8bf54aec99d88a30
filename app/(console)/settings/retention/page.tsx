import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { RetentionView } from "@/components/retention/RetentionView";

export const metadata: Metadata = { title: "Retention" };

export default async function RetentionPage() {
  const { principal, allowed } = await pageAccess("status:read");
  if (!allowed) return <NoAccess permission="status:read" principal={principal} />;
  return <RetentionView canManage={principal.permissions.has("settings:manage")} canGdpr={principal.permissions.has("logs:gdpr")} />;
}
