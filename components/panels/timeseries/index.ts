import type { PanelDefinition } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";
import { TimeseriesOptionsEditor } from "./TimeseriesOptionsEditor";
import { TimeseriesView } from "./TimeseriesView";

export const timeseriesPanel: PanelDefinition<Extract<VisualPanel, { type: "timeseries" }>> = {
  type: "timeseries",
  name: "Time series",
  description: "Lines, areas, bars or points over time; stacking, legend with calculations, thresholds, units.",
  View: TimeseriesView,
  OptionsEditor: TimeseriesOptionsEditor,
};
