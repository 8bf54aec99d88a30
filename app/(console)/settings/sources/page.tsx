import type { Metadata } from "next";
import { env } from "@/env";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { SourcesList } from "@/components/sources/SourcesList";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  const { principal, allowed } = await pageAccess("sources:read");
  if (!allowed) return <NoAccess permission="sources:read" principal={principal} />;
  const e = env();
  return <SourcesList canWrite={principal.permissions.has("sources:write")} syslog={{ port: e.LOOKOUT_SYSLOG_PORT, bind: e.LOOKOUT_SYSLOG_BIND, source: e.LOOKOUT_SYSLOG_SOURCE }} />;
}
