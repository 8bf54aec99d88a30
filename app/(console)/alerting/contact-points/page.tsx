import type { Metadata } from "next";
import { ContactPointsList } from "@/components/alerting/ContactPointsList";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "Contact points" };

export default async function ContactPointsPage() {
  const { principal, allowed } = await pageAccess("alerts:read");
  if (!allowed) return <NoAccess permission="alerts:read" principal={principal} />;
  return <ContactPointsList canWrite={principal.permissions.has("alerts:write")} />;
}
