import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { ScrapeJobPage } from "@/components/scrape/ScrapeJobPage";

export const metadata: Metadata = { title: "Scrape job" };

export default async function ScrapeJob({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, allowed } = await pageAccess("metrics:read");
  if (!allowed) return <NoAccess permission="metrics:read" principal={principal} />;
  const { id } = await params;
  const { created } = await searchParams;
  return <ScrapeJobPage id={id} canWrite={principal.permissions.has("targets:write")} created={created === "1"} />;
}
