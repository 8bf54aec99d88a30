"use client";

import type { PanelOptionsEditorProps } from "@/components/panels/types";
import { Checkbox } from "@/components/ui/Checkbox";
import type { VisualPanel } from "@/server/dashboards/model";

type LogVolumePanel = Extract<VisualPanel, { type: "logvolume" }>;

/** Log volume options: stack the bars by level, or one total. */
export function LogVolumeOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<LogVolumePanel>) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold">Log volume</legend>
      <Checkbox
        label="Stack by level"
        description="Bars split by log level in level colours; off: one bar of all matching events. Use a log target in “volume” mode."
        checked={panel.options.stackByLevel}
        onChange={(e) => onChange({ ...panel, options: { ...panel.options, stackByLevel: e.target.checked } })}
      />
    </fieldset>
  );
}
