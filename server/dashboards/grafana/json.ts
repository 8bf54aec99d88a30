/**
 * Reading loosely typed Grafana JSON without trusting it: every accessor returns `undefined` for a
 * missing or mistyped value instead of throwing, so one odd panel never stops an import.
 */

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Json | undefined {
  return isObject(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Objects of an array; other items skipped. */
export function objects(v: unknown): Json[] {
  return arr(v).filter(isObject);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A non-empty string after trimming, else undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/** A finite number, also from a numeric string (Grafana stores y-axis min/max as strings). */
export function num(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** An integer (rounded) within [min, max], else undefined. */
export function int(v: unknown, min = -Infinity, max = Infinity): number | undefined {
  const n = num(v);
  if (n === undefined) return undefined;
  const r = Math.round(n);
  return r < min || r > max ? undefined : r;
}

export function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

/** Cuts a string to `max` characters (our schema's limits). */
export function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** Scalars as strings (variable values can be numbers or booleans in exported JSON). */
export function scalarString(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** `5m`-style durations our schema accepts. */
export const DURATION_RE = /^\d+(ms|s|m|h|d|w|y)$/;

/**
 * Warnings, grouped: the same message for many panels becomes one line that names them
 * (`intervalFactor dropped: "CPU", "Memory", … (+12 more)`), so a 100-panel dashboard gives a
 * readable report instead of hundreds of lines.
 */
export class Notes {
  private readonly groups = new Map<string, string[]>();
  private static readonly SHOWN = 5;

  /** `where` names the place (a panel title); messages without it stand alone. */
  add(message: string, where?: string): void {
    let list = this.groups.get(message);
    if (!list) {
      list = [];
      this.groups.set(message, list);
    }
    if (where !== undefined && !list.includes(where)) list.push(where);
  }

  /** Messages in first-seen order. */
  list(): string[] {
    const out: string[] = [];
    for (const [message, places] of this.groups) {
      if (places.length === 0) {
        out.push(message);
        continue;
      }
      const shown = places.slice(0, Notes.SHOWN).join(", ");
      const more = places.length > Notes.SHOWN ? ` (+${places.length - Notes.SHOWN} more)` : "";
      out.push(`${message}: ${shown}${more}`);
    }
    return out;
  }
}

/** How a panel is named in warnings. */
export function panelLabel(p: Json): string {
  const title = text(p.title);
  const id = int(p.id);
  if (title) return `"${title}"`;
  return id !== undefined ? `panel ${id}` : "untitled panel";
}
