import { redirect } from "next/navigation";
import { requirePrincipal } from "@/components/shell/access";
import { navFor } from "@/components/shell/nav";
import { NoAccess } from "@/components/shell/NoAccess";

/** /admin goes to the first admin page the user may open. */
export default async function AdminIndexPage() {
  const principal = await requirePrincipal();
  const first = navFor(principal.permissions).find((s) => s.id === "admin")?.items[0];
  if (first) redirect(first.href);
  return <NoAccess permission="users:read" principal={principal} />;
}
