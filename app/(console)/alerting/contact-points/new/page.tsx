import type { Metadata } from "next";
import { ContactPointEditorPage } from "@/components/alerting/ContactPointEditor";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";

export const metadata: Metadata = { title: "New contact point" };

export default async function NewContactPointPage() {
  const { principal, allowed } = await pageAccess("alerts:write");
  if (!allowed) return <NoAccess permission="alerts:write" principal={principal} title="Creating a contact point" />;
  return <ContactPointEditorPage name={null} canWrite />;
}
