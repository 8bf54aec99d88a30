"use client";

import { useId, useState } from "react";
import { Checkbox } from "@/components/ui/Checkbox";
import { TextField } from "@/components/ui/Field";
import type { LogsOptions, VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";
import { parseFieldList } from "./log-rows";

type LogsPanel = Extract<VisualPanel, { type: "logs" }>;

export function LogsOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<LogsPanel>) {
  const idp = useId();
  const set = (patch: Partial<LogsOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  const o = panel.options;
  // The text is kept while typing ("service, " must not lose its comma); the list is derived.
  const [fieldsText, setFieldsText] = useState(o.fields.join(", "));
  return (
    <OptionsGroup title="Logs">
      <Checkbox label="Time" checked={o.showTime} onChange={(e) => set({ showTime: e.target.checked })} />
      <Checkbox label="Level" checked={o.showLevel} onChange={(e) => set({ showLevel: e.target.checked })} />
      <Checkbox label="Wrap lines" checked={o.wrapLines} onChange={(e) => set({ wrapLines: e.target.checked })} />
      <ChoiceField id={`${idp}-order`} label="Order" value={o.order} onChange={(order) => set({ order })} choices={[["newest", "Newest first"], ["oldest", "Oldest first"]]} />
      <TextField
        id={`${idp}-fields`}
        label="Fields"
        hint="Shown before the message: service, host, source or attribute paths, comma-separated."
        placeholder="service, http.status"
        value={fieldsText}
        onChange={(e) => {
          setFieldsText(e.target.value);
          set({ fields: parseFieldList(e.target.value) });
        }}
      />
    </OptionsGroup>
  );
}
