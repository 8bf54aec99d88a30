/**
 * Edits of value mappings and field overrides in the panel editor, pure: new entries, property
 * values typed in as text and turned into the model's types. Pure.
 */
import type { FieldDefaults, FieldOverride, ValueMapping } from "@/server/dashboards/model";

export function newMapping(type: ValueMapping["type"]): ValueMapping {
  return type === "value" ? { type: "value", value: "", text: "" } : { type: "range", from: null, to: null, text: "" };
}

/** Properties an override can set from the editor, with how their text is read. */
export const OVERRIDE_PROPERTIES = [
  { key: "displayName", label: "Display name", kind: "text" },
  { key: "unit", label: "Unit", kind: "unit" },
  { key: "decimals", label: "Decimals", kind: "int" },
  { key: "min", label: "Min", kind: "number" },
  { key: "max", label: "Max", kind: "number" },
  { key: "color", label: "Colour", kind: "text" },
  { key: "noValue", label: "No value", kind: "text" },
] as const satisfies readonly { key: keyof FieldDefaults; label: string; kind: string }[];

export type OverridePropertyKey = (typeof OVERRIDE_PROPERTIES)[number]["key"];

/** A property set from text: numbers parsed (decimals 0–10), empty text unsets it. */
export function setOverrideProperty(props: FieldDefaults, key: OverridePropertyKey, text: string): FieldDefaults {
  const next: FieldDefaults = { ...props };
  const spec = OVERRIDE_PROPERTIES.find((p) => p.key === key)!;
  const t = text.trim();
  if (spec.kind === "int" || spec.kind === "number") {
    const n = Number(t);
    if (t === "" || !Number.isFinite(n)) delete next[key];
    else (next as Record<string, unknown>)[key] = spec.kind === "int" ? Math.min(10, Math.max(0, Math.round(n))) : n;
  } else if (text === "") {
    delete next[key];
  } else {
    (next as Record<string, unknown>)[key] = text;
  }
  return next;
}

/** The property as text for its input. */
export function overridePropertyText(props: FieldDefaults, key: OverridePropertyKey): string {
  const v = props[key];
  return v === undefined ? "" : String(v);
}

/** The first editable property the override does not set yet (to add next). */
export function nextFreeProperty(props: FieldDefaults): OverridePropertyKey | undefined {
  return OVERRIDE_PROPERTIES.find((p) => props[p.key] === undefined)?.key;
}

export function newOverride(): FieldOverride {
  return { matcher: { id: "byName", options: "" }, properties: {} };
}

/** Range bound typed as text: empty is open (null). */
export function rangeBound(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
