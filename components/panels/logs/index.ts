import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { LogsOptionsEditor } from "./LogsOptionsEditor";
import { LogsView } from "./LogsView";

export const logsPanel: PanelDefinition<Extract<VisualPanel, { type: "logs" }>> = {
  type: "logs",
  name: "Logs",
  description: "The newest lines of a log query, with level, chosen fields and the full event on click.",
  View: LogsView,
  OptionsEditor: LogsOptionsEditor,
};
