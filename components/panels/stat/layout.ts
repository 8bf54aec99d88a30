/**
 * Layout maths of the stat panel (and the gauges, which share the grid): how several values
 * share the panel, how large their text is, and the sparkline's SVG path. Pure.
 */

export type Orientation = "auto" | "horizontal" | "vertical";

export interface GridLayout {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
}

/** Font size (px) at which `chars` characters fit a w × h box (semibold tabular digits are about 0.68 em wide). */
export function fitFont(width: number, height: number, chars: number): number {
  return Math.max(0, Math.min(height * 0.8, (width * 0.9) / (Math.max(1, chars) * 0.68)));
}

/**
 * How `count` cells share width × height: one row (`horizontal`), one column (`vertical`), or
 * (`auto`) the grid whose cells fit the largest text of `typicalChars` characters, preferring
 * fewer empty cells on ties. `gap` px between cells.
 */
export function valueGrid(count: number, width: number, height: number, orientation: Orientation = "auto", gap = 4, typicalChars = 6): GridLayout {
  const n = Math.max(1, count);
  const cell = (columns: number): GridLayout => {
    const rows = Math.ceil(n / columns);
    return {
      columns,
      rows,
      cellWidth: Math.max(0, (width - gap * (columns - 1)) / columns),
      cellHeight: Math.max(0, (height - gap * (rows - 1)) / rows),
    };
  };
  if (orientation === "horizontal") return cell(n);
  if (orientation === "vertical") return cell(1);
  let best = cell(1);
  let bestScore = -1;
  for (let columns = 1; columns <= n; columns++) {
    const g = cell(columns);
    // Slightly favour wide cells (a value and its sparkline read better wide than tall).
    const score = Math.round(fitFont(g.cellWidth, g.cellHeight * 0.75, typicalChars) * 10) / 10;
    const empty = g.columns * g.rows - n;
    const bestEmpty = best.columns * best.rows - n;
    if (score > bestScore || (score === bestScore && empty < bestEmpty)) {
      best = g;
      bestScore = score;
    }
  }
  return best;
}

export interface StatTextSizes {
  valuePx: number;
  namePx: number;
}

/**
 * Text sizes in one stat cell: the name (when shown) takes a line on top, the value fills the
 * rest (the upper part only when a sparkline sits below), both fitted to the cell width.
 */
export function statTextSizes(cell: { width: number; height: number }, text: { valueChars: number; nameChars: number; showName: boolean; sparkline: boolean }): StatTextSizes {
  const { width, height } = cell;
  const namePx = text.showName ? clamp(Math.min(height * 0.16, (width * 0.92) / (Math.max(1, text.nameChars) * 0.55)), 10, 22) : 0;
  const rest = height - namePx * 1.5;
  const valueBox = text.sparkline ? rest * 0.62 : rest;
  const valuePx = clamp(fitFont(width, valueBox, text.valueChars), 10, 160);
  return { valuePx: Math.round(valuePx), namePx: Math.round(namePx) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface SparklinePaths {
  /** Stroke path (`M…L…`, a new `M` after each gap). */
  line: string;
  /** Fill path: each segment closed down to the bottom edge. */
  area: string;
}

/**
 * A series as SVG paths in a width × height box: x by time (first to last point), y by value
 * (its min…max; a flat series sits in the middle). Null for fewer than two values.
 */
export function sparklinePaths(points: readonly (readonly [number, number | null])[], width: number, height: number): SparklinePaths | null {
  const real = points.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
  if (real.length < 2 || width <= 0 || height <= 0) return null;
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of real) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const pad = 1;
  const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) => (hi === lo ? height / 2 : pad + (1 - (v - lo) / (hi - lo)) * (height - 2 * pad));
  const r = (n: number) => Math.round(n * 10) / 10;

  const segments: [number, number][][] = [];
  let cur: [number, number][] = [];
  for (const [t, v] of points) {
    if (v === null || !Number.isFinite(v)) {
      if (cur.length) segments.push(cur);
      cur = [];
    } else cur.push([r(x(t)), r(y(v))]);
  }
  if (cur.length) segments.push(cur);

  const line = segments.map((s) => s.map(([px, py], i) => `${i ? "L" : "M"}${px} ${py}`).join("")).join("");
  const area = segments
    .filter((s) => s.length > 1)
    .map((s) => `M${s[0]![0]} ${height}` + s.map(([px, py]) => `L${px} ${py}`).join("") + `L${s[s.length - 1]![0]} ${height}Z`)
    .join("");
  return { line, area };
}
