/**
 * Small builders for the default dashboards: targets, thresholds, panels of each type, and a
 * layout that places panels left to right on the 24-column grid (wrapping to a new line) and
 * numbers them, so positions and ids are right by construction. Pure.
 */
import type { z } from "zod";
import {
  DASHBOARD_SCHEMA_VERSION,
  DashboardSchema,
  GRID_COLUMNS,
  type BarGaugeOptionsSchema,
  type Dashboard,
  type DashboardInput,
  type FieldConfigSchema,
  type FieldDefaultsSchema,
  type GaugeOptionsSchema,
  type HeatmapOptionsSchema,
  type LogsOptionsSchema,
  type LogTargetSchema,
  type PanelSchema,
  type PromTargetSchema,
  type StatOptionsSchema,
  type TableOptionsSchema,
  type TimeSeriesOptionsSchema,
  type VisualPanelSchema,
} from "../model";

type PromTargetInput = z.input<typeof PromTargetSchema>;
type LogTargetInput = z.input<typeof LogTargetSchema>;
type TargetInput = PromTargetInput | LogTargetInput;
type FieldDefaultsInput = z.input<typeof FieldDefaultsSchema>;
type FieldConfigInput = z.input<typeof FieldConfigSchema>;
type VisualPanelInput = z.input<typeof VisualPanelSchema>;
type PanelInput = z.input<typeof PanelSchema>;

/** A panel before the layout gives it an id and a place. */
export type PanelDraft = Omit<VisualPanelInput, "id" | "gridPos">;

/** A PromQL target. */
export function prom(refId: string, expr: string, legendFormat?: string, extra: Partial<Omit<PromTargetInput, "kind" | "refId" | "expr" | "legendFormat">> = {}): PromTargetInput {
  return { kind: "promql", refId, expr, ...(legendFormat !== undefined ? { legendFormat } : {}), ...extra };
}

/** A log query target (Discover's query language). */
export function logQuery(refId: string, query: string, mode: LogTargetInput["mode"], extra: Partial<Pick<LogTargetInput, "limit" | "hide">> = {}): LogTargetInput {
  return { kind: "logs", refId, query, mode, ...extra };
}

/** Threshold steps: the first is the base (from minus infinity), then `[colour, from]` pairs. */
export function thresholds(base: string, ...steps: [color: string, value: number][]): NonNullable<FieldDefaultsInput["thresholds"]> {
  return { mode: "absolute", steps: [{ value: null, color: base }, ...steps.map(([color, value]) => ({ value, color }))] };
}

interface Common {
  description?: string;
  defaults?: FieldDefaultsInput;
  overrides?: FieldConfigInput["overrides"];
  repeat?: string;
  repeatDirection?: "h" | "v";
  maxPerRow?: number;
  interval?: string;
}

function common(title: string, targets: TargetInput[], c: Common) {
  return {
    title,
    targets,
    ...(c.description ? { description: c.description } : {}),
    ...(c.repeat ? { repeat: c.repeat, repeatDirection: c.repeatDirection ?? "h", ...(c.maxPerRow ? { maxPerRow: c.maxPerRow } : {}) } : {}),
    ...(c.interval ? { interval: c.interval } : {}),
    fieldConfig: { defaults: c.defaults ?? {}, overrides: c.overrides ?? [] },
  };
}

export const timeseries = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof TimeSeriesOptionsSchema> } = {}): PanelDraft => ({
  type: "timeseries",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const stat = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof StatOptionsSchema> } = {}): PanelDraft => ({
  type: "stat",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const gauge = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof GaugeOptionsSchema> } = {}): PanelDraft => ({
  type: "gauge",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const bargauge = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof BarGaugeOptionsSchema> } = {}): PanelDraft => ({
  type: "bargauge",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const table = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof TableOptionsSchema> } = {}): PanelDraft => ({
  type: "table",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const heatmap = (title: string, targets: TargetInput[], c: Common & { options?: z.input<typeof HeatmapOptionsSchema> } = {}): PanelDraft => ({
  type: "heatmap",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const logs = (title: string, targets: LogTargetInput[], c: Common & { options?: z.input<typeof LogsOptionsSchema> } = {}): PanelDraft => ({
  type: "logs",
  ...common(title, targets, c),
  options: c.options ?? {},
});

export const logVolume = (title: string, targets: LogTargetInput[], c: Common = {}): PanelDraft => ({
  type: "logvolume",
  ...common(title, targets, c),
  options: { stackByLevel: true },
});

export const text = (title: string, content: string, c: Pick<Common, "description"> = {}): PanelDraft => ({
  type: "text",
  title,
  ...(c.description ? { description: c.description } : {}),
  options: { mode: "markdown", content },
});

/**
 * Places panels left to right, wrapping at the grid's width; rows start a new line. Panels after a
 * collapsed row go inside it (positioned as they would be below it), and the next row follows it
 * directly, as a collapsed row is stored.
 */
export class Layout {
  private readonly panels: PanelInput[] = [];
  private nextId = 1;
  private x = 0;
  private y = 0;
  private lineHeight = 0;
  /** The collapsed row being filled, and the y the grid resumes at after it. */
  private collapsed: { row: Extract<PanelInput, { type: "row" }>; resumeY: number } | null = null;

  /** A row (section header) across the grid. */
  row(title: string, opts: { repeat?: string; collapsed?: boolean } = {}): this {
    this.newLine();
    if (this.collapsed) {
      this.y = this.collapsed.resumeY;
      this.collapsed = null;
    }
    const row = { type: "row" as const, id: this.nextId++, title, gridPos: { x: 0, y: this.y, w: GRID_COLUMNS, h: 1 }, collapsed: !!opts.collapsed, panels: [] as VisualPanelInput[], ...(opts.repeat ? { repeat: opts.repeat } : {}) };
    this.panels.push(row);
    this.y += 1;
    if (opts.collapsed) this.collapsed = { row, resumeY: this.y };
    return this;
  }

  /** A panel `w` columns wide and `h` units high, after the previous one (or on a new line). */
  add(w: number, h: number, panel: PanelDraft): this {
    if (this.x + w > GRID_COLUMNS) this.newLine();
    const placed = { ...panel, id: this.nextId++, gridPos: { x: this.x, y: this.y, w, h } } as VisualPanelInput;
    if (this.collapsed) this.collapsed.row.panels!.push(placed);
    else this.panels.push(placed);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  private newLine(): void {
    if (this.x === 0) return;
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }

  build(): PanelInput[] {
    return [...this.panels];
  }
}

/** Validates and fills defaults (throws on a mistake: these are built at import time). */
export function dashboard(d: Omit<DashboardInput, "schemaVersion">): Dashboard {
  return DashboardSchema.parse({ schemaVersion: DASHBOARD_SCHEMA_VERSION, ...d });
}
