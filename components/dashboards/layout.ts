/**
 * Grid layout of a dashboard, pure: sections under rows, collapsing and expanding rows, adding,
 * duplicating and removing panels, taking positions back from the grid after a drag, and
 * expanding repeated panels and rows into what the grid renders.
 *
 * The model keeps Grafana's flat list: a `row` panel starts a section that runs to the next row;
 * a collapsed row carries its section in `row.panels`. The list is kept sorted by (y, x).
 */
import { GRID_COLUMNS, nextPanelId, type Dashboard, type GridPos, type Panel, type RowPanel, type VisualPanel } from "@/server/dashboards/model";

export function sortPanels<T extends { gridPos: GridPos }>(panels: T[]): T[] {
  return [...panels].sort((a, b) => a.gridPos.y - b.gridPos.y || a.gridPos.x - b.gridPos.x);
}

/** Bottom edge (y + h) of a set of positions, 0 when empty. */
export function bottomOf(items: { gridPos: GridPos }[]): number {
  return items.reduce((m, p) => Math.max(m, p.gridPos.y + p.gridPos.h), 0);
}

function shifted<T extends { gridPos: GridPos }>(p: T, dy: number): T {
  return dy === 0 ? p : { ...p, gridPos: { ...p.gridPos, y: Math.max(0, p.gridPos.y + dy) } };
}

export interface Section {
  row: RowPanel | null;
  /** The visible panels of the section (empty for a collapsed row). */
  panels: VisualPanel[];
}

/** The dashboard cut at its rows; the first section has no row (it may be empty). */
export function sections(panels: Panel[]): Section[] {
  const out: Section[] = [{ row: null, panels: [] }];
  for (const p of sortPanels(panels)) {
    if (p.type === "row") out.push({ row: p, panels: [] });
    else out[out.length - 1]!.panels.push(p);
  }
  return out;
}

/** Collapse an expanded row (its section moves inside it) or expand a collapsed one. */
export function toggleRow(d: Dashboard, rowId: number): Dashboard {
  const secs = sections(d.panels);
  const idx = secs.findIndex((s) => s.row?.id === rowId);
  if (idx < 0) return d;
  const sec = secs[idx]!;
  const row = sec.row!;
  const out: Panel[] = [];
  for (const s of secs.slice(0, idx)) {
    if (s.row) out.push(s.row);
    out.push(...s.panels);
  }
  let dy: number;
  if (row.collapsed) {
    // Expand: the held panels go back below the row, relative to it; later sections move down.
    const held = row.panels;
    const top = held.length ? Math.min(...held.map((p) => p.gridPos.y)) : 0;
    const placed = held.map((p) => ({ ...p, gridPos: { ...p.gridPos, y: row.gridPos.y + 1 + (p.gridPos.y - top) } }));
    out.push({ ...row, collapsed: false, panels: [] }, ...placed);
    dy = placed.length ? bottomOf(placed) - (row.gridPos.y + 1) : 0;
  } else {
    // Collapse: the section's panels move into the row; later sections move up by its height.
    const height = sec.panels.length ? bottomOf(sec.panels) - (row.gridPos.y + 1) : 0;
    out.push({ ...row, collapsed: true, panels: sec.panels });
    dy = -Math.max(0, height);
  }
  for (const s of secs.slice(idx + 1)) {
    if (s.row) out.push(shifted(s.row, dy));
    out.push(...s.panels.map((p) => shifted(p, dy)));
  }
  return { ...d, panels: sortPanels(out) };
}

/** Add a panel at the top left; everything else moves down to make room. */
export function addPanel(d: Dashboard, make: (id: number) => VisualPanel): { dashboard: Dashboard; id: number } {
  const id = nextPanelId(d);
  const panel = make(id);
  const h = panel.gridPos.h;
  const moved = d.panels.map((p) => shifted(p, h));
  return { dashboard: { ...d, panels: sortPanels([{ ...panel, gridPos: { ...panel.gridPos, x: 0, y: 0 } }, ...moved]) }, id };
}

