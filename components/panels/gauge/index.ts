import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { GaugeOptionsEditor } from "./GaugeOptionsEditor";
import { GaugeView } from "./GaugeView";

export const gaugePanel: PanelDefinition<Extract<VisualPanel, { type: "gauge" }>> = {
  type: "gauge",
  name: "Gauge",
  description: "A radial gauge per series between min and max, coloured by thresholds.",
  View: GaugeView,
  OptionsEditor: GaugeOptionsEditor,
};
