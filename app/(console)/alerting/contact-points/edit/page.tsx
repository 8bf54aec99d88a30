import type { Metadata } from "next";
import { ContactPointEditorPage } from "@/components/alerting/ContactPointEditor";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Contact point" };

/** `/alerting/contact-points/edit?name=…` (names may hold any character, so they go in the query). */
export default async function ContactPointPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  const { name } = await searchParams;
  return <ContactPointEditorPage name={typeof name === "string" ? name : ""} canWrite={principal.permissions.has("alerts:write")} />;
}