/** Add a row at the bottom. */
export function addRow(d: Dashboard, title = "Row title"): Dashboard {
  const id = nextPanelId(d);
  const row: RowPanel = { type: "row", id, title, collapsed: false, panels: [], gridPos: { x: 0, y: bottomOf(d.panels), w: GRID_COLUMNS, h: 1 } };
  return { ...d, panels: [...sortPanels(d.panels), row] };
}

/** Remove a panel (anywhere, also inside a collapsed row). Removing a row keeps its panels. */
export function removePanel(d: Dashboard, id: number): Dashboard {
  const out: Panel[] = [];
  for (const p of d.panels) {
    if (p.id === id) {
      if (p.type === "row" && p.collapsed) out.push(...p.panels.map((c) => ({ ...c, gridPos: { ...c.gridPos, y: p.gridPos.y } })));
      continue;
    }
    out.push(p.type === "row" ? { ...p, panels: p.panels.filter((c) => c.id !== id) } : p);
  }
  return { ...d, panels: sortPanels(out) };
}

/** Find a visual panel anywhere. */
export function findPanel(d: Pick<Dashboard, "panels">, id: number): VisualPanel | undefined {
  for (const p of d.panels) {
    if (p.type === "row") {
      const c = p.panels.find((x) => x.id === id);
      if (c) return c;
    } else if (p.id === id) return p;
  }
  return undefined;
}

/** Replace a visual panel (matched by id) wherever it is. */
export function replacePanel(d: Dashboard, panel: VisualPanel): Dashboard {
  return {
    ...d,
    panels: d.panels.map((p) => (p.type === "row" ? { ...p, panels: p.panels.map((c) => (c.id === panel.id ? panel : c)) } : p.id === panel.id ? panel : p)),
  };
}

/** A copy beside the original when it fits on the same line, else below it. */
export function duplicatePanel(d: Dashboard, id: number): Dashboard {
  const src = findPanel(d, id);
  if (!src) return d;
  const newId = nextPanelId(d);
  const { x, y, w, h } = src.gridPos;
  const pos: GridPos = x + 2 * w <= GRID_COLUMNS ? { x: x + w, y, w, h } : { x, y: y + h, w, h };
  const copy = { ...structuredClone(src), id: newId, gridPos: pos } as VisualPanel;
  const inCollapsed = d.panels.find((p) => p.type === "row" && p.panels.some((c) => c.id === id));
  if (inCollapsed) {
    return { ...d, panels: d.panels.map((p) => (p === inCollapsed && p.type === "row" ? { ...p, panels: [...p.panels, copy] } : p)) };
  }
  return { ...d, panels: sortPanels([...d.panels, copy]) };
}

