import type { PanelDefinition } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";
import { HeatmapOptionsEditor } from "./HeatmapOptionsEditor";
import { HeatmapView } from "./HeatmapView";

export const heatmapPanel: PanelDefinition<Extract<VisualPanel, { type: "heatmap" }>> = {
  type: "heatmap",
  name: "Heatmap",
  description: "Histogram buckets (Prometheus le) or series over time, coloured by value.",
  View: HeatmapView,
  OptionsEditor: HeatmapOptionsEditor,
};
