/**
 * Edits of a panel in the panel editor, pure: switching type (common settings kept, options reset
 * to the new type's defaults), adding/removing/changing targets with fresh refIds, thresholds.
 */
import { VisualPanelSchema, type PanelType, type Target, type ThresholdStep, type VisualPanel } from "@/server/dashboards/model";

/** Types whose natural query is a log query. */
const LOG_TYPES: readonly PanelType[] = ["logs", "logvolume"];

/** A new panel of a type, with one empty query of the kind the type reads. */
export function newPanel(id: number, type: PanelType = "timeseries"): VisualPanel {
  const targets: Target[] =
    type === "text" ? [] : LOG_TYPES.includes(type) ? [{ kind: "logs", refId: "A", query: "", mode: type === "logs" ? "lines" : "volume", limit: 100, hide: false }] : [{ kind: "promql", refId: "A", expr: "", instant: false, hide: false }];
  return VisualPanelSchema.parse({ id, type, title: "New panel", gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets });
}

/** The same panel as another type: title, layout, queries and field config stay; options reset. */
export function changePanelType(p: VisualPanel, type: PanelType): VisualPanel {
  if (p.type === type) return p;
  const { options: _options, ...common } = p;
  let targets = common.targets;
  if (LOG_TYPES.includes(type)) {
    const mode = type === "logs" ? "lines" : "volume";
    targets = targets.map((t) => (t.kind === "logs" ? { ...t, mode } : t));
    if (!targets.some((t) => t.kind === "logs")) targets = [...targets, { kind: "logs", refId: nextRefId(targets), query: "", mode, limit: 100, hide: false }];
  }
  return VisualPanelSchema.parse({ ...common, targets, type });
}

/** A, B, …, Z, then A1, B1, … (Grafana's refIds), the first not yet used. */
export function nextRefId(targets: readonly Target[]): string {
  const used = new Set(targets.map((t) => t.refId));
  for (let round = 0; ; round++) {
    for (let c = 0; c < 26; c++) {
      const id = String.fromCharCode(65 + c) + (round ? String(round) : "");
      if (!used.has(id)) return id;
    }
  }
}

export function addTarget(p: VisualPanel, kind: Target["kind"]): VisualPanel {
  const refId = nextRefId(p.targets);
  const t: Target =
    kind === "logs"
      ? { kind: "logs", refId, query: "", mode: p.type === "logs" ? "lines" : p.type === "logvolume" ? "volume" : "count", limit: 100, hide: false }
      : { kind: "promql", refId, expr: "", instant: p.type === "table" || p.type === "bargauge" || p.type === "gauge", hide: false };
  return { ...p, targets: [...p.targets, t] };
}

export function updateTarget(p: VisualPanel, index: number, next: Target): VisualPanel {
  return { ...p, targets: p.targets.map((t, i) => (i === index ? next : t)) };
}

export function removeTarget(p: VisualPanel, index: number): VisualPanel {
  return { ...p, targets: p.targets.filter((_, i) => i !== index) };
}

/** Thresholds sorted as Grafana keeps them: the base (null) first, then ascending values. */
export function sortThresholds(steps: readonly ThresholdStep[]): ThresholdStep[] {
  return [...steps].sort((a, b) => (a.value === null ? -Infinity : a.value) - (b.value === null ? -Infinity : b.value));
}

const NEXT_COLORS = ["red", "orange", "yellow", "purple", "blue"];

/** Adds a step above the highest one (+10; 80 when there is only the base), in the next colour. */
export function addThreshold(steps: readonly ThresholdStep[]): ThresholdStep[] {
  const values = steps.flatMap((s) => (s.value === null ? [] : [s.value]));
  const value = values.length ? Math.max(...values) + 10 : 80;
  return sortThresholds([...steps, { value, color: NEXT_COLORS[values.length % NEXT_COLORS.length]! }]);
}
