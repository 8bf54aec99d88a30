import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { TableOptionsEditor } from "./TableOptionsEditor";
import { TableView } from "./TableView";

export const tablePanel: PanelDefinition<Extract<VisualPanel, { type: "table" }>> = {
  type: "table",
  name: "Table",
  description: "Series as rows (labels and value) or values per time; sortable; log events as rows.",
  View: TableView,
  OptionsEditor: TableOptionsEditor,
};
