"use client";

import { useId } from "react";
import type { StatOptions, VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup, ReducerField } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";

type StatPanel = Extract<VisualPanel, { type: "stat" }>;

export function StatOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<StatPanel>) {
  const idp = useId();
  const set = (patch: Partial<StatOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  const o = panel.options;
  return (
    <OptionsGroup title="Stat">
      <ReducerField id={`${idp}-reduce`} value={o.reduce} onChange={(reduce) => set({ reduce })} />
      <ChoiceField id={`${idp}-color-mode`} label="Colour mode" value={o.colorMode} onChange={(colorMode) => set({ colorMode })} choices={[["value", "Value"], ["background", "Background"], ["none", "None"]]} />
      <ChoiceField id={`${idp}-graph-mode`} label="Graph mode" value={o.graphMode} onChange={(graphMode) => set({ graphMode })} choices={[["area", "Area (sparkline)"], ["none", "None"]]} />
      <ChoiceField
        id={`${idp}-text-mode`}
        label="Text mode"
        value={o.textMode}
        onChange={(textMode) => set({ textMode })}
        choices={[["auto", "Auto"], ["value", "Value"], ["value_and_name", "Value and name"], ["name", "Name"], ["none", "None"]]}
      />
      <ChoiceField id={`${idp}-orientation`} label="Orientation" value={o.orientation} onChange={(orientation) => set({ orientation })} choices={[["auto", "Auto"], ["horizontal", "Horizontal"], ["vertical", "Vertical"]]} />
    </OptionsGroup>
  );
}
