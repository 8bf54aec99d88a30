import dynamic from "next/dynamic";
import type { VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition } from "@/components/panels/types";
import { TextOptionsEditor } from "./TextOptionsEditor";

type TextPanel = Extract<VisualPanel, { type: "text" }>;

export const textPanel: PanelDefinition<TextPanel> = {
  type: "text",
  name: "Text",
  description: "Markdown or plain text.",
  // The markdown renderer is loaded only by dashboards that have a text panel.
  View: dynamic(() => import("./TextView"), { ssr: false }),
  OptionsEditor: TextOptionsEditor,
};
