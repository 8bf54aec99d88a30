import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { BarGaugeOptionsEditor } from "./BarGaugeOptionsEditor";
import { BarGaugeView } from "./BarGaugeView";

export const bargaugePanel: PanelDefinition<Extract<VisualPanel, { type: "bargauge" }>> = {
  type: "bargauge",
  name: "Bar gauge",
  description: "A horizontal or vertical bar per series, coloured by thresholds.",
  View: BarGaugeView,
  OptionsEditor: BarGaugeOptionsEditor,
};
