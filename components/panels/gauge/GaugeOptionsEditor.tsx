"use client";

import { useId } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import type { GaugeOptions, VisualPanel } from "@/server/dashboards/model";
import { OptionsGroup, ReducerField } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";

type GaugePanel = Extract<VisualPanel, { type: "gauge" }>;

export function GaugeOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<GaugePanel>) {
  const idp = useId();
  const set = (patch: Partial<GaugeOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  return (
    <OptionsGroup title="Gauge">
      <ReducerField id={`${idp}-reduce`} value={panel.options.reduce} onChange={(reduce) => set({ reduce })} />
      <Checkbox label="Show threshold markers" checked={panel.options.showThresholdMarkers} onChange={(e) => set({ showThresholdMarkers: e.target.checked })} />
      <Checkbox label="Show threshold labels" checked={panel.options.showThresholdLabels} onChange={(e) => set({ showThresholdLabels: e.target.checked })} />
      <p className="text-xs text-slate-500 dark:text-slate-400">Min and max are the standard options (default 0–100).</p>
    </OptionsGroup>
  );
}
