import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { NewScrapeJobPage } from "@/components/scrape/ScrapeJobPage";

export const metadata: Metadata = { title: "New scrape job" };

export default async function NewScrapeJob() {
  const { principal, allowed } = await pageAccess("targets:write");
  if (!allowed) return <NoAccess permission="targets:write" principal={principal} title="Creating a scrape job" />;
  return <NewScrapeJobPage />;
}
