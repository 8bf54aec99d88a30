import type { PanelDefinition } from "@/components/panels/types";
import type { VisualPanel } from "@/server/dashboards/model";
import { LogVolumeOptionsEditor } from "./LogVolumeOptionsEditor";
import { LogVolumeView } from "./LogVolumeView";

export const logvolumePanel: PanelDefinition<Extract<VisualPanel, { type: "logvolume" }>> = {
  type: "logvolume",
  name: "Log volume",
  description: "How many log events matched per interval, stacked by level.",
  View: LogVolumeView,
  OptionsEditor: LogVolumeOptionsEditor,
};
