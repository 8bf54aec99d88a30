/**
 * A Grafana dashboard (any schemaVersion from the old `rows` layout to today's flat `panels`)
 * → our dashboard, with the panels we cannot show listed and the rest of what was lost noted.
 *
 * Layout: Grafana's `gridPos` is kept (clamped to our grid); the pre-5.0 `rows` layout (rows of
 * panels with a 12-column `span` and a pixel height) is laid out on the 24-column grid first.
 * Panel ids are kept; a missing or repeated id gets the next free one.
 */
import { DashboardSchema, DASHBOARD_SCHEMA_VERSION, GRID_COLUMNS, type Dashboard, type GridPos, type Panel, type RowPanel, type VisualPanel } from "../model";
import { Datasources } from "./datasources";
import { bool, clamp, cut, DURATION_RE, int, isObject, num, obj, objects, str, text, type Json, Notes } from "./json";
import { convertVisualPanel, isRefusal, type PanelContext } from "./panels";
import { convertVariables } from "./variables";

/** A panel listed as not converted (same shape as grafana-import.ts's UnsupportedPanel). */
export interface Unsupported {
  id: number | null;
  title: string;
  type: string;
  reason: string;
}

export interface GrafanaConversion {
  dashboard: Dashboard;
  uid?: string;
  unsupported: Unsupported[];
  warnings: string[];
}

/** Thrown for input that is not a usable dashboard; the caller turns it into INVALID_INPUT. */
export class GrafanaInputError extends Error {}

const MAX_PANELS = 500;

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Grafana `gridPos` clamped to our grid; undefined when absent. */
export function clampGridPos(v: unknown): GridPos | undefined {
  const g = obj(v);
  if (!g) return undefined;
  const x = clamp(Math.round(num(g.x) ?? 0), 0, GRID_COLUMNS - 1);
  const w = clamp(Math.round(num(g.w) ?? 12), 1, GRID_COLUMNS - x);
  const y = Math.max(0, Math.round(num(g.y) ?? 0));
  const h = clamp(Math.round(num(g.h) ?? 8), 1, 200);
  return { x, y, w, h };
}

/** A row's or panel's pixel height (`"250px"`, `250`) in grid rows (30 px cells, 8 px gaps). */
function gridHeight(v: unknown, fallback: number): number {
  const px = num(typeof v === "string" ? v.replace(/px$/, "") : v);
  if (px === undefined || px <= 0) return fallback;
  return clamp(Math.round((px + 8) / 38), 1, 200);
}

/**
 * The pre-5.0 layout (`rows: [{title, showTitle, collapse, height, repeat, panels: [{span}]}]`)
 * as a flat panel list with `gridPos`, rows included, the way Grafana 5 upgraded it.
 */
