import type { ReactNode } from "react";
import { AlertingTabs } from "@/components/alerting/AlertingTabs";
import { pageAccess } from "@/components/shell/access";

/** Alerting: its sub-navigation above each page (pages check their own permissions). */
export default async function AlertingLayout({ children }: { children: ReactNode }) {
  const { allowed } = await pageAccess("alerts:read");
  return (
    <div>
      {allowed && <AlertingTabs />}
      {children}
    </div>
  );
}
