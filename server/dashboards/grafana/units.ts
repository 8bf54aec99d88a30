/**
 * Grafana unit ids → ours. Our unit ids are Grafana's (components/charts/value-format.ts), and
 * unknown ids format as `short` there, so an id is kept as it is: a dashboard keeps its units
 * as more of them learn to format. Only empties and oversized strings are refused.
 */
import { cut } from "./json";

/** The unit to store, or undefined for none/invalid. */
export function grafanaUnit(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const id = v.trim();
  if (id === "" || id.length > 64) return undefined;
  return id;
}

/**
 * Singlestat's `prefix`/`postfix` as a unit: Grafana's custom `prefix:`/`suffix:` ids, used only
 * when the panel has no real unit (both cannot be expressed at once).
 */
export function affixUnit(unit: string | undefined, prefix: string | undefined, postfix: string | undefined): string | undefined {
  const plain = unit === undefined || unit === "none" || unit === "short";
  if (!plain) return undefined;
  if (postfix && postfix.trim()) return cut(`suffix:${postfix}`, 64);
  if (prefix && prefix.trim()) return cut(`prefix:${prefix}`, 64);
  return undefined;
}
