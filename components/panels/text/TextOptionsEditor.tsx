"use client";

import { useId } from "react";
import { TextareaField } from "@/components/ui/Field";
import type { TextOptions, VisualPanel } from "@/server/dashboards/model";
import { ChoiceField, OptionsGroup } from "@/components/panels/common/PanelParts";
import type { PanelOptionsEditorProps } from "@/components/panels/types";

type TextPanel = Extract<VisualPanel, { type: "text" }>;

export function TextOptionsEditor({ panel, onChange }: PanelOptionsEditorProps<TextPanel>) {
  const idp = useId();
  const set = (patch: Partial<TextOptions>) => onChange({ ...panel, options: { ...panel.options, ...patch } });
  return (
    <OptionsGroup title="Text">
      <ChoiceField id={`${idp}-mode`} label="Mode" value={panel.options.mode} onChange={(mode) => set({ mode })} choices={[["markdown", "Markdown"], ["plain", "Plain text"]]} />
      <TextareaField id={`${idp}-content`} label="Content" rows={12} value={panel.options.content} onChange={(e) => set({ content: e.target.value })} placeholder={"# Title\n\nSome **markdown** and [a link](https://example.com)."} />
    </OptionsGroup>
  );
}
