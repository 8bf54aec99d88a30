/**
 * The contract between the dashboard grid and a panel type's component: every folder
 * components/panels/<type>/ exports a component taking these props and renders only from them
 * (no fetching inside a panel component; the grid fetches through `panels.query`).
 */
import type { AlertPeriod } from "@/server/alerting/alert-periods";
import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelData } from "@/server/dashboards/panel-data";

export interface PanelViewProps<P extends VisualPanel = VisualPanel> {
  panel: P;
  /** Undefined while the first answer is loading (show a quiet placeholder, not a spinner storm). */
  data: PanelData | undefined;
  /** Pixel size of the panel body (title bar excluded). */
  width: number;
  height: number;
  /** Dashboard time zone. */
  timezone: "browser" | "utc";
  /** Drag-to-zoom on time axes: the new range in epoch ms. */
  onZoom?: (start: number, end: number) => void;
  /**
   * ECharts `group` id shared by all time-axis charts of one dashboard when graphTooltip is
   * `crosshair`/`tooltip` (echarts.connect), so the crosshair moves across panels.
   */
  chartGroup?: string;
  /** The dashboard's alert periods: time-axis panels draw them as bands (others ignore them). */
  annotations?: readonly AlertPeriod[];
}

/** The editor form of a panel type's options (the right-hand side of the panel editor). */
export interface PanelOptionsEditorProps<P extends VisualPanel = VisualPanel> {
  panel: P;
  onChange: (next: P) => void;
}

/**
 * One panel type, self-contained (Grafana's panel plugin idea): each folder components/panels/<type>/
 * exports its definition from index.ts; components/panels/registry.tsx lists them all.
 */
export interface PanelDefinition<P extends VisualPanel = VisualPanel> {
  type: P["type"];
  /** Shown in the panel editor's "Visualization" picker. */
  name: string;
  description: string;
  View: import("react").ComponentType<PanelViewProps<P>>;
  OptionsEditor: import("react").ComponentType<PanelOptionsEditorProps<P>>;
}
