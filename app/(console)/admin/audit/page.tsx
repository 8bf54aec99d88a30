import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLog } from "@/components/admin/AuditLog";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { principal, allowed } = await pageAccess("audit:read");
  if (!allowed) return <NoAccess permission="audit:read" principal={principal} />;
  return (
    <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}>
      <AuditLog />
    </Suspense>
  );
}