export interface GridItem {
  /** The panel id as a string (what react-grid-layout calls `i`). */
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Positions from the grid after a drag or resize, written back to top-level panels. */
export function applyGridLayout(d: Dashboard, items: readonly GridItem[]): Dashboard {
  const byId = new Map(items.map((it) => [it.i, it]));
  let changed = false;
  const panels = d.panels.map((p) => {
    const it = byId.get(String(p.id));
    if (!it) return p;
    const g = p.type === "row" ? { x: 0, y: it.y, w: GRID_COLUMNS, h: 1 } : { x: it.x, y: it.y, w: it.w, h: it.h };
    if (g.x === p.gridPos.x && g.y === p.gridPos.y && g.w === p.gridPos.w && g.h === p.gridPos.h) return p;
    changed = true;
    return { ...p, gridPos: g };
  });
  return changed ? { ...d, panels: sortPanels(panels) } : d;
}

// ---------------------------------------------------------------------------------------------
// Repeats
// ---------------------------------------------------------------------------------------------

/** Values of a variable's current selection, as repeats see them (All already expanded). */
export type RepeatValues = Record<string, string[]>;

export interface RenderItem {
  /** Stable grid key: the panel id, or `<id>-<n>` for the n-th repeat clone. */
  key: string;
  gridPos: GridPos;
  /** Variables fixed for this item (the repeat's value). */
  scopedVars: Record<string, string>;
  /** True for clones of a repeated panel or row (not editable on their own). */
  clone: boolean;
  item: { kind: "panel"; panel: VisualPanel } | { kind: "row"; row: RowPanel };
}

/** Grafana's default number of repeated panels per line when maxPerRow is unset. */
const DEFAULT_MAX_PER_ROW = 4;

function repeatPanel(p: VisualPanel, values: string[], y: number, scoped: Record<string, string>, keyPrefix: string): RenderItem[] {
  const name = p.repeat!;
  if (p.repeatDirection === "v") {
    return values.map((v, i) => ({
      key: i === 0 ? `${keyPrefix}${p.id}` : `${keyPrefix}${p.id}-${i}`,
      gridPos: { ...p.gridPos, y: y + i * p.gridPos.h },
      scopedVars: { ...scoped, [name]: v },
      clone: i > 0,
      item: { kind: "panel", panel: p },
    }));
  }
  const perRow = Math.min(values.length, p.maxPerRow ?? DEFAULT_MAX_PER_ROW);
  const w = Math.max(1, Math.floor(GRID_COLUMNS / perRow));
  return values.map((v, i) => ({
    key: i === 0 ? `${keyPrefix}${p.id}` : `${keyPrefix}${p.id}-${i}`,
    gridPos: { x: (i % perRow) * w, y: y + Math.floor(i / perRow) * p.gridPos.h, w, h: p.gridPos.h },
    scopedVars: { ...scoped, [name]: v },
    clone: i > 0,
    item: { kind: "panel", panel: p },
  }));
}

/** Lay out a section's panels from `top`, repeating as asked; returns the items and the bottom. */
function layoutSection(panels: VisualPanel[], sectionTop: number, top: number, values: RepeatValues, scoped: Record<string, string>, keyPrefix: string, clone: boolean) {
  const items: RenderItem[] = [];
  let extra = 0;
  let lastBottom = top;
  for (const p of sortPanels(panels)) {
    const y = top + (p.gridPos.y - sectionTop) + extra;
    const vals = p.repeat ? values[p.repeat] : undefined;
    if (p.repeat && vals && vals.length > 0) {
      const clones = repeatPanel(p, vals, y, scoped, keyPrefix).map((c) => ({ ...c, clone: c.clone || clone }));
      items.push(...clones);
      const bottom = bottomOf(clones);
      extra += bottom - (y + p.gridPos.h);
      lastBottom = Math.max(lastBottom, bottom);
    } else {
      items.push({ key: `${keyPrefix}${p.id}`, gridPos: { ...p.gridPos, y }, scopedVars: scoped, clone, item: { kind: "panel", panel: p } });
      lastBottom = Math.max(lastBottom, y + p.gridPos.h);
    }
  }
  return { items, bottom: lastBottom };
}

/**
 * What the grid renders: rows and panels with repeats expanded (a repeated panel becomes one
 * item per value, side by side or stacked; a repeated row repeats its whole section).
 */
export function expandRepeats(d: Pick<Dashboard, "panels">, values: RepeatValues): RenderItem[] {
  const out: RenderItem[] = [];
  let cursor = 0;
  for (const sec of sections(d.panels)) {
    if (!sec.row) {
      const top = 0;
      const { items, bottom } = layoutSection(sec.panels, 0, top, values, {}, "", false);
      out.push(...items);
      cursor = Math.max(cursor, bottom);
      continue;
    }
    const row = sec.row;
    const rowValues = row.repeat ? values[row.repeat] : undefined;
    const copies = row.repeat && rowValues && rowValues.length > 0 ? rowValues : [null];
    cursor = Math.max(cursor, row.gridPos.y);
    copies.forEach((v, n) => {
      const scoped: Record<string, string> = v !== null && row.repeat ? { [row.repeat]: v } : {};
      const prefix = n === 0 ? "" : `r${n}-`;
      out.push({ key: `${prefix}${row.id}`, gridPos: { x: 0, y: cursor, w: GRID_COLUMNS, h: 1 }, scopedVars: scoped, clone: n > 0, item: { kind: "row", row } });
      cursor += 1;
      if (row.collapsed) return;
      const { items, bottom } = layoutSection(sec.panels, row.gridPos.y + 1, cursor, values, scoped, prefix, n > 0);
      out.push(...items);
      cursor = Math.max(cursor, bottom);
    });
  }
  return out;
}
