"use client";

/**
 * Every panel type, in the order the panel editor's "Visualization" picker lists them, and the two
 * components the dashboard uses to draw a panel and edit its options, dispatching on `panel.type`.
 */
import { Component, type ErrorInfo, type ReactNode } from "react";
import { bargaugePanel } from "@/components/panels/bargauge";
import { NoData } from "@/components/panels/common/PanelParts";
import { gaugePanel } from "@/components/panels/gauge";
import { heatmapPanel } from "@/components/panels/heatmap";
import { logsPanel } from "@/components/panels/logs";
import { logvolumePanel } from "@/components/panels/logvolume";
import { statPanel } from "@/components/panels/stat";
import { tablePanel } from "@/components/panels/table";
import { textPanel } from "@/components/panels/text";
import { timeseriesPanel } from "@/components/panels/timeseries";
import type { PanelType, VisualPanel } from "@/server/dashboards/model";
import type { PanelDefinition, PanelOptionsEditorProps, PanelViewProps } from "./types";

/** A definition of one type seen as a definition of any panel (the registry picks it by `type`). */
const any = <P extends VisualPanel>(d: PanelDefinition<P>): PanelDefinition => d as unknown as PanelDefinition;

export const PANEL_DEFINITIONS: PanelDefinition[] = [
  any(timeseriesPanel),
  any(statPanel),
  any(gaugePanel),
  any(bargaugePanel),
  any(tablePanel),
  any(heatmapPanel),
  any(logsPanel),
  any(logvolumePanel),
  any(textPanel),
];

const BY_TYPE = new Map<string, PanelDefinition>(PANEL_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of a panel type; undefined for a type this build does not know. */
export function panelDefinition(type: PanelType | (string & {})): PanelDefinition | undefined {
  return BY_TYPE.get(type);
}

/** Keeps one panel's rendering error inside the panel instead of breaking the dashboard. */
class PanelErrorBoundary extends Component<{ children: ReactNode; resetKey: unknown }, { error: Error | null; resetKey: unknown }> {
  state: { error: Error | null; resetKey: unknown } = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: unknown }, state: { error: Error | null; resetKey: unknown }) {
    // New data or options get a fresh try.
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("panel render error", error, info.componentStack);
  }

  render() {
    if (this.state.error) {
      return (
        <div role="alert" className="flex h-full items-center justify-center p-2 text-center text-sm text-red-600 dark:text-red-400">
          This panel could not be drawn: {this.state.error.message}
        </div>
      );
    }
    return this.props.children;
  }
}

/** Draws a panel with its type's View (no fetching: `data` comes from the grid). */
export function PanelView(props: PanelViewProps) {
  const def = panelDefinition(props.panel.type);
  if (!def) return <NoData>Unknown panel type “{props.panel.type}”</NoData>;
  const { View } = def;
  return (
    <PanelErrorBoundary resetKey={`${props.panel.type}:${JSON.stringify(props.panel.options)}:${props.data ? props.data.range.end : ""}`}>
      <View {...props} />
    </PanelErrorBoundary>
  );
}

/** The option form of the panel's type (the panel editor's side bar). */
export function PanelOptionsEditor(props: PanelOptionsEditorProps) {
  const def = panelDefinition(props.panel.type);
  if (!def) return null;
  const { OptionsEditor } = def;
  return <OptionsEditor {...props} />;
}
