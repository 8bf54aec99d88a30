import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { ScrapeJobsList } from "@/components/scrape/ScrapeJobsList";

export const metadata: Metadata = { title: "Scrape targets" };

export default async function ScrapeTargetsPage() {
  const { principal, allowed } = await pageAccess("metrics:read");
  if (!allowed) return <NoAccess permission="metrics:read" principal={principal} />;
  return <ScrapeJobsList canWrite={principal.permissions.has("targets:write")} />;
}