export function rowsToPanels(rows: Json[]): Json[] {
  const out: Json[] = [];
  let y = 0;
  const single = rows.length === 1;
  for (const r of rows) {
    const collapsed = bool(r.collapse) === true;
    const needsRow = !single || bool(r.showTitle) === true || collapsed || !!text(r.repeat);
    const rowHeight = gridHeight(r.height, 7);
    const row: Json | undefined = needsRow
      ? { type: "row", id: r.id, title: str(r.title) ?? "", collapsed, repeat: r.repeat, gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 }, panels: [] }
      : undefined;
    if (row) {
      out.push(row);
      y += 1;
    }
    let x = 0;
    let lineHeight = 0;
    const children: Json[] = [];
    for (const p of objects(r.panels)) {
      const w = clamp(Math.round((num(p.span) ?? 6) * 2), 1, GRID_COLUMNS);
      const h = gridHeight(p.height, rowHeight);
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      children.push({ ...p, gridPos: { x, y, w, h } });
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
    if (row && collapsed) row.panels = children;
    else out.push(...children);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Panels
// ---------------------------------------------------------------------------------------------

/** Library panels exported with the dashboard (`__elements`: uid → {model}). */
function libraryModels(dash: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  const elements = dash.__elements;
  const list = Array.isArray(elements) ? objects(elements) : Object.values(obj(elements) ?? {}).filter(isObject);
  for (const e of list) {
    const uid = str(e.uid);
    const model = obj(e.model);
    if (uid && model) out.set(uid, model);
  }
  return out;
}

class PanelIds {
  private readonly taken = new Set<number>();
  private next: number;

  constructor(all: Json[]) {
    let max = 0;
    for (const p of all) max = Math.max(max, int(p.id, 1) ?? 0);
    this.next = max + 1;
  }

  /** Grafana's id when it is a free positive integer, else the next unused one. */
  assign(raw: unknown): number {
    const id = int(raw, 1);
    if (id !== undefined && !this.taken.has(id) && Number(raw) === id) {
      this.taken.add(id);
      return id;
    }
    while (this.taken.has(this.next)) this.next++;
    this.taken.add(this.next);
    return this.next++;
  }
}

interface Walk {
  ctx: PanelContext;
  ids: PanelIds;
  library: Map<string, Json>;
  unsupported: Unsupported[];
  /** Bottom of the laid-out grid, for panels without a gridPos. */
  bottom: number;
  count: number;
}

function refuse(w: Walk, p: Json, reason: string): void {
  w.unsupported.push({ id: int(p.id) ?? null, title: str(p.title) ?? "", type: str(p.type) ?? (isObject(p.libraryPanel) ? "library panel" : ""), reason });
}

/** Library panel references resolved to their exported model (position and id from the reference). */
function resolveLibrary(p: Json, w: Walk): Json | string {
  const ref = obj(p.libraryPanel);
  if (!ref) return p;
  if (str(p.type) && Array.isArray(p.targets)) return p;
  const model = w.library.get(str(ref.uid) ?? "");
  if (!model) return `library panel "${str(ref.name) ?? str(ref.uid) ?? "?"}": its definition is not in this JSON (export with "Export for sharing externally")`;
  return { ...model, id: p.id ?? model.id, gridPos: p.gridPos ?? model.gridPos, title: p.title ?? model.title };
}

function visual(p: Json, w: Walk): VisualPanel | undefined {
  if (p.repeatPanelId !== undefined || p.repeatIteration !== undefined) {
    refuse(w, p, `copy made by Grafana's repeat of panel ${String(p.repeatPanelId ?? "?")}; the repeat recreates it`);
    return undefined;
  }
  const resolved = resolveLibrary(p, w);
  if (typeof resolved === "string") {
    refuse(w, p, resolved);
    return undefined;
  }
  if (w.count >= MAX_PANELS) {
    refuse(w, resolved, `more than ${MAX_PANELS} panels`);
    return undefined;
  }
  const gridPos = clampGridPos(resolved.gridPos) ?? { x: 0, y: w.bottom, w: 12, h: 8 };
  // Converted with a placeholder id: the real one is only taken once the panel is kept.
  const r = convertVisualPanel(resolved, 1, gridPos, w.ctx);
  if (isRefusal(r)) {
    refuse(w, resolved, r.reason);
    return undefined;
  }
  r.id = w.ids.assign(resolved.id);
  w.bottom = Math.max(w.bottom, gridPos.y + gridPos.h);
  w.count++;
  return r;
}

function convertPanels(source: Json[], w: Walk): Panel[] {
  const out: Panel[] = [];
  for (const p of source) {
    if (p.type !== "row") {
      const v = visual(p, w);
      if (v) out.push(v);
      continue;
    }
    if (p.repeatPanelId !== undefined || p.repeatIteration !== undefined) {
      refuse(w, p, `copy made by Grafana's repeat of row ${String(p.repeatPanelId ?? "?")}; the repeat recreates it`);
      // Its panels are copies too.
      for (const c of objects(p.panels)) refuse(w, c, "inside a row copied by Grafana's repeat; the repeat recreates it");
      continue;
    }
    const gridPos = clampGridPos(p.gridPos) ?? { x: 0, y: w.bottom, w: GRID_COLUMNS, h: 1 };
    const collapsed = bool(p.collapsed) === true;
    const row: RowPanel = { type: "row", id: w.ids.assign(p.id), title: cut(str(p.title) ?? "", 500), gridPos: { ...gridPos, x: 0, w: GRID_COLUMNS, h: 1 }, collapsed, panels: [] };
    const repeat = text(p.repeat)?.trim().replace(/^\$\{?|\}$/g, "");
    if (repeat && /^[A-Za-z_][A-Za-z0-9_]*$/.test(repeat)) row.repeat = repeat;
    w.bottom = Math.max(w.bottom, gridPos.y + 1);
    w.count++;
    out.push(row);
    const children = objects(p.panels);
    if (collapsed) {
      for (const c of children) {
        const v = visual(c, w);
        if (v) row.panels.push(v);
      }
    } else {
      // An expanded row's section follows it in the flat list; stray children join it there.
      for (const c of children) {
        const v = visual(c, w);
        if (v) out.push(v);
      }
    }
  }
  return out;
}

/** Every panel of the source, rows and their children included (the import's denominator). */
export function sourcePanels(dash: Json): Json[] {
  const top = sourceLayout(dash);
  const out: Json[] = [];
  for (const p of top) {
    out.push(p);
    if (p.type === "row") out.push(...objects(p.panels));
  }
  return out;
}

/** The flat panel list, from `panels` or from the old `rows` layout. */
function sourceLayout(dash: Json): Json[] {
  const panels = objects(dash.panels);
  const rows = objects(dash.rows);
  if (panels.length === 0 && rows.length > 0) return rowsToPanels(rows);
  return panels;
}

// ---------------------------------------------------------------------------------------------
// Dashboard fields
// ---------------------------------------------------------------------------------------------

function timeRange(v: unknown): { from: string; to: string } {
  const t = obj(v);
  const from = t ? (typeof t.from === "number" ? String(t.from) : text(t.from)) : undefined;
  const to = t ? (typeof t.to === "number" ? String(t.to) : text(t.to)) : undefined;
  return { from: cut(from ?? "now-6h", 100), to: cut(to ?? "now", 100) };
}

function refreshOf(v: unknown, notes: Notes): string {
  const s = text(v)?.trim();
  if (!s) return "";
  if (DURATION_RE.test(s)) return s;
  notes.add(`Auto-refresh "${s}" not understood; turned off`);
  return "";
}

function timezoneOf(v: unknown, notes: Notes): "browser" | "utc" {
  const s = (str(v) ?? "").trim();
  if (s === "utc" || s === "UTC") return "utc";
  if (s !== "" && s !== "browser") notes.add(`Time zone "${s}" not supported; the browser's is used`);
  return "browser";
}

function graphTooltipOf(v: unknown): "default" | "crosshair" | "tooltip" {
  const n = int(v);
  if (n === 1) return "crosshair";
  if (n === 2) return "tooltip";
  return "default";
}

function tagsOf(v: unknown): string[] {
  const out: string[] = [];
  for (const t of Array.isArray(v) ? v : []) {
    const s = typeof t === "string" ? t.trim() : "";
    if (s && !out.includes(cut(s, 50))) out.push(cut(s, 50));
  }
  return out.slice(0, 50);
}

function linksOf(v: unknown, notes: Notes): { title: string; url: string; targetBlank: boolean }[] {
  const out: { title: string; url: string; targetBlank: boolean }[] = [];
  for (const l of objects(v)) {
    const type = str(l.type) ?? "link";
    if (type !== "link") {
      notes.add(`Dashboard links of type "${type}" not supported; dropped`);
      continue;
    }
    const url = text(l.url)?.trim();
    if (!url) continue;
    out.push({ title: cut(text(l.title) ?? url, 200), url: cut(url, 2_000), targetBlank: bool(l.targetBlank) === true });
  }
  return out.slice(0, 50);
}

/**
 * Grafana's `annotations.list`: its built-in "Annotations & Alerts" entry (`builtIn: 1`) is our
 * alert annotations, on unless the entry is disabled (Grafana adds the entry, enabled, to a
 * dashboard without it); the other (enabled) entries query data sources we do not have: dropped
 * with a note.
 */
function annotationsOf(dash: Json, notes: Notes): { alerts: { enabled: boolean } } {
  const all = objects(obj(dash.annotations)?.list);
  const isBuiltIn = (a: Json) => a.builtIn === 1 || a.builtIn === true;
  const builtIn = all.find(isBuiltIn);
  const others = all.filter((a) => !isBuiltIn(a) && a.enable !== false);
  if (others.length > 0) notes.add(`Annotations not supported; dropped (${others.map((a) => `"${str(a.name) ?? "?"}"`).join(", ")})`);
  return { alerts: { enabled: builtIn ? bool(builtIn.enable) !== false : true } };
}

// ---------------------------------------------------------------------------------------------
// Entry
// ---------------------------------------------------------------------------------------------

export function convertGrafanaDashboard(dash: Json): GrafanaConversion {
  const title = text(dash.title)?.trim();
  if (!title) throw new GrafanaInputError("title: a dashboard title is required");
  if (dash.panels !== undefined && !Array.isArray(dash.panels)) throw new GrafanaInputError("panels: must be a list");
  if (dash.rows !== undefined && dash.rows !== null && !Array.isArray(dash.rows)) throw new GrafanaInputError("rows: must be a list");
  if (dash.templating !== undefined && dash.templating !== null && !isObject(dash.templating)) throw new GrafanaInputError("templating: must be an object");

  const notes = new Notes();
  const ds = new Datasources(dash);
  const variables = convertVariables(dash, ds, notes);
  const walk: Walk = { ctx: { ds, notes }, ids: new PanelIds(sourcePanels(dash)), library: libraryModels(dash), unsupported: [], bottom: 0, count: 0 };
  const panels = convertPanels(sourceLayout(dash), walk);
  const annotations = annotationsOf(dash, notes);

  const candidate = {
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    title: cut(title, 200),
    description: cut(str(dash.description) ?? "", 5_000),
    tags: tagsOf(dash.tags),
    time: timeRange(dash.time),
    refresh: refreshOf(dash.refresh, notes),
    timezone: timezoneOf(dash.timezone, notes),
    graphTooltip: graphTooltipOf(dash.graphTooltip),
    variables,
    panels,
    links: linksOf(dash.links, notes),
    annotations,
  };
  const parsed = DashboardSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GrafanaInputError(`${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const uid = text(dash.uid)?.trim();
  return { dashboard: parsed.data, ...(uid ? { uid } : {}), unsupported: walk.unsupported, warnings: notes.list() };
}

