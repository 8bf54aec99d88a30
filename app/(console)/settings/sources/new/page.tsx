import type { Metadata } from "next";
import { pageAccess } from "@/components/shell/access";
import { NoAccess } from "@/components/shell/NoAccess";
import { NewSourcePage } from "@/components/sources/SourcePage";

export const metadata: Metadata = { title: "New source" };

export default async function NewSource() {
  const { principal, allowed } = await pageAccess("sources:write");
  if (!allowed) return <NoAccess permission="sources:write" principal={principal} title="Creating a source" />;
  return <NewSourcePage />;
}
