"use client";

import { useId } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import type { BarGaugeOptions, VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup, ReducerField } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";

type BarGaugePanel = Extract<VisualPanel, { type: "bargauge" }>;

export function BarGaugeOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<BarGaugePanel>) {
  const idp = useId();
  const set = (patch: Partial<BarGaugeOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  const o = panel.options;
  return (
    <OptionsGroup title="Bar gauge">
      <ReducerField id={`${idp}-reduce`} value={o.reduce} onChange={(reduce) => set({ reduce })} />
      <ChoiceField id={`${idp}-orientation`} label="Orientation" value={o.orientation} onChange={(orientation) => set({ orientation })} choices={[["auto", "Auto"], ["horizontal", "Horizontal"], ["vertical", "Vertical"]]} />
      <ChoiceField id={`${idp}-display-mode`} label="Display mode" value={o.displayMode} onChange={(displayMode) => set({ displayMode })} choices={[["gradient", "Gradient"], ["lcd", "Retro LCD"], ["basic", "Basic"]]} />
      <Checkbox label="Show unfilled area" checked={o.showUnfilled} onChange={(e) => set({ showUnfilled: e.target.checked })} />
    </OptionsGroup>
  );
}
