/**
 * The dashboards Lookout ships: self-monitoring, the host, and the RED view of the demo service.
 * Each is a validated dashboard of our model (server/dashboards/model.ts), provisioned into the
 * "Lookout" folder.
 */
import type { Dashboard } from "../model";
import { hostDashboard } from "./host";
import { lookoutSelfDashboard } from "./lookout-self";
import { redDashboard } from "./red";

export const DEFAULT_DASHBOARDS_FOLDER = "Lookout";

export interface DefaultDashboard {
  uid: string;
  folderTitle: typeof DEFAULT_DASHBOARDS_FOLDER;
  dashboard: Dashboard;
}

export const DEFAULT_DASHBOARDS: DefaultDashboard[] = [
  { uid: "lookout-self", folderTitle: DEFAULT_DASHBOARDS_FOLDER, dashboard: lookoutSelfDashboard },
  { uid: "lookout-host", folderTitle: DEFAULT_DASHBOARDS_FOLDER, dashboard: hostDashboard },
  { uid: "lookout-red", folderTitle: DEFAULT_DASHBOARDS_FOLDER, dashboard: redDashboard },
];

export { hostDashboard, lookoutSelfDashboard, redDashboard };
