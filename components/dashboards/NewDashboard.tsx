"use client";

import { useState } from "react";
import { emptyDashboard } from "@/server/dashboards/model";
import { DashboardScreen } from "./DashboardView";

/** A new, unsaved dashboard in edit mode; the first save gives it a uid and its own URL. */
export function NewDashboard({ canReadAlerts }: { canReadAlerts?: boolean }) {
  const [dashboard] = useState(() => emptyDashboard("New dashboard"));
  return <DashboardScreen loaded={{ uid: null, version: 0, folderUid: null, folderTitle: null, dashboard, canEdit: true, provisioned: false, starred: false }} canReadAlerts={canReadAlerts} />;
}
