import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { StatOptionsEditor } from "./StatOptionsEditor";
import { StatView } from "./StatView";

export const statPanel: PanelDefinition<Extract<VisualPanel, { type: "stat" }>> = {
  type: "stat",
  name: "Stat",
  description: "One big value per series, coloured by thresholds, with a sparkline.",
  View: StatView,
  OptionsEditor: StatOptionsEditor,
};
