import type { Metadata } from "next";
import { env } from "@/env";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { SourcePage } from "@/components/sources/SourcePage";

export const metadata: Metadata = { title: "Source" };

export default async function Source({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, allowed } = await pageAccess("sources:read");
  if (!allowed) return <NoAccess permission="sources:read" principal={principal} />;
  const { id } = await params;
  const { created } = await searchParams;
  const e = env();
  return <SourcePage id={id} canWrite={principal.permissions.has("sources:write")} created={created === "1"} syslog={{ port: e.LOOKOUT_SYSLOG_PORT, bind: e.LOOKOUT_SYSLOG_BIND, source: e.LOOKOUT_SYSLOG_SOURCE }} />;
}
